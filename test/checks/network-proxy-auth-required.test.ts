import check from '../../src/checks/network-proxy-auth-required.js';
import type { ProxyInfo } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const bearer = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln' };
const proxy = (url: string, source = 'http_proxy'): ProxyInfo => ({ url, source, bypassed: false });

testCheck(check, {
  valid: [
    { name: 'no proxy, a 401 from the API', input: { headers: bearer, status: 401 } },
    {
      name: 'through a proxy, the API answers 401 itself',
      input: { headers: bearer, status: 401, proxy: proxy('http://proxy.corp:3128') },
    },
    {
      name: 'a tunnel refused for another reason (403)',
      input: {
        proxy: proxy('http://proxy.corp:3128'),
        error: {
          phase: 'connect',
          code: 'ERR_PROXY_TUNNEL',
          message:
            'the proxy http://proxy.corp:3128 answered "HTTP/1.1 403 Forbidden" to CONNECT api.example.com:443',
        },
      },
    },
  ],
  invalid: [
    {
      // RFC 9110 §15.5.8; squid 5.7's answer to a request without Proxy-Authorization.
      name: "squid's 407 with a Basic proxy challenge",
      input: {
        headers: bearer,
        url: 'http://api.example.com/v1/me',
        status: 407,
        responseHeaders: {
          'Proxy-Authenticate': 'Basic realm="Squid proxy-caching web server"',
          Server: 'squid/5.7',
          'X-Squid-Error': 'ERR_CACHE_ACCESS_DENIED 0',
        },
        proxy: proxy('http://127.0.0.1:3128'),
      },
      expect: {
        kind: 'cause',
        confidence: 'confirmed',
        mentions: [
          '(squid 5.7) wants its own credentials (407',
          'never reached api.example.com',
          'asks for Basic',
        ],
        fix: "Give the proxy its own credentials: `curl -U user:password` (`--proxy-user`), or `-x http://user:password@proxy:port`. They are the proxy's login, not the API's.",
        evidence: [
          { where: 'response.status', value: '407' },
          {
            where: 'response.header.proxy-authenticate',
            value: 'Basic realm="Squid proxy-caching web server"',
          },
        ],
      },
    },
    {
      name: 'proxy credentials sent and refused',
      input: {
        headers: bearer,
        url: 'http://api.example.com/v1/me',
        status: 407,
        responseHeaders: { 'Proxy-Authenticate': 'Negotiate' },
        proxy: proxy('http://carol:wrong@proxy.corp:3128'),
      },
      expect: { mentions: ['refused its credentials (407', 'asks for Negotiate', 'were sent and refused'] },
    },
    {
      name: 'an https request: CONNECT answered 407',
      input: {
        headers: bearer,
        proxy: proxy('http://proxy.corp:3128', 'HTTPS_PROXY'),
        error: {
          phase: 'connect',
          code: 'ERR_PROXY_TUNNEL',
          message:
            'the proxy http://proxy.corp:3128 answered "HTTP/1.1 407 Proxy Authentication Required" to CONNECT api.example.com:443',
        },
      },
      expect: {
        mentions: ['wants its own credentials (407'],
        evidence: [{ where: 'error.connect', value: 'ERR_PROXY_TUNNEL' }],
      },
    },
  ],
});
