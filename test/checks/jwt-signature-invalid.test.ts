import { expect } from 'vitest';
import check from '../../src/checks/jwt-signature-invalid.js';
import type { TokenVerification } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const payload = { iss: 'https://idp.example.com', sub: 'u1', aud: 'https://api.example.com' };
const token = (header: object = { alg: 'RS256', kid: 'k1' }, p: object = payload, sig = 'c2lnbmF0dXJl') =>
  `${seg(header)}.${seg(p)}.${sig}`;
const bearer = (t = token()) => ({ Authorization: `Bearer ${t}` });
const JWKS = 'https://idp.example.com/.well-known/jwks.json';
const verification = (result: TokenVerification['result'], message?: string): TokenVerification => {
  const v: TokenVerification = {
    jwksUrl: JWKS,
    kid: 'k1',
    alg: 'RS256',
    jwksKeys: [
      { kid: 'k1', kty: 'RSA', alg: 'RS256', use: 'sig' },
      { kid: 'k2', kty: 'RSA', alg: 'RS256', use: 'sig' },
    ],
    result,
  };
  if (message) v.message = message;
  return v;
};
const idp = (v: TokenVerification) => ({ documents: [], verification: v });
const eojb = (d: string) => ({
  'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${d}"`,
});

testCheck(check, {
  valid: [
    { name: 'no token', input: {} },
    { name: 'an opaque token', input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } } },
    { name: 'a JWT and no IdP evidence', input: { headers: bearer() } },
    { name: 'the signature verifies', input: { headers: bearer(), idp: idp(verification('valid')) } },
    {
      name: 'the kid is unknown: jwt.kid-unknown says it',
      input: { headers: bearer(), idp: idp(verification('kid-unknown')) },
    },
    {
      name: 'kid unknown and the server says signature: the kid is the cause',
      input: {
        headers: bearer(),
        idp: idp(verification('kid-unknown')),
        responseHeaders: eojb('signature verification failed'),
      },
    },
    {
      name: 'an unsigned token is jwt.alg-none',
      input: {
        headers: bearer(token({ alg: 'none' }, payload, '')),
        responseHeaders: eojb('signature verification failed'),
      },
    },
    {
      name: 'an HS256 token against RSA keys is jwt.alg-confusion',
      input: { headers: bearer(token({ alg: 'HS256' })), idp: idp(verification('signature-invalid')) },
    },
    {
      name: 'server words on a success do not count',
      input: { headers: bearer(), status: 200, responseBody: 'signature verification failed' },
    },
  ],
  invalid: [
    {
      name: 'verification against the JWKS fails: confirmed',
      input: {
        headers: bearer(),
        idp: idp(verification('signature-invalid', 'signature verification failed')),
      },
      expect: {
        id: 'jwt.signature-invalid',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: "The token's signature does not verify with the issuer's key 'k1'",
        mentions: ["the key 'k1' (RSA, RS256)", JWKS, 'as RS256', '"signature verification failed"'],
        evidence: [
          { probe: 'verification', where: 'verification.result', value: 'signature-invalid' },
          { probe: 'jwks', where: 'document.url', value: JWKS },
          { probe: 'input', where: 'token.header.kid', value: 'k1' },
          { probe: 'input', where: 'token.header.alg', value: 'RS256' },
          { probe: 'verification', where: 'verification.message', value: 'signature verification failed' },
        ],
        fix: expect.stringContaining('JWKS'),
        count: 1,
      },
    },
    {
      name: 'verification fails and the server says so too',
      input: {
        headers: bearer(),
        idp: idp(verification('signature-invalid')),
        responseHeaders: eojb('signature verification failed'),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['The server says so too: "signature verification failed"'],
        evidence: [
          { probe: 'main', where: 'response.header.www-authenticate' },
          { where: 'verification.result', value: 'signature-invalid' },
        ],
      },
    },
    {
      name: 'a Microsoft Graph token (nonce in the header) sent to another API',
      input: {
        headers: bearer(token({ alg: 'RS256', kid: 'k1', nonce: 'abc' })),
        idp: idp(verification('signature-invalid')),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['Microsoft Graph access token', 'api://<app-id>/.default'],
      },
    },
    {
      name: 'a Graph token (aud) sent to another API: likely, the audience is the cause',
      input: {
        headers: bearer(
          token(
            { alg: 'RS256', kid: 'k1', nonce: 'abc' },
            { ...payload, aud: '00000003-0000-0000-c000-000000000000' },
          ),
        ),
        idp: idp(verification('signature-invalid')),
      },
      expect: { confidence: 'likely', mentions: ['Its aud is Microsoft Graph', 'see jwt.audience-mismatch'] },
    },
    {
      name: "only the server's words (express-oauth2-jwt-bearer): likely, quoted",
      input: { headers: bearer(), responseHeaders: eojb('signature verification failed') },
      expect: {
        confidence: 'likely',
        title: "The server says the token's signature is invalid: signature verification failed",
        mentions: ['express-oauth2-jwt-bearer answered 401'],
        evidence: [{ probe: 'main', where: 'response.header.www-authenticate' }],
        count: 1,
      },
    },
    {
      name: "Envoy's words",
      input: { headers: bearer(), responseBody: 'Jwt verification fails' },
      expect: { confidence: 'likely', title: expect.stringContaining('Jwt verification fails') },
    },
    {
      name: 'ASP.NET words with an unsupported verification',
      input: {
        headers: bearer(),
        idp: idp(verification('unsupported')),
        responseHeaders: eojb('The signature is invalid'),
      },
      expect: { confidence: 'likely', mentions: ['ASP.NET Core JwtBearer'] },
    },
    {
      name: 'the server rejects a signature that verifies with the issuer keys: it uses other keys',
      input: {
        headers: bearer(),
        idp: idp(verification('valid')),
        responseBody: '{"message":"invalid signature"}',
      },
      expect: {
        confidence: 'likely',
        title: expect.stringContaining("yet it verifies with the issuer's keys"),
        mentions: ["with key 'k1'", 'a configured static key or shared secret'],
        evidence: [
          { probe: 'main', where: 'response.body.message', value: 'invalid signature' },
          { where: 'verification.result', value: 'valid' },
        ],
        fix: expect.stringContaining(JWKS),
      },
    },
    {
      name: 'no kid: the keys in general',
      input: { headers: bearer(token({ alg: 'ES256' })), idp: idp(verification('signature-invalid')) },
      expect: {
        title: "The token's signature does not verify against the issuer's keys",
        mentions: ['as ES256 against the keys'],
      },
    },
  ],
});
