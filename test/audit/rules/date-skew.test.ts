import rule from '../../../src/audit/rules/date-skew.js';
import { NOW, testRule } from '../support/rule-tester.js';

const at = (offsetS: number) => new Date(NOW + offsetS * 1000).toUTCString();
testRule(rule, {
  valid: [
    { name: 'in step', answers: { anonymous: { status: 401, headers: { Date: at(0) } } } },
    {
      name: '30 s off, within tolerance',
      answers: { anonymous: { status: 401, headers: { Date: at(-30) } } },
    },
  ],
  invalid: [
    {
      name: 'five minutes ahead',
      answers: { anonymous: { status: 401, headers: { Date: at(300) } } },
      evidence: /300 s ahead of this machine's clock/,
    },
    {
      name: 'an hour behind',
      answers: { anonymous: { status: 401, headers: { Date: at(-3600) } } },
      evidence: /3600 s behind/,
    },
    {
      name: 'no Date at all',
      answers: { anonymous: { status: 401 } },
      evidence: /no Date header|none of 1 answers has a Date/,
    },
  ],
  notApplicable: [{ name: 'nothing answered', answers: { anonymous: { error: 'ECONNRESET' } } }],
});
