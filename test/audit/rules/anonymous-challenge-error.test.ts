import rule from '../../../src/audit/rules/anonymous-challenge-error.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'a bare Bearer challenge (express-oauth2-jwt-bearer, @fastify/jwt set up well)',
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
    },
    {
      name: 'a Bearer challenge with resource_metadata and scope, no error',
      answers: {
        anonymous: {
          status: 401,
          headers: {
            'WWW-Authenticate':
              'Bearer resource_metadata="https://api.example.test/.well-known/oauth-protected-resource", scope="read"',
          },
        },
      },
    },
  ],
  invalid: [
    {
      // hono/jwt 4.13's own answer to a request without a token, exactly (no space after the commas).
      name: "hono/jwt's challenge: invalid_request and its description",
      answers: {
        anonymous: {
          status: 401,
          headers: {
            'WWW-Authenticate':
              'Bearer realm="api",error="invalid_request",error_description="no authorization included in request"',
          },
        },
      },
      evidence:
        /no credentials: GET .* → 401 Unauthorized; WWW-Authenticate: Bearer realm="api",error="invalid_request"/,
    },
    {
      name: 'invalid_token to a request that sent none',
      answers: {
        anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      },
      evidence: /invalid_token/,
    },
  ],
  notApplicable: [
    { name: 'a 403 (audit.anonymous-status judges it)', answers: { anonymous: { status: 403 } } },
    { name: 'a 401 without a challenge (audit.challenge-missing)', answers: { anonymous: { status: 401 } } },
    {
      name: 'a Basic challenge',
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="api"' } } },
    },
  ],
});
