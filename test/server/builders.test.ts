import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../src/parse/challenge.js';
import {
  fitDescription,
  problem,
  refusal,
  requestIdFrom,
  wwwAuthenticate,
  type ChallengeOptions,
} from '../../src/server/index.js';

/** The builders' output read back by why401's own parser (RFC 9110 §11.6.1): one challenge, no problem. */
function parseOne(header: string) {
  const p = parseWwwAuthenticate([header]);
  expect(p.problems).toEqual([]);
  expect(p.challenges).toHaveLength(1);
  return p.challenges[0]!;
}

// RFC 6750 §3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const scopeToken = fc
  .string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 20,
  })
  .filter((s) => !s.includes('"') && !s.includes('\\'));

describe('wwwAuthenticate', () => {
  it('writes the RFC 6750 §3 and RFC 9470 §3 examples', () => {
    expect(wwwAuthenticate({ realm: 'example' })).toBe('Bearer realm="example"');
    expect(
      wwwAuthenticate({
        realm: 'example',
        error: 'invalid_token',
        errorDescription: 'The access token expired',
      }),
    ).toBe('Bearer realm="example", error="invalid_token", error_description="The access token expired"');
    expect(
      wwwAuthenticate({
        error: 'insufficient_user_authentication',
        errorDescription: 'More recent authentication is required',
        maxAge: 5,
      }),
    ).toBe(
      'Bearer error="insufficient_user_authentication", error_description="More recent authentication is required", max_age="5"',
    );
    expect(
      wwwAuthenticate({ resourceMetadata: 'https://api.example/.well-known/oauth-protected-resource' }),
    ).toBe('Bearer resource_metadata="https://api.example/.well-known/oauth-protected-resource"');
  });

  it('escapes a realm as a quoted-string and fits a description to RFC 6750 §3', () => {
    const h = wwwAuthenticate({ realm: 'say "hi" \\ bye', errorDescription: 'a "b" \\ c\r\nd é' });
    expect(h).toBe('Bearer realm="say \\"hi\\" \\\\ bye", error_description="a \'b\' / c d e"');
    expect(parseOne(h).params).toEqual({ realm: 'say "hi" \\ bye', error_description: "a 'b' / c d e" });
  });

  it('refuses identifiers that do not fit their syntax instead of changing them', () => {
    const bad: ChallengeOptions[] = [
      { scheme: 'Bear er' },
      { error: 'invalid token' },
      { scope: 'read "all"' },
      { scope: [] },
      { acrValues: 'a\\b' },
      { maxAge: -1 },
      { maxAge: 1.5 },
      { resourceMetadata: 'https://x/a b' },
      { errorUri: 'https://x/"' },
      { params: { 'bad name': 'x' } },
    ];
    for (const opts of bad) expect(() => wwwAuthenticate(opts), JSON.stringify(opts)).toThrow(TypeError);
  });

  it('round-trips arbitrary descriptions, realms, scopes and acr values through the challenge parser', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 60 }),
        fc.array(scopeToken, { minLength: 1, maxLength: 6 }),
        fc.array(scopeToken, { minLength: 1, maxLength: 3 }),
        fc.nat(1_000_000),
        (description, realm, scopes, acr, maxAge) => {
          const header = wwwAuthenticate({
            realm,
            error: 'insufficient_scope',
            errorDescription: description,
            scope: scopes,
            acrValues: acr,
            maxAge,
          });
          expect(header).toMatch(/^[\x20-\x7e]+$/); // one header line, no CR/LF, no non-ASCII
          const c = parseOne(header);
          expect(c.scheme).toBe('Bearer');
          expect(c.params['realm']).toBe(fitRealm(realm));
          expect(c.params['error']).toBe('insufficient_scope');
          const fitted = fitDescription(description);
          expect(c.params['error_description']).toBe(fitted || undefined);
          if (fitted) expect(fitted).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]{1,256}$/);
          expect(c.params['scope']!.split(' ')).toEqual(scopes);
          expect(c.params['acr_values']!.split(' ')).toEqual(acr);
          expect(c.params['max_age']).toBe(String(maxAge));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps an RFC 6750 description unchanged', () => {
    const rfc6750Text = fc.string({
      unit: fc.constantFrom(
        ...[...Array(95).keys()]
          .map((i) => String.fromCharCode(0x20 + i))
          .filter((c) => c !== '"' && c !== '\\'),
      ),
      maxLength: 200,
    });
    fc.assert(
      fc.property(rfc6750Text, (d) => {
        const clean = d.replace(/ {2,}/g, ' ').trim();
        fc.pre(clean.length > 0);
        expect(parseOne(wwwAuthenticate({ errorDescription: clean })).params['error_description']).toBe(
          clean,
        );
      }),
    );
  });
});

/** What the realm becomes: printable ASCII (accents dropped, the rest `?`), quotes kept through quoted-pairs. */
function fitRealm(realm: string): string {
  return realm
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '?');
}

describe('problem', () => {
  it('is RFC 9457 problem+json; about:blank takes the status phrase as title', () => {
    const p = problem({
      status: 403,
      detail: 'no',
      extensions: { error: 'insufficient_scope', status: 500 },
    });
    expect(p.headers['Content-Type']).toBe('application/problem+json');
    expect(p.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'no',
      error: 'insufficient_scope',
    });
    expect(() => problem({ status: 200 })).toThrow(TypeError);
  });
});

describe('refusal', () => {
  it('missing credentials: 401, a bare challenge (RFC 6750 §3.1), no-store, a request id', () => {
    const r = refusal('missing', { realm: 'api' });
    expect(r.status).toBe(401);
    expect(r.headers['WWW-Authenticate']).toBe('Bearer realm="api"');
    expect(r.headers['Cache-Control']).toBe('no-store');
    expect(r.headers['X-Request-Id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body).toMatchObject({ status: 401, title: 'Unauthorized', request_id: r.requestId });
    expect(r.body['error']).toBeUndefined();
  });

  it('invalid token, insufficient scope, step-up, bad request', () => {
    const expired = refusal('invalid_token', { problem: 'expired', requestId: 'req-1' });
    expect(parseOne(expired.headers['WWW-Authenticate']!).params).toEqual({
      error: 'invalid_token',
      error_description: 'The token is expired',
    });
    expect(expired.headers['X-Request-Id']).toBe('req-1');
    const scope = refusal('insufficient_scope', { scope: ['orders:write', 'admin'] });
    expect(scope.status).toBe(403);
    expect(parseOne(scope.headers['WWW-Authenticate']!).params['scope']).toBe('orders:write admin');
    expect(scope.body['scope']).toBe('orders:write admin');
    const step = refusal('step_up', { acrValues: 'urn:mace:incommon:iap:silver', maxAge: 300 });
    expect(step.status).toBe(401);
    expect(parseOne(step.headers['WWW-Authenticate']!).params).toMatchObject({
      error: 'insufficient_user_authentication',
      acr_values: 'urn:mace:incommon:iap:silver',
      max_age: '300',
    });
    expect(refusal('invalid_request').status).toBe(400);
    expect(() => refusal('insufficient_scope')).toThrow(TypeError);
    expect(() => refusal('step_up')).toThrow(TypeError);
  });

  it('reuses an incoming request id only when it looks like one', () => {
    expect(requestIdFrom('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    for (const bad of ['a b', 'x\r\nSet-Cookie: y', '"q"', 'x'.repeat(129), '', null, undefined])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
