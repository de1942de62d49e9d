import rule from '../../../src/audit/rules/token-claims.js';
import { testRule } from '../support/rule-tester.js';

const FULL = {
  iss: 'https://login.example.test',
  exp: 2,
  aud: 'api',
  sub: 'u',
  client_id: 'c',
  iat: 1,
  jti: 'j',
};
testRule(rule, {
  valid: [{ name: 'RFC 9068 complete', api: { token: { header: {}, claims: FULL } } }],
  invalid: [
    {
      name: 'no aud, no jti',
      api: { token: { header: {}, claims: { ...FULL, aud: undefined, jti: undefined } } },
      evidence: /the token has no aud, jti/,
    },
  ],
  notApplicable: [{ name: 'no token, or an opaque one', api: {} }],
});
