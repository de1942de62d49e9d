import rule from '../../../src/audit/rules/anonymous-not-refused.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: '401 with a challenge', answers: { anonymous: { status: 401 } } },
    { name: '403', answers: { anonymous: { status: 403 } } },
    { name: 'a redirect to sign in (anonymous-status judges it)', answers: { anonymous: { status: 302 } } },
  ],
  invalid: [
    {
      name: '200',
      answers: { anonymous: { status: 200 } },
      evidence: /no credentials: GET \/v1\/items → 200 OK/,
    },
    { name: '204', answers: { anonymous: { status: 204 } }, evidence: /204/ },
  ],
  notApplicable: [
    {
      name: 'documented as open',
      operation: { documentedOpen: true },
      answers: { anonymous: { status: 200 } },
    },
    { name: 'no answer', answers: { anonymous: { error: 'connect ECONNREFUSED' } } },
  ],
});
