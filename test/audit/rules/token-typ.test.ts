import rule from '../../../src/audit/rules/token-typ.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'at+jwt', api: { token: { header: { typ: 'at+jwt' }, claims: {} } } },
    { name: 'application/at+jwt', api: { token: { header: { typ: 'application/at+JWT' }, claims: {} } } },
  ],
  invalid: [
    { name: 'JWT', api: { token: { header: { typ: 'JWT' }, claims: {} } }, evidence: /typ is "JWT"/ },
    { name: 'absent', api: { token: { header: {}, claims: {} } }, evidence: /typ is absent/ },
  ],
  notApplicable: [{ name: 'no token', api: {} }],
});
