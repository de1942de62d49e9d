/**
 * The boot-time requests to the token's issuer (probe/prefetch.ts, issue 16), against the real test
 * issuer: what is asked, that the run can take each answer once and only with the very headers it
 * would send, and that the guard's rules, the disk cache and close() hold here as in the run.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryName } from '../../src/probe/cache-key.js';
import type { PrefetchPlan } from '../../src/probe/prefetch.js';
import { startPrefetch } from '../../src/probe/prefetch-documents.js';
import { oidcDiscoveryUrl, wellKnownMetadataUrl } from '../../src/probe/prefetch-targets.js';
import * as oauth from 'oauth4webapi';
import type { HeaderList } from '../../src/model/http.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

const UA = 'why401/test';
const DISCOVERY_HEADERS: HeaderList = [
  ['accept', 'application/json'],
  ['User-Agent', UA],
];
const JWKS_HEADERS: HeaderList = [
  ['accept', 'application/jwk-set+json, application/json'],
  ['User-Agent', UA],
];

let issuer: TestIssuer;
beforeEach(async () => {
  issuer = await startIssuer();
});
afterEach(async () => {
  await issuer.close();
});

const plan = (over: Partial<PrefetchPlan> = {}): PrefetchPlan => ({
  issuer: issuer.issuer,
  // A loopback API beside a loopback issuer: the guard lets why401 reach the issuer (fetch-guard.ts).
  target: 'http://127.0.0.1:9/api/me',
  allowPrivate: false,
  userAgent: UA,
  ...over,
});
/** `fn` with a cache folder that holds an entry for the test issuer's discovery. */
async function withDiscoveryStored(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'why401-prefetch-'));
  try {
    const url = oidcDiscoveryUrl(issuer.issuer);
    await writeFile(join(dir, entryName(url, `oidc-discovery ${issuer.issuer}`)), '{}');
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Until the issuer has seen `n` requests (the JWKS leaves when discovery's answer is in). */
async function received(n: number): Promise<string[]> {
  for (let i = 0; i < 200 && issuer.received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  return issuer.received.map((q) => q.path);
}

describe('what is asked at boot', () => {
  it('asks discovery, then the JWKS its document names, and nothing else', async () => {
    const p = startPrefetch(plan());
    expect(await received(2)).toEqual([
      '/.well-known/openid-configuration',
      new URL(issuer.jwksUri).pathname,
    ]);
    expect(issuer.received.map((q) => q.headers['user-agent'])).toEqual([UA, UA]);
    expect(issuer.received.every((q) => q.headers.authorization === undefined)).toBe(true);
    await p.jwksSent;
    p.close();
  });

  it('hands each answer to the run once, with exactly the headers the run sends', async () => {
    const p = startPrefetch(plan());
    await received(2);
    const url = oidcDiscoveryUrl(issuer.issuer);
    expect(
      p.take(url, 'GET', [
        ['Accept', 'text/html'],
        ['User-Agent', UA],
      ]),
    ).toBeUndefined();
    expect(p.take(url, 'POST', DISCOVERY_HEADERS)).toBeUndefined();
    const discovery = await p.take(url, 'GET', DISCOVERY_HEADERS);
    expect(discovery?.response?.status).toBe(200);
    expect(JSON.parse(discovery!.response!.body)).toMatchObject({
      issuer: issuer.issuer,
      jwks_uri: issuer.jwksUri,
    });
    expect(p.take(url, 'GET', DISCOVERY_HEADERS)).toBeUndefined();
    const jwks = await p.take(issuer.jwksUri, 'GET', JWKS_HEADERS);
    expect(
      (JSON.parse(jwks!.response!.body) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid),
    ).toEqual([issuer.kid]);
    p.close();
  });

  it('builds the discovery URL exactly as oauth4webapi does for the run', async () => {
    for (const issuerUrl of ['https://id.example', 'https://id.example/r/', 'https://id.example/a//b/']) {
      let asked = '';
      await oauth.discoveryRequest(new URL(issuerUrl), {
        [oauth.customFetch]: async (u: string) => {
          asked = u;
          return new Response('{}');
        },
      });
      expect(oidcDiscoveryUrl(issuerUrl), issuerUrl).toBe(asked);
    }
  });

  it('builds the discovery URL as OpenID Connect Discovery §4 (and oauth4webapi) do', () => {
    expect(oidcDiscoveryUrl('https://id.example/')).toBe(
      'https://id.example/.well-known/openid-configuration',
    );
    expect(oidcDiscoveryUrl('https://id.example/realms/r')).toBe(
      'https://id.example/realms/r/.well-known/openid-configuration',
    );
    expect(oidcDiscoveryUrl('https://id.example/realms/r/')).toBe(
      'https://id.example/realms/r/.well-known/openid-configuration',
    );
  });
});

describe("the resource's RFC 9728 metadata", () => {
  let api: Server;
  const seen: Array<{ url: string; authorization?: string; cookie?: string }> = [];
  beforeEach(async () => {
    seen.length = 0;
    api = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    api.closeAllConnections();
    await new Promise((r) => api.close(r));
  });

  it('asks the well-known URL on the target origin: no userinfo, query or fragment, no credential', async () => {
    const { port } = api.address() as { port: number };
    const target = `http://u:pw@127.0.0.1:${port}/api/me?api_key=k3y#frag`;
    const p = startPrefetch(plan({ target }));
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([{ url: '/.well-known/oauth-protected-resource/api/me' }]);
    const { url } = wellKnownMetadataUrl(target);
    const answer = await p.take(url, 'GET', DISCOVERY_HEADERS);
    expect(answer?.response?.status).toBe(404);
    p.close();
  });

  it('builds the URL exactly as oauth4webapi does for the run (prependWellKnown, RFC 9728 §3.1)', async () => {
    for (const resource of [
      'https://api.example/',
      'https://api.example',
      'https://api.example/v1/me',
      'https://api.example/v1/me/',
      'https://api.example:8443/a//b',
      'http://127.0.0.1:3000/api/me',
    ]) {
      let asked = '';
      await oauth.resourceDiscoveryRequest(new URL(resource), {
        [oauth.allowInsecureRequests]: true,
        [oauth.customFetch]: async (u: string) => {
          asked = u;
          return new Response('{}');
        },
      });
      expect(wellKnownMetadataUrl(resource).url, resource).toBe(asked);
    }
  });
});

describe('leaving()', () => {
  it('settles once the first requests are written, long before its cap', async () => {
    const t0 = performance.now();
    const p = startPrefetch(plan());
    await p.leaving(5000);
    expect(performance.now() - t0).toBeLessThan(1000);
    // Written: the issuer sees discovery without anything else happening on this side.
    expect(await received(1)).toContain('/.well-known/openid-configuration');
    p.close();
  });

  it('settles at its cap when a request cannot leave (a connection that never completes)', async () => {
    // A documentation address (RFC 5737) with private fetches allowed: the connect hangs or fails.
    const p = startPrefetch(
      plan({ issuer: 'http://192.0.2.1/', target: 'http://192.0.2.1/api', allowPrivate: true }),
    );
    const t0 = performance.now();
    await p.leaving(100);
    expect(performance.now() - t0).toBeLessThan(1000);
    p.close();
  });
});

describe('nothing the run would not ask', () => {
  it('asks nothing of a cloud metadata address (the guard refuses it before anything is sent)', async () => {
    const p = startPrefetch(plan({ issuer: 'http://169.254.169.254/' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(
      p.take('http://169.254.169.254/.well-known/openid-configuration', 'GET', DISCOVERY_HEADERS),
    ).toBeUndefined();
  });

  it('asks nothing of a loopback issuer when the target is a public address', async () => {
    const p = startPrefetch(plan({ target: 'https://93.184.216.34/api' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(issuer.received).toEqual([]);
    expect(p.take(oidcDiscoveryUrl(issuer.issuer), 'GET', DISCOVERY_HEADERS)).toBeUndefined();
    // The target's own metadata request (to that address) must not outlive the test.
    p.close();
  });

  it('leaves a document the disk cache holds to the run (which serves or revalidates it)', async () => {
    await withDiscoveryStored(async (dir) => {
      const p = startPrefetch(plan({ cacheDir: dir }));
      await new Promise((r) => setTimeout(r, 100));
      expect(issuer.received).toEqual([]);
      expect(p.take(oidcDiscoveryUrl(issuer.issuer), 'GET', DISCOVERY_HEADERS)).toBeUndefined();
    });
  });

  it('does not ask for the JWKS of a document issued for another issuer', async () => {
    await issuer.close();
    issuer = await startIssuer({ discovery: { issuer: 'https://someone-else.example' } });
    const p = startPrefetch(plan());
    await received(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(issuer.received.map((q) => q.path)).toEqual(['/.well-known/openid-configuration']);
    p.close();
  });
});

/** The run's take of `url`, as soon as the boot request is on its way (a turn of the loop or two). */
async function takeSoon(p: ReturnType<typeof startPrefetch>, url: string) {
  for (let i = 0; i < 100; i++) {
    const d = p.take(url, 'GET', DISCOVERY_HEADERS);
    // Wrapped: an async function would wait for the promise it returns.
    if (d) return { answer: d };
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${url} was not asked at boot`);
}

describe('quiet: nothing of the run holds the JWKS request back', () => {
  it("hands discovery's answer to the run only once the JWKS request has left", async () => {
    const p = startPrefetch(plan());
    const order: string[] = [];
    void p.quiet.then(() => order.push('JWKS request written'));
    void p.jwksSent.then(() => order.push('jwksSent'));
    // Taken as early as it can be (before discovery has even connected), as the run takes it.
    const { answer } = await takeSoon(p, oidcDiscoveryUrl(issuer.issuer));
    expect(order).toEqual([]);
    expect((await answer)?.response?.status).toBe(200);
    order.push('discovery taken');
    expect(order).toEqual(['jwksSent', 'JWKS request written', 'discovery taken']);
    p.close();
  });

  it('settles when no JWKS is to leave: discovery stored, or another issuer in the document', async () => {
    await withDiscoveryStored(async (dir) => {
      const stored = startPrefetch(plan({ cacheDir: dir }));
      await stored.quiet;
      stored.close();
    });
    await issuer.close();
    issuer = await startIssuer({ discovery: { issuer: 'https://someone-else.example' } });
    const other = startPrefetch(plan());
    const { answer } = await takeSoon(other, oidcDiscoveryUrl(issuer.issuer));
    await other.quiet;
    expect((await answer)?.response?.status).toBe(200);
    other.close();
  });
});

describe('close()', () => {
  let silent: Server;
  afterEach(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('ends a request nobody took, so it cannot hold the process up', async () => {
    // An issuer that never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    const iss = `http://127.0.0.1:${port}`;
    const p = startPrefetch(plan({ issuer: iss }));
    await new Promise((r) => setTimeout(r, 50));
    const pending = p.take(oidcDiscoveryUrl(iss), 'GET', DISCOVERY_HEADERS);
    expect(pending).toBeDefined();
    const t0 = performance.now();
    p.close();
    expect(await pending).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
