import rule from '../../../src/audit/rules/scope-status.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [{ name: '403', lowLacksScope: true, requiredScopes: ['admin'], answers: { low: { status: 403 } } }],
  invalid: [
    {
      name: '401 for a missing scope',
      lowLacksScope: true,
      requiredScopes: ['admin'],
      answers: { low: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
      evidence: /401 Unauthorized[\s\S]*requires scope admin/,
    },
  ],
  notApplicable: [
    {
      name: '200 (low-token-accepted judges it)',
      lowLacksScope: true,
      requiredScopes: ['admin'],
      answers: { low: { status: 200 } },
    },
    { name: 'the token has the scope', lowLacksScope: false, answers: { low: { status: 401 } } },
  ],
});
