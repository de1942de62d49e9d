import { expect } from 'vitest';
import check from '../../src/checks/jwt-id-token-used.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (payload: object, header: object = { alg: 'RS256', typ: 'JWT' }) => ({
  headers: { Authorization: `Bearer ${seg(header)}.${seg(payload)}.c2lnbmF0dXJl` },
});
const base = { iss: 'https://idp.example.com/', sub: 'u1', exp: 1796000000, iat: 1795996400 };

testCheck(check, {
  valid: [
    {
      name: 'an access token with scope',
      input: jwt({ ...base, aud: 'https://api.example.com', scope: 'read write' }),
    },
    {
      name: 'a Cognito access token',
      input: jwt({ ...base, token_use: 'access', scope: 'aws.cognito.signin.user.admin' }),
    },
    {
      name: 'auth_time beside scope (Keycloak access token)',
      input: jwt({ ...base, auth_time: 1795996000, scope: 'openid profile' }),
    },
    {
      name: 'nonce beside scp (Entra access token)',
      input: jwt({ ...base, nonce: 'n-0S6', scp: 'User.Read' }),
    },
    {
      name: 'typ at+jwt marks an access token',
      input: jwt({ ...base, auth_time: 1795996000 }, { alg: 'RS256', typ: 'at+jwt' }),
    },
    { name: 'typ JWT alone is not enough', input: jwt({ ...base, aud: 'api' }) },
    { name: 'an opaque token', input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } } },
  ],
  invalid: [
    {
      name: 'Cognito token_use id: confirmed',
      input: jwt({
        ...base,
        token_use: 'id',
        aud: '3n4b5urk1ft4fl3mg5e62d9ado',
        'cognito:username': 'alice',
      }),
      expect: {
        id: 'jwt.id-token-used',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'An ID token was sent instead of an access token (`token_use: "id"`)',
        evidence: [{ probe: 'input', where: 'token.token_use', value: 'id' }],
        fix: expect.stringContaining('AccessToken'),
        count: 1,
      },
    },
    {
      name: 'nonce and at_hash with no scope: likely',
      input: jwt({ ...base, aud: 'spa-client', nonce: 'n-0S6_WzA2Mj', at_hash: 'MTIzNDU2Nzg5MDEyMzQ1Ng' }),
      expect: {
        confidence: 'likely',
        mentions: ['"nonce", "at_hash"', 'no "scope" or "scp"'],
        evidence: [
          { where: 'token.nonce', value: 'n-0S6_WzA2Mj' },
          { where: 'token.aud', value: 'spa-client' },
        ],
        fix: expect.stringContaining('access_token'),
      },
    },
    {
      name: 'aud equal to azp is pointed out',
      input: jwt({ ...base, aud: 'spa-client', azp: 'spa-client', auth_time: 1795996000 }),
      expect: { confidence: 'likely', mentions: ["client's own id (spa-client)"] },
    },
    {
      name: 'c_hash alone',
      input: jwt({ ...base, c_hash: 'LDktKdoQak3Pk0cnXxCltA' }),
      expect: { confidence: 'likely', evidence: [{ where: 'token.c_hash' }] },
    },
    {
      name: 'auth_time alone, numeric evidence',
      input: jwt({ ...base, auth_time: 1795996000 }),
      expect: { confidence: 'likely', evidence: [{ where: 'token.auth_time', value: '1795996000' }] },
    },
  ],
});
