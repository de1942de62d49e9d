import rule from '../../../src/audit/rules/scope-challenge.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'insufficient_scope with scope',
      lowLacksScope: true,
      answers: {
        low: {
          status: 403,
          headers: { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="admin"' },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'no challenge',
      lowLacksScope: true,
      answers: { low: { status: 403 } },
      evidence: /403 Forbidden; no WWW-Authenticate/,
    },
    {
      name: 'insufficient_scope without scope=',
      lowLacksScope: true,
      answers: { low: { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' } } },
      evidence: /insufficient_scope/,
    },
  ],
  notApplicable: [{ name: 'answered 401', lowLacksScope: true, answers: { low: { status: 401 } } }],
});
