/**
 * The user's request and its anonymous probe as the CLI sends them at boot (cli/early.ts, issue 16)
 * must be byte for byte what the run builds with curl's whole parser (gatherers/wire.ts): the run
 * takes the boot answer only for the very same method, URL and header list, and anything else
 * means the server gets the request twice. When early.ts builds a request, the run must accept
 * the command line too (a refused -H must not have left at boot).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earlyPlan } from '../../src/cli/early.js';
import { splitWhy401Args } from '../../src/cli/argv.js';
import { checkDirectFlags } from '../../src/cli/direct-flags.js';
import { OWN_FLAGS } from '../../src/cli/own-flags.js';
import { parseOwn } from '../../src/cli/options.js';
import { requestFromArgs } from '../../src/diagnose/request-input.js';
import { anonymousOf, wireOf } from '../../src/probe/gatherers/wire.js';
import { anonymousTwin } from '../../src/probe/anonymous-twin.js';
import { VERSION } from '../../src/core/version.js';

const UA = `why401/${VERSION}`;

/** What the run sends for `argv`: the user's request and its anonymous probe, or the parser's refusal. */
function runSends(argv: string[]) {
  checkDirectFlags(argv, OWN_FLAGS);
  const { own, curl } = splitWhy401Args(argv, OWN_FLAGS);
  // Our own options' usage errors come before anything is sent, as in runDiagnose.
  parseOwn(own);
  const spec = requestFromArgs('direct', curl, 0, undefined, {}, { files: 'refuse' }).request;
  const main = wireOf(spec);
  const anonymous = anonymousOf(spec, undefined);
  return { main: { method: main.method, url: main.url, headers: main.headers }, anonymous };
}

