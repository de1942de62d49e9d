import { expect } from 'vitest';
import check from '../../src/checks/token-inactive.js';
import type { IdpEvidence, IntrospectionResult } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';
import { NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000;
const bearer = (p: object) => ({
  Authorization: `Bearer ${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ iss: 'https://idp.example.com/', sub: 'u1', ...p })}.c2lnbmF0dXJl`,
});
const URL_ = 'https://idp.example.com/oauth2/introspect';
const intro = (r: Partial<IntrospectionResult>): IdpEvidence => ({
  documents: [],
  introspection: { url: URL_, status: 200, ms: 9, ...r },
});
const OPAQUE = { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' };

testCheck(check, {
  valid: [
    { name: 'no introspection', input: { headers: OPAQUE } },
    {
      name: 'active',
      input: { headers: OPAQUE, idp: intro({ active: true, json: { active: true, scope: 'read' } }) },
    },
    {
      name: 'the introspection call itself failed',
      input: {
        headers: OPAQUE,
        idp: intro({ status: 401, problem: 'answered 401: the client credentials were refused' }),
      },
    },
    {
      name: 'revocation words on a success do not count',
      input: { status: 200, headers: OPAQUE, responseBody: 'The token has been revoked.' },
    },
  ],
  invalid: [
    {
      name: 'an opaque token that is not active: confirmed',
      input: { headers: OPAQUE, idp: intro({ active: false, json: { active: false } }) },
      expect: {
        id: 'token.inactive',
        kind: 'cause',
        step: 2,
        confidence: 'confirmed',
        title: 'The authorization server says the token is not active (revoked, expired or unknown to it)',
        mentions: [`${URL_} answered 200 with "active": false`, 'RFC 7662 §2.2'],
        evidence: [
          { probe: 'introspection', where: 'introspection.active', value: 'false' },
          { probe: 'introspection', where: 'introspection.url', value: URL_ },
        ],
        fix: expect.stringContaining('Get a new token'),
        count: 1,
      },
    },
    {
      name: 'a JWT whose exp is ahead: revoked',
      input: { headers: bearer({ exp: S + 1800 }), idp: intro({ active: false }) },
      expect: {
        mentions: ['is 30 minutes ahead, so it was revoked'],
        evidence: [{ where: 'token.exp', value: '2026-11-27T12:30:00Z' }],
      },
    },
    {
      name: 'a JWT that expired: that explains it',
      input: { headers: bearer({ exp: S - 7200 }), idp: intro({ active: false }) },
      expect: { mentions: ['passed 2 hours ago, which alone explains it'] },
    },
    {
      name: 'introspected at another server than the issuer',
      input: {
        headers: bearer({ iss: 'https://login.other.example.net/', exp: S + 60 }),
        idp: intro({ active: false }),
      },
      expect: {
        mentions: ['the introspection endpoint is on idp.example.com'],
        evidence: [{ where: 'token.iss' }],
      },
    },
    {
      name: "the server's own words (express-jwt revoked)",
      input: {
        headers: OPAQUE,
        responseBody: '{"code":"revoked_token","message":"The token has been revoked."}',
      },
      expect: {
        confidence: 'likely',
        title: 'The server says the token was revoked: The token has been revoked.',
        evidence: [{ probe: 'main', where: 'response.body.message', value: 'The token has been revoked.' }],
      },
    },
  ],
});
