/**
 * The disk cache of identity-provider documents (src/probe/http-cache.ts, cache-dir.ts) against a
 * real node:http server that counts what it receives, with real files in a temporary folder. The
 * tests move the clock (freshness is about hours); the server's Date follows it.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchDiscovery,
  fetchJwks,
  fetchProtectedResourceMetadata,
  verifySignature,
  type IdpHttp,
} from '../../src/probe/idp.js';
import { idpFetch } from '../../src/probe/idp-http.js';
import { makeDispatcher } from '../../src/probe/transport.js';
import { HttpCache, entryName } from '../../src/probe/http-cache.js';
import { CACHE_FILE_CAP, DiskStore, platformCacheDir } from '../../src/probe/cache-dir.js';
import { startServer, type Received, type TestServer } from '../support/http-server.js';

interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

let dispatcher: Dispatcher;
let server: TestServer;
/** What the server answers on each path; a function sees the request (for conditional answers). */
const routes = new Map<string, (r: Received) => Answer>();
let dir: string;
let clock: number;
let cache: HttpCache;
const http = (): IdpHttp => ({ dispatcher, signal: AbortSignal.timeout(10_000), cache });
const hits = (path: string) => server.received.filter((r) => r.url === path);

beforeAll(async () => {
  dispatcher = makeDispatcher({});
  server = await startServer((req, res) => {
    const route = routes.get(req.url ?? '');
    const a = route ? route(server.received.at(-1)!) : { status: 404, body: { error: 'not here' } };
    const status = a.status ?? 200;
    // The server's clock is the cache's: what a test moves forward, both see.
    const date = new Date(clock).toUTCString();
    res.writeHead(status, { 'Content-Type': 'application/json', Date: date, ...a.headers });
    res.end(status === 304 ? undefined : JSON.stringify(a.body ?? {}));
  });
});
afterAll(async () => {
  await server.close();
  await dispatcher.close();
});
beforeEach(async () => {
  routes.clear();
  server.received.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'why401-cache-'));
  clock = Date.now();
  cache = new HttpCache(new DiskStore(dir), { now: () => clock });
  return () => rm(dir, { recursive: true, force: true });
});

const KEYS = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', use: 'sig' }] };
const jwksAt = (path: string, headers: Record<string, string> = {}, body: unknown = KEYS) =>
  routes.set(path, () => ({ headers, body }));
const jwks = (path = '/jwks') => fetchJwks(`${server.url}${path}`, 'test', http());
const file = (path: string, scope = 'jwks') => join(dir, entryName(`${server.url}${path}`, scope));

describe('freshness (RFC 9111 §4.2)', () => {
  it('serves a fresh answer without a request, with its age; asks again once max-age has passed', async () => {
    jwksAt('/jwks', { 'Cache-Control': 'max-age=600' });
    const first = await jwks();
    expect(first.cached).toBeUndefined();
    clock += 240_000;
    const second = await jwks();
    expect(hits('/jwks')).toHaveLength(1);
    expect(second).toMatchObject({ status: 200, json: KEYS, cached: { revalidated: false } });
    expect(second.cached!.age).toBeGreaterThanOrEqual(240);
    expect(second.cached!.age).toBeLessThan(250);
    expect(second.problem).toBeUndefined();
    clock += 400_000;
    const third = await jwks();
    expect(hits('/jwks')).toHaveLength(2);
    expect(third.cached).toBeUndefined();
  });

  it('keeps an answer that says nothing for at most an hour', async () => {
    jwksAt('/jwks');
    await jwks();
    clock += 3_590_000;
    expect((await jwks()).cached).toBeDefined();
    expect(hits('/jwks')).toHaveLength(1);
    clock += 20_000;
    expect((await jwks()).cached).toBeUndefined();
    expect(hits('/jwks')).toHaveLength(2);
  });

  it('caps max-age at one day, and ignores s-maxage (shared caches only, §5.2.2.10)', async () => {
    jwksAt('/long', { 'Cache-Control': 'max-age=31536000' });
    jwksAt('/shared', { 'Cache-Control': 'max-age=10, s-maxage=100000' });
    await jwks('/long');
    await jwks('/shared');
    clock += 86_000_000;
    expect((await jwks('/long')).cached).toBeDefined();
    clock += 500_000;
    expect((await jwks('/long')).cached).toBeUndefined();
    expect((await jwks('/shared')).cached).toBeUndefined();
    expect(hits('/long')).toHaveLength(2);
    expect(hits('/shared')).toHaveLength(2);
  });

  it('counts Expires from Date (§5.3), and the Age a cache upstream reported (§4.2.3)', async () => {
    const date = new Date(clock);
    jwksAt('/expires', { Date: date.toUTCString(), Expires: new Date(clock + 120_000).toUTCString() });
    jwksAt('/aged', { 'Cache-Control': 'max-age=600', Age: '550' });
    await jwks('/expires');
    await jwks('/aged');
    clock += 30_000;
    expect((await jwks('/expires')).cached).toBeDefined();
    expect((await jwks('/aged')).cached).toBeDefined();
    clock += 40_000;
    expect((await jwks('/aged')).cached).toBeUndefined();
    expect((await jwks('/expires')).cached).toBeDefined();
    clock += 60_000;
    expect((await jwks('/expires')).cached).toBeUndefined();
  });
});

