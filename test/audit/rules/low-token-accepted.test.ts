import rule from '../../../src/audit/rules/low-token-accepted.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: '403 insufficient_scope',
      lowLacksScope: true,
      requiredScopes: ['admin'],
      answers: { low: { status: 403 } },
    },
    {
      name: '401 (scope-status judges the status)',
      lowLacksScope: true,
      requiredScopes: ['admin'],
      answers: { low: { status: 401 } },
    },
  ],
  invalid: [
    {
      name: '"bypassed": 200',
      lowLacksScope: true,
      requiredScopes: ['admin'],
      answers: { low: { status: 200 } },
      evidence: /low-privilege token .* 200 OK[\s\S]*requires scope admin/,
    },
  ],
  notApplicable: [
    {
      name: 'the low token has the scope',
      lowLacksScope: false,
      requiredScopes: ['read'],
      answers: { low: { status: 200 } },
    },
    { name: 'no --token-low', requiredScopes: ['admin'], answers: {} },
  ],
});
