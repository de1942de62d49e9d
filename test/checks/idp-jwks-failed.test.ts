import { expect } from 'vitest';
import check from '../../src/checks/idp-jwks-failed.js';
import type { FetchedDocument, IdpEvidence, TokenVerification } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const ISS = 'https://idp.example.com';
const bearer = (alg = 'RS256') => ({
  Authorization: `Bearer ${seg({ alg, kid: 'k1' })}.${seg({ iss: ISS, sub: 'u1', aud: 'api' })}.c2lnbmF0dXJl`,
});
const JWKS = `${ISS}/.well-known/jwks.json`;
const jwks = (d: Partial<FetchedDocument> = {}): FetchedDocument => ({
  kind: 'jwks',
  url: JWKS,
  from: 'jwks_uri of the discovery document',
  status: 200,
  json: { keys: [{ kid: 'k1', kty: 'RSA', alg: 'RS256', use: 'sig', n: 'AQAB', e: 'AQAB' }] },
  ms: 8,
  ...d,
});
const idp = (documents: FetchedDocument[], verification?: TokenVerification): IdpEvidence => {
  const out: IdpEvidence = { documents };
  if (verification) out.verification = verification;
  return out;
};
const verification = (
  result: TokenVerification['result'],
  jwksKeys: TokenVerification['jwksKeys'],
): TokenVerification => ({
  jwksUrl: JWKS,
  kid: 'k1',
  alg: 'RS256',
  jwksKeys,
  result,
});

testCheck(check, {
  valid: [
    { name: 'no IdP evidence', input: { headers: bearer() } },
    {
      name: 'the JWKS is fine and the token verifies',
      input: { headers: bearer(), idp: idp([jwks()], verification('valid', [{ kid: 'k1', kty: 'RSA' }])) },
    },
    {
      name: 'an HS256 token against RSA keys is jwt.alg-confusion',
      input: {
        headers: bearer('HS256'),
        idp: idp([jwks()], verification('no-usable-key', [{ kid: 'k1', kty: 'RSA' }])),
      },
    },
    {
      name: 'a first fetch failed, a second of the same URL worked',
      input: {
        headers: bearer(),
        idp: idp([
          jwks({ status: 503, json: undefined, problem: 'answered 503 Service Unavailable, not 200' }),
          jwks(),
        ]),
      },
    },
    {
      name: 'words on a success do not count',
      input: { status: 200, headers: bearer(), responseBody: 'Jwks remote fetch is failed' },
    },
  ],
  invalid: [
    {
      name: "the token issuer's JWKS answers 404: a likely cause",
      input: {
        headers: bearer(),
        idp: idp([jwks({ status: 404, json: undefined, problem: 'answered 404 Not Found, not 200' })]),
      },
      expect: {
        id: 'idp.jwks-failed',
        kind: 'cause',
        step: 4,
        confidence: 'likely',
        title: `The JWKS at ${JWKS} could not be loaded: answered 404 Not Found, not 200`,
        mentions: [
          'The key set (jwks_uri of the discovery document) answered 404',
          'cannot verify any token',
        ],
        evidence: [
          { probe: 'jwks', where: 'document.url', value: JWKS },
          { probe: 'jwks', where: 'document.status', value: '404' },
          { probe: 'jwks', where: 'document.problem', value: 'answered 404 Not Found, not 200' },
        ],
        fix: expect.stringContaining('does not exist'),
        count: 1,
      },
    },
    {
      name: 'unreachable: possible',
      input: {
        headers: bearer(),
        idp: idp([
          jwks({
            status: undefined,
            json: undefined,
            error: { phase: 'connect', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.7:443' },
          }),
        ]),
      },
      expect: {
        kind: 'cause',
        confidence: 'possible',
        title: expect.stringContaining(
          'unreachable (connect ECONNREFUSED: connect ECONNREFUSED 10.0.0.7:443)',
        ),
        fix: expect.stringContaining('egress proxy'),
      },
    },
    {
      name: 'no usable key, as the probe and the verifier say: one finding',
      input: {
        headers: bearer(),
        idp: idp(
          [
            jwks({
              json: { keys: [{ kid: 'e1', kty: 'RSA', use: 'enc' }] },
              problem:
                'no key is usable for signatures (an RSA, EC or OKP key with use "sig" or no use); it holds: RSA use enc (kid e1)',
            }),
          ],
          verification('no-usable-key', [{ kid: 'e1', kty: 'RSA', use: 'enc' }]),
        ),
      },
      expect: {
        kind: 'cause',
        count: 1,
        title: expect.stringContaining('no key is usable for signatures'),
        evidence: [{ probe: 'verification', where: 'verification.result', value: 'no-usable-key' }],
      },
    },
    {
      name: 'the verifier finds no key for the alg (EC keys, RS256 token)',
      input: {
        headers: bearer(),
        idp: idp(
          [jwks({ json: { keys: [{ kid: 'k1', kty: 'EC' }] } })],
          verification('no-usable-key', [{ kid: 'k1', kty: 'EC', alg: 'ES256' }]),
        ),
      },
      expect: {
        kind: 'cause',
        confidence: 'likely',
        title: "The issuer's JWKS holds no key usable for the token's RS256",
        mentions: ['holds k1: EC ES256'],
        evidence: [
          { probe: 'jwks', where: 'document.keys', value: 'k1: EC ES256' },
          { where: 'token.header.alg', value: 'RS256' },
        ],
      },
    },
    {
      name: 'a JWKS that is not for the token issuer: a warning',
      input: {
        headers: bearer(),
        idp: idp([
          jwks({
            url: 'https://keys.other.example.net/jwks',
            from: '--issuer',
            status: 500,
            json: undefined,
          }),
        ]),
      },
      expect: { kind: 'warning', confidence: 'confirmed' },
    },
    {
      name: 'JSON without keys',
      input: { headers: bearer(), idp: idp([jwks({ json: { error: 'nope' } })]) },
      expect: { title: expect.stringContaining('the JSON has no "keys" array') },
    },
    {
      name: "Envoy's words, while the JWKS loads fine from here",
      input: { headers: bearer(), idp: idp([jwks()]), responseBody: 'Jwks remote fetch is failed' },
      expect: {
        kind: 'cause',
        confidence: 'likely',
        title: "The server could not load the issuer's signing keys: Jwks remote fetch is failed",
        mentions: [`From here the JWKS at ${JWKS} loads fine (1 key)`],
        evidence: [{ probe: 'main', where: 'response.body', value: 'Jwks remote fetch is failed' }],
      },
    },
    {
      name: 'IDX10500 without any IdP evidence',
      input: {
        headers: bearer(),
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_token", error_description="IDX10500: Signature validation failed. No security keys were provided to validate the signature."',
        },
      },
      expect: { confidence: 'likely', mentions: ['Microsoft.IdentityModel'] },
    },
    {
      name: 'the JWKS fails and the server says it too: one finding with both',
      input: {
        headers: bearer(),
        idp: idp([jwks({ status: 502, json: undefined })]),
        responseBody: 'Jwks remote fetch is failed',
      },
      expect: {
        count: 1,
        confidence: 'likely',
        mentions: ['The server says: "Jwks remote fetch is failed"'],
        evidence: [
          { probe: 'jwks', where: 'document.status', value: '502' },
          { probe: 'main', where: 'response.body' },
        ],
      },
    },
  ],
});