describe('validation (RFC 9111 §4.3)', () => {
  it('revalidates a stale answer with If-None-Match; a 304 serves and refreshes the stored one', async () => {
    routes.set('/jwks', (r) =>
      r.headers['if-none-match'] === '"v1"'
        ? { status: 304, headers: { ETag: '"v1"', 'Cache-Control': 'max-age=60' } }
        : { headers: { ETag: '"v1"', 'Cache-Control': 'max-age=60' }, body: KEYS },
    );
    await jwks();
    clock += 120_000;
    const revalidated = await jwks();
    expect(hits('/jwks')).toHaveLength(2);
    expect(hits('/jwks')[1]!.headers['if-none-match']).toBe('"v1"');
    expect(revalidated).toMatchObject({ status: 200, json: KEYS, cached: { revalidated: true } });
    expect(revalidated.problem).toBeUndefined();
    // The 304 started the clock again: fresh for another minute.
    clock += 30_000;
    expect((await jwks()).cached).toMatchObject({ revalidated: false });
    expect(hits('/jwks')).toHaveLength(2);
  });

  it('revalidates with If-Modified-Since when the answer had only Last-Modified', async () => {
    const lm = new Date(clock - 86_400_000).toUTCString();
    routes.set('/jwks', (r) =>
      r.headers['if-modified-since'] === lm
        ? { status: 304 }
        : { headers: { 'Last-Modified': lm, 'Cache-Control': 'max-age=1' }, body: KEYS },
    );
    await jwks();
    clock += 5_000;
    expect((await jwks()).cached).toMatchObject({ revalidated: true });
    expect(hits('/jwks')[1]!.headers['if-modified-since']).toBe(lm);
  });

  it('a 200 to the revalidation replaces the stored answer', async () => {
    let version = 1;
    routes.set('/jwks', () => ({
      headers: { ETag: `"v${version}"`, 'Cache-Control': 'max-age=1' },
      body: { keys: [{ ...KEYS.keys[0], kid: `k${version}` }] },
    }));
    await jwks();
    version = 2;
    clock += 5_000;
    const d = await jwks();
    expect(d.cached).toBeUndefined();
    expect(d.json).toMatchObject({ keys: [{ kid: 'k2' }] });
    expect(JSON.parse(await readFile(file('/jwks'), 'utf8'))).toMatchObject({
      body: expect.stringContaining('k2'),
    });
  });

  it('no-store is never written; no-cache is written but revalidated on every use (§5.2.2.4, §5.2.2.5)', async () => {
    jwksAt('/no-store', { 'Cache-Control': 'no-store' });
    routes.set('/no-cache', (r) =>
      r.headers['if-none-match']
        ? { status: 304 }
        : { headers: { 'Cache-Control': 'no-cache', ETag: '"n"' }, body: KEYS },
    );
    await jwks('/no-store');
    await jwks('/no-store');
    expect(hits('/no-store')).toHaveLength(2);
    await expect(stat(file('/no-store'))).rejects.toThrow();
    await jwks('/no-cache');
    const again = await jwks('/no-cache');
    expect(hits('/no-cache')).toHaveLength(2);
    expect(hits('/no-cache')[1]!.headers['if-none-match']).toBe('"n"');
    expect(again.cached).toMatchObject({ revalidated: true });
  });

  it('stores no answer other than a 200, and nothing of a request that carries a credential', async () => {
    routes.set('/gone', () => ({ status: 404, headers: { 'Cache-Control': 'max-age=600' }, body: {} }));
    await jwks('/gone');
    await jwks('/gone');
    expect(hits('/gone')).toHaveLength(2);
    jwksAt('/private', { 'Cache-Control': 'max-age=600' });
    const f = idpFetch(http(), { scope: 'jwks' });
    for (let i = 0; i < 2; i++)
      await f(`${server.url}/private`, { method: 'GET', headers: { authorization: 'Bearer secret-token' } });
    expect(hits('/private')).toHaveLength(2);
    expect(await readdir(dir).catch(() => [])).toEqual([]);
  });
});

