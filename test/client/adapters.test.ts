import { afterEach, describe, expect, it } from 'vitest';
import {
  attachAuth,
  type AxiosInstanceLike,
  type AxiosRequestConfigLike,
  type AxiosResponseLike,
} from '../../src/client/axios.js';
import { InsufficientScopeError, SignInRequiredError } from '../../src/client/index.js';
import { authHooks, type KyAuthHooks } from '../../src/client/ky.js';
import { expiredToken, startStack, tokenRequests, tokenStore } from './support.js';

/**
 * The axios and ky adapters against the real issuer and API. Neither library is installed
 * (node_modules has no axios, no ky), so each is stood in for by the smallest fake that calls the
 * hooks the way the library's source does: axios runs request interceptors, sends, rejects a
 * non-2xx with an error carrying `config` and `response`, and chains response interceptors;
 * ky runs beforeRequest, sends the request and keeps a clone, runs afterResponse with a clone of
 * the response, then throws HTTPError for a non-2xx. The sending itself is real fetch.
 */

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** A fake axios instance: interceptor managers and request(config), as axios 1.x orders them. */
function fakeAxios(): AxiosInstanceLike & { sent: number } {
  type Handler<V> = { f?: (v: V) => V | Promise<V>; r?: (e: unknown) => unknown } | null;
  const req: Array<Handler<AxiosRequestConfigLike>> = [];
  const res: Array<Handler<AxiosResponseLike>> = [];
  const manager = <V>(list: Array<Handler<V>>) => ({
    use: (f?: (v: V) => V | Promise<V>, r?: (e: unknown) => unknown) => list.push({ f, r }) - 1,
    eject: (id: number) => void (list[id] = null),
  });
  const instance = {
    sent: 0,
    interceptors: { request: manager(req), response: manager(res) },
    async request(input: AxiosRequestConfigLike): Promise<unknown> {
      // mergeConfig: a new config object, headers copied, other properties carried over.
      let config: AxiosRequestConfigLike = { ...input, headers: { ...(input.headers as object) } };
      for (const h of [...req].reverse()) if (h?.f) config = await h.f(config);
      instance.sent++;
      let p: Promise<unknown> = fetch(new URL(config.url!, config.baseURL), {
        method: config.method ?? 'get',
        headers: config.headers as Record<string, string>,
        body: config.data as string | undefined,
      }).then(async (r) => {
        const headers: Record<string, string> = {};
        r.headers.forEach((v, k) => (headers[k] = v));
        const response = { status: r.status, headers, data: await r.text(), config };
        if (r.status >= 200 && r.status < 300) return response;
        throw Object.assign(new Error(`Request failed with status code ${r.status}`), { config, response });
      });
      for (const h of res) if (h) p = p.then(h.f as (v: unknown) => unknown, h.r);
      return p;
    },
  };
  return instance;
}

/** A fake ky call: ky 1.x's _fetch and afterResponse order. */
async function fakeKy(url: string, hooks: KyAuthHooks, init: RequestInit = {}): Promise<Response> {
  const options = { ...init };
  let request = new Request(url, init);
  for (const h of hooks.beforeRequest) await h(request, options);
  const main = request;
  request = main.clone();
  let response = await fetch(main);
  for (const h of hooks.afterResponse) {
    const modified = await h(request, options, response.clone());
    if (modified instanceof Response) response = modified;
  }
  if (!response.ok) throw Object.assign(new Error(`HTTPError ${response.status}`), { response });
  return response;
}

describe('axios interceptors: 100 concurrent 401s, one refresh, each request retried once', () => {
  it('one refresh, 200 hits at the API, every response 200', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const ax = fakeAxios();
    attachAuth(ax, { ...store, onSignInRequired: () => undefined, locks: false });
    const out = (await Promise.all(
      Array.from({ length: 100 }, (_, i) => ax.request({ baseURL: api.url, url: `/me?n=${i}` })),
    )) as Array<{ status: number }>;
    expect(out.every((r) => r.status === 200)).toBe(true);
    expect(store.refreshCalls).toBe(1);
    expect(tokenRequests(issuer)).toHaveLength(1);
    expect(api.hits).toHaveLength(200);
    expect(ax.sent).toBe(200);
  });

  it('insufficient_scope rejects with InsufficientScopeError; a dead refreshed token with SignInRequiredError, once', async () => {
    stack = await startStack({ issuerAudience: 'https://elsewhere.test' });
    const { issuer, api } = stack;
    const scoped = await issuer.sign({ sub: 'u', aud: 'https://api.why401.test', scope: 'read' });
    const ax = fakeAxios();
    let refreshes = 0;
    const detach = attachAuth(ax, {
      getToken: () => scoped,
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      locks: false,
    });
    const e = await ax.request({ baseURL: api.url, url: '/write' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InsufficientScopeError);
    expect((e as InsufficientScopeError).scope).toBe('write');
    expect(refreshes).toBe(0);
    detach();

    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    let signIns = 0;
    const ax2 = fakeAxios();
    attachAuth(ax2, { ...store, onSignInRequired: () => void signIns++, locks: false });
    const all = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) => ax2.request({ baseURL: api.url, url: `/me?n=${n}` })),
    );
    for (const r of all) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SignInRequiredError);
    expect(signIns).toBe(1);
    expect(store.refreshCalls).toBe(1);
    expect(ax2.sent).toBeLessThanOrEqual(10);
  });
});

describe('ky hooks: 100 concurrent 401s, one refresh, each request retried once (no second pass through the hooks)', () => {
  it('one refresh, 200 hits at the API, every response 200', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const hooks = authHooks({ ...store, onSignInRequired: () => undefined, locks: false });
    const out = await Promise.all(
      Array.from({ length: 100 }, (_, i) => fakeKy(`${api.url}/me?n=${i}`, hooks)),
    );
    expect(out.every((r) => r.status === 200)).toBe(true);
    expect(store.refreshCalls).toBe(1);
    expect(tokenRequests(issuer)).toHaveLength(1);
    expect(api.hits).toHaveLength(200);
  });

  it('a POST body is replayed; a request with its own Authorization is left to ky', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const hooks = authHooks({ ...store, onSignInRequired: () => undefined, locks: false });
    const res = await fakeKy(`${api.url}/upload`, hooks, { method: 'POST', body: 'kept' });
    expect(((await res.json()) as { body: string }).body).toBe('kept');
    expect(api.hits.map((h) => [h.status, h.body])).toEqual([
      [401, 'kept'],
      [200, 'kept'],
    ]);
    await expect(
      fakeKy(`${api.url}/me`, hooks, { headers: { authorization: 'Bearer mine' } }),
    ).rejects.toThrow(/HTTPError 401/);
    expect(store.refreshCalls).toBe(1);
  });
});
