import check from '../../src/checks/apikey-wrong-place.js';
import { deriveFacts } from '../../src/facts/request.js';
import type { Evidence } from '../../src/model/evidence.js';
import { describe, expect, it } from 'vitest';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';
import { PETS } from '../support/openapi-summary.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
/** @fastify/jwt's answer to a request without Authorization (fastify/fastify-jwt:index.js). */
const FASTIFY_NO_AUTH =
  '{"statusCode":401,"code":"FST_JWT_NO_AUTHORIZATION_IN_HEADER","error":"Unauthorized","message":"No Authorization was found in request.headers"}';

testCheck(check, {
  valid: [
    {
      name: '--openapi: the key in the header the document declares',
      input: {
        url: 'https://api.example.com/v1/me',
        headers: { 'X-API-Key': 'k-123456789' },
        status: 401,
        openapi: PETS,
      },
    },
    {
      name: '--openapi: a bearer token for an operation that takes a query key or OAuth',
      input: {
        url: 'https://api.example.com/v1/reports',
        headers: { Authorization: `Bearer ${JWT}` },
        status: 403,
        openapi: PETS,
      },
    },
    {
      name: '--openapi: a query key the server accepts (the document is what is wrong)',
      input: { url: 'https://api.example.com/v1/me?api_key=k-123456789', status: 200, openapi: PETS },
    },
    {
      name: 'the token in Authorization',
      input: { headers: { Authorization: `Bearer ${JWT}` }, status: 401 },
    },
    {
      name: 'an API key the API accepts',
      input: { headers: { 'X-API-Key': 'k-123456789' }, status: 200 },
    },
    {
      name: 'an API key refused with no sign of Authorization wanted',
      input: {
        headers: { 'X-API-Key': 'k-123456789' },
        status: 403,
        responseBody: '{"message":"Forbidden"}',
      },
    },
  ],
  invalid: [
    {
      name: '--openapi --offline: a query key where the document declares the X-API-Key header',
      input: { url: 'https://api.example.com/v1/me?api_key=k-123456789', offline: true, openapi: PETS },
      expect: {
        confidence: 'possible',
        title:
          'The credential is sent in the query parameter `api_key`, but the OpenAPI document says GET /me reads it from the X-API-Key header',
        fix: "Send it in the X-API-Key header: `-H 'X-API-Key: <key>'` (and take it out of the URL, where it ends up in logs).",
        evidence: [{ where: 'openapi.security' }],
      },
    },
    {
      name: '--openapi: a key in Authorization where the document declares the X-API-Key header',
      input: {
        url: 'https://api.example.com/v1/me',
        headers: { Authorization: 'Bearer k-123456789' },
        status: 401,
        openapi: PETS,
      },
      expect: { confidence: 'likely', mentions: ['the Authorization header', 'answered 401'] },
    },
    {
      name: '--openapi: a header key where the document declares the query parameter',
      input: {
        url: 'https://api.example.com/v1/reports',
        headers: { 'X-API-Key': 'k-123456789' },
        status: 401,
        openapi: PETS,
      },
      expect: {
        title:
          'The credential is sent in the X-API-Key header, but the OpenAPI document says GET /reports reads it from the query parameter `api_key`',
      },
    },
    {
      name: "X-Auth-Token to @fastify/jwt: 'No Authorization was found'",
      input: { headers: { 'X-Auth-Token': JWT }, status: 401, responseBody: FASTIFY_NO_AUTH },
      expect: {
        confidence: 'likely',
        title:
          'The credential is sent in the X-Auth-Token header, but this server reads `Authorization: Bearer`',
        fix: "Send it as `-H 'Authorization: Bearer <token>'` instead of `-H 'X-Auth-Token: <token>'`.",
      },
    },
    {
      // FastAPI answers "Not authenticated" for HTTPBearer and APIKeyHeader alike: no challenge,
      // so nothing says the server reads Authorization.
      name: 'a query api_key to FastAPI ("Not authenticated", no challenge): the place not guessed',
      input: {
        url: 'https://api.example.com/v1/me?api_key=k-123456789',
        status: 403,
        responseHeaders: { Server: 'uvicorn' },
        responseBody: '{"detail":"Not authenticated"}',
      },
      expect: {
        confidence: 'likely',
        title: 'The credential is sent in the query parameter `api_key`, where this server does not read it',
        mentions: ['FastAPI says no credentials reached it', 'does not say where'],
      },
    },
    {
      name: 'a query access_token to a server whose challenge asks for Token (Django REST framework)',
      input: {
        url: 'https://api.example.com/v1/me?access_token=abcdef0123456789',
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Token' },
        responseBody: '{"detail":"Authentication credentials were not provided."}',
      },
      expect: {
        title:
          'The credential is sent in the query parameter `access_token`, but this server reads `Authorization: Token`',
        mentions: ['asks for the Token scheme'],
      },
    },
  ],
});

describe('apikey.wrong-place repairs', () => {
  const repair = (e: Evidence) => check.repair!(deriveFacts(e));
  it('before any answer, a token-like header moves to Authorization: Bearer', () => {
    const e = ev({ headers: { 'X-Auth-Token': JWT, Accept: 'application/json' } });
    e.exchanges = [];
    expect(repair(e)).toEqual([
      {
        change: '`Authorization: Bearer …` instead of the X-Auth-Token header',
        request: {
          method: 'GET',
          url: 'https://api.example.com/v1/me',
          headers: [
            ['Accept', 'application/json'],
            ['Authorization', `Bearer ${JWT}`],
          ],
        },
      },
    ]);
  });
  it('a vendor API key header is not moved before the server has answered', () => {
    const e = ev({ headers: { 'X-API-Key': 'k-123456789' } });
    e.exchanges = [];
    expect(repair(e)).toEqual([]);
  });
  it('after the answer, with the scheme the challenge names, and the query parameter removed', () => {
    const e = ev({
      url: 'https://api.example.com/v1/me?access_token=abcdef0123456789&page=2',
      status: 401,
      responseHeaders: { 'WWW-Authenticate': 'Token' },
    });
    expect(repair(e)).toEqual([
      {
        change: '`Authorization: Token …` instead of the query parameter `access_token`',
        request: {
          method: 'GET',
          url: 'https://api.example.com/v1/me?page=2',
          headers: [['Authorization', 'Token abcdef0123456789']],
        },
      },
    ]);
  });
});
