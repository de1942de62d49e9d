import { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import ky, { type KyInstance } from 'ky';
import { afterEach, describe, expect, it } from 'vitest';
import { attachAuth } from '../../src/client/axios.js';
import {
  InsufficientScopeError,
  NotReplayableError,
  SignInRequiredError,
  type AuthOptions,
} from '../../src/client/index.js';
import { authHooks } from '../../src/client/ky.js';
import { AUDIENCE, expiredToken, startStack, tokenRequests, tokenStore, type Hit } from './support.js';

/**
 * The axios and ky adapters with the real libraries (axios 1.x over its Node http adapter, ky 1.x
 * over Node's fetch), against the real node:http API and jose issuer of ./support.ts. What counts
 * is what the server received: every request the library sent, with the token it carried.
 */

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** The requests of one `n`, as the API saw them: status, and whether the token was the first one. */
function perRequest(hits: Hit[], n: number, firstToken: string) {
  return hits.filter((h) => h.n === String(n)).map((h) => [h.status, h.token === firstToken]);
}

function axiosWith(url: string, options: AuthOptions): AxiosInstance {
  const ax = axios.create({ baseURL: url });
  attachAuth(ax, options);
  return ax;
}

function kyWith(url: string, options: AuthOptions): KyInstance {
  return ky.create({ prefixUrl: url, hooks: authHooks(options) });
}

/** A body axios (Node) and ky (fetch) can only read once. */
function nodeStream(text: string): Readable {
  return Readable.from([Buffer.from(text)]);
}

function webStream(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  });
}

