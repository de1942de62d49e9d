import rule from '../../../src/audit/rules/jwks-rotation.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://login.example.test/jwks';
testRule(rule, {
  valid: [
    {
      name: 'the next key published',
      api: {
        jwks: doc(URL, 200, {
          keys: [
            { kty: 'RSA', kid: 'a', use: 'sig' },
            { kty: 'RSA', kid: 'b' },
          ],
        }),
      },
    },
  ],
  invalid: [
    {
      name: 'one key',
      api: { jwks: doc(URL, 200, { keys: [{ kty: 'RSA', kid: 'a' }] }) },
      evidence: /has 1 signing key/,
    },
    {
      name: 'one signing key and an encryption key',
      api: {
        jwks: doc(URL, 200, {
          keys: [
            { kty: 'RSA', kid: 'a' },
            { kty: 'RSA', kid: 'e', use: 'enc' },
          ],
        }),
      },
      evidence: /1 signing key/,
    },
  ],
  notApplicable: [{ name: 'no JWKS', api: {} }],
});
