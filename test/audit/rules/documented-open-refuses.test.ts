import rule from '../../../src/audit/rules/documented-open-refuses.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'open and answering',
      operation: { documentedOpen: true },
      answers: { anonymous: { status: 200 } },
    },
  ],
  invalid: [
    {
      name: 'documented open, refuses',
      operation: { documentedOpen: true },
      answers: { anonymous: { status: 401 } },
      evidence: /401 Unauthorized/,
    },
  ],
  notApplicable: [{ name: 'documented as secured', answers: { anonymous: { status: 401 } } }],
});
