import check from '../../src/checks/network-proxy-configured.js';
import type { ProxyInfo } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const bearer = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln' };
const env = (url: string, source = 'HTTPS_PROXY'): ProxyInfo => ({ url, source, bypassed: false });

testCheck(check, {
  valid: [
    { name: 'no proxy in effect', input: { headers: bearer, status: 401 } },
    { name: 'no proxy, a success', input: { headers: bearer, status: 200 } },
  ],
  invalid: [
    {
      name: 'a proxy carried a successful request: context',
      input: { headers: bearer, status: 200, proxy: env('http://proxy.corp:3128') },
      expect: {
        id: 'network.proxy-configured',
        kind: 'info',
        confidence: 'confirmed',
        mentions: ['http://proxy.corp:3128', 'HTTPS_PROXY', 'CONNECT tunnel'],
        evidence: [
          { probe: 'input', where: 'proxy.url', value: 'http://proxy.corp:3128' },
          { probe: 'input', where: 'proxy.source', value: 'HTTPS_PROXY' },
        ],
      },
    },
    {
      name: 'an http:// target: the proxy reads every header (absolute form)',
      input: {
        url: 'http://api.example.com/v1/me',
        status: 200,
        proxy: env('http://proxy.corp:3128', 'http_proxy'),
      },
      expect: { kind: 'info', mentions: ['absolute form', 'Authorization included'] },
    },
    {
      name: 'the password of the proxy is never shown, its user neither',
      input: { status: 200, proxy: env('http://alice:hunter2@proxy.corp:3128', '-x') },
      expect: {
        kind: 'info',
        mentions: ['http://proxy.corp:3128', '-x/--proxy', 'user name and password'],
        evidence: [{ where: 'proxy.url', value: 'http://proxy.corp:3128' }],
      },
    },
    {
      name: "no port written: curl's 1080",
      input: { status: 200, proxy: env('proxy.corp') },
      expect: { kind: 'info', mentions: ['http://proxy.corp:1080', 'curl uses 1080'] },
    },
    {
      name: 'NO_PROXY exempted the target',
      input: {
        status: 401,
        proxy: {
          url: 'http://proxy.corp:3128',
          source: 'https_proxy',
          bypassed: true,
          bypassRule: '.example.com',
        },
      },
      expect: {
        kind: 'info',
        mentions: ['NO_PROXY exempts api.example.com', '`.example.com`', 'went direct'],
        evidence: [{ where: 'proxy.bypass', value: 'NO_PROXY .example.com' }],
      },
    },
    {
      name: 'a refused request through the proxy: a warning',
      input: {
        headers: bearer,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
        proxy: env('http://proxy.corp:3128'),
      },
      expect: {
        kind: 'warning',
        mentions: ['The refused request (401) went through the proxy http://proxy.corp:3128'],
        evidence: [{ probe: 'main', where: 'response.status', value: '401' }],
      },
    },
    {
      name: 'a refused request, and refused the same way directly: the proxy is not the difference',
      input: {
        headers: bearer,
        status: 403,
        proxy: env('http://proxy.corp:3128'),
        direct: { status: 403 },
      },
      expect: {
        kind: 'info',
        mentions: ['not the difference', '403'],
        evidence: [{ probe: 'direct', where: 'response.status', value: '403' }],
      },
    },
    {
      name: 'a refused request, and direct it got through: the warning says so',
      input: { headers: bearer, status: 401, proxy: env('http://proxy.corp:3128'), direct: { status: 200 } },
      expect: {
        kind: 'warning',
        mentions: ['without the proxy, it answered 200'],
        evidence: [{ probe: 'direct', where: 'response.status', value: '200' }],
      },
    },
    {
      name: 'the same status directly but another challenge: the proxy does make a difference',
      input: {
        headers: bearer,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
        proxy: env('http://proxy.corp:3128'),
        direct: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      },
      expect: {
        kind: 'warning',
        mentions: ['answered 401 with another challenge (`Bearer error="invalid_token"`)'],
      },
    },
    {
      name: 'direct could not connect: the network may need the proxy',
      input: {
        headers: bearer,
        status: 401,
        proxy: env('http://proxy.corp:3128'),
        direct: { error: { phase: 'connect', code: 'ETIMEDOUT', message: 'the TCP connection timed out' } },
      },
      expect: { kind: 'warning', mentions: ['only through the proxy'] },
    },
    {
      name: "407: the proxy's own login, not the API's",
      input: {
        headers: bearer,
        url: 'http://api.example.com/v1/me',
        status: 407,
        responseHeaders: { 'Proxy-Authenticate': 'Basic realm="corp"' },
        proxy: env('http://proxy.corp:3128', 'http_proxy'),
      },
      // The diagnosis is network.proxy-auth-required's: here the proxy is only named.
      expect: { kind: 'info', mentions: ['goes through the proxy http://proxy.corp:3128'] },
    },
    {
      name: 'CONNECT refused with 407',
      input: {
        headers: bearer,
        proxy: env('http://proxy.corp:3128'),
        error: {
          phase: 'connect',
          code: 'ERR_PROXY_TUNNEL',
          message:
            'the proxy http://proxy.corp:3128 answered "HTTP/1.1 407 Proxy Authentication Required" to CONNECT api.example.com:443',
        },
      },
      expect: { kind: 'info', mentions: ['goes through the proxy http://proxy.corp:3128'] },
    },
    {
      name: 'the proxy cannot be reached',
      input: {
        proxy: env('http://proxy.corp:3128'),
        error: {
          phase: 'connect',
          code: 'ECONNREFUSED',
          message: 'nothing is listening on that host and port',
        },
      },
      expect: {
        kind: 'warning',
        mentions: ['failed on its way through the proxy', "this failure is the proxy's"],
      },
    },
    {
      name: 'a TLS failure through the proxy: maybe an intercepting proxy',
      input: {
        proxy: env('http://proxy.corp:3128'),
        error: {
          phase: 'tls',
          code: 'SELF_SIGNED_CERT_IN_CHAIN',
          message: 'a self-signed certificate is in the chain',
        },
      },
      expect: { kind: 'warning', mentions: ['TLS connection through the proxy', 'intercepting proxy'] },
    },
    {
      name: 'a SOCKS proxy why401 cannot use',
      input: {
        proxy: env('socks5h://proxy.corp:1080', 'ALL_PROXY'),
        error: {
          phase: 'connect',
          code: 'ERR_PROXY_UNSUPPORTED',
          message: 'why401 cannot send through a socks5h:// proxy',
        },
      },
      expect: { kind: 'warning', mentions: ['could not use the proxy socks5h://proxy.corp:1080'] },
    },
    {
      name: 'a 502 from the proxy',
      input: { status: 502, proxy: env('http://proxy.corp:3128') },
      expect: { kind: 'warning', mentions: ['failed with 502', 'from the proxy itself'] },
    },
  ],
});
