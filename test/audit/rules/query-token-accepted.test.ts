import rule from '../../../src/audit/rules/query-token-accepted.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: '400 invalid_request', answers: { anonymous: { status: 401 }, 'query-token': { status: 400 } } },
    {
      name: '401 (the query is ignored)',
      answers: { anonymous: { status: 401 }, 'query-token': { status: 401 } },
    },
  ],
  invalid: [
    {
      name: 'accepted',
      answers: { anonymous: { status: 401 }, 'query-token': { status: 200 } },
      evidence: /in the query string .*access_token=x → 200/,
    },
  ],
  notApplicable: [
    {
      name: 'the operation is open anyway',
      answers: { anonymous: { status: 200 }, 'query-token': { status: 200 } },
    },
    { name: 'no --token', answers: { anonymous: { status: 401 } } },
  ],
});
