import check from '../../src/checks/credentials-rejected.js';
import { testCheck } from '../support/check-tester.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTc5NTc3MjcyMH0.c2lnbmF0dXJl';
const BEARER = { Authorization: `Bearer ${JWT}` };
const DPOP_ALGS = 'DPoP algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA"';

testCheck(check, {
  valid: [
    {
      name: 'a healthy 200',
      input: { headers: BEARER, status: 200, responseBody: '{"ok":true,"sub":"u1"}' },
    },
    {
      name: 'no token: a bare Bearer challenge (no error code)',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': `Bearer realm="api", ${DPOP_ALGS}` } },
    },
    {
      name: 'insufficient_scope belongs to authz.forbidden',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer realm="api", error="insufficient_scope", error_description="Insufficient Scope", scope="read"',
        },
      },
    },
    {
      name: 'a generic 401 Unauthorized',
      input: { headers: BEARER, status: 401, responseBody: 'Unauthorized' },
    },
    {
      name: 'a 200 page that merely mentions an error string',
      input: {
        headers: BEARER,
        status: 200,
        responseHeaders: { 'Content-Type': 'text/html' },
        responseBody: '<p>If you see "jwt expired", refresh the token.</p>',
      },
    },
    {
      name: 'a 400 without a challenge',
      input: { headers: BEARER, status: 400, responseBody: '{"error":"bad_request"}' },
    },
    {
      // Flask-HTTPAuth's default error, also its answer to a wrong password: nothing was sent, so
      // there was nothing to reject (credentials.missing speaks).
      name: 'no credentials sent: Flask-HTTPAuth "Unauthorized Access"',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Basic realm="Authentication Required"' },
        responseBody: 'Unauthorized Access',
      },
    },
    {
      name: 'no credentials sent: an invalid_request challenge about the missing token',
      input: {
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer realm="api",error="invalid_request",error_description="missing token"',
        },
      },
    },
  ],
  invalid: [
    {
      // Chrome's "Export HAR (sanitized)": the token was sent but is not in the file.
      name: 'a HAR exported without credentials: the server saying the token expired still counts',
      input: {
        credentialsHidden: true,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The token expired"',
        },
      },
      expect: { id: 'credentials.rejected' },
    },
    {
      name: 'express-oauth2-jwt-bearer: expired token',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed", ${DPOP_ALGS}`,
        },
      },
      expect: {
        id: 'credentials.rejected',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: "The server rejected the token: 'exp' claim timestamp check failed",
        mentions: ['express-oauth2-jwt-bearer', 'token.expired'],
        evidence: [
          { probe: 'main', where: 'server.says', value: 'token.expired' },
          {
            where: 'response.header.www-authenticate',
            value: `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed"`,
          },
          { where: 'response.status', value: '401' },
        ],
      },
    },
    {
      name: '@fastify/jwt: no challenge, the reason in the JSON body',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
        responseBody: JSON.stringify({
          statusCode: 401,
          code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
          error: 'Unauthorized',
          message: 'Authorization token is invalid: The aud claim value is not allowed.',
        }),
      },
      expect: {
        confidence: 'confirmed',
        title:
          'The server rejected the token: Authorization token is invalid: The aud claim value is not allowed.',
        mentions: ['@fastify/jwt', 'jwt.audience-mismatch'],
        evidence: [
          { where: 'server.says', value: 'jwt.audience-mismatch' },
          {
            where: 'response.body.message',
            value: 'Authorization token is invalid: The aud claim value is not allowed.',
          },
        ],
      },
    },
    {
      name: 'Envoy: token sent but the server says it is missing',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'www-authenticate': 'Bearer realm="https://api.example.com/v1/me"',
          'content-type': 'text/plain',
        },
        responseBody: 'Jwt is missing',
      },
      expect: {
        title: 'The server says no credentials reached it: Jwt is missing',
        mentions: ['Envoy jwt_authn'],
        evidence: [
          { where: 'server.says', value: 'credentials.missing' },
          { where: 'response.body', value: 'Jwt is missing' },
        ],
      },
    },
    {
      name: 'ASP.NET: signature key not found',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_token", error_description="The signature key was not found"',
        },
      },
      expect: {
        title: 'The server rejected the token: The signature key was not found',
        mentions: ['ASP.NET Core JwtBearer', 'jwt.kid-unknown'],
        evidence: [{ where: 'server.says', value: 'jwt.kid-unknown' }],
      },
    },
    {
      name: 'bare invalid_token without a description',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="example", error="invalid_token"' },
      },
      expect: {
        title: 'The server rejected the token: error="invalid_token"',
        mentions: ['no description', 'RFC 6750'],
        evidence: [
          { where: 'server.says', value: 'credentials.rejected' },
          { where: 'response.header.www-authenticate' },
        ],
      },
    },
    {
      name: 'unknown invalid_token description is quoted as is',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_token", error_description="The access token is invalid."',
        },
      },
      expect: {
        title: 'The server rejected the token: The access token is invalid.',
        evidence: [{ where: 'server.says', value: 'credentials.rejected' }],
      },
    },
    {
      name: 'express-oauth2-jwt-bearer: Basic sent, 400 with a bare Bearer challenge',
      input: {
        headers: { Authorization: 'Basic dXNlcjpwYXNz' },
        status: 400,
        responseHeaders: { 'WWW-Authenticate': `Bearer realm="api", ${DPOP_ALGS}` },
        responseBody: '{"name":"InvalidRequestError","code":"","message":""}',
      },
      expect: {
        title: 'The server refused the Authorization header as malformed (400 with a Bearer challenge)',
        mentions: ['invalid_request'],
        evidence: [
          { where: 'response.status', value: '400' },
          { where: 'server.says', value: 'credentials.rejected' },
        ],
      },
    },
    {
      name: 'express-oauth2-jwt-bearer: two spaces after Bearer, 400: the server calls the header malformed',
      input: {
        headers: { Authorization: `Bearer  ${JWT}` },
        status: 400,
        responseHeaders: { 'WWW-Authenticate': `Bearer realm="api", ${DPOP_ALGS}` },
        responseBody: '{"name":"InvalidRequestError","code":"","message":""}',
      },
      expect: {
        title: 'The server refused the Authorization header as malformed (400 with a Bearer challenge)',
        evidence: [
          { where: 'response.status', value: '400' },
          { where: 'server.says', value: 'token.malformed' },
        ],
      },
    },
    {
      name: 'Spring: invalid_request for a token sent twice',
      input: {
        url: 'https://api.example.com/v1/me?access_token=abc',
        headers: BEARER,
        status: 400,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_request", error_description="Found multiple bearer tokens in the request", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"',
        },
      },
      expect: {
        mentions: ['Spring Security', 'header.duplicate'],
        evidence: [{ where: 'server.says', value: 'header.duplicate' }],
      },
    },
    {
      name: 'AWS API Gateway: wrong path, mapped to url.wrong-endpoint',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: {
          'content-type': 'application/json',
          'x-amzn-ErrorType': 'MissingAuthenticationTokenException',
        },
        responseBody: '{"message":"Missing Authentication Token"}',
      },
      expect: {
        title:
          'AWS API Gateway answered "Missing Authentication Token": the path or method probably does not exist',
        evidence: [{ where: 'server.says', value: 'url.wrong-endpoint' }],
      },
    },
    {
      name: 'Slack: 200 with invalid_auth',
      input: {
        headers: { Authorization: 'Bearer xoxb-1234567890-abcdefghij' },
        status: 200,
        responseBody: '{"ok":false,"error":"invalid_auth"}',
      },
      expect: { title: 'The server rejected the token: invalid_auth', mentions: ['Slack Web API'] },
    },
    {
      name: 'a JSON OAuth error body without a challenge',
      input: {
        headers: BEARER,
        status: 401,
        responseBody:
          '{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}',
      },
      expect: {
        title:
          'The server rejected the token: Token is expired. You can either do re-authorization or token refresh.',
        evidence: [{ where: 'response.body.error', value: 'invalid_token' }],
      },
    },
    {
      name: 'a server that echoes the token: the quote is redacted',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': `Bearer error="invalid_token", error_description="Token ${JWT} is not active"`,
        },
      },
      expect: { title: 'The server rejected the token: Token … is not active' },
    },
  ],
});
