import rule from '../../../src/audit/rules/invalid-token-code.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'invalid_token',
      answers: {
        expired: {
          status: 401,
          headers: {
            'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="expired"',
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'a bare Bearer challenge for a bad token',
      answers: { malformed: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
      evidence: /malformed credential.*Bearer realm="api"/,
    },
    {
      name: 'invalid_request',
      answers: {
        expired: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' } },
      },
      evidence: /invalid_request/,
    },
  ],
  notApplicable: [
    { name: 'no Bearer challenge', answers: { malformed: { status: 401 } } },
    {
      name: 'an API key scheme',
      schemes: [{ name: 'k', type: 'apiKey', in: 'header', paramName: 'X-Key' }],
      answers: { malformed: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
    },
  ],
});
