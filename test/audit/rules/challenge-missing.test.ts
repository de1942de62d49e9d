import rule from '../../../src/audit/rules/challenge-missing.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'every 401 challenges',
      answers: {
        anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } },
        malformed: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      },
    },
  ],
  invalid: [
    {
      name: "@fastify/jwt's default 401",
      answers: {
        anonymous: { status: 401, body: '{"statusCode":401,"code":"FST_JWT_NO_AUTHORIZATION_IN_HEADER"}' },
      },
      evidence: /no credentials: .* 401 Unauthorized; no WWW-Authenticate/,
    },
    {
      name: 'one of two 401s bare',
      answers: {
        anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
        expired: { status: 401 },
      },
      evidence: /expired-looking token/,
    },
  ],
  notApplicable: [{ name: 'no 401 at all', answers: { anonymous: { status: 403 } } }],
});
