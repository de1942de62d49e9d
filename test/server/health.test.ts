import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExpress } from '../../src/server/express.js';
import { authHealth, renderHealthHtml, type AuthHealthReport } from '../../src/server/index.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

/** authHealth against a real issuer, a dead one, and one that names another issuer. */
let issuer: TestIssuer;
let deadUrl: string;
beforeAll(async () => {
  issuer = await startIssuer();
  // A port that was just free: nothing listens there any more.
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  deadUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise<void>((r) => s.close(() => r()));
});
afterAll(async () => {
  await issuer?.close();
});

const get = (h: (r: Request) => Promise<Response>, accept = 'application/json', path = '/health/auth') =>
  h(new Request(`http://api.test${path}`, { headers: { Accept: accept } }));

describe('authHealth', () => {
  it('a live issuer: ok, discovery and JWKS reachable, the key ids, the clock offset', async () => {
    const res = await get(authHealth({ issuer: issuer.issuer }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const r = (await res.json()) as AuthHealthReport;
    expect(r.status).toBe('ok');
    expect(r.discovery).toMatchObject({ ok: true, status: 200, issuerMatches: true });
    expect(r.jwks).toMatchObject({ ok: true, url: issuer.jwksUri });
    expect(r.jwks.keys).toEqual([{ kid: issuer.kid, kty: 'RSA', alg: 'RS256', use: 'sig' }]);
    expect(JSON.stringify(r)).not.toMatch(/"n":|"e":/); // key ids only, no key material
    expect(Math.abs(r.clock.offsetSeconds!)).toBeLessThanOrEqual(1);
    expect(r.clock.ok).toBe(true);
  });

  it('a clock two minutes off: degraded, and by how much', async () => {
    const r = (await (
      await get(authHealth({ issuer: issuer.issuer, now: () => Date.now() - 120_000 }))
    ).json()) as AuthHealthReport;
    expect(r.status).toBe('degraded');
    expect(r.clock.offsetSeconds).toBeGreaterThanOrEqual(119);
    expect(r.clock.offsetSeconds).toBeLessThanOrEqual(121);
  });

  it('a dead issuer: down (503), unreachable, in one line', async () => {
    const res = await get(authHealth({ issuer: deadUrl, timeoutMs: 2000 }));
    expect(res.status).toBe(503);
    const r = (await res.json()) as AuthHealthReport;
    expect(r.status).toBe('down');
    expect(r.discovery.ok).toBe(false);
    expect(r.discovery.error).toMatch(/^unreachable: ECONNREFUSED$/);
    expect(r.jwks.ok).toBe(false);
  });

  it('an issuer whose discovery names another issuer: down', async () => {
    const r = (await (await get(authHealth({ issuer: `${issuer.issuer}/` }))).json()) as AuthHealthReport;
    expect(r.discovery.issuerMatches).toBe(false);
    expect(r.status).toBe('down');
  });

  it('the HTML page: escaped, no script, a CSP that allows none', async () => {
    const res = await get(authHealth({ issuer: issuer.issuer }), 'text/html,application/xhtml+xml');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toContain(issuer.kid);
    expect(html).not.toMatch(/<script/i);
    const hostile = renderHealthHtml({
      status: 'down',
      issuer: '<script>alert(1)</script>',
      checkedAt: 'now',
      discovery: { ok: false, error: '"><img src=x onerror=alert(1)>' },
      jwks: { ok: false, keys: [{ kid: '<b>k</b>' }] },
      clock: {},
    });
    expect(hostile).not.toMatch(/<script|<img|<b>/);
    expect(hostile).toContain('&lt;script&gt;');
  });

  it('served from Express by toExpress', async () => {
    const app = express();
    app.get('/health/auth', toExpress(authHealth({ issuer: issuer.issuer })));
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/auth?format=html`,
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Auth health: ok');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
