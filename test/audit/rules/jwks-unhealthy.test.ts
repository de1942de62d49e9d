import rule from '../../../src/audit/rules/jwks-unhealthy.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://login.example.test/jwks';
const RSA = { kty: 'RSA', kid: 'a', n: 'x'.repeat(342), e: 'AQAB' };
testRule(rule, {
  valid: [{ name: 'public keys', api: { jwks: doc(URL, 200, { keys: [RSA] }) } }],
  invalid: [
    { name: '500', api: { jwks: doc(URL, 500) }, evidence: /500 Internal Server Error/ },
    { name: 'no keys list', api: { jwks: doc(URL, 200, { key: RSA }) }, evidence: /no "keys" list/ },
    { name: 'empty', api: { jwks: doc(URL, 200, { keys: [] }) }, evidence: /has no keys/ },
    {
      name: 'a private RSA key',
      api: { jwks: doc(URL, 200, { keys: [{ ...RSA, d: 'secret', p: 'x', q: 'y' }] }) },
      evidence: /key "a" publishes private members: d, p, q/,
    },
    {
      name: 'an oct key with its secret',
      api: { jwks: doc(URL, 200, { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }) },
      evidence: /publishes private members: k/,
    },
    {
      name: 'jwks_uri named but not fetched (refused by the fetch guard)',
      api: {
        discovery: doc('https://login.example.test/.well-known/openid-configuration', 200, {
          jwks_uri: 'http://169.254.169.254/jwks',
        }),
      },
      evidence: /was not fetched/,
    },
  ],
  notApplicable: [{ name: 'no discovery', api: {} }],
});