type Client = 'axios' | 'ky';
/** One GET through the real library; resolves to the status, or rejects with what the library threw. */
async function get(client: Client, base: string, path: string, options: AuthOptions): Promise<number> {
  if (client === 'axios') return (await axiosWith(base, options).get(path)).status;
  return (await kyWith(base, options).get(path.replace(/^\//, ''))).status;
}

describe.each<Client>(['axios', 'ky'])(
  '%s: 100 concurrent 401s, one refresh, each request retried once',
  (client) => {
    it('one refresh at the issuer; the API received each request twice, first with the old token, then with the new one', async () => {
      stack = await startStack();
      const { issuer, api } = stack;
      const old = await expiredToken(issuer);
      const store = tokenStore(issuer, old, issuer.issueRefreshToken());
      const options: AuthOptions = { ...store, onSignInRequired: () => undefined, locks: false };
      // One instance for all hundred: the refresh is shared by one client's requests.
      let statuses: number[];
      if (client === 'axios') {
        const ax = axiosWith(api.url, options);
        const out = await Promise.all(Array.from({ length: 100 }, (_, i) => ax.get<unknown>(`/me?n=${i}`)));
        statuses = out.map((r: AxiosResponse) => r.status);
      } else {
        const k = kyWith(api.url, options);
        const out = await Promise.all(Array.from({ length: 100 }, (_, i) => k.get(`me?n=${i}`)));
        statuses = out.map((r) => r.status);
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(store.refreshCalls).toBe(1);
      expect(tokenRequests(issuer)).toHaveLength(1);
      expect(api.hits).toHaveLength(200);
      for (let n = 0; n < 100; n++)
        expect(perRequest(api.hits, n, old)).toEqual([
          [401, true],
          [200, false],
        ]);
    });
  },
);

describe.each<Client>(['axios', 'ky'])(
  '%s: a refreshed token the server also rejects ends in sign-in',
  (client) => {
    it('SignInRequiredError for each request, onSignInRequired once, one refresh, two sends per request', async () => {
      // The issuer's tokens name another audience: the API refuses the refreshed token too.
      stack = await startStack({ issuerAudience: 'https://elsewhere.test' });
      const { issuer, api } = stack;
      const old = await issuer.sign({
        sub: 'u',
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) - 60,
      });
      const store = tokenStore(issuer, old, issuer.issueRefreshToken());
      let signIns = 0;
      const options: AuthOptions = { ...store, onSignInRequired: () => void signIns++, locks: false };
      const requests =
        client === 'axios'
          ? ((ax) => [1, 2, 3, 4, 5].map((n) => ax.get(`/me?n=${n}`)))(axiosWith(api.url, options))
          : ((k) => [1, 2, 3, 4, 5].map((n) => k.get(`me?n=${n}`)))(kyWith(api.url, options));
      const all = await Promise.allSettled(requests);
      for (const r of all) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SignInRequiredError);
      expect(signIns).toBe(1);
      expect(store.refreshCalls).toBe(1);
      for (const n of [1, 2, 3, 4, 5])
        expect(perRequest(api.hits, n, old)).toEqual([
          [401, true],
          [401, false],
        ]);
    });
  },
);

describe.each<Client>(['axios', 'ky'])('%s: insufficient_scope is not refreshed', (client) => {
  it('InsufficientScopeError naming the scope, no refresh, the request sent once', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const readOnly = await issuer.sign({ sub: 'u', aud: AUDIENCE, scope: 'read' });
    let refreshes = 0;
    const e = await get(client, api.url, '/write?n=1', {
      getToken: () => readOnly,
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      locks: false,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InsufficientScopeError);
    expect((e as InsufficientScopeError).scope).toBe('write');
    expect((e as Error).message).toMatch(/scope this request needs: write/);
    expect(refreshes).toBe(0);
    expect(api.hits.map((h) => h.status)).toEqual([403]);
  });
});

describe('axios: a stream body is not sent again', () => {
  it('NotReplayableError saying the body was a stream; the API received it once', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const ax = axiosWith(api.url, { ...store, onSignInRequired: () => undefined, locks: false });
    const e = await ax
      .post('/upload?n=1', nodeStream('streamed'), { headers: { 'content-type': 'text/plain' } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotReplayableError);
    expect((e as Error).message).toMatch(/the body was a stream, which is spent once sent/);
    expect(api.hits.map((h) => [h.status, h.body])).toEqual([[401, 'streamed']]);
    // The refresh happened, so the caller's next request goes out with the new token.
    expect(store.refreshCalls).toBe(1);
  });

  it('a JSON body is sent again, the same', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const ax = axiosWith(api.url, { ...store, onSignInRequired: () => undefined, locks: false });
    const res = await ax.post<{ body: string }>('/upload?n=1', { kept: true });
    expect(res.data.body).toBe('{"kept":true}');
    expect(api.hits.map((h) => [h.status, h.body])).toEqual([
      [401, '{"kept":true}'],
      [200, '{"kept":true}'],
    ]);
  });
});

describe('ky: a stream body is sent again from the copy ky keeps', () => {
  // ky clones every request before sending it, to retry it (Ky.#fetch), and hands that unsent
  // clone to afterResponse: a stream body is teed, whole, and the retry carries all of it.
  it('the API received the stream twice, whole: 401 with the old token, 200 with the new one', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const old = await expiredToken(issuer);
    const store = tokenStore(issuer, old, issuer.issueRefreshToken());
    const k = kyWith(api.url, { ...store, onSignInRequired: () => undefined, locks: false });
    const res = await k
      .put('upload?n=1', { body: webStream('streamed'), headers: { 'content-type': 'text/plain' } })
      .json<{ body: string }>();
    expect(res.body).toBe('streamed');
    expect(api.hits.map((h) => [h.status, h.body, h.token === old])).toEqual([
      [401, 'streamed', true],
      [200, 'streamed', false],
    ]);
    expect(store.refreshCalls).toBe(1);
  });

  it('a JSON body is sent again, the same; a request with its own Authorization is left to ky', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const k = kyWith(api.url, { ...store, onSignInRequired: () => undefined, locks: false });
    const res = await k.post('upload?n=1', { json: { kept: true } }).json<{ body: string }>();
    expect(res.body).toBe('{"kept":true}');
    await expect(k.get('me?n=2', { headers: { authorization: 'Bearer mine' } })).rejects.toThrow(/401/);
    expect(api.hits.map((h) => [h.n, h.status, h.body])).toEqual([
      ['1', 401, '{"kept":true}'],
      ['1', 200, '{"kept":true}'],
      ['2', 401, ''],
    ]);
    expect(store.refreshCalls).toBe(1);
  });
});
