import rule from '../../../src/audit/rules/jwks-kids.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://login.example.test/jwks';
testRule(rule, {
  valid: [
    {
      name: 'unique kids',
      api: {
        jwks: doc(URL, 200, {
          keys: [
            { kty: 'RSA', kid: 'a' },
            { kty: 'RSA', kid: 'b' },
          ],
        }),
      },
    },
    { name: 'one key without a kid', api: { jwks: doc(URL, 200, { keys: [{ kty: 'RSA' }] }) } },
  ],
  invalid: [
    {
      name: 'a shared kid',
      api: {
        jwks: doc(URL, 200, {
          keys: [
            { kty: 'RSA', kid: 'a' },
            { kty: 'EC', kid: 'a' },
          ],
        }),
      },
      evidence: /kid "a" is used by 2 keys/,
    },
    {
      name: 'two keys, one without a kid',
      api: { jwks: doc(URL, 200, { keys: [{ kty: 'RSA', kid: 'a' }, { kty: 'RSA' }] }) },
      evidence: /1 of 2 keys have no kid/,
    },
  ],
  notApplicable: [{ name: 'no JWKS', api: {} }],
});
