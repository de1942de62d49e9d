import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import check from '../../src/checks/info-identity.js';
import { testCheck } from '../support/check-tester.js';
import { ev, NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000;
const jwt = (payload: object) => ({ Authorization: `Bearer ${seg({ alg: 'RS256' })}.${seg(payload)}.c2ln` });

testCheck(check, {
  valid: [
    { name: 'an opaque token', input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } } },
    { name: 'no credentials', input: {} },
    { name: 'malformed Basic', input: { headers: { Authorization: 'Basic !!' } } },
    { name: 'a JWT without identity claims', input: { headers: jwt({ foo: 'bar' }) } },
    { name: 'an API key', input: { headers: { 'X-API-Key': 'k1' } } },
  ],
  invalid: [
    {
      name: 'an Auth0-style access token',
      input: {
        headers: jwt({
          iss: 'https://tenant.eu.auth0.com/',
          sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
          aud: ['https://api.example.com', 'https://tenant.eu.auth0.com/userinfo'],
          azp: 'dV6o2X0NqQmZ5x',
          scope: 'openid profile read:messages',
          exp: S + 3 * 3600,
        }),
      },
      expect: {
        id: 'info.identity',
        kind: 'info',
        step: 0,
        confidence: 'confirmed',
        title:
          'The token is for subject auth0|5f7c8ec7c33c6c004bbafe82 via client dV6o2X0NqQmZ5x, issued by https://tenant.eu.auth0.com/',
        mentions: [
          'subject (sub): auth0|5f7c8ec7c33c6c004bbafe82',
          'client (azp): dV6o2X0NqQmZ5x',
          'audience (aud): https://api.example.com, https://tenant.eu.auth0.com/userinfo',
          'scopes: openid profile read:messages',
          'expires: 2026-11-27T15:00:00Z (in 3 hours)',
        ],
        evidence: [
          { probe: 'input', where: 'token.sub', value: 'auth0|5f7c8ec7c33c6c004bbafe82' },
          { where: 'token.aud', value: '["https://api.example.com","https://tenant.eu.auth0.com/userinfo"]' },
          { where: 'token.scope', value: 'openid profile read:messages' },
          { where: 'token.exp', value: '2026-11-27T15:00:00Z' },
        ],
        count: 1,
      },
    },
    {
      name: 'an Entra app-only token: appid, roles, expired',
      input: {
        headers: jwt({
          iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
          aud: 'api://my-api',
          appid: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
          roles: ['Orders.Read', 'Orders.Write'],
          exp: S - 120,
        }),
      },
      expect: {
        title:
          'The token is for client 6e74172b-be56-4843-9ff4-e66a39bb12e3, issued by https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
        mentions: ['client (appid)', 'roles: Orders.Read, Orders.Write', '(2 minutes ago)'],
        evidence: [{ where: 'token.roles', value: '["Orders.Read","Orders.Write"]' }],
      },
    },
    {
      name: 'scp as a string (Entra delegated)',
      input: { headers: jwt({ sub: 'u1', scp: 'User.Read Mail.Send', client_id: 'c1' }) },
      expect: {
        mentions: ['scopes: User.Read Mail.Send', 'client (client_id): c1'],
        evidence: [{ where: 'token.scp', value: 'User.Read Mail.Send' }],
      },
    },
    {
      name: 'scp as an array (Okta)',
      input: { headers: jwt({ sub: 'u1', scp: ['openid', 'email'] }) },
      expect: { mentions: ['scopes: openid email'] },
    },
    {
      name: 'only an issuer',
      input: { headers: jwt({ iss: 'https://idp.example.com' }) },
      expect: { title: 'The token was issued by https://idp.example.com' },
    },
    {
      name: 'Basic: the user name, never the password',
      input: { headers: { Authorization: 'Basic YWxpY2U6czNjcmV0' } },
      expect: {
        title: 'The Basic credentials are for user "alice"',
        mentions: ['user: alice', 'password: 6 characters (not shown)'],
        evidence: [{ where: 'basic.user', value: 'alice' }],
      },
    },
  ],
});

describe('info.identity keeps secrets out', () => {
  it('never shows the Basic password', () => {
    const f = check
      .run(deriveFacts(ev({ headers: { Authorization: 'Basic YWxpY2U6czNjcmV0' } })))
      .map((d) => toFinding(check.meta, d));
    expect(JSON.stringify(f)).not.toContain('s3cret');
  });
});