describe('a 404 of RFC 9728 metadata (RFC 9110 §15.1: heuristically cacheable)', () => {
  const WELL_KNOWN = '/.well-known/oauth-protected-resource/api/me';
  const metadata = () => fetchProtectedResourceMetadata(`${server.url}/api/me`, undefined, 'test', http());

  it('keeps the well-known 404 (no cache headers) for five minutes: the second run asks nothing', async () => {
    routes.set(WELL_KNOWN, () => ({ status: 404, body: { error: 'not here' } }));
    const first = await metadata();
    const second = await metadata();
    expect(hits(WELL_KNOWN)).toHaveLength(1);
    expect(second).toMatchObject({ status: 404, problem: first.problem, cached: { revalidated: false } });
    expect(first.cached).toBeUndefined();
    clock += 301_000;
    await metadata();
    expect(hits(WELL_KNOWN)).toHaveLength(2);
  });

  it('keeps no 404 the server marks no-store, and no 404 of a JWKS', async () => {
    routes.set(WELL_KNOWN, () => ({ status: 404, headers: { 'Cache-Control': 'no-store' }, body: {} }));
    await metadata();
    await metadata();
    expect(hits(WELL_KNOWN)).toHaveLength(2);
    routes.set('/gone', () => ({ status: 404, body: {} }));
    await jwks('/gone');
    await jwks('/gone');
    expect(hits('/gone')).toHaveLength(2);
  });
});

