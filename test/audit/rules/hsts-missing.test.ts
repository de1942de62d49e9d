import rule from '../../../src/audit/rules/hsts-missing.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'HSTS on an answer',
      answers: {
        anonymous: {
          status: 401,
          headers: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' },
        },
      },
    },
  ],
  invalid: [
    { name: 'none', answers: { anonymous: { status: 401 } }, evidence: /none of 1 answers/ },
    {
      name: 'max-age=0 (HSTS switched off)',
      answers: { anonymous: { status: 401, headers: { 'Strict-Transport-Security': 'max-age=0' } } },
      evidence: /Strict-Transport-Security/,
    },
  ],
  notApplicable: [
    { name: 'plain http', api: { baseUrl: 'http://127.0.0.1:1' }, answers: { anonymous: { status: 401 } } },
  ],
});
