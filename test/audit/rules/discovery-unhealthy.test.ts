import rule from '../../../src/audit/rules/discovery-unhealthy.js';
import { doc, testRule } from '../support/rule-tester.js';

const ISS = 'https://login.example.test';
const URL = `${ISS}/.well-known/openid-configuration`;
const claims = (iss: string) => ({ header: {}, claims: { iss } });
testRule(rule, {
  valid: [
    {
      name: 'issuer and jwks_uri',
      api: { discovery: doc(URL, 200, { issuer: ISS, jwks_uri: `${ISS}/jwks` }), token: claims(ISS) },
    },
    {
      name: 'an issuer with a trailing slash',
      api: { discovery: doc(URL, 200, { issuer: `${ISS}/`, jwks_uri: `${ISS}/jwks` }) },
    },
  ],
  invalid: [
    {
      name: 'unreachable',
      api: { discovery: { url: URL, headers: [], error: 'getaddrinfo ENOTFOUND' } },
      evidence: /ENOTFOUND/,
    },
    { name: 'no jwks_uri', api: { discovery: doc(URL, 200, { issuer: ISS }) }, evidence: /no jwks_uri/ },
    {
      name: 'another issuer',
      api: { discovery: doc(URL, 200, { issuer: 'https://other.example.test', jwks_uri: `${ISS}/jwks` }) },
      evidence: /not the URL it is served under/,
    },
    {
      name: "the token's iss differs",
      api: { discovery: doc(URL, 200, { issuer: ISS, jwks_uri: `${ISS}/jwks` }), token: claims(`${ISS}/`) },
      evidence: /the token's iss is "https:\/\/login\.example\.test\/"/,
    },
  ],
  notApplicable: [{ name: 'no issuer known', api: {} }],
});
