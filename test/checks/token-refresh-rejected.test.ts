import { expect } from 'vitest';
import check from '../../src/checks/token-refresh-rejected.js';
import type { GrantAttempt, IdpEvidence } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const ENDPOINT = 'https://idp.example.com/oauth2/token';
const grant = (g: Partial<GrantAttempt>): IdpEvidence => ({
  documents: [],
  grant: { grant: 'refresh_token', tokenEndpoint: ENDPOINT, from: '--token-url', ms: 30, ...g },
});
const headers = { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' };

testCheck(check, {
  valid: [
    { name: 'no grant attempted', input: { headers } },
    {
      name: 'the grant succeeded',
      input: {
        headers,
        idp: grant({ status: 200, accessToken: 'new-token-value', tokenType: 'Bearer', expiresIn: 3600 }),
      },
    },
    {
      name: 'a client-credentials grant succeeded',
      input: { headers, idp: grant({ grant: 'client_credentials', status: 200, accessToken: 'x' }) },
    },
    // Not an OAuth answer from a token endpoint: the probe lists the fresh token as skipped instead.
    { name: 'a 500 without an OAuth error', input: { headers, idp: grant({ status: 500 }) } },
    { name: 'a 404 page', input: { headers, idp: grant({ status: 404 }) } },
    {
      name: "Spring's 404 JSON is no OAuth error",
      input: { headers, idp: grant({ status: 404, error: 'Not Found' }) },
    },
    { name: 'an HTML page with 200', input: { headers, idp: grant({ status: 200 }) } },
    {
      name: 'the token endpoint is unreachable',
      input: {
        headers,
        idp: grant({
          grant: 'client_credentials',
          transportError: { phase: 'tls', code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
        }),
      },
    },
  ],
  invalid: [
    {
      name: 'refresh grant, invalid_grant: the user must sign in again',
      input: {
        headers,
        idp: grant({ status: 400, error: 'invalid_grant', errorDescription: 'Token is not active' }),
      },
      expect: {
        id: 'token.refresh-rejected',
        kind: 'cause',
        step: 2,
        confidence: 'confirmed',
        title: 'The refresh token was rejected (invalid_grant): the user must sign in again',
        mentions: [
          `The refresh grant at ${ENDPOINT} (--token-url) answered 400 with error "invalid_grant" and error_description "Token is not active"`,
          'expired, revoked',
        ],
        evidence: [
          { probe: 'grant', where: 'grant.type', value: 'refresh_token' },
          { probe: 'grant', where: 'grant.endpoint', value: ENDPOINT },
          { probe: 'grant', where: 'grant.status', value: '400' },
          { probe: 'grant', where: 'grant.error', value: 'invalid_grant' },
          { probe: 'grant', where: 'grant.error_description', value: 'Token is not active' },
        ],
        fix: expect.stringContaining('Sign in again'),
        count: 1,
      },
    },
    {
      name: 'client-credentials grant, invalid_client: names the grant',
      input: {
        headers,
        idp: grant({
          grant: 'client_credentials',
          status: 401,
          error: 'invalid_client',
          errorDescription: 'Client authentication failed',
        }),
      },
      expect: {
        confidence: 'confirmed',
        title:
          'The client-credentials grant failed (invalid_client): the client id or secret is not accepted',
        mentions: ['The client-credentials grant at', 'Client authentication failed'],
        evidence: [{ where: 'grant.type', value: 'client_credentials' }],
        fix: expect.stringContaining('client_secret_basic'),
      },
    },
    {
      name: 'unauthorized_client',
      input: { headers, idp: grant({ status: 400, error: 'unauthorized_client' }) },
      expect: {
        title: 'The client may not use the refresh grant (unauthorized_client)',
        fix: expect.stringContaining('offline_access'),
      },
    },
    {
      name: 'invalid_scope on client credentials',
      input: { headers, idp: grant({ grant: 'client_credentials', status: 400, error: 'invalid_scope' }) },
      expect: { title: expect.stringContaining('(invalid_scope)'), fix: expect.stringContaining('.default') },
    },
    {
      name: 'unsupported_grant_type',
      input: { headers, idp: grant({ status: 400, error: 'unsupported_grant_type' }) },
      expect: { mentions: ['or --token-url is not its token endpoint'] },
    },
    {
      name: 'a vendor error code',
      input: { headers, idp: grant({ status: 400, error: 'consent_required' }) },
      expect: { title: 'The refresh grant failed (consent_required)' },
    },
  ],
});
