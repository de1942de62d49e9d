import { describe, expect, it } from 'vitest';
import check from '../../src/checks/token-opaque.js';
import { deriveFacts } from '../../src/facts/request.js';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';

/**
 * Fake credentials, built at run time so that no source line holds a whole token a secret scanner
 * would flag, and not all `x` (which header.placeholder rightly calls a sample).
 */
export const fake = (prefix: string, n: number, alphabet = 'Why401Fake0'): string =>
  prefix + alphabet.repeat(Math.ceil(n / alphabet.length)).slice(0, n);

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW5vdC1jaGVja2Vk';

testCheck(check, {
  valid: [
    { name: 'no credentials', input: { status: 401 } },
    { name: 'a JWT is read by the jwt checks', input: { headers: bearer(JWT), source: 'token' } },
    { name: 'Basic credentials', input: { headers: { Authorization: 'Basic YWxpY2U6c2VjcmV0' } } },
    { name: 'a placeholder with no vendor prefix', input: { headers: bearer('${TOKEN}'), source: 'token' } },
    { name: 'a truncated copy', input: { headers: bearer('abcdef123456…'), source: 'token' } },
    {
      name: 'two Authorization headers',
      input: {
        headers: [
          ['Authorization', 'Bearer a1b2c3d4'],
          ['Authorization', 'Bearer e5f6'],
        ],
      },
    },
  ],
  invalid: [
    {
      name: 'an opaque token with no prefix: cannot be checked offline',
      input: { headers: bearer('hello-world'), source: 'token' },
      expect: {
        id: 'token.opaque',
        kind: 'info',
        title: 'The token is not a JWT (a value of 11 characters): it cannot be checked offline',
        mentions: ['only the server that issued it can say', '--introspect-url', 'RFC 7662'],
        evidence: [{ probe: 'input', where: 'request.header.authorization' }],
        count: 1,
      },
    },
    {
      name: 'a GitHub personal access token: named, with GET /user',
      input: { headers: bearer(fake('ghp_', 36)), source: 'token' },
      expect: {
        kind: 'info',
        title:
          'The token is a GitHub personal access token (classic) (`ghp_…`): not a JWT, so it cannot be checked offline',
        mentions: ['GET https://api.github.com/user', 'gitleaks'],
        count: 1,
      },
    },
    {
      name: 'Okta SSWS: recognised by its scheme',
      input: { headers: { Authorization: `SSWS ${fake('00', 40)}` }, source: 'token' },
      expect: { kind: 'info', mentions: ['Okta API token', '/api/v1/users/me'], count: 1 },
    },
    {
      name: 'a Stripe publishable key, alone: context and a warning',
      input: { headers: bearer(fake('pk_live_', 24)), source: 'token' },
      expect: { id: 'token.opaque', mentions: ['Stripe'], count: 2 },
    },
    {
      name: 'a Stripe publishable key on a refused request: a possible cause',
      input: { url: 'https://api.stripe.com/v1/charges', headers: bearer(fake('pk_test_', 24)), status: 401 },
      expect: { id: 'token.opaque', mentions: ['Stripe'], count: 3 },
    },
    {
      name: 'an all-x sample with a vendor prefix still says whose shape it has (no misuse words)',
      input: { headers: bearer(`pk_live_${'x'.repeat(24)}`), source: 'token' },
      expect: { kind: 'info', mentions: ['publishable key'], count: 1 },
    },
  ],
});

describe('token.opaque: kinds of the extra words', () => {
  const run = (input: Parameters<typeof ev>[0]) => check.run(deriveFacts(ev(input)));
  it('a publishable key alone is a warning; refused, a possible cause', () => {
    expect(run({ headers: bearer(fake('pk_live_', 24)), source: 'token' }).map((d) => d.kind)).toEqual([
      'info',
      'warning',
    ]);
    const refused = run({ headers: bearer(fake('pk_live_', 24)), status: 401 });
    expect(refused.map((d) => d.kind)).toEqual(['info', 'cause']);
    expect(refused[1]!.confidence).toBe('possible');
    expect(refused[1]!.title).toBe(
      'The credential is a publishable key, not a secret key (Stripe, `pk_live_…`)',
    );
  });
  it('a test-mode secret key: a warning about test-mode data, never a cause', () => {
    const d = run({ headers: bearer(fake('sk_test_', 24)), status: 401 });
    expect(d.map((x) => x.kind)).toEqual(['info', 'warning']);
    expect(d[1]!.title).toContain("sees only Stripe's test-mode data");
    expect(d[1]!.fix).toContain('sk_live_');
  });
  it('a refresh token sent as an access token', () => {
    const d = run({ headers: bearer(fake('ghr_', 36)), status: 401 });
    expect(d[1]).toMatchObject({
      kind: 'cause',
      title: 'The credential is a refresh token, not an access token (GitHub, `ghr_…`)',
    });
  });
  it('never quotes the token in titles or details', () => {
    for (const t of [fake('ghp_', 36), fake('xoxb-', 40), 'hello-world-opaque-value', fake('sk_live_', 24)]) {
      for (const d of run({ headers: bearer(t), status: 401 }))
        expect(`${d.title}\n${d.detail}\n${d.fix}`).not.toContain(t);
    }
  });
});
