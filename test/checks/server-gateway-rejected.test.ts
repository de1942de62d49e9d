import check from '../../src/checks/server-gateway-rejected.js';
import { testCheck } from '../support/check-tester.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTc5NTc3MjcyMH0.c2lnbmF0dXJl';
const BEARER = { Authorization: `Bearer ${JWT}` };
const JSON_CT = { 'content-type': 'application/json; charset=utf-8' };
const nginxPage = (code: string) =>
  `<html>\r\n<head><title>${code}</title></head>\r\n<body>\r\n<center><h1>${code}</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n`;

testCheck(check, {
  valid: [
    {
      name: 'a healthy 200 behind Cloudflare',
      input: {
        headers: BEARER,
        status: 200,
        responseHeaders: { server: 'cloudflare', 'cf-ray': '8c5d2f1a3b7e4d21-FRA', ...JSON_CT },
        responseBody: '{"ok":true}',
      },
    },
    {
      name: "the application's own 401 proxied by nginx",
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { server: 'nginx/1.22.1', 'www-authenticate': 'Bearer realm="api"', ...JSON_CT },
        responseBody: '{"error":"unauthorized"}',
      },
    },
    {
      name: 'express-oauth2-jwt-bearer answering for itself',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'x-powered-by': 'Express',
          'www-authenticate':
            'Bearer realm="api", error="invalid_token", error_description="\'exp\' claim timestamp check failed"',
          ...JSON_CT,
        },
        responseBody:
          '{"name":"InvalidTokenError","code":"invalid_token","message":"\\"exp\\" claim timestamp check failed"}',
      },
    },
    {
      name: '@fastify/jwt answering for itself',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: JSON_CT,
        responseBody:
          '{"statusCode":401,"code":"FST_JWT_AUTHORIZATION_TOKEN_EXPIRED","error":"Unauthorized","message":"Authorization token expired"}',
      },
    },
    {
      name: "the application's own 401 through Envoy (x-envoy-upstream-service-time)",
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { server: 'envoy', 'x-envoy-upstream-service-time': '9', ...JSON_CT },
        responseBody: '{"error":"unauthorized"}',
      },
    },
    {
      name: 'Missing Authentication Token belongs to url.wrong-endpoint',
      input: {
        status: 403,
        responseHeaders: { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException', ...JSON_CT },
        responseBody: '{"message":"Missing Authentication Token"}',
      },
    },
    {
      name: 'a Cloudflare firewall block belongs to server.waf-blocked',
      input: {
        status: 403,
        responseHeaders: { server: 'cloudflare', 'cf-ray': '8c5d2f1a3b7e4d21-FRA' },
        responseBody: '<h2><span>Error</span><span>1020</span></h2>',
      },
    },
    {
      name: 'GitHub answering for itself is not a layer in front',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { ...JSON_CT, 'x-github-request-id': '4DB7:B4C3:6700A9' },
        responseBody: '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}',
      },
    },
    {
      name: "an identity provider's token endpoint (Entra) is not a layer in front",
      input: {
        method: 'POST',
        url: 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token',
        status: 401,
        responseHeaders: JSON_CT,
        responseBody:
          '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}',
      },
    },
    {
      name: "Envoy's words on a 200 do not make a refusal",
      input: { status: 200, responseHeaders: { server: 'envoy' }, responseBody: 'Jwt is expired' },
    },
  ],
  invalid: [
    {
      name: "Kong's key-auth plugin: no API key",
      input: {
        status: 401,
        responseHeaders: {
          server: 'kong/3.6.1',
          'x-kong-response-latency': '1',
          'www-authenticate': 'Key realm="kong"',
          ...JSON_CT,
        },
        responseBody: '{"message":"No API key found in request"}',
      },
      expect: {
        id: 'server.gateway-rejected',
        kind: 'cause',
        step: 4,
        confidence: 'confirmed',
        title: "Kong's key-auth plugin answered 401, not your application",
        mentions: ['No API key found in request', 'credentials.missing'],
        evidence: [
          { where: 'server.says', value: 'credentials.missing' },
          { where: 'response.header.server', value: 'kong/3.6.1' },
          { where: 'response.status', value: '401' },
        ],
      },
    },
    {
      name: 'Envoy jwt_authn with its headers: an expired token, confirmed',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          server: 'istio-envoy',
          'www-authenticate': 'Bearer realm="https://api.example.com/v1/me", error="invalid_token"',
          'content-type': 'text/plain',
        },
        responseBody: 'Jwt is expired',
      },
      expect: {
        confidence: 'confirmed',
        mentions: ["Envoy's jwt_authn filter", '"Jwt is expired"', 'token.expired'],
        evidence: [
          { where: 'server.says', value: 'token.expired' },
          { where: 'response.body', value: 'Jwt is expired' },
        ],
      },
    },
    {
      name: "Envoy's words without its headers: likely",
      input: { headers: BEARER, status: 401, responseBody: 'Jwt issuer is not configured' },
      expect: { confidence: 'likely', evidence: [{ where: 'server.says', value: 'jwt.issuer-mismatch' }] },
    },
    {
      name: 'nginx auth_basic in front while the client sends Bearer',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          server: 'nginx/1.22.1',
          'content-type': 'text/html',
          'www-authenticate': 'Basic realm="restricted"',
        },
        responseBody: nginxPage('401 Authorization Required'),
      },
      expect: {
        confidence: 'confirmed',
        title: 'nginx auth_basic answered 401 with its own page, before the application behind it',
        mentions: ['auth_basic', 'Bearer token does not satisfy'],
        evidence: [{ where: 'response.header.www-authenticate', value: 'Basic realm="restricted"' }],
      },
    },
    {
      name: 'nginx auth_request: the auth service said 401',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          server: 'nginx/1.22.1',
          'content-type': 'text/html',
          'www-authenticate': 'Bearer realm="auth-service", error="invalid_token"',
        },
        responseBody: nginxPage('401 Authorization Required'),
      },
      expect: { confidence: 'confirmed', mentions: ['auth_request'] },
    },
    {
      name: 'Istio AuthorizationPolicy (RBAC: access denied)',
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: { server: 'istio-envoy', 'content-type': 'text/plain' },
        responseBody: 'RBAC: access denied',
      },
      expect: { confidence: 'confirmed', mentions: ['RBAC', 'AuthorizationPolicy'] },
    },
    {
      name: 'AWS API Gateway authorizer: Unauthorized',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: {
          'x-amzn-ErrorType': 'UnauthorizedException',
          'x-amzn-RequestId': 'abc',
          ...JSON_CT,
        },
        responseBody: '{"message":"Unauthorized"}',
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['identity source'],
        evidence: [{ where: 'response.header.x-amzn-errortype', value: 'UnauthorizedException' }],
      },
    },
    {
      name: 'AWS ALB authentication (header alone): likely',
      input: { headers: BEARER, status: 401, responseHeaders: { server: 'awselb/2.0' } },
      expect: { confidence: 'likely', mentions: ['AWSELBAuthSessionCookie'] },
    },
    {
      name: "oauth2-proxy's sign-in page",
      input: {
        headers: BEARER,
        status: 403,
        responseHeaders: { 'content-type': 'text/html; charset=utf-8' },
        responseBody:
          '<!DOCTYPE html><html><head><title>Sign In</title></head><body><form method="GET" action="/oauth2/start"><button>Sign in with Google</button></form></body></html>',
      },
      expect: { mentions: ['oauth2-proxy', '--skip-jwt-bearer-tokens'] },
    },
    {
      name: 'Cloudflare Access sends the request to its sign-in page',
      input: {
        headers: BEARER,
        status: 302,
        responseHeaders: {
          location: 'https://acme.cloudflareaccess.com/cdn-cgi/access/login/api.example.com?redirect_url=%2F',
          'cf-ray': '8c5d2f1a3b7e4d21-FRA',
        },
      },
      expect: {
        title: 'Cloudflare Access sent the request to its sign-in page; your application never saw it',
        evidence: [{ where: 'server.says', value: 'login.redirect' }],
      },
    },
    {
      name: 'Identity-Aware Proxy answered itself',
      input: {
        headers: BEARER,
        status: 401,
        responseHeaders: { 'x-goog-iap-generated-response': 'true', server: 'Google Frontend' },
        responseBody: 'Invalid IAP credentials: Invalid bearer token. Invalid JWT audience.',
      },
      expect: {
        confidence: 'confirmed',
        evidence: [{ where: 'server.says', value: 'jwt.audience-mismatch' }],
        mentions: ['Identity-Aware Proxy'],
      },
    },
    {
      name: 'Kong behind Cloudflare: the other layer is named for context',
      input: {
        status: 403,
        responseHeaders: {
          server: 'kong/3.6.1',
          'x-kong-response-latency': '0',
          'cf-ray': '8c5d2f1a3b7e4d21-FRA',
          ...JSON_CT,
        },
        responseBody: '{"message":"You cannot consume this service"}',
      },
      expect: { mentions: ["Kong's acl plugin", 'Cloudflare (cf-ray)'] },
    },
  ],
});
