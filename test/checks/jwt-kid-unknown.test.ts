import { expect } from 'vitest';
import check from '../../src/checks/jwt-kid-unknown.js';
import type { TokenVerification } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';
import { NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000;
const payload = { iss: 'https://idp.example.com', sub: 'u1', iat: S - 3 * 86400, exp: S + 3600 };
const token = (header: object = { alg: 'RS256', kid: 'k1' }, p: object = payload) =>
  `Bearer ${seg(header)}.${seg(p)}.c2lnbmF0dXJl`;
const JWKS = 'https://idp.example.com/protocol/openid-connect/certs';
const keys: TokenVerification['jwksKeys'] = [
  { kid: 'k7', kty: 'RSA', alg: 'RS256', use: 'sig' },
  { kid: 'k8', kty: 'RSA', alg: 'RS256', use: 'sig' },
];
const idp = (result: TokenVerification['result'], jwksKeys = keys) => ({
  documents: [],
  verification: { jwksUrl: JWKS, kid: 'k1', alg: 'RS256', jwksKeys, result },
});
const aspnet = {
  'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The signature key was not found"',
};

testCheck(check, {
  valid: [
    { name: 'no token', input: {} },
    { name: 'a JWT, no IdP evidence, no words', input: { headers: { Authorization: token() } } },
    { name: 'the kid is in the JWKS', input: { headers: { Authorization: token() }, idp: idp('valid') } },
    {
      name: 'the signature is wrong: jwt.signature-invalid says it',
      input: { headers: { Authorization: token() }, idp: idp('signature-invalid') },
    },
    {
      name: 'an HS256 token against RSA keys: jwt.alg-confusion says it',
      input: { headers: { Authorization: token({ alg: 'HS256', kid: 'k1' }) }, idp: idp('kid-unknown') },
    },
    {
      name: 'no usable key: idp.jwks-failed says it',
      input: { headers: { Authorization: token() }, idp: idp('no-usable-key'), responseHeaders: aspnet },
    },
  ],
  invalid: [
    {
      name: 'rotated keys: confirmed, listing the kids the JWKS holds',
      input: { headers: { Authorization: token() }, idp: idp('kid-unknown') },
      expect: {
        id: 'jwt.kid-unknown',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: "The token's signing key 'k1' is not in the issuer's JWKS",
        mentions: [
          `token kid 'k1'; the JWKS at ${JWKS} holds k7, k8: the keys were rotated, or the token comes from another issuer or environment`,
          'issued 3 days ago',
        ],
        evidence: [
          { probe: 'verification', where: 'verification.result', value: 'kid-unknown' },
          { probe: 'input', where: 'token.header.kid', value: 'k1' },
          { probe: 'jwks', where: 'document.url', value: JWKS },
          { probe: 'jwks', where: 'document.keys', value: 'k7, k8' },
        ],
        fix: expect.stringContaining('JWKS cache'),
        count: 1,
      },
    },
    {
      name: 'the token comes from another host than the JWKS',
      input: {
        headers: { Authorization: token(undefined, { iss: 'https://login.staging.example.com' }) },
        idp: idp('kid-unknown'),
      },
      expect: { mentions: ["while the token's iss names login.staging.example.com"] },
    },
    {
      name: 'an empty JWKS',
      input: { headers: { Authorization: token() }, idp: idp('kid-unknown', []) },
      expect: { confidence: 'confirmed', mentions: ['holds no keys at all'] },
    },
    {
      name: 'many keys are shortened',
      input: {
        headers: { Authorization: token() },
        idp: idp(
          'kid-unknown',
          Array.from({ length: 11 }, (_, i) => ({ kid: `key${i}`, kty: 'RSA' })),
        ),
      },
      expect: { mentions: ['key7 and 3 more'] },
    },
    {
      name: 'verification and the server agree',
      input: { headers: { Authorization: token() }, idp: idp('kid-unknown'), responseHeaders: aspnet },
      expect: {
        confidence: 'confirmed',
        mentions: ['The server says so too: "The signature key was not found"'],
        evidence: [{ probe: 'main', where: 'response.header.www-authenticate' }],
      },
    },
    {
      name: "only the server's words (ASP.NET): likely",
      input: { headers: { Authorization: token() }, responseHeaders: aspnet },
      expect: {
        confidence: 'likely',
        title: "The server does not know the token's signing key 'k1': The signature key was not found",
        evidence: [{ probe: 'main', where: 'response.header.www-authenticate' }],
      },
    },
    {
      name: "Envoy's words while the issuer's JWKS holds the kid: a stale cache on the server",
      input: {
        headers: { Authorization: token() },
        idp: idp('valid', [{ kid: 'k1', kty: 'RSA' }]),
        responseBody: "Jwks doesn't have key to match kid or alg from Jwt",
      },
      expect: {
        confidence: 'likely',
        title: "The server does not know the signing key 'k1', but the issuer's JWKS holds it",
        mentions: ['stale'],
        evidence: [{ where: 'verification.result', value: 'valid' }, { where: 'response.body' }],
        fix: expect.stringContaining('refresh its JWKS cache'),
      },
    },
    {
      name: "Spring's words",
      input: {
        headers: { Authorization: token() },
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm expected, or no matching key(s) found"',
        },
      },
      expect: { confidence: 'likely', mentions: ['Spring Security'] },
    },
  ],
});
