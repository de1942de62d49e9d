import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, withTimeout } from '../support/chromium.js';
import { CLIENT, expiredToken, startStack, tokenRequests } from './support.js';

/**
 * The same src/client, bundled by Vite for the page, in real Chromium: two tabs of one origin
 * (one localStorage, one Web Lock manager) whose tokens expire at once share one refresh through
 * `navigator.locks` and the re-read of the stored token once the lock is held. The page's origin
 * serves the bundle, forwards /api/* to the real API and /refresh to the real issuer (a
 * backend-for-frontend's refresh route), counting the refreshes it forwards.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CAN_RUN = chromiumAvailable();

// The tokens live in IndexedDB, not localStorage: Chromium keeps a per-process copy of
// localStorage that another tab's write reaches asynchronously, on a different channel from the
// lock's release, so a re-read under the lock can still see the refused token (measured here:
// the second tab then refreshed with the spent refresh token). IndexedDB reads go to the one store.
const PAGE = `<!doctype html><meta charset="utf-8"><title>why401/client</title>
<script type="module">
import * as client from '/client.js';
const db = await new Promise((ok, ko) => {
  const r = indexedDB.open('auth', 1);
  r.onupgradeneeded = () => r.result.createObjectStore('kv');
  r.onsuccess = () => ok(r.result);
  r.onerror = () => ko(r.error);
});
const kv = {
  get: (k) => new Promise((ok, ko) => {
    const q = db.transaction('kv').objectStore('kv').get(k);
    q.onsuccess = () => ok(q.result ?? null);
    q.onerror = () => ko(q.error);
  }),
  set: (k, v) => new Promise((ok, ko) => {
    const t = db.transaction('kv', 'readwrite');
    t.objectStore('kv').put(v, k);
    t.oncomplete = () => ok();
    t.onerror = () => ko(t.error);
  }),
};
window.why401client = client;
window.kv = kv;
document.title = 'ready';
</script>`;

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let site: Server;
let origin: string;
let refreshRoute = 0;
/** How many refreshes the route waits for before it answers any (the lock-less control: 2). */
let refreshesHeldFor = 1;
let bundle: string;

async function bundleClient(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(ROOT, 'src/client/index.ts'), formats: ['es'], fileName: 'client' },
    },
  });
  const first = (Array.isArray(out) ? out[0] : out) as { output: Array<{ type: string; code?: string }> };
  const chunk = first.output.find((c) => c.type === 'chunk');
  if (!chunk?.code) throw new Error('vite produced no chunk for src/client');
  return chunk.code;
}

async function forward(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  const url = req.url ?? '/';
  if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  if (url === '/client.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  if (url === '/refresh' && req.method === 'POST') {
    refreshRoute++;
    // The control holds each refresh until the other tab's is out too: on a loaded machine the
    // second tab could start after the first had already stored its rotated token, and the race
    // the control shows would not happen (seen once in a full CI run).
    for (let i = 0; i < 100 && refreshRoute < refreshesHeldFor; i++)
      await new Promise((r) => setTimeout(r, 50));
    // Slow enough that the other tab's requests are refused while this refresh is still out.
    await new Promise((r) => setTimeout(r, 400));
    const r = await fetch(stack.issuer.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: body,
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
      }),
    });
    return void res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
  }
  if (url.startsWith('/api/')) {
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const r = await fetch(`${stack.api.url}${url.slice(4)}`, { headers });
    const out: Record<string, string> = {};
    const challenge = r.headers.get('www-authenticate');
    if (challenge) out['www-authenticate'] = challenge;
    return void res.writeHead(r.status, out).end(await r.text());
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  if (!CAN_RUN) return;
  bundle = await bundleClient();
  stack = await startStack();
  site = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      forward(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (site) {
    site.closeAllConnections();
    await new Promise<void>((r) => site.close(() => r()));
  }
  await stack?.close();
});

interface TabResult {
  statuses: Array<number | string>;
  locks: boolean;
  signIns: number;
}

/** Ten requests from one tab through withAuth; tokens in IndexedDB, the refresh token rotated there. */
function runTab(page: Page, tab: string, useLocks: boolean): Promise<TabResult> {
  return page.evaluate(
    async ({ tab, useLocks }) => {
      type Client = typeof import('../../src/client/index.js');
      interface Kv {
        get(k: string): Promise<string | null>;
        set(k: string, v: string): Promise<void>;
      }
      const w = window as unknown as { why401client: Client; kv: Kv };
      const { withAuth } = w.why401client;
      const kv = w.kv;
      let signIns = 0;
      const api = withAuth(fetch, {
        getToken: () => kv.get('at'),
        storage: { get: () => kv.get('at'), set: (t) => kv.set('at', t) },
        refresh: async () => {
          const r = await fetch('/refresh', { method: 'POST', body: (await kv.get('rt')) ?? '' });
          const j = (await r.json()) as { access_token?: string; refresh_token?: string; error?: string };
          if (!r.ok || !j.access_token) throw new Error(`refresh refused: ${j.error}`);
          if (j.refresh_token) await kv.set('rt', j.refresh_token);
          return j.access_token;
        },
        onSignInRequired: () => void signIns++,
        ...(useLocks ? {} : { locks: false as const }),
      });
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api(`/api/me?n=${tab}-${i}`).then(
            (r) => r.status,
            (e: Error) => `${e.name}: ${e.message}`,
          ),
        ),
      );
      return { statuses, locks: typeof navigator.locks?.request === 'function', signIns };
    },
    { tab, useLocks },
  );
}

async function twoTabs(useLocks: boolean) {
  const ctx = await browser.newContext();
  try {
    const [a, b] = [await ctx.newPage(), await ctx.newPage()];
    for (const p of [a, b]) {
      await p.goto(origin);
      await p.waitForFunction(() => document.title === 'ready');
    }
    const expired = await expiredToken(stack.issuer);
    const rt = stack.issuer.issueRefreshToken();
    await a.evaluate(
      async ([at, rt]) => {
        const { kv } = window as unknown as { kv: { set(k: string, v: string): Promise<void> } };
        await kv.set('at', at!);
        await kv.set('rt', rt!);
      },
      [expired, rt],
    );
    refreshRoute = 0;
    const before = tokenRequests(stack.issuer).length;
    const [ra, rb] = await withTimeout(
      Promise.all([runTab(a, 'a', useLocks), runTab(b, 'b', useLocks)]),
      20_000,
      'two tabs',
    );
    return { ra, rb, issuerRefreshes: tokenRequests(stack.issuer).length - before };
  } finally {
    await ctx.close();
  }
}

describe.skipIf(!CAN_RUN)('two browser tabs in real Chromium share one refresh through Web Locks', () => {
  it('one refresh for the whole browser, every request of both tabs answered 200', async () => {
    const { ra, rb, issuerRefreshes } = await twoTabs(true);
    expect(ra.locks && rb.locks).toBe(true);
    expect(ra.statuses).toEqual(Array(10).fill(200));
    expect(rb.statuses).toEqual(Array(10).fill(200));
    expect(refreshRoute).toBe(1);
    expect(issuerRefreshes).toBe(1);
    expect(ra.signIns + rb.signIns).toBe(0);
  });

  it('control: without the lock the second tab spends the rotated refresh token again, and is refused', async () => {
    refreshesHeldFor = 2;
    const { ra, rb } = await twoTabs(false).finally(() => (refreshesHeldFor = 1));
    expect(refreshRoute).toBe(2);
    const all = [...ra.statuses, ...rb.statuses];
    expect(all.some((s) => /^RefreshFailedError: .*invalid_grant/.test(String(s)))).toBe(true);
  });
});
