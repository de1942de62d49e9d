import { expect } from 'vitest';
import check from '../../src/checks/jwt-alg-confusion.js';
import type { TokenVerification } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const payload = { iss: 'https://idp.example.com', sub: 'u1', aud: 'https://api.example.com' };
const token = (header: object) => `Bearer ${seg(header)}.${seg(payload)}.c2lnbmF0dXJl`;
const JWKS = 'https://idp.example.com/jwks';
const rsa: TokenVerification['jwksKeys'] = [{ kid: 'k1', kty: 'RSA', alg: 'RS256', use: 'sig' }];
const idp = (result: TokenVerification['result'], jwksKeys = rsa, message?: string) => {
  const verification: TokenVerification = { jwksUrl: JWKS, alg: 'HS256', jwksKeys, result };
  if (message) verification.message = message;
  return { documents: [], verification };
};

testCheck(check, {
  valid: [
    { name: 'no token', input: {} },
    {
      name: 'an RS256 token that verifies',
      input: { headers: { Authorization: token({ alg: 'RS256' }) }, idp: idp('valid') },
    },
    {
      name: 'an RS256 token with a bad signature is not alg confusion',
      input: { headers: { Authorization: token({ alg: 'RS256' }) }, idp: idp('signature-invalid') },
    },
    {
      name: 'alg none is jwt.alg-none',
      input: { headers: { Authorization: token({ alg: 'none' }) }, idp: idp('alg-not-allowed') },
    },
    {
      name: 'an HS256 token and no IdP evidence',
      input: { headers: { Authorization: token({ alg: 'HS256' }) } },
    },
    {
      name: 'an HS256 token where the issuer publishes a shared-secret (oct) key',
      input: {
        headers: { Authorization: token({ alg: 'HS256' }) },
        idp: idp('alg-not-allowed', [{ kid: 's1', kty: 'oct' }, ...rsa]),
      },
    },
    {
      name: 'an HS256 token that verifies',
      input: { headers: { Authorization: token({ alg: 'HS256' }) }, idp: idp('valid') },
    },
  ],
  invalid: [
    {
      name: 'HS256 refused while the issuer publishes RSA keys: confirmed',
      input: {
        headers: { Authorization: token({ alg: 'HS256', kid: 'k1' }) },
        idp: idp('alg-not-allowed', rsa, '"alg" (Algorithm) Header Parameter value not allowed'),
      },
      expect: {
        id: 'jwt.alg-confusion',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The token is signed with HS256 (a shared secret), but the issuer publishes only public keys',
        mentions: [
          `the JWKS at ${JWKS} holds k1: RSA RS256`,
          'RFC 8725 §2.1',
          'client secret',
          'alg-not-allowed',
        ],
        evidence: [
          { probe: 'input', where: 'token.header.alg', value: 'HS256' },
          { probe: 'verification', where: 'verification.result', value: 'alg-not-allowed' },
          { probe: 'jwks', where: 'document.url', value: JWKS },
          { probe: 'jwks', where: 'document.keys', value: 'k1: RSA RS256' },
          { probe: 'verification', where: 'verification.message' },
        ],
        fix: expect.stringContaining('published keys'),
        count: 1,
      },
    },
    {
      name: 'HS512 against EC and OKP keys',
      input: {
        headers: { Authorization: token({ alg: 'HS512' }) },
        idp: idp('alg-not-allowed', [
          { kid: 'e1', kty: 'EC', alg: 'ES256' },
          { kid: 'o1', kty: 'OKP' },
        ]),
      },
      expect: { confidence: 'confirmed', mentions: ['HS512', 'e1: EC ES256, o1: OKP'] },
    },
    {
      name: 'another verifier failure for an HMAC token against public keys: likely',
      input: { headers: { Authorization: token({ alg: 'HS256', kid: 'zz' }) }, idp: idp('kid-unknown') },
      expect: { confidence: 'likely', mentions: ['verification ended with kid-unknown'] },
    },
    {
      name: 'with the server refusing the signature too',
      input: {
        headers: { Authorization: token({ alg: 'HS256' }) },
        idp: idp('alg-not-allowed'),
        responseBody: 'Jwt verification fails',
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['The server says: "Jwt verification fails"'],
        evidence: [{ probe: 'main', where: 'response.body', value: 'Jwt verification fails' }],
      },
    },
    {
      name: 'no IdP evidence, but Envoy refuses the HMAC algorithm: likely',
      input: {
        headers: { Authorization: token({ alg: 'HS256' }) },
        responseBody: 'Jwt header [alg] is not supported',
      },
      expect: {
        confidence: 'likely',
        title: "The server refuses the token's algorithm HS256: Jwt header [alg] is not supported",
        mentions: ['Envoy jwt_authn answered 401'],
        evidence: [{ probe: 'main', where: 'response.body', value: 'Jwt header [alg] is not supported' }],
      },
    },
  ],
});
