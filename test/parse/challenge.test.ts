import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseWwwAuthenticate, type ChallengeParse } from '../../src/parse/challenge.js';

/** The shape oauth4webapi prints (deps.md §3), so the vectors read the same. */
function simple(p: ChallengeParse) {
  return p.challenges.map((c) => ({
    scheme: c.schemeLower,
    parameters: c.params,
    ...(c.token68 !== undefined ? { token68: c.token68 } : {}),
  }));
}

// deps.md §3: the 19 measured vectors. `problems` lists what our tolerant parser must report;
// where oauth4webapi was wrong (bogus `token` challenge, all-or-nothing, last duplicate wins) the
// expectation is the better behaviour.
const VECTORS: { name: string; values: string[]; want: ReturnType<typeof simple>; problems?: RegExp[] }[] = [
  {
    name: 'simple bearer error',
    values: ['Bearer realm="api", error="invalid_token", error_description="The token expired"'],
    want: [
      {
        scheme: 'bearer',
        parameters: { realm: 'api', error: 'invalid_token', error_description: 'The token expired' },
      },
    ],
  },
  {
    name: '2 challenges, one header',
    values: ['Basic realm="a", Bearer realm="b", error="invalid_token"'],
    want: [
      { scheme: 'basic', parameters: { realm: 'a' } },
      { scheme: 'bearer', parameters: { realm: 'b', error: 'invalid_token' } },
    ],
  },
  {
    name: '2 header lines',
    values: ['Bearer error="invalid_token"', 'DPoP algs="ES256 PS256", error="invalid_token"'],
    want: [
      { scheme: 'bearer', parameters: { error: 'invalid_token' } },
      { scheme: 'dpop', parameters: { algs: 'ES256 PS256', error: 'invalid_token' } },
    ],
  },
  {
    name: 'token68 Negotiate',
    values: ['Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEF=='],
    want: [{ scheme: 'negotiate', parameters: {}, token68: 'YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEF==' }],
  },
  {
    name: 'token68 then another challenge',
    values: ['Negotiate abc123==, Basic realm="x"'],
    want: [
      { scheme: 'negotiate', parameters: {}, token68: 'abc123==' },
      { scheme: 'basic', parameters: { realm: 'x' } },
    ],
  },
  {
    name: 'escaped quotes and commas in quoted values',
    values: ['Bearer realm="a \\"quoted\\", realm", error_description="x, y"'],
    want: [{ scheme: 'bearer', parameters: { realm: 'a "quoted", realm', error_description: 'x, y' } }],
  },
  {
    name: 'RFC 7235 Newauth example',
    values: ['Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'],
    want: [
      { scheme: 'newauth', parameters: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', parameters: { realm: 'simple' } },
    ],
  },
  {
    name: 'lowercase scheme, upper-case param names',
    values: ['bearer REALM="x", Error="invalid_token"'],
    want: [{ scheme: 'bearer', parameters: { realm: 'x', error: 'invalid_token' } }],
  },
  {
    name: 'token values without quotes',
    values: ['Bearer realm=api, error=invalid_token'],
    want: [{ scheme: 'bearer', parameters: { realm: 'api', error: 'invalid_token' } }],
  },
  {
    // oauth4webapi: error_description "The" plus a bogus challenge `token` with token68 `expired`.
    name: 'unquoted value with spaces',
    values: ['Bearer error_description=The token expired'],
    want: [{ scheme: 'bearer', parameters: { error_description: 'The token expired' } }],
    problems: [/^header 1, column 26: unquoted value of "error_description" contains spaces/],
  },
  {
    name: 'empty header',
    values: [''],
    want: [],
    problems: [/^header 1: empty value/],
  },
  {
    name: 'garbage',
    values: ['!!!@@@ ###'],
    want: [],
    problems: [/^header 1, column 4: unexpected character "@"/],
  },
  { name: 'scheme only', values: ['Bearer'], want: [{ scheme: 'bearer', parameters: {} }] },
  {
    name: 'two bare schemes',
    values: ['Bearer, Basic'],
    want: [
      { scheme: 'bearer', parameters: {} },
      { scheme: 'basic', parameters: {} },
    ],
  },
  {
    name: 'Digest with a comma inside qop',
    values: [
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"',
    ],
    want: [
      {
        scheme: 'digest',
        parameters: {
          realm: 'http-auth@example.org',
          qop: 'auth, auth-int',
          algorithm: 'SHA-256',
          nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
        },
      },
    ],
  },
  {
    // oauth4webapi: nothing at all. We keep both parameters and point at the quote that never closed.
    name: 'unterminated quote',
    values: ['Bearer realm="unterminated, error="x"'],
    want: [{ scheme: 'bearer', parameters: { realm: 'unterminated', error: 'x' } }],
    problems: [/^header 1, column 14: unterminated quoted string$/],
  },
  {
    name: 'leading and trailing commas',
    values: [', , Bearer realm="x",'],
    want: [{ scheme: 'bearer', parameters: { realm: 'x' } }],
  },
  {
    // oauth4webapi keeps the last; RFC 9110 §11.2 allows each name once, we keep the first and say so.
    name: 'duplicate param',
    values: ['Bearer realm="a", realm="b"'],
    want: [{ scheme: 'bearer', parameters: { realm: 'a' } }],
    problems: [/^header 1, column 19: duplicate parameter "realm"/],
  },
  {
    name: 'non-ASCII realm',
    values: ['Basic realm="Schlüssel", charset="UTF-8"'],
    want: [{ scheme: 'basic', parameters: { realm: 'Schlüssel', charset: 'UTF-8' } }],
  },
];

describe('parseWwwAuthenticate: deps.md §3 vectors', () => {
  it('has all 19 vectors', () => expect(VECTORS).toHaveLength(19));
  it.each(VECTORS)('$name', ({ values, want, problems }) => {
    const got = parseWwwAuthenticate(values);
    expect(simple(got)).toEqual(want);
    expect(got.problems).toHaveLength(problems?.length ?? 0);
    (problems ?? []).forEach((re, i) => expect(got.problems[i]).toMatch(re));
  });
});

describe('parseWwwAuthenticate: rules', () => {
  it('splits express-oauth2-jwt-bearer’s single line into Bearer and DPoP', () => {
    const line =
      'Bearer realm="api", error="invalid_token", error_description="\'exp\' claim timestamp check failed", DPoP algs="RS256 RS384 PS256 ES256 EdDSA"';
    const got = parseWwwAuthenticate([line]);
    expect(got.problems).toEqual([]);
    expect(got.challenges.map((c) => c.scheme)).toEqual(['Bearer', 'DPoP']);
    expect(got.challenges[0]?.params.error_description).toBe("'exp' claim timestamp check failed");
    expect(got.challenges[1]?.params).toEqual({ algs: 'RS256 RS384 PS256 ES256 EdDSA' });
    expect(got.challenges.map((c) => c.raw)).toEqual([
      'Bearer realm="api", error="invalid_token", error_description="\'exp\' claim timestamp check failed"',
      'DPoP algs="RS256 RS384 PS256 ES256 EdDSA"',
    ]);
  });

  it('keeps the scheme as written and a lower-cased copy', () => {
    const [c] = parseWwwAuthenticate(['BeArEr realm="x"']).challenges;
    expect(c).toMatchObject({ scheme: 'BeArEr', schemeLower: 'bearer' });
  });

  it('keeps raw per challenge and per header line', () => {
    const got = parseWwwAuthenticate(['  Basic realm="a" ,', 'Negotiate abc==']);
    expect(got.challenges.map((c) => c.raw)).toEqual(['Basic realm="a"', 'Negotiate abc==']);
  });

  it.each([
    ['Bearer realm = "x" , scope=  "a b"', { realm: 'x', scope: 'a b' }], // BWS around "=" (RFC 9110 §11.2)
    ['Bearer\trealm="x",\terror="y"', { realm: 'x', error: 'y' }], // OWS may be a tab
    ['Bearer realm="x",,, error="y"', { realm: 'x', error: 'y' }], // empty list elements
    ['Bearer realm="a\\\\b"', { realm: 'a\\b' }], // quoted-pair of a backslash
    ['Bearer realm="a\\bc"', { realm: 'abc' }], // quoted-pair of any character
    ['Bearer realm=""', { realm: '' }],
    ['Bearer __proto__="x"', { ['__proto__']: 'x' }],
  ])('params of %j', (line, params) => {
    const got = parseWwwAuthenticate([line]);
    expect(got.problems).toEqual([]);
    expect(got.challenges).toHaveLength(1);
    expect({ ...got.challenges[0]?.params }).toEqual(params);
    expect(Object.hasOwn(got.challenges[0]?.params ?? {}, '__proto__')).toBe(
      Object.hasOwn(params, '__proto__'),
    );
  });

  it('reads a token68 with "/" and "+" and trailing "="', () => {
    const [c] = parseWwwAuthenticate(['NTLM TlRMTVNTUAAB+/ab=']).challenges;
    expect(c?.token68).toBe('TlRMTVNTUAAB+/ab=');
  });

  it('returns nothing for no header lines', () => {
    expect(parseWwwAuthenticate([])).toEqual({ challenges: [], problems: [] });
  });

  it.each<[string, string[], ReturnType<typeof simple>, RegExp[]]>([
    [
      'an unterminated quote at the end',
      ['Bearer realm="abc'],
      [{ scheme: 'bearer', parameters: { realm: 'abc' } }],
      [/column 14: unterminated quoted string/],
    ],
    [
      'an unterminated quote before an unquoted parameter',
      ['Bearer realm="abc, error=invalid_token'],
      [{ scheme: 'bearer', parameters: { realm: 'abc', error: 'invalid_token' } }],
      [/column 14: unterminated quoted string/],
    ],
    [
      'unescaped quotes inside a quoted value',
      ['Bearer error_description="The token "abc" expired", error="x"'],
      [{ scheme: 'bearer', parameters: { error_description: 'The token "abc" expired', error: 'x' } }],
      [/column 38: unexpected text after the quoted value of "error_description"/],
    ],
    [
      'a missing comma between challenges',
      ['Bearer realm="x" Basic realm="y"'],
      [
        { scheme: 'bearer', parameters: { realm: 'x' } },
        { scheme: 'basic', parameters: { realm: 'y' } },
      ],
      [/column 18: missing comma after the quoted value of "realm"/],
    ],
    [
      'a missing comma between parameters',
      ['Bearer realm="x" error="y"'],
      [{ scheme: 'bearer', parameters: { realm: 'x', error: 'y' } }],
      [/column 18: missing comma/],
    ],
    [
      'a character that a token cannot hold',
      ['Bearer realm=api/v1, error="x"'],
      [{ scheme: 'bearer', parameters: { realm: 'api/v1', error: 'x' } }],
      [/column 17: unexpected character "\/" in the value of "realm"/],
    ],
    [
      'a parameter without a value',
      ['Bearer realm=, error="x"'],
      // RFC 9110 §11.2: `realm=` is a valid token68, so that is the reading.
      [{ scheme: 'bearer', parameters: { error: 'x' }, token68: 'realm=' }],
      [/column 16: parameter "error" follows a token68/],
    ],
    [
      'an empty value in the middle',
      ['Bearer error="x", realm=, scope="a"'],
      [{ scheme: 'bearer', parameters: { error: 'x', realm: '', scope: 'a' } }],
      [/column 25: parameter "realm" has no value/],
    ],
    [
      'a parameter before any scheme',
      ['realm="x", Bearer'],
      [{ scheme: 'bearer', parameters: {} }],
      [/column 1: parameter "realm" comes before any auth scheme/],
    ],
    [
      'a word after the scheme that is neither token68 nor a parameter',
      ['Bearer foo bar, Basic realm="x"'],
      [
        { scheme: 'bearer', parameters: {} },
        { scheme: 'basic', parameters: { realm: 'x' } },
      ],
      [/column 8: unexpected text after the scheme "Bearer"/],
    ],
    [
      'a scheme glued to a quote',
      ['Bearer"x", Basic'],
      [{ scheme: 'basic', parameters: {} }],
      [/column 7: unexpected character "\\"" after "Bearer"/],
    ],
    [
      // BWS around "=" (RFC 9110 §11.2) makes `Bearer =` read as a parameter named "bearer".
      'a scheme followed by " ="',
      ['Bearer ==, Basic'],
      [{ scheme: 'basic', parameters: {} }],
      [/column 1: parameter "bearer" comes before any auth scheme/, /column 9: unexpected character "="/],
    ],
    [
      'junk between challenges',
      ['Bearer realm="x", @@@ Basic realm="y"'],
      [
        { scheme: 'bearer', parameters: { realm: 'x' } },
        { scheme: 'basic', parameters: { realm: 'y' } },
      ],
      [/column 19: unexpected character "@"/],
    ],
    ['a whitespace-only header', [' \t '], [], [/^header 1: empty value/]],
    [
      'a problem on the second header line',
      ['Bearer', 'Basic realm="x'],
      [
        { scheme: 'bearer', parameters: {} },
        { scheme: 'basic', parameters: { realm: 'x' } },
      ],
      [/^header 2, column 13: unterminated quoted string$/],
    ],
    [
      'a control character',
      ['Bearer realm="x",\r\n error="y"'],
      [{ scheme: 'bearer', parameters: { realm: 'x', error: 'y' } }],
      [/column 18: unexpected character "\\r"/],
    ],
  ])('tolerates %s', (_name, values, want, problems) => {
    const got = parseWwwAuthenticate(values);
    expect(simple(got)).toEqual(want);
    expect(got.problems).toHaveLength(problems.length);
    problems.forEach((re, i) => expect(got.problems[i]).toMatch(re));
  });
});

// ---- properties ----

const TOKEN = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
const TOKEN68 = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,20}={0,2}$/);
/** Strings made of the characters the grammar cares about, to reach the odd corners. */
const GRAMMAR_SOUP = fc.string({
  unit: fc.constantFrom(
    '"',
    '\\',
    ',',
    '=',
    ' ',
    '\t',
    'a',
    'B',
    'x=',
    'Bearer ',
    '.',
    '/',
    '+',
    '!',
    '@',
    'é',
    '\0',
    '\n',
  ),
  maxLength: 60,
});
const ANY_CHAR_STRING = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
});

