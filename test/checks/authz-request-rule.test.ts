import check from '../../src/checks/authz-request-rule.js';
import { testCheck } from '../support/check-tester.js';

const bearer = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln' };
/** nginx's own 403 page (ngx_http_special_response.c), as `deny all;` answers. */
const NGINX_403 =
  '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';

testCheck(check, {
  valid: [
    {
      // FastAPI's APIKeyHeader, the key sent in the query: its words say no credentials arrived,
      // which the anonymous request naturally gets too.
      name: 'the words say no credentials reached the server (FastAPI "Not authenticated")',
      input: {
        url: 'https://api.example.com/v1/me?api_key=k-123456789',
        status: 403,
        responseHeaders: { 'Content-Type': 'application/json', Server: 'uvicorn' },
        responseBody: '{"detail":"Not authenticated"}',
        anonymous: {
          status: 403,
          responseHeaders: { 'Content-Type': 'application/json', Server: 'uvicorn' },
          responseBody: '{"detail":"Not authenticated"}',
        },
      },
    },
    {
      name: 'the anonymous request gets 401: the 403 is about the account',
      input: { headers: bearer, status: 403, anonymous: { status: 401 } },
    },
    {
      name: 'the anonymous request gets another 403 body',
      input: {
        headers: bearer,
        status: 403,
        responseBody: 'You do not have permission',
        anonymous: { status: 403, responseBody: 'Not authenticated' },
      },
    },
    { name: 'no anonymous probe to compare with', input: { headers: bearer, status: 403 } },
    {
      name: 'insufficient_scope is about the token',
      input: {
        headers: bearer,
        status: 403,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
        anonymous: {
          status: 403,
          responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
        },
      },
    },
    { name: 'no credentials sent', input: { status: 403, anonymous: { status: 403 } } },
  ],
  invalid: [
    {
      name: 'nginx `deny all`: its own page, for everyone',
      input: {
        headers: bearer,
        status: 403,
        responseHeaders: { Server: 'nginx/1.22.1', 'Content-Type': 'text/html' },
        responseBody: NGINX_403,
        anonymous: { status: 403, responseHeaders: { Server: 'nginx/1.22.1' }, responseBody: NGINX_403 },
      },
      expect: {
        confidence: 'likely',
        title: 'nginx refuses this request for anyone: a request without credentials gets the same 403',
        mentions: ['nginx `deny`/`allow`'],
        evidence: [
          { probe: 'anonymous', where: 'response.status', value: '403' },
          { where: 'response.header.server', value: 'nginx/1.22.1' },
        ],
      },
    },
    {
      // HAProxy's own 403 page for `http-request deny` (no Server header).
      name: 'a short text refusal, with a request id that differs',
      input: {
        headers: bearer,
        status: 403,
        responseBody: 'Request forbidden by administrative rules. id=8f2a91c0d3',
        anonymous: { status: 403, responseBody: 'Request forbidden by administrative rules. id=77b1e0aa42' },
      },
      expect: { mentions: ['identical 403', 'Request forbidden by administrative rules'] },
    },
  ],
});
