import check from '../../src/checks/network-proxy-strips-auth.js';
import type { ProxyInfo } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
const bearer = { Authorization: `Bearer ${TOKEN}` };
const proxy: ProxyInfo = { url: 'http://proxy.corp:3128', source: 'http_proxy', bypassed: false };
const httpUrl = 'http://api.example.com/v1/me';
const bare = { 'WWW-Authenticate': 'Bearer realm="api"' };

testCheck(check, {
  valid: [
    { name: 'no proxy, refused', input: { headers: bearer, status: 401, direct: { status: 200 } } },
    {
      name: 'NO_PROXY exempted the host: the request went direct anyway',
      input: {
        headers: bearer,
        status: 401,
        proxy: { ...proxy, bypassed: true, bypassRule: '.example.com' },
        direct: { status: 200 },
      },
    },
    { name: 'no direct probe was sent', input: { headers: bearer, status: 401, proxy } },
    {
      name: 'the proxied request succeeded',
      input: { headers: bearer, status: 200, proxy, direct: { status: 200 } },
    },
    {
      name: 'refused the same way directly: not the proxy',
      input: {
        url: httpUrl,
        headers: bearer,
        status: 401,
        responseHeaders: bare,
        proxy,
        direct: { status: 401, responseHeaders: bare },
      },
    },
    {
      name: 'the direct probe could not connect',
      input: {
        headers: bearer,
        status: 401,
        proxy,
        direct: { error: { phase: 'connect', code: 'ETIMEDOUT', message: 'timed out' } },
      },
    },
    {
      name: 'a challenge with an error code and a different direct answer: the token arrived through the proxy',
      input: {
        url: httpUrl,
        headers: bearer,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        proxy,
        direct: { status: 403 },
      },
    },
    {
      name: 'a 407 from the proxy is its own login, not stripping',
      input: { headers: bearer, status: 407, proxy, direct: { status: 200 } },
    },
    {
      name: 'a bare challenge, but no Authorization was sent',
      input: { url: httpUrl, status: 401, responseHeaders: bare, proxy, direct: { status: 403 } },
    },
  ],
  invalid: [
    {
      name: '401 through the proxy, 200 directly: confirmed',
      input: {
        url: httpUrl,
        headers: bearer,
        status: 401,
        responseHeaders: bare,
        proxy,
        direct: { status: 200 },
      },
      expect: {
        id: 'network.proxy-strips-auth',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['removes or changes the credentials: 401 through it, 200 without it', 'absolute form'],
        evidence: [
          { probe: 'main', where: 'response.status', value: '401' },
          { probe: 'direct', where: 'response.status', value: '200' },
          { probe: 'input', where: 'proxy.url', value: 'http://proxy.corp:3128' },
          { probe: 'main', where: 'response.header.www-authenticate', value: 'Bearer realm="api"' },
        ],
      },
    },
    {
      name: '403 through a tunnel, 204 directly: confirmed, with the address explanation',
      input: {
        headers: bearer,
        status: 403,
        proxy: { ...proxy, source: 'HTTPS_PROXY' },
        direct: { status: 204 },
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['CONNECT tunnel', "the proxy's address"],
        evidence: [{ probe: 'direct', where: 'response.status', value: '204' }],
      },
    },
    {
      name: 'no credentials sent, yet direct works: the proxy path, not stripping',
      input: { url: httpUrl, status: 401, proxy, direct: { status: 200 } },
      expect: {
        confidence: 'confirmed',
        mentions: ['Through the proxy http://proxy.corp:3128 the request is refused (401)', 'no credentials'],
      },
    },
    {
      name: 'the proxy password never appears',
      input: {
        url: httpUrl,
        headers: bearer,
        status: 401,
        proxy: { ...proxy, url: 'http://bob:hunter2@proxy.corp:3128' },
        direct: { status: 200 },
      },
      expect: { evidence: [{ where: 'proxy.url', value: 'http://proxy.corp:3128' }] },
    },
    {
      name: 'a bare Bearer challenge through the proxy, invalid_token directly: likely',
      input: {
        url: httpUrl,
        headers: bearer,
        status: 401,
        responseHeaders: bare,
        proxy,
        direct: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      },
      expect: {
        confidence: 'likely',
        mentions: ['sees no credentials', 'RFC 6750', 'Bearer error="invalid_token"'],
        evidence: [
          { probe: 'main', where: 'response.header.www-authenticate', value: 'Bearer realm="api"' },
          {
            probe: 'direct',
            where: 'response.header.www-authenticate',
            value: 'Bearer error="invalid_token"',
          },
        ],
      },
    },
    {
      name: '"No authorization token was found" through the proxy, 403 directly: likely',
      input: {
        url: httpUrl,
        headers: bearer,
        status: 401,
        responseBody: '{"message":"No authorization token was found"}',
        responseHeaders: { 'Content-Type': 'application/json' },
        proxy,
        direct: { status: 403 },
      },
      expect: {
        confidence: 'likely',
        mentions: ['No authorization token was found'],
        evidence: [{ probe: 'direct', where: 'response.status', value: '403' }],
      },
    },
  ],
});
