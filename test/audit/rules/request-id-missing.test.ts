import rule from '../../../src/audit/rules/request-id-missing.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'X-Request-Id', answers: { anonymous: { status: 401, headers: { 'X-Request-Id': 'a1' } } } },
    {
      name: 'traceparent',
      answers: {
        anonymous: {
          status: 401,
          headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        },
      },
    },
    {
      name: "Cloudflare's CF-Ray",
      answers: { low: { status: 403, headers: { 'CF-Ray': '8c1d2e3f4a5b6c7d-FRA' } } },
    },
  ],
  invalid: [
    {
      name: 'none',
      answers: { anonymous: { status: 401, headers: { 'X-Request-Id': 'a1' } }, low: { status: 403 } },
      evidence: /low-privilege token/,
    },
  ],
  notApplicable: [{ name: 'no refusal', answers: { anonymous: { status: 200 } } }],
});
