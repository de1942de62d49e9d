import rule from '../../../src/audit/rules/token-refused.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [{ name: '200', answers: { valid: { status: 200 } } }],
  invalid: [
    {
      name: '401 invalid_token',
      answers: { valid: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } } },
      evidence: /the token \(--token\).*401.*invalid_token/,
    },
    { name: '403', answers: { valid: { status: 403 } }, evidence: /403 Forbidden/ },
  ],
  notApplicable: [{ name: 'no --token', answers: { anonymous: { status: 401 } } }],
});
