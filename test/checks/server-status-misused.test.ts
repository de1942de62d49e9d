import check from '../../src/checks/server-status-misused.js';
import { testCheck } from '../support/check-tester.js';

const BEARER = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln' };

testCheck(check, {
  valid: [
    {
      name: 'a 401 with a challenge and no credentials',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
    },
    {
      name: '403 insufficient_scope is right',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="read"' },
      },
    },
    { name: '403 to a request with credentials', input: { headers: BEARER, status: 403 } },
    {
      name: 'a healthy 200',
      input: { headers: BEARER, status: 200, responseBody: '{"ok":true,"user":"u1"}' },
    },
    {
      name: 'a 200 with an unrelated error field',
      input: { headers: BEARER, status: 200, responseBody: '{"ok":false,"error":"channel_not_found"}' },
    },
    {
      name: 'AWS API Gateway 403 without credentials (an unknown route)',
      input: { status: 403, responseBody: '{"message":"Missing Authentication Token"}' },
    },
    {
      name: 'a 200 docs page that mentions an error string',
      input: {
        status: 200,
        responseHeaders: { 'Content-Type': 'text/html' },
        responseBody: '<p>The API answers "jwt expired" when…</p>',
      },
    },
  ],
  invalid: [
    {
      name: '401 with insufficient_scope',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="admin"',
        },
      },
      expect: {
        id: 'server.status-misused',
        kind: 'warning',
        step: 4,
        confidence: 'confirmed',
        title: 'The server answers 401 for a missing scope; 403 is right',
        mentions: ['RFC 6750 §3.1'],
        evidence: [
          { where: 'response.status', value: '401' },
          {
            where: 'response.header.www-authenticate',
            value: 'Bearer realm="api", error="insufficient_scope", scope="admin"',
          },
        ],
      },
    },
    {
      name: '403 with a challenge to a request without credentials',
      input: { status: 403, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      expect: {
        confidence: 'confirmed',
        title: 'The server answers 403 to a request without credentials; 401 with a challenge is right',
        mentions: ['even carries one'],
        evidence: [{ where: 'request.credentials', value: 'none' }],
      },
    },
    {
      name: '403 without challenge and without credentials',
      input: { status: 403, responseBody: '{"message":"Forbidden"}' },
      expect: { confidence: 'likely', evidence: [{ where: 'response.status', value: '403' }] },
    },
    {
      name: 'credentials dropped on a cross-origin redirect: the server received none',
      input: {
        headers: BEARER,
        hops: [{ status: 301, responseHeaders: { Location: 'https://api2.example.com/v1/me' } }],
        dropped: ['authorization'],
        status: 403,
      },
      expect: {
        confidence: 'likely',
        evidence: [{ probe: 'main#1', where: 'response.status', value: '403' }],
      },
    },
    {
      name: 'Slack: 200 with ok:false and invalid_auth',
      input: {
        headers: { Authorization: 'Bearer xoxb-123-456-abc' },
        status: 200,
        responseBody: '{"ok":false,"error":"invalid_auth"}',
      },
      expect: {
        confidence: 'confirmed',
        title: 'The server answers 200 although authentication failed (error: "invalid_auth")',
        evidence: [{ where: 'response.body.error', value: 'invalid_auth' }],
      },
    },
    {
      name: 'GraphQL: 200 with UNAUTHENTICATED',
      input: {
        headers: BEARER,
        method: 'POST',
        status: 200,
        responseBody:
          '{"errors":[{"message":"Not authenticated","extensions":{"code":"UNAUTHENTICATED"}}],"data":null}',
      },
      expect: {
        confidence: 'confirmed',
        evidence: [{ where: 'response.body.errors[0].extensions.code', value: 'UNAUTHENTICATED' }],
      },
    },
  ],
});
