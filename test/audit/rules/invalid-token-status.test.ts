import rule from '../../../src/audit/rules/invalid-token-status.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [{ name: '401 for both', answers: { malformed: { status: 401 }, expired: { status: 401 } } }],
  invalid: [
    {
      name: "500 from fast-jwt's algorithm error",
      answers: { malformed: { status: 401 }, expired: { status: 500 } },
      evidence: /expired-looking token: .* 500/,
    },
    {
      name: '403 for a malformed token',
      answers: { malformed: { status: 403 } },
      evidence: /malformed credential: .* 403/,
    },
    { name: '400', answers: { malformed: { status: 400 } }, evidence: /400 Bad Request/ },
  ],
  notApplicable: [
    { name: 'accepted (invalid-token-accepted judges it)', answers: { malformed: { status: 200 } } },
  ],
});
