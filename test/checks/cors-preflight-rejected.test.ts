import { expect } from 'vitest';
import check from '../../src/checks/cors-preflight-rejected.js';
import { testCheck } from '../support/check-tester.js';

const ORIGIN = 'https://app.example.com';
const AUTH = { Authorization: 'Bearer abc.def.ghi' };
const CORS_OK = {
  'Access-Control-Allow-Origin': ORIGIN,
  'Access-Control-Allow-Methods': 'GET, PUT, DELETE',
  'Access-Control-Allow-Headers': 'authorization, content-type',
};

testCheck(check, {
  valid: [
    { name: 'no --origin: no browser in the picture', input: { headers: AUTH, status: 401 } },
    {
      name: 'the preflight is answered 204 with the CORS headers',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        preflight: { status: 204, responseHeaders: CORS_OK },
      },
    },
    {
      name: 'a 200 preflight that lacks headers is not a status problem',
      input: { headers: AUTH, origin: ORIGIN, status: 200, preflight: { status: 200 } },
    },
    {
      name: 'a simple request (GET, Accept only) is not preflighted: a 401 on OPTIONS does not matter',
      input: {
        headers: { Accept: 'application/json' },
        origin: ORIGIN,
        status: 200,
        preflight: { status: 401 },
      },
    },
    {
      name: 'a POST with a form content type and no Authorization is not preflighted',
      input: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
        origin: ORIGIN,
        preflight: { status: 403 },
      },
    },
    {
      name: 'same-origin: the page and the API share an origin, no CORS at all',
      input: { headers: AUTH, origin: 'https://api.example.com', status: 200, preflight: { status: 401 } },
    },
    { name: '--origin, but no preflight was sent', input: { headers: AUTH, origin: ORIGIN, status: 401 } },
  ],
  invalid: [
    {
      name: 'OPTIONS answered 401 by an auth guard (Spring "Full authentication is required")',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        preflight: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      },
      expect: {
        id: 'cors.preflight-rejected',
        kind: 'cause',
        step: 0,
        confidence: 'confirmed',
        title:
          "The browser's CORS preflight (OPTIONS) is answered 401: the server demands credentials that browsers never send on a preflight",
        mentions: [
          'authorization is not a CORS-safelisted header',
          'no Authorization and no cookies',
          'never leaves the browser',
          'got 200',
          "No 'Access-Control-Allow-Origin' header is present",
        ],
        evidence: [
          { probe: 'preflight', where: 'request.url', value: 'OPTIONS https://api.example.com/v1/me' },
          { probe: 'preflight', where: 'response.status', value: '401' },
          { probe: 'preflight', where: 'request.header.origin', value: ORIGIN },
          { probe: 'preflight', where: 'request.header.access-control-request-method', value: 'GET' },
          {
            probe: 'preflight',
            where: 'request.header.access-control-request-headers',
            value: 'authorization',
          },
          { probe: 'preflight', where: 'response.header.www-authenticate', value: 'Bearer realm="api"' },
        ],
      },
    },
    {
      name: 'a PUT with JSON answered 403 on OPTIONS; the fix names the framework fixes',
      input: {
        method: 'PUT',
        headers: { ...AUTH, 'Content-Type': 'application/json', 'X-Trace': '1' },
        body: '{}',
        origin: ORIGIN,
        status: 403,
        preflight: { status: 403, responseHeaders: { 'Access-Control-Allow-Origin': ORIGIN } },
      },
      expect: {
        confidence: 'confirmed',
        mentions: [
          'PUT is not GET, HEAD or POST',
          'authorization, content-type, x-trace are not CORS-safelisted',
        ],
        fix: expect.stringContaining("app.options('*', cors())") as unknown as string,
        evidence: [
          {
            where: 'request.header.access-control-request-headers',
            value: 'authorization,content-type,x-trace',
          },
          { where: 'response.header.access-control-allow-origin', value: ORIGIN },
        ],
      },
    },
    {
      name: 'the fix names Spring, nginx and ASP.NET Core',
      input: { headers: AUTH, origin: ORIGIN, preflight: { status: 401 } },
      expect: {
        fix: expect.stringMatching(
          /permitAll[\s\S]*if \(\$request_method = OPTIONS\) \{ return 204; \}[\s\S]*UseCors\(\)` before `app\.UseAuthentication/,
        ) as unknown as string,
      },
    },
    {
      name: 'a redirected preflight (http → https or a trailing slash) fails in browsers',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        preflight: { status: 301, responseHeaders: { Location: 'https://api.example.com/v1/me/' } },
      },
      expect: {
        confidence: 'likely',
        kind: 'cause',
        title:
          "The browser's CORS preflight (OPTIONS) is answered 301, so the browser never sends the request",
        mentions: ['browsers never follow a redirect on a preflight'],
        fix: expect.stringContaining('https://api.example.com/v1/me/') as unknown as string,
        evidence: [{ where: 'response.header.location', value: 'https://api.example.com/v1/me/' }],
      },
    },
    {
      name: 'no OPTIONS route: 405',
      input: { method: 'DELETE', origin: ORIGIN, status: 204, preflight: { status: 405 } },
      expect: {
        confidence: 'likely',
        mentions: ['DELETE is not GET, HEAD or POST', 'no handler for OPTIONS'],
        evidence: [{ probe: 'preflight', where: 'response.status', value: '405' }],
      },
    },
    {
      name: 'no OPTIONS route: 404',
      input: { headers: AUTH, origin: ORIGIN, preflight: { status: 404 } },
      expect: { confidence: 'likely', mentions: ['404: the server has no handler for OPTIONS'] },
    },
    {
      name: 'the server fails on OPTIONS: 500',
      input: { headers: AUTH, origin: ORIGIN, preflight: { status: 500 } },
      expect: { confidence: 'likely', mentions: ['500: the server fails on the OPTIONS request'] },
    },
  ],
});
