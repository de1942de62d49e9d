import rule from '../../../src/audit/rules/preflight-gated.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: '204 with CORS',
      answers: {
        preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': 'https://app.example' } },
      },
    },
    { name: '404 (no CORS at all, but not gated)', answers: { preflight: { status: 404 } } },
  ],
  invalid: [
    {
      name: '401',
      answers: { preflight: { status: 401 } },
      evidence: /a CORS preflight: OPTIONS \/v1\/items → 401/,
    },
    { name: '403', answers: { preflight: { status: 403 } }, evidence: /403/ },
  ],
  notApplicable: [{ name: 'not sent', answers: { anonymous: { status: 401 } } }],
});
