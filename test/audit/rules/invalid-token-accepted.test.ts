import rule from '../../../src/audit/rules/invalid-token-accepted.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'both refused', answers: { malformed: { status: 401 }, expired: { status: 401 } } },
    { name: 'a 400 is a refusal too', answers: { malformed: { status: 400 } } },
  ],
  invalid: [
    {
      name: 'the expired token works',
      answers: { malformed: { status: 401 }, expired: { status: 200 } },
      evidence: /expired-looking token: GET \/v1\/items → 200/,
    },
    { name: 'anything works', answers: { malformed: { status: 200 } }, evidence: /malformed credential/ },
  ],
  notApplicable: [
    {
      name: 'documented as open',
      operation: { documentedOpen: true },
      answers: { malformed: { status: 200 } },
    },
  ],
});
