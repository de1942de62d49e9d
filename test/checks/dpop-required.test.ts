import check from '../../src/checks/dpop-required.js';
import { testCheck } from '../support/check-tester.js';

const JWT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1MSIsImNuZiI6eyJqa3QiOiJhYmMifX0.c2ln';
const DPOP = { Authorization: `DPoP ${JWT}`, DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln' };
const BEARER = { Authorization: `Bearer ${JWT}` };
const DPOP_ALGS = 'DPoP algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA"';

testCheck(check, {
  valid: [
    {
      name: 'express-oauth2-jwt-bearer: DPoP algs beside Bearer on every 401',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': `Bearer realm="api", ${DPOP_ALGS}` },
      },
    },
    {
      name: 'express-oauth2-jwt-bearer: an expired Bearer token, DPoP offered too',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed", ${DPOP_ALGS}`,
        },
      },
    },
    {
      name: 'a realm that merely contains use_dpop_nonce',
      input: {
        headers: DPOP,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="use_dpop_nonce_blocklist"' },
      },
    },
    {
      name: 'a fresh nonce on a 200',
      input: { headers: DPOP, status: 200, responseHeaders: { 'DPoP-Nonce': 'eyJ7S_zG.eyJH0-Z' } },
    },
    {
      name: 'a nonce header next to another error (the token is the problem)',
      input: {
        headers: DPOP,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'DPoP error="invalid_token", error_description="token expired"',
          'DPoP-Nonce': 'n-1',
        },
      },
    },
    {
      name: 'only DPoP offered and no credentials sent',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'DPoP algs="ES256"' } },
    },
  ],
  invalid: [
    {
      name: 'RFC 9449 §9: resource server asks for a nonce',
      input: {
        headers: DPOP,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
          'DPoP-Nonce': 'eyJ7S_zG.eyJH0-Z.HX4w-7v',
        },
      },
      expect: {
        id: 'dpop.required',
        kind: 'cause',
        step: 4,
        confidence: 'confirmed',
        title: 'The server wants a DPoP nonce: retry with the DPoP-Nonce it sent',
        mentions: ['error="use_dpop_nonce"', 'Resource server requires nonce in DPoP proof', 'retry once'],
        evidence: [
          {
            where: 'response.header.www-authenticate',
            value:
              'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
          },
          { where: 'response.header.dpop-nonce', value: 'eyJ7S_zG.eyJH0-Z.HX4w-7v' },
        ],
      },
    },
    {
      name: 'RFC 9449 §8: authorization server JSON shape',
      input: {
        method: 'POST',
        url: 'https://as.example.com/token',
        headers: { DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln' },
        status: 400,
        responseHeaders: { 'Content-Type': 'application/json', 'DPoP-Nonce': 'eyJ7S_zG.eyJH0-Z' },
        responseBody:
          '{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}',
      },
      expect: {
        confidence: 'confirmed',
        evidence: [{ where: 'response.body.error', value: 'use_dpop_nonce' }],
      },
    },
    {
      name: 'use_dpop_nonce on a Bearer challenge (esignet) without a nonce header',
      input: {
        headers: DPOP,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="use_dpop_nonce", error_description="Server requires DPoP nonce."',
        },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The server wants a DPoP nonce in the proof',
        mentions: ['no DPoP-Nonce header'],
      },
    },
    {
      name: 'DPoP challenge plus nonce header, no error code',
      input: {
        headers: DPOP,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'DPoP algs="ES256"', 'DPoP-Nonce': 'n-2' },
      },
      expect: { confidence: 'confirmed', evidence: [{ where: 'response.header.dpop-nonce', value: 'n-2' }] },
    },
    {
      name: 'express-oauth2-jwt-bearer: invalid_dpop_proof htu mismatch',
      input: {
        headers: DPOP,
        status: 400,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer realm="api", error="invalid_dpop_proof", error_description="DPoP Proof htu mismatch"',
        },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The server refused the DPoP proof: DPoP Proof htu mismatch',
        mentions: ['invalid_dpop_proof'],
      },
    },
    {
      name: 'express-oauth2-jwt-bearer: proof sent with the Bearer scheme',
      input: {
        headers: { ...BEARER, DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln' },
        status: 400,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer realm="api", error="invalid_request", error_description="DPoP proof requires the DPoP authentication scheme, not Bearer"',
        },
      },
      expect: {
        confidence: 'confirmed',
        title:
          'The server refused the DPoP request: DPoP proof requires the DPoP authentication scheme, not Bearer',
        fix: 'Get a DPoP-bound token (send a DPoP proof to the token endpoint) and call the API with `Authorization: DPoP <token>` plus a `DPoP: <proof>` header for this method and URL.',
        mentions: ['express-oauth2-jwt-bearer'],
      },
    },
    {
      name: 'only DPoP offered while Bearer was sent',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'DPoP algs="ES256 EdDSA"' },
      },
      expect: {
        confidence: 'likely',
        title: 'The server accepts only DPoP-bound tokens, and the request sent a Bearer token',
        mentions: ['ES256 EdDSA'],
        evidence: [
          { where: 'request.header.authorization', value: 'Bearer …' },
          { where: 'response.header.www-authenticate', value: 'DPoP algs="ES256 EdDSA"' },
        ],
      },
    },
  ],
});
