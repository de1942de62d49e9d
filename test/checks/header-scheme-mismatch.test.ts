import { expect } from 'vitest';
import check from '../../src/checks/header-scheme-mismatch.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
const bearer = { 'WWW-Authenticate': 'Bearer realm="api"' };

testCheck(check, {
  valid: [
    {
      name: 'Bearer sent, Bearer offered',
      input: { headers: { Authorization: `Bearer ${TOKEN}` }, responseHeaders: bearer },
    },
    {
      name: 'schemes compare case-insensitively',
      input: {
        headers: { Authorization: `bearer ${TOKEN}` },
        responseHeaders: { 'WWW-Authenticate': 'BEARER' },
      },
    },
    { name: 'no challenge at all', input: { headers: { Authorization: `Token ${TOKEN}` }, status: 401 } },
    {
      name: 'Basic sent, Basic among several challenges',
      input: {
        headers: { Authorization: 'Basic dTpw' },
        responseHeaders: [
          ['WWW-Authenticate', 'Bearer realm="api"'],
          ['WWW-Authenticate', 'Basic realm="api"'],
        ],
      },
    },
    {
      name: 'Token sent where the server offers Token (Django REST Framework)',
      input: {
        headers: { Authorization: 'Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b' },
        responseHeaders: { 'WWW-Authenticate': 'Token' },
      },
    },
    {
      name: 'DPoP sent, DPoP offered in one header with Bearer',
      input: {
        headers: { Authorization: `DPoP ${TOKEN}` },
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="a", DPoP algs="ES256"' },
      },
    },
    { name: 'no Authorization header', input: { responseHeaders: bearer } },
    {
      name: 'a token with no scheme (header.scheme-missing reports it)',
      input: { headers: { Authorization: TOKEN }, responseHeaders: bearer },
    },
  ],
  invalid: [
    {
      name: 'Basic sent, Bearer expected, 401: confirmed',
      input: { headers: { Authorization: 'Basic dXNlcjpwYXNz' }, responseHeaders: bearer },
      expect: {
        id: 'header.scheme-mismatch',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The scheme `Basic` was sent, but the server asks for Bearer',
        evidence: [
          { probe: 'input', where: 'request.header.authorization', value: 'Basic dXNlcjpwYXNz' },
          { probe: 'main', where: 'response.header.www-authenticate', value: 'Bearer realm="api"' },
        ],
        fix: expect.stringContaining('Authorization: Bearer <token>'),
        count: 1,
      },
    },
    {
      name: 'Token is named as non-standard',
      input: { headers: { Authorization: `Token ${TOKEN}` }, responseHeaders: bearer },
      expect: {
        confidence: 'confirmed',
        title: 'The scheme `Token` is not standard; the server asks for Bearer',
        mentions: ['GitHub'],
      },
    },
    {
      name: 'JWT is named as non-standard',
      input: { headers: { Authorization: `JWT ${TOKEN}` }, responseHeaders: bearer },
      expect: { confidence: 'confirmed', mentions: ['`JWT` is not a standard scheme'] },
    },
    {
      name: 'Bearer: with a stray colon',
      input: { headers: { Authorization: `Bearer: ${TOKEN}` }, responseHeaders: bearer },
      expect: { confidence: 'confirmed', mentions: ['`Bearer:`', 'stray colon'] },
    },
    {
      name: 'Bearer-Token',
      input: { headers: { Authorization: `Bearer-Token ${TOKEN}` }, responseHeaders: bearer },
      expect: { confidence: 'confirmed', mentions: ['`Bearer-Token` is not a scheme'] },
    },
    {
      name: 'Bearer sent, only Basic offered',
      input: {
        headers: { Authorization: `Bearer ${TOKEN}` },
        responseHeaders: { 'WWW-Authenticate': 'Basic realm="admin"' },
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['asks for Basic'],
        fix: expect.stringContaining('-u user:password'),
      },
    },
    {
      name: '403 with a challenge: likely',
      input: { headers: { Authorization: `Token ${TOKEN}` }, status: 403, responseHeaders: bearer },
      expect: { confidence: 'likely' },
    },
    {
      name: '400 with a challenge: confirmed',
      input: {
        headers: { Authorization: `Token ${TOKEN}` },
        status: 400,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_request"' },
      },
      expect: { confidence: 'confirmed' },
    },
    {
      name: 'only the anonymous probe saw a challenge: likely, cites it',
      input: {
        headers: { Authorization: `JWT ${TOKEN}` },
        status: 403,
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      },
      expect: {
        confidence: 'likely',
        evidence: [
          { probe: 'anonymous', where: 'response.header.www-authenticate', value: 'Bearer realm="api"' },
        ],
      },
    },
  ],
});
