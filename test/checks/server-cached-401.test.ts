import check from '../../src/checks/server-cached-401.js';
import { testCheck } from '../support/check-tester.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="api"' };

testCheck(check, {
  valid: [
    {
      name: 'a fresh 401 from the application',
      input: { status: 401, responseHeaders: { ...CHALLENGE, 'Cache-Control': 'no-store' } },
    },
    {
      name: 'a cache hit on a 200',
      input: { status: 200, responseHeaders: { 'X-Cache': 'HIT', Age: '120' } },
    },
    {
      name: 'a cache miss',
      input: {
        status: 401,
        responseHeaders: { ...CHALLENGE, 'X-Cache': 'Miss from cloudfront', 'CF-Cache-Status': 'DYNAMIC' },
      },
    },
    { name: 'Age 0', input: { status: 401, responseHeaders: { ...CHALLENGE, Age: '0' } } },
    {
      name: 'private max-age',
      input: { status: 401, responseHeaders: { ...CHALLENGE, 'Cache-Control': 'private, max-age=600' } },
    },
    { name: 'max-age=0', input: { status: 403, responseHeaders: { 'Cache-Control': 'max-age=0' } } },
    {
      name: 'Cache-Status forwarded, not a hit',
      input: { status: 401, responseHeaders: { 'Cache-Status': 'ExampleCache; fwd=uri-miss; stored' } },
    },
    {
      name: 'Age with an explicit MISS',
      input: { status: 401, responseHeaders: { Age: '30', 'X-Cache': 'MISS' } },
    },
  ],
  invalid: [
    {
      name: 'Cloudflare HIT',
      input: {
        status: 401,
        responseHeaders: {
          ...CHALLENGE,
          'CF-Cache-Status': 'HIT',
          Age: '431',
          'CF-Ray': '8c1d2e3f4a5b6c7d-FRA',
        },
      },
      expect: {
        id: 'server.cached-401',
        kind: 'cause',
        step: 4,
        confidence: 'confirmed',
        title: 'The 401 was served from a cache (Cloudflare), not by the application',
        mentions: ['cf-cache-status: HIT', 'Age: 431 s'],
        evidence: [
          { where: 'response.status', value: '401' },
          { where: 'response.header.cf-cache-status', value: 'HIT' },
          { where: 'response.header.age', value: '431' },
        ],
      },
    },
    {
      name: 'Fastly: X-Served-By and X-Cache HIT',
      input: {
        status: 403,
        responseHeaders: {
          'X-Served-By': 'cache-fra-etou8220029-FRA',
          'X-Cache': 'MISS, HIT',
          'X-Cache-Hits': '0, 3',
        },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The 403 was served from a cache (Fastly), not by the application',
        evidence: [{ where: 'response.header.x-served-by', value: 'cache-fra-etou8220029-FRA' }],
      },
    },
    {
      name: 'CloudFront Hit',
      input: {
        status: 401,
        responseHeaders: { 'X-Cache': 'Hit from cloudfront', Via: '1.1 abc.cloudfront.net (CloudFront)' },
      },
      expect: {
        confidence: 'confirmed',
        evidence: [{ where: 'response.header.x-cache', value: 'Hit from cloudfront' }],
      },
    },
    {
      name: 'nginx proxy_cache',
      input: { status: 401, responseHeaders: { ...CHALLENGE, 'X-Cache-Status': 'HIT' } },
      expect: {
        confidence: 'confirmed',
        title: 'The 401 was served from a cache (nginx proxy_cache), not by the application',
      },
    },
    {
      name: 'X-Proxy-Cache HIT',
      input: { status: 401, responseHeaders: { 'X-Proxy-Cache': 'HIT' } },
      expect: {
        confidence: 'confirmed',
        evidence: [{ where: 'response.header.x-proxy-cache', value: 'HIT' }],
      },
    },
    {
      name: 'RFC 9211 Cache-Status hit',
      input: {
        status: 401,
        responseHeaders: { 'Cache-Status': 'OriginCache; fwd=uri-miss, CDN Company Edge; hit; ttl=1200' },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The 401 was served from a cache (CDN Company Edge), not by the application',
      },
    },
    {
      name: 'the cacheable headers are named in the detail of a hit',
      input: { status: 401, responseHeaders: { 'X-Cache': 'HIT', 'Cache-Control': 'public, max-age=3600' } },
      expect: { confidence: 'confirmed', mentions: ['cacheable by its own headers', '`public`'] },
    },
    {
      name: 'Age alone, with a Via naming Varnish',
      input: { status: 401, responseHeaders: { ...CHALLENGE, Age: '95', Via: '1.1 varnish (Varnish/7.4)' } },
      expect: {
        confidence: 'likely',
        kind: 'cause',
        title: 'The 401 is 95 s old: it most likely came from a cache',
        evidence: [
          { where: 'response.header.age', value: '95' },
          { where: 'response.header.via', value: '1.1 varnish (Varnish/7.4)' },
        ],
      },
    },
    {
      name: 'not a hit, but cacheable for an hour (max-age on every response)',
      input: { status: 401, responseHeaders: { ...CHALLENGE, 'Cache-Control': 'max-age=3600' } },
      expect: {
        kind: 'warning',
        confidence: 'possible',
        title: 'The 401 may be stored by caches: max-age=3600 gives it a lifetime',
        evidence: [{ where: 'response.header.cache-control', value: 'max-age=3600' }],
      },
    },
    {
      name: 'not a hit, but s-maxage lets shared caches keep it',
      input: { status: 403, responseHeaders: { 'Cache-Control': 's-maxage=300' } },
      expect: { kind: 'warning', confidence: 'possible', mentions: ['s-maxage=300'] },
    },
    {
      name: 'not a hit, but Expires after Date',
      input: {
        status: 401,
        responseHeaders: { Date: 'Fri, 27 Nov 2026 12:00:00 GMT', Expires: 'Fri, 27 Nov 2026 13:00:00 GMT' },
      },
      expect: {
        kind: 'warning',
        evidence: [{ where: 'response.header.expires', value: 'Fri, 27 Nov 2026 13:00:00 GMT' }],
      },
    },
  ],
});
