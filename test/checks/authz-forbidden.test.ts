import check from '../../src/checks/authz-forbidden.js';
import { testCheck } from '../support/check-tester.js';

const BEARER = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSIsInNjb3BlIjoicHJvZmlsZSJ9.c2ln' };

testCheck(check, {
  valid: [
    { name: 'a 200', input: { headers: BEARER, status: 200 } },
    {
      name: 'a 401 invalid_token',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      },
    },
    {
      name: 'a 403 without credentials (status-misused says so)',
      input: { status: 403, responseBody: 'Forbidden' },
    },
    {
      name: 'a 403 that names a more specific reason (Envoy audience)',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer realm="https://api.example.com/v1/me", error="invalid_token"',
        },
        responseBody: 'Audiences in Jwt are not allowed',
      },
    },
    {
      name: 'AWS API Gateway 403 for an unknown route',
      input: { headers: BEARER, status: 403, responseBody: '{"message":"Missing Authentication Token"}' },
    },
  ],
  invalid: [
    {
      name: 'express-oauth2-jwt-bearer: insufficient_scope with scope',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer realm="api", error="insufficient_scope", error_description="Insufficient Scope", scope="read:orders"',
        },
      },
      expect: {
        id: 'authz.forbidden',
        kind: 'cause',
        step: 4,
        confidence: 'confirmed',
        title: 'The token lacks the scope "read:orders" that this request needs',
        fix: "Request a token that includes the scope `read:orders` (add it to the token request's `scope`, and make sure the client or user is allowed to get it); refreshing the same grant gives the same scopes.",
        mentions: ['Insufficient Scope', 'scope="read:orders"'],
        evidence: [
          {
            where: 'response.header.www-authenticate',
            value:
              'Bearer realm="api", error="insufficient_scope", error_description="Insufficient Scope", scope="read:orders"',
          },
          { where: 'server.says', value: 'jwt.scope-insufficient' },
          { where: 'response.status', value: '403' },
        ],
      },
    },
    {
      name: 'Spring: insufficient_scope without naming the scope',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"',
        },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The token is valid but lacks a scope this request needs',
        mentions: ['without naming the scope'],
      },
    },
    {
      name: 'two scopes, on a 401 (the status is wrong, the cause the same)',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="orders:read orders:write"',
        },
      },
      expect: {
        title: 'The token lacks the scope "orders:read" "orders:write" that this request needs',
        confidence: 'confirmed',
      },
    },
    {
      name: 'insufficient_scope in a JSON body',
      input: {
        headers: BEARER,
        status: 403,
        responseBody: '{"error":"insufficient_scope","error_description":"Missing scope admin"}',
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['Missing scope admin'],
        evidence: [{ where: 'response.body.error', value: 'insufficient_scope' }],
      },
    },
    {
      name: 'a bare 403 with a JSON message (API Gateway Lambda authorizer deny)',
      input: {
        headers: BEARER,
        status: 403,
        responseBody: '{"message":"User is not authorized to access this resource"}',
      },
      expect: {
        confidence: 'possible',
        title:
          'The server refuses this request for these credentials (403): User is not authorized to access this resource',
        evidence: [
          { where: 'response.body.message', value: 'User is not authorized to access this resource' },
        ],
      },
    },
    {
      name: 'a bare 403 with a session cookie and a short text body',
      input: { headers: { Cookie: 'sid=abc' }, status: 403, responseBody: 'Forbidden' },
      expect: {
        confidence: 'possible',
        title: 'The server knows who you are but refuses this request (403)',
        evidence: [
          { where: 'response.status', value: '403' },
          { where: 'response.body', value: 'Forbidden' },
        ],
      },
    },
    {
      name: 'GitHub-style nested error message',
      input: {
        headers: { Authorization: 'token ghp_abcdefghijklmnop' },
        status: 403,
        responseBody: '{"error":{"message":"Resource not accessible by integration"}}',
      },
      expect: {
        confidence: 'possible',
        evidence: [{ where: 'response.body.error.message', value: 'Resource not accessible by integration' }],
      },
    },
  ],
});
