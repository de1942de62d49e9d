import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Evidence, RequestSpec } from '../../src/model/evidence.js';
import type { Finding } from '../../src/model/finding.js';
import { directProbePlan, makeProxyDispatcher, proxyDisplay, resolveProxy } from '../../src/probe/proxy.js';
import { walk } from '../../src/probe/run.js';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

/**
 * The proxy pieces of issue 4 end to end, wired the way the integrator wires them into
 * diagnose.ts and run.ts: curl's proxy resolution from the environment, the user's request
 * through a real forward proxy (absolute-form, one that strips Authorization or not), the direct
 * probe when the plan says so, then the checks. The resource server is the real
 * express-oauth2-jwt-bearer verifying tokens from a real issuer.
 */
const AUD = 'https://api.why401.test';
const PROXY_PASSWORD = 'proxy-pa55word-canary';
let issuer: TestIssuer;
let api: ExpressApi;
let stripping: ForwardProxy;
let honest: ForwardProxy;

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  api = await startExpressApi({ issuer: issuer.issuer, audience: AUD });
  stripping = await startForwardProxy({
    stripAuthorization: true,
    requireAuth: { user: 'u', password: PROXY_PASSWORD },
  });
  honest = await startForwardProxy({ stripAuthorization: false });
});
afterAll(async () => {
  await stripping?.close();
  await honest?.close();
  await api?.close();
  await issuer?.close();
});

const now = () => Math.floor(Date.now() / 1000);

async function gatherThrough(
  proxyUrl: string,
  headers: Array<[string, string]>,
  env: Record<string, string> = {},
): Promise<Evidence> {
  const url = `${api.url}/api/me`;
  const request: RequestSpec = {
    method: 'GET',
    url,
    headers,
    followRedirects: false,
    insecure: false,
    compressed: false,
  };
  const ev: Evidence = {
    now: Date.now(),
    source: 'flags',
    request,
    inputWarnings: [],
    exchanges: [],
    skippedProbes: [],
    expect: {},
    offline: false,
  };
  const o = { env: { http_proxy: proxyUrl, ...env } };
  const info = resolveProxy(url, o);
  if (info) ev.proxy = info;
  const signal = AbortSignal.timeout(20_000);
  const dispatcher = makeProxyDispatcher(info, { insecure: false }, (origin) => resolveProxy(origin, o));
  try {
    const ctx: Parameters<typeof walk>[2] = { dispatcher, signal };
    if (info && !info.bypassed) ctx.via = proxyDisplay(info.url);
    ev.exchanges.push(
      ...(await walk('main', { method: 'GET', url, headers }, ctx, { follow: false })).exchanges,
    );
  } finally {
    await dispatcher.destroy();
  }
  const plan = directProbePlan(ev);
  if (plan.send) {
    const direct = makeProxyDispatcher(undefined, { insecure: false });
    try {
      const r = await walk(
        'direct',
        { method: 'GET', url, headers },
        { dispatcher: direct, signal },
        { follow: false },
      );
      ev.exchanges.push(...r.exchanges);
    } finally {
      await direct.destroy();
    }
  } else {
    ev.skippedProbes.push({ probe: 'direct', reason: plan.reason ?? '' });
  }
  return ev;
}

/** Every check, the proxy checks included once (whether or not index.ts lists them yet), ranked as analyze ranks. */
function findingsOf(ev: Evidence): Finding[] {
  const report = analyze(ev, { showSecrets: true });
  expect(report.warnings.filter((w) => w.startsWith('check '))).toEqual([]);
  return report.findings;
}

const withPassword = (p: ForwardProxy) => p.url.replace('http://', `http://u:${PROXY_PASSWORD}@`);

