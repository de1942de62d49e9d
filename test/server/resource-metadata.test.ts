import { describe, expect, it } from 'vitest';
import { protectedResourceMetadata, protectedResourceMetadataUrl, refusal } from '../../src/server/index.js';

/**
 * protectedResourceMetadata(): RFC 9728's document and its handler. That `why401 audit` accepts
 * what it serves is test/server/audit-score.test.ts (the three servers publish it).
 */

describe('the document (RFC 9728 §2)', () => {
  it('snake_case members, resource exactly as given, absent ones left out, header-only by default', () => {
    const meta = protectedResourceMetadata({
      resource: 'https://api.example.com',
      authorizationServers: ['https://login.example.com'],
      scopesSupported: ['orders:read', 'orders:write'],
      resourceName: 'Orders',
      dpopBoundAccessTokensRequired: false,
      extra: { resource: 'https://elsewhere.example', mcp_version: '2025-06-18' },
    });
    expect(meta.document).toEqual({
      resource: 'https://api.example.com',
      authorization_servers: ['https://login.example.com'],
      scopes_supported: ['orders:read', 'orders:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Orders',
      dpop_bound_access_tokens_required: false,
      mcp_version: '2025-06-18',
    });
    expect(Object.isFrozen(meta.document)).toBe(true);
  });

  it('refuses a resource that is not an https URL, or has a fragment; http only on a loopback host', () => {
    expect(() => protectedResourceMetadata({ resource: 'api.example.com' })).toThrow(/absolute URL/);
    expect(() => protectedResourceMetadata({ resource: 'https://api.example.com/#x' })).toThrow(/fragment/);
    expect(() => protectedResourceMetadata({ resource: 'http://api.example.com' })).toThrow(/https/);
    expect(protectedResourceMetadata({ resource: 'http://127.0.0.1:8080' }).url).toBe(
      'http://127.0.0.1:8080/.well-known/oauth-protected-resource',
    );
  });
});

describe('where it lives (RFC 9728 §3.1)', () => {
  const cases: Array<[string, string]> = [
    ['https://api.example.com', 'https://api.example.com/.well-known/oauth-protected-resource'],
    // "any terminating slash (/) following the host component MUST be removed"
    ['https://api.example.com/', 'https://api.example.com/.well-known/oauth-protected-resource'],
    ['https://api.example.com/v1/mcp', 'https://api.example.com/.well-known/oauth-protected-resource/v1/mcp'],
    [
      'https://api.example.com:8443/t?x=1',
      'https://api.example.com:8443/.well-known/oauth-protected-resource/t?x=1',
    ],
  ];
  for (const [resource, url] of cases)
    it(`${resource} → ${url}`, () => {
      expect(protectedResourceMetadataUrl(resource)).toBe(url);
      const meta = protectedResourceMetadata({ resource });
      expect(meta.url).toBe(url);
      expect(meta.path).toBe(new URL(url).pathname);
    });
});

describe('the handler (RFC 9728 §3.2)', () => {
  const meta = protectedResourceMetadata({
    resource: 'https://api.example.com',
    authorizationServers: ['https://login.example.com'],
  });
  const req = (method: string) => new Request(meta.url, { method });

  it('GET: 200 application/json, the document, readable from any origin, cacheable', async () => {
    const res = await meta.handler(req('GET'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('max-age=3600');
    expect(await res.json()).toEqual(meta.document);
  });

  it('HEAD: the headers, no body; OPTIONS: a preflight answer; POST: 405 with Allow', async () => {
    const head = await meta.handler(req('HEAD'));
    expect([head.status, await head.text()]).toEqual([200, '']);
    const pre = await meta.handler(req('OPTIONS'));
    expect([pre.status, pre.headers.get('access-control-allow-methods')]).toEqual([
      204,
      'GET, HEAD, OPTIONS',
    ]);
    const post = await meta.handler(req('POST'));
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS']);
  });

  it('its URL is what the refusals point to (§5.1 resource_metadata)', () => {
    const r = refusal('missing', { realm: 'api', resourceMetadata: meta.url });
    expect(r.headers['WWW-Authenticate']).toBe(`Bearer realm="api", resource_metadata="${meta.url}"`);
  });
});