function bootSends(argv: string[]) {
  const main = earlyPlan(argv, {}, UA)?.exchanges?.[0];
  return main && { main, anonymous: anonymousTwin(main) };
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'RS256' })}.${b64({ iss: 'https://id.example.com/', sub: 'u' })}.c2ln`;

describe('examples', () => {
  it('a Bearer JWT with -H: curl defaults first, then the -H headers; the twin keeps the defaults', () => {
    const argv = ['https://api.example.com/me', '-H', `Authorization: Bearer ${JWT}`, '-H', 'X-Trace: 1'];
    const boot = bootSends(argv)!;
    expect(boot.main.headers).toEqual([
      ['User-Agent', UA],
      ['Accept', '*/*'],
      ['Authorization', `Bearer ${JWT}`],
      ['X-Trace', '1'],
    ]);
    expect(boot.anonymous?.headers).toEqual([
      ['User-Agent', UA],
      ['Accept', '*/*'],
      ['X-Trace', '1'],
    ]);
    expect(boot).toEqual(runSends(argv));
  });

  it('--oauth2-bearer goes before the defaults, as curl writes it', () => {
    const argv = ['https://api.example.com/me', '--oauth2-bearer', 'tok', '--json'];
    expect(bootSends(argv)!.main.headers[0]).toEqual(['Authorization', 'Bearer tok']);
    expect(bootSends(argv)).toEqual(runSends(argv));
  });

  it('an API key in the query: the twin drops it from the URL', () => {
    const argv = ['https://api.example.com/items?api_key=s3cr3tvalue&page=2'];
    const boot = bootSends(argv)!;
    expect(boot.anonymous?.url).toBe('https://api.example.com/items?page=2');
    expect(boot).toEqual(runSends(argv));
  });

  it.each([
    ['a header the parser refuses (space before the colon)', ['-H', 'Authorization : Bearer x']],
    ['a header removal', ['-H', 'Accept:']],
    ['an empty header', ['-H', 'X-Empty;']],
    ['a header file', ['-H', '@headers.txt']],
    ['a value ending in a space', ['-H', 'X-A: b ']],
    ['Host', ['-H', 'Host: other.example']],
    ['a POST', ['-X', 'POST']],
    ['a body', ['-d', 'a=b']],
    ['--compressed', ['--compressed']],
    ['-b', ['-b', 'sid=1']],
    ['--origin', ['--origin', 'https://app.example']],
    ['--oauth2-bearer beside -H Authorization', ['--oauth2-bearer', 'a', '-H', 'Authorization: Bearer b']],
    ['--json with --markdown (a usage error)', ['--json', '--markdown']],
  ])('nothing built at boot for %s', (_name, extra) => {
    expect(bootSends(['https://api.example.com/me', '-H', 'X-Api-Key: k', ...extra])).toBeUndefined();
  });

  it.each([
    'https://api.example.com',
    'https://user:pw@api.example.com/me',
    'https://api.example.com/me#frag',
    'https://api.example.com/{a,b}',
    'https://api.example.com/caf\u00e9',
    'HTTPS://API.EXAMPLE.COM/me',
  ])('nothing built at boot for the URL %s', (url) => {
    expect(bootSends([url, '-H', 'X-Api-Key: k'])).toBeUndefined();
  });
});

// Command lines from the pieces people type, plain and odd, in any order.
const url = fc.constantFrom(
  'https://api.example.com/me',
  'http://127.0.0.1:8080/v1/items?page=2',
  'https://api.example.com/search?q=a%20b&access_token=abcdef123456',
  'https://api.example.com/x?sig=zz&X-Amz-Signature=abc',
  'https://api.example.com/',
  'https://api.example.com',
  'https://u:p@api.example.com/me',
  'https://api.example.com/me#f',
);
const name = fc.constantFrom(
  'Authorization',
  'authorization',
  'X-Api-Key',
  'Api-Key',
  'Cookie',
  'Accept',
  'accept',
  'User-Agent',
  'X-Request-Id',
  'Content-Type',
  'Host',
  'Connection',
  'Proxy-Authorization',
  'X-Auth-Token',
  'Bad Name',
);
const value = fc.oneof(
  fc.constantFrom(
    'Bearer abc.def.ghi',
    `Bearer ${JWT}`,
    'Basic dTpw',
    'application/json',
    'sid=1; theme=dark',
  ),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[ \t]{0,2}[!-~]{0,6}[ \t]{0,2}$/),
);
const header = fc.oneof(
  fc
    .tuple(name, fc.constantFrom(': ', ':', ':  ', ' : '), value)
    .map(([n, sep, v]) => ['-H', `${n}${sep}${v}`]),
  fc.constantFrom(['-H', 'X-Empty;'], ['-H', 'Accept:'], ['-H', '@h.txt'], ['-H', 'NoColon']),
);
const flag = fc.constantFrom(
  ['--json'],
  ['--markdown'],
  ['--no-repairs'],
  ['--show-secrets'],
  ['--expect-audience', 'https://api'],
  ['--save-evidence', 'ev.json'],
  ['-s'],
  ['-v'],
  ['-i'],
  ['--no-cache'],
  ['--quiet'],
  ['-X', 'GET'],
  ['-X', 'POST'],
  ['-X', 'get'],
  ['--oauth2-bearer', 'tok123'],
  ['--oauth2-bearer', JWT],
  ['-A', 'curl/8'],
  ['-e', 'https://ref.example'],
  ['-b', 'a=b'],
  ['--compressed'],
  ['-d', 'x=1'],
  ['--origin', 'https://app.example'],
  ['--url', 'https://other.example/'],
);
const argv = fc
  .tuple(url, fc.array(fc.oneof(header, header, flag), { maxLength: 6 }))
  .chain(([u, parts]) => fc.shuffledSubarray([[u], ...parts], { minLength: parts.length + 1 }))
  .map((parts) => parts.flat());

describe('property', () => {
  it('whatever early.ts builds, the run builds the same, and accepts the command line', () => {
    fc.assert(
      fc.property(argv, (a) => {
        const boot = bootSends(a);
        if (!boot) return;
        expect(boot).toEqual(runSends(a));
      }),
      { numRuns: 3000 },
    );
  });

  it('builds for most plain command lines (the property is not vacuous)', () => {
    let built = 0;
    fc.assert(
      fc.property(argv, (a) => {
        if (bootSends(a)) built++;
      }),
      { numRuns: 1000 },
    );
    expect(built).toBeGreaterThan(100);
  });
});