describe('a forward proxy that strips Authorization, in front of express-oauth2-jwt-bearer', () => {
  it('valid token: 401 through the proxy, 200 directly → network.proxy-strips-auth confirmed, first', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    const ev = await gatherThrough(withPassword(stripping), [['Authorization', `Bearer ${token}`]]);
    const main = ev.exchanges.find((x) => x.probe === 'main');
    const direct = ev.exchanges.find((x) => x.probe === 'direct');
    expect(main?.response?.status).toBe(401);
    expect(main?.via).toBe(stripping.url);
    expect(direct?.response?.status).toBe(200);
    // The proxy saw the absolute URI and the token; the API saw it only from the direct probe.
    const seen = stripping.received.find((r) => r.url === `${api.url}/api/me`);
    expect(seen?.headers.map(([n]) => n.toLowerCase())).toContain('authorization');

    const findings = findingsOf(ev);
    const first = findings.find((f) => f.kind === 'cause');
    expect(first?.id).toBe('network.proxy-strips-auth');
    expect(first?.confidence).toBe('confirmed');
    expect(first?.evidence).toContainEqual({ probe: 'direct', where: 'response.status', value: '200' });
    const configured = findings.find((f) => f.id === 'network.proxy-configured');
    expect(configured?.kind).toBe('warning');
    expect(configured?.title).toContain(stripping.url);

    // The proxy's password is in no finding and in no report.
    expect(JSON.stringify(findings)).not.toContain(PROXY_PASSWORD);
    expect(JSON.stringify(analyze(ev))).not.toContain(PROXY_PASSWORD);
    expect(JSON.stringify(analyze(ev))).not.toContain(token);
  });

  it('expired token: bare challenge through the proxy, invalid_token directly → likely', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iat: now() - 7200, exp: now() - 3600 });
    const ev = await gatherThrough(withPassword(stripping), [['Authorization', `Bearer ${token}`]]);
    const direct = ev.exchanges.find((x) => x.probe === 'direct');
    expect(direct?.response?.status).toBe(401);
    const strips = findingsOf(ev).find((f) => f.id === 'network.proxy-strips-auth');
    expect(strips?.confidence).toBe('likely');
    expect(strips?.detail).toContain('invalid_token');
  });

  it('the proxy without its password: its 407 is named as the proxy’s own login, never as stripping', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    const ev = await gatherThrough(stripping.url, [['Authorization', `Bearer ${token}`]]);
    expect(ev.exchanges.find((x) => x.probe === 'main')?.response?.status).toBe(407);
    const findings = findingsOf(ev);
    expect(findings.find((f) => f.id === 'network.proxy-strips-auth')).toBeUndefined();
    const first = findings.find((f) => f.kind === 'cause');
    expect(first?.id).toBe('network.proxy-auth-required');
    expect(first?.title).toContain('407');
    expect(findings.find((f) => f.id === 'network.proxy-configured')?.kind).toBe('info');
  });

  it('NO_PROXY exempts the API host: no proxy used, no direct probe, an info that says why', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    const before = stripping.received.length;
    const ev = await gatherThrough(withPassword(stripping), [['Authorization', `Bearer ${token}`]], {
      no_proxy: '127.0.0.0/8',
    });
    expect(stripping.received.length).toBe(before);
    expect(ev.exchanges.find((x) => x.probe === 'main')?.response?.status).toBe(200);
    expect(ev.skippedProbes.find((s) => s.probe === 'direct')?.reason).toContain('"127.0.0.0/8"');
    const configured = findingsOf(ev).find((f) => f.id === 'network.proxy-configured');
    expect(configured?.kind).toBe('info');
    expect(configured?.title).toContain('NO_PROXY exempts');
  });
});

describe('a proxy that passes Authorization through', () => {
  it('valid token: 200, no direct probe, the proxy is context', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    const ev = await gatherThrough(honest.url, [['Authorization', `Bearer ${token}`]]);
    expect(ev.exchanges.find((x) => x.probe === 'main')?.response?.status).toBe(200);
    expect(ev.exchanges.some((x) => x.probe === 'direct')).toBe(false);
    const findings = findingsOf(ev);
    expect(findings.find((f) => f.id === 'network.proxy-configured')?.kind).toBe('info');
    expect(findings.some((f) => f.kind === 'cause')).toBe(false);
  });

  it('wrong audience: refused the same way directly → the proxy is not blamed', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api' });
    const ev = await gatherThrough(honest.url, [['Authorization', `Bearer ${token}`]]);
    expect(ev.exchanges.find((x) => x.probe === 'direct')?.response?.status).toBe(401);
    const findings = findingsOf(ev);
    expect(findings.find((f) => f.id === 'network.proxy-strips-auth')).toBeUndefined();
    const configured = findings.find((f) => f.id === 'network.proxy-configured');
    expect(configured?.kind).toBe('info');
    expect(configured?.title).toContain('not the difference');
    expect(findings.find((f) => f.kind === 'cause')?.id).not.toMatch(/^network\./);
  });
});