function quote(v: string): string {
  return `"${v.replace(/[\\"]/g, '\\$&')}"`;
}

describe('parseWwwAuthenticate: properties', () => {
  it('never throws, and every problem names its header (and column)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            ANY_CHAR_STRING,
            GRAMMAR_SOUP,
            fc.string({ unit: 'binary', maxLength: 5000 }),
          ),
          { maxLength: 4 },
        ),
        (values) => {
          const got = parseWwwAuthenticate(values);
          for (const p of got.problems) expect(p).toMatch(/^header \d+(, column \d+)?: /);
          for (const c of got.challenges) {
            expect(values.some((v) => v.includes(c.raw))).toBe(true);
            expect(c.raw.startsWith(c.scheme)).toBe(true);
            expect(c.schemeLower).toBe(c.scheme.toLowerCase());
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays fast on long input', () => {
    const long = ['Bearer realm="' + 'a, b="'.repeat(20_000), 'x=" '.repeat(30_000), ','.repeat(100_000)];
    const t = Date.now();
    parseWwwAuthenticate(long);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('gives back any challenges built from tokens, token68s and quoted values', () => {
    const param = fc.record({
      name: TOKEN,
      value: fc.oneof(fc.string({ unit: 'binary' }), GRAMMAR_SOUP, TOKEN),
      quoted: fc.boolean(),
    });
    const challenge = fc.record({
      scheme: TOKEN,
      body: fc.oneof(fc.uniqueArray(param, { selector: (p) => p.name.toLowerCase(), maxLength: 5 }), TOKEN68),
    });
    fc.assert(
      fc.property(
        fc.array(challenge, { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (chs, splits) => {
          const texts = chs.map(({ scheme, body }) => {
            if (typeof body === 'string') return `${scheme} ${body}`;
            const ps = body.map((p) => {
              const tokenOk = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p.value);
              return `${p.name}=${p.quoted || !tokenOk ? quote(p.value) : p.value}`;
            });
            return ps.length ? `${scheme} ${ps.join(', ')}` : scheme;
          });
          // Join with ", " inside a header, or start a new header line (RFC 9110 §5.3: same meaning).
          const lines: string[] = [texts[0] as string];
          texts.slice(1).forEach((t, i) => {
            if (splits[i]) lines.push(t);
            else lines[lines.length - 1] += `, ${t}`;
          });
          const got = parseWwwAuthenticate(lines);
          expect(got.problems).toEqual([]);
          expect(got.challenges.map((c) => c.raw)).toEqual(texts);
          got.challenges.forEach((c, i) => {
            const { scheme, body } = chs[i] as (typeof chs)[number];
            expect(c.scheme).toBe(scheme);
            if (typeof body === 'string') {
              expect(c.token68).toBe(body);
            } else {
              expect({ ...c.params }).toEqual(
                Object.fromEntries(body.map((p) => [p.name.toLowerCase(), p.value])),
              );
            }
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