describe('files (cache-dir.ts)', () => {
  it('writes one 0600 file per URL atomically, holding no header but the caching ones, no temp file left', async () => {
    jwksAt('/jwks', { 'Cache-Control': 'max-age=600', 'Set-Cookie': 'session=abc', Server: 'banner' });
    await Promise.all([jwks(), jwks(), jwks()]);
    expect(await readdir(dir)).toEqual([entryName(`${server.url}/jwks`, 'jwks')]);
    const st = await stat(file('/jwks'));
    expect(st.mode & 0o777).toBe(0o600);
    const text = await readFile(file('/jwks'), 'utf8');
    expect(text).not.toMatch(/session=abc|banner/i);
    expect(JSON.parse(text)).toMatchObject({ v: 1, url: `${server.url}/jwks`, scope: 'jwks', status: 200 });
  });

  const damaged: Array<[string, (good: string) => string | Promise<string>]> = [
    ['a corrupt file (not JSON)', () => '{"v":1,"url":'],
    ['a file of another format', () => JSON.stringify({ hello: 'world' })],
    [
      "a foreign file (another URL's entry copied over this one's name)",
      (good) => good.replace(`${server.url}/jwks`, `${server.url}/other`),
    ],
    [
      'a future-dated file (claims to have been written tomorrow)',
      (good) => {
        const e = JSON.parse(good) as { requestTime: number; responseTime: number };
        e.requestTime = e.responseTime = clock + 86_400_000;
        return JSON.stringify(e);
      },
    ],
    ['an oversized file', (good) => good + ' '.repeat(CACHE_FILE_CAP)],
  ];
  for (const [what, spoil] of damaged) {
    it(`ignores and replaces ${what}`, async () => {
      jwksAt('/jwks', { 'Cache-Control': 'max-age=600' });
      await jwks();
      const good = await readFile(file('/jwks'), 'utf8');
      await writeFile(file('/jwks'), await spoil(good));
      const d = await jwks();
      expect(hits('/jwks')).toHaveLength(2);
      expect(d.cached).toBeUndefined();
      expect(d).toMatchObject({ status: 200, json: KEYS });
      // Replaced by the server's answer, and served from it next time.
      const replaced = JSON.parse(await readFile(file('/jwks'), 'utf8')) as { url: string };
      expect(replaced.url).toBe(`${server.url}/jwks`);
      expect((await jwks()).cached).toBeDefined();
      expect(hits('/jwks')).toHaveLength(2);
    });
  }

  it("keys an entry by the issuer it was fetched for: another issuer's document never answers", async () => {
    const doc = (issuer: string) => ({ issuer, jwks_uri: `${issuer}/jwks` });
    routes.set('/.well-known/openid-configuration', () => ({
      headers: { 'Cache-Control': 'max-age=600' },
      body: doc(server.url),
    }));
    expect((await fetchDiscovery(server.url, 'test', http())).problem).toBeUndefined();
    // A planted entry: this URL and scope, but another issuer's document inside.
    const name = join(
      dir,
      entryName(`${server.url}/.well-known/openid-configuration`, `oidc-discovery ${server.url}`),
    );
    const e = JSON.parse(await readFile(name, 'utf8')) as { body: string };
    e.body = JSON.stringify(doc('https://evil.example'));
    await writeFile(name, JSON.stringify(e));
    const d = await fetchDiscovery(server.url, 'test', http());
    expect(d.problem).toBeUndefined();
    expect(d.cached).toBeUndefined();
    expect(d.json).toMatchObject({ issuer: server.url });
    expect(hits('/.well-known/openid-configuration')).toHaveLength(2);
  });
});

describe('an unknown kid refetches a cached JWKS', () => {
  it('asks the server again before saying anything about the kid; a known kid does not', async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('ES256');
    const sign = (kid: string) =>
      new jose.SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
    const jwk = await jose.exportJWK(publicKey);
    let kid = 'old';
    routes.set('/jwks', () => ({
      headers: { 'Cache-Control': 'max-age=3600' },
      body: { keys: [{ ...jwk, kid, use: 'sig', alg: 'ES256' }] },
    }));
    await jwks();
    const cachedOld = await jwks();
    expect((await verifySignature(await sign('old'), cachedOld)).result).toBe('valid');
    expect(hits('/jwks')).toHaveLength(1);
    kid = 'new';
    const cachedStill = await jwks();
    expect(cachedStill.cached).toBeDefined();
    const v = await verifySignature(await sign('new'), cachedStill);
    expect(v.result).toBe('valid');
    expect(hits('/jwks')).toHaveLength(2);
    // The document the evidence holds is the refetched one.
    expect(cachedStill.cached).toBeUndefined();
    expect(v.jwksKeys).toEqual([{ kid: 'new', kty: 'EC', alg: 'ES256', use: 'sig' }]);
  });
});

describe('platformCacheDir', () => {
  const cases: Array<[string, string, Record<string, string>, string | undefined]> = [
    ['Linux, XDG_CACHE_HOME', 'linux', { XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' }, '/x/cache/why401'],
    ['Linux, HOME only', 'linux', { HOME: '/home/a' }, '/home/a/.cache/why401'],
    [
      'Linux, a relative XDG_CACHE_HOME (invalid in the XDG spec)',
      'linux',
      { XDG_CACHE_HOME: 'rel', HOME: '/h' },
      '/h/.cache/why401',
    ],
    ['macOS', 'darwin', { HOME: '/Users/a', XDG_CACHE_HOME: '/x' }, '/Users/a/Library/Caches/why401'],
    [
      'Windows',
      'win32',
      { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' },
      join('C:\\Users\\a\\AppData\\Local', 'why401'),
    ],
    ['no HOME at all', 'linux', {}, undefined],
  ];
  for (const [what, platform, env, want] of cases)
    it(what, () => expect(platformCacheDir(env, platform)).toBe(want));
});
