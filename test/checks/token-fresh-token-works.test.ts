import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import check from '../../src/checks/token-fresh-token-works.js';
import type { GrantAttempt, IdpEvidence } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';
import { ev, NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000;
const jwt = (p: object, kid = 'k1') => `${seg({ alg: 'RS256', kid })}.${seg(p)}.c2lnbmF0dXJl`;
const OLD = {
  iss: 'https://idp.example.com/',
  sub: 'u1',
  aud: 'https://api.example.com',
  scope: 'read',
  exp: S - 60,
};
const grant = (accessToken?: string, g: GrantAttempt['grant'] = 'refresh_token'): IdpEvidence => {
  const attempt: GrantAttempt = {
    grant: g,
    tokenEndpoint: 'https://idp.example.com/oauth/token',
    from: 'token_endpoint of the discovery document',
    status: 200,
    ms: 40,
  };
  if (accessToken) attempt.accessToken = accessToken;
  return { documents: [], grant: attempt };
};
const headers = { Authorization: `Bearer ${jwt(OLD)}` };

testCheck(check, {
  valid: [
    { name: 'no fresh probe', input: { headers } },
    { name: 'the main request succeeded', input: { status: 200, headers, fresh: { status: 200 } } },
    {
      name: 'the fresh probe failed to connect',
      input: {
        headers,
        fresh: { error: { phase: 'connect', code: 'ECONNRESET', message: 'socket hang up' } },
      },
    },
    { name: 'the fresh request got a server error', input: { headers, fresh: { status: 502 } } },
    {
      name: 'main failed with 500, not an auth refusal',
      input: { status: 500, headers, fresh: { status: 200 } },
    },
  ],
  invalid: [
    {
      name: 'a fresh token works: confirmed cause',
      input: { headers, fresh: { status: 200 }, idp: grant() },
      expect: {
        id: 'token.fresh-token-works',
        kind: 'cause',
        step: 2,
        confidence: 'confirmed',
        title:
          'The same request succeeds with a freshly issued token: the old token is stale, revoked, or from another client',
        mentions: [
          'answered 401 with the old token and 200 when sent again unchanged',
          'a refresh_token grant at https://idp.example.com/oauth/token',
        ],
        evidence: [
          { probe: 'main', where: 'response.status', value: '401' },
          { probe: 'fresh', where: 'response.status', value: '200' },
          { probe: 'grant', where: 'grant.type', value: 'refresh_token' },
        ],
        fix: expect.stringContaining('newly issued token'),
        count: 1,
      },
    },
    {
      name: 'the differences between the old and the new token are named (claims only)',
      input: {
        headers,
        fresh: { status: 204 },
        idp: grant(
          jwt({ ...OLD, aud: 'https://api2.example.com', scope: 'read write', exp: S + 3600 }, 'k2'),
          'client_credentials',
        ),
      },
      expect: {
        confidence: 'confirmed',
        mentions: [
          'aud https://api.example.com → https://api2.example.com',
          'scopes added: write',
          'signing key kid k1 → k2',
          'a client_credentials grant',
        ],
      },
    },
    {
      name: 'a fresh token is refused the same way: info',
      input: { headers, fresh: { status: 401 }, idp: grant() },
      expect: {
        kind: 'info',
        confidence: 'confirmed',
        title: "A freshly issued token is refused the same way: the token's age is not the problem",
        mentions: ['shared by every token this client gets'],
        evidence: [
          { probe: 'main', where: 'response.status', value: '401' },
          { probe: 'fresh', where: 'response.status', value: '401' },
        ],
        fix: expect.stringContaining('audience'),
      },
    },
    {
      name: '403 both times, no grant evidence',
      input: { status: 403, headers, fresh: { status: 403 } },
      expect: { kind: 'info', title: expect.stringContaining('refused the same way') },
    },
    {
      name: 'the fresh token gets further (403 after 401)',
      input: { headers, fresh: { status: 403 } },
      expect: {
        kind: 'info',
        title: 'A freshly issued token is refused too (403 where the old one got 401)',
        mentions: ['lacks a permission, scope or role'],
      },
    },
  ],
});

describe('token.fresh-token-works never quotes a token', () => {
  it('neither the old nor the fresh token appears in the finding', () => {
    const fresh = jwt({ ...OLD, aud: 'https://api2.example.com', exp: S + 3600 }, 'k2');
    const old = headers.Authorization.slice(7);
    const input = { headers, fresh: { status: 200, token: fresh }, idp: grant(fresh) };
    const out = check.run(deriveFacts(ev(input))).map((d) => toFinding(check.meta, d));
    expect(out).toHaveLength(1);
    const text = JSON.stringify(out);
    for (const secret of [fresh, old, fresh.split('.')[1]!, old.split('.')[1]!])
      expect(text).not.toContain(secret);
  });
});
