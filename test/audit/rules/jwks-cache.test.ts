import rule from '../../../src/audit/rules/jwks-cache.js';
import { doc, testRule } from '../support/rule-tester.js';

const URL = 'https://login.example.test/jwks';
const KEYS = { keys: [{ kty: 'EC', crv: 'P-256', kid: 'a' }] };
testRule(rule, {
  valid: [
    { name: 'max-age', api: { jwks: doc(URL, 200, KEYS, { 'Cache-Control': 'public, max-age=600' }) } },
    { name: 'Expires', api: { jwks: doc(URL, 200, KEYS, { Expires: 'Fri, 20 Nov 2026 11:00:00 GMT' }) } },
  ],
  invalid: [
    { name: 'nothing said', api: { jwks: doc(URL, 200, KEYS) }, evidence: /no Cache-Control/ },
    {
      name: 'no-store',
      api: { jwks: doc(URL, 200, KEYS, { 'Cache-Control': 'no-store' }) },
      evidence: /no-store/,
    },
    {
      name: 'max-age=0',
      api: { jwks: doc(URL, 200, KEYS, { 'Cache-Control': 'max-age=0' }) },
      evidence: /max-age=0/,
    },
  ],
  notApplicable: [{ name: 'no JWKS', api: { jwks: doc(URL, 404) } }],
});
