import rule from '../../../src/audit/rules/jwks-weak-key.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://login.example.test/jwks';
// base64url lengths: 342 characters is a 2048-bit modulus, 171 a 1024-bit one.
const rsa = (kid: string, chars: number) => ({ kty: 'RSA', kid, n: 'A'.repeat(chars), e: 'AQAB' });
testRule(rule, {
  valid: [
    {
      name: 'RSA 2048 and P-256',
      api: { jwks: doc(URL, 200, { keys: [rsa('a', 342), { kty: 'EC', kid: 'b', crv: 'P-256' }] }) },
    },
    { name: 'Ed25519', api: { jwks: doc(URL, 200, { keys: [{ kty: 'OKP', kid: 'c', crv: 'Ed25519' }] }) } },
  ],
  invalid: [
    {
      name: 'RSA 1024',
      api: { jwks: doc(URL, 200, { keys: [rsa('old', 171)] }) },
      evidence: /key "old" is RSA with a 1024-bit modulus/,
    },
    {
      name: 'a symmetric key',
      api: { jwks: doc(URL, 200, { keys: [{ kty: 'oct', kid: 'h' }] }) },
      evidence: /symmetric \(oct\)/,
    },
    {
      name: 'an unknown curve',
      api: { jwks: doc(URL, 200, { keys: [{ kty: 'EC', crv: 'P-192' }] }) },
      evidence: /key #1 \(no kid\) uses the curve "P-192"/,
    },
  ],
  notApplicable: [{ name: 'no JWKS', api: {} }],
});
