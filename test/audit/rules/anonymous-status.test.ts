import rule from '../../../src/audit/rules/anonymous-status.js';
import { testRule } from '../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: '401',
      answers: { anonymous: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
    },
  ],
  invalid: [
    {
      name: '403 without a challenge',
      answers: { anonymous: { status: 403 } },
      evidence: /403 Forbidden; no WWW-Authenticate/,
    },
    {
      name: 'a sign-in redirect',
      answers: { anonymous: { status: 302, headers: { Location: '/login?next=/v1/items' } } },
      evidence: /302 Found; no WWW-Authenticate; Location: \/login/,
    },
    { name: '404 hiding the refusal', answers: { anonymous: { status: 404 } }, evidence: /404/ },
    { name: '500', answers: { anonymous: { status: 500 } }, evidence: /500 Internal Server Error/ },
  ],
  notApplicable: [
    { name: '200 (anonymous-not-refused judges it)', answers: { anonymous: { status: 200 } } },
    {
      name: 'documented as open',
      operation: { documentedOpen: true },
      answers: { anonymous: { status: 403 } },
    },
  ],
});
