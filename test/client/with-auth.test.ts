import { afterEach, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  InsufficientScopeError,
  NotReplayableError,
  SignInRequiredError,
  withAuth,
} from '../../src/client/index.js';
import { expiredToken, startStack, tokenRequests, tokenStore } from './support.js';

/**
 * withAuth against a real jose issuer and a real API that refuses expired tokens with RFC 6750
 * challenges. Counts are taken at the server and in refresh, never from the client's own word.
 */

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function byN(hits: { n: string | null; status: number }[]) {
  const m = new Map<string, number[]>();
  for (const h of hits) m.set(h.n ?? '', [...(m.get(h.n ?? '') ?? []), h.status]);
  return m;
}

describe('100 concurrent 401s cause exactly one refresh, and every request is retried once', () => {
  it('one refresh at the issuer, 200 hits at the API: each request a 401 then a 200', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    let signIns = 0;
    const apiFetch = withAuth(fetch, { ...store, onSignInRequired: () => void signIns++, locks: false });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => apiFetch(`${api.url}/me?n=${i}`)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(store.refreshCalls).toBe(1);
    expect(tokenRequests(issuer)).toHaveLength(1);
    expect(api.hits).toHaveLength(200);
    const per = byN(api.hits);
    expect(per.size).toBe(100);
    for (const statuses of per.values()) expect(statuses).toEqual([401, 200]);
    expect(signIns).toBe(0);
  });
});

describe('a refresh that returns a token the server also rejects: sign-in once, no loop', () => {
  it('calls onSignInRequired once for 20 requests and sends each at most twice', async () => {
    // The issuer mints tokens for another audience: the API refuses the refreshed token too.
    stack = await startStack({ issuerAudience: 'https://elsewhere.test' });
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    let signIns = 0;
    const apiFetch = withAuth(fetch, { ...store, onSignInRequired: () => void signIns++, locks: false });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => apiFetch(`${api.url}/me?n=${i}`)),
    );
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SignInRequiredError);
      expect((r as PromiseRejectedResult).reason.code).toBe('SIGN_IN_REQUIRED');
    }
    expect(signIns).toBe(1);
    expect(store.refreshCalls).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    // Each request is sent at most twice; one that came back after the refreshed token was
    // already found dead goes to sign-in without trying it.
    const per = byN(api.hits);
    expect(per.size).toBe(20);
    for (const statuses of per.values()) expect([[401], [401, 401]]).toContainEqual(statuses);
    expect(api.hits.length).toBeGreaterThan(20);
    expect(api.hits.length).toBeLessThanOrEqual(40);
    const hitsBefore = api.hits.length;
    // A later request with the dead token goes straight to sign-in: no refresh, no new retry.
    await expect(apiFetch(`${api.url}/me?n=late`)).rejects.toBeInstanceOf(SignInRequiredError);
    expect(store.refreshCalls).toBe(1);
    expect(signIns).toBe(1);
    expect(api.hits.length).toBe(hitsBefore + 1);
  });

  it('refresh returning null means no session: sign-in, nothing retried', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const expired = await expiredToken(issuer);
    let refreshes = 0;
    let signIns = 0;
    const apiFetch = withAuth(fetch, {
      getToken: () => expired,
      refresh: () => (refreshes++, null),
      onSignInRequired: (info) => {
        signIns++;
        expect(info.reason).toBe('refresh-returned-nothing');
      },
      locks: false,
    });
    const all = await Promise.allSettled([1, 2, 3].map((n) => apiFetch(`${api.url}/me?n=${n}`)));
    expect(all.every((r) => r.status === 'rejected')).toBe(true);
    expect(refreshes).toBe(1);
    expect(signIns).toBe(1);
    expect(api.hits).toHaveLength(3);
  });
});

describe('rotation: the old refresh token is refused after use, and the client never reuses it', () => {
  it('two waves of refused tokens spend two different refresh tokens, once each', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const first = issuer.issueRefreshToken();
    const store = tokenStore(issuer, await expiredToken(issuer), first);
    const apiFetch = withAuth(fetch, { ...store, onSignInRequired: () => undefined, locks: false });
    const wave1 = await Promise.all(Array.from({ length: 30 }, (_, i) => apiFetch(`${api.url}/me?n=a${i}`)));
    expect(wave1.every((r) => r.status === 200)).toBe(true);
    // The issuer really rotates: the spent refresh token is refused now.
    const reuse = await fetch(issuer.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first,
        client_id: 'why401-cli',
        client_secret: 'test-secret',
      }),
    });
    expect(reuse.status).toBe(400);
    // The API revokes the refreshed access token: a second wave, a second refresh, with the new refresh token.
    const { decodeJwt } = await import('jose');
    api.revoked.add(String(decodeJwt(store.accessToken!).jti));
    const wave2 = await Promise.all(Array.from({ length: 30 }, (_, i) => apiFetch(`${api.url}/me?n=b${i}`)));
    expect(wave2.every((r) => r.status === 200)).toBe(true);
    expect(store.refreshCalls).toBe(2);
    expect(store.spent).toHaveLength(2);
    expect(new Set(store.spent).size).toBe(2);
    expect(store.spent[0]).toBe(first);
    const sent = tokenRequests(issuer).map((r) => new URLSearchParams(r.body).get('refresh_token'));
    expect(sent.filter((t) => t === first)).toHaveLength(2); // ours once, the test's reuse probe once
  });
});

describe('a request refused with an older token retries with the current one without refreshing', () => {
  it('the app replaced the token while the request was out: retried with it, no refresh', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const expired = await expiredToken(issuer);
    const good = await issuer.sign({ sub: 'user-1', aud: 'https://api.why401.test', scope: 'read' });
    let calls = 0;
    let refreshes = 0;
    const apiFetch = withAuth(fetch, {
      // The first read (for the send) sees the old token; by the time the 401 is back, the app has a new one.
      getToken: () => (calls++ === 0 ? expired : good),
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      locks: false,
    });
    const res = await apiFetch(`${api.url}/me`);
    expect(res.status).toBe(200);
    expect(refreshes).toBe(0);
    expect(api.hits.map((h) => h.token)).toEqual([expired, good]);
  });

  it('a request sent with the refused token after its refresh finished retries with the refreshed one', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const stale = store.accessToken!;
    const apiFetch = withAuth(fetch, { ...store, onSignInRequired: () => undefined, locks: false });
    expect((await apiFetch(`${api.url}/me?n=1`)).status).toBe(200);
    // A second client of the same session still holds the old token (it read it before the refresh).
    const lagging = withAuth(fetch, {
      getToken: () => stale,
      refresh: store.refresh,
      onSignInRequired: () => undefined,
      storage: { get: () => store.accessToken, set: () => undefined },
      locks: false,
    });
    expect((await lagging(`${api.url}/me?n=2`)).status).toBe(200);
    expect(store.refreshCalls).toBe(1);
  });
});

describe('a request that fails before any refresh never waits for one', () => {
  it('a 500 and a public page come back while a refresh is still running', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const expired = await expiredToken(issuer);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const fresh = await issuer.sign({ sub: 'user-1', aud: 'https://api.why401.test', scope: 'read' });
    let current = expired;
    const apiFetch = withAuth(fetch, {
      getToken: () => current,
      refresh: async () => {
        await gate;
        current = fresh;
        return fresh;
      },
      onSignInRequired: () => undefined,
      locks: false,
    });
    const order: string[] = [];
    const refused = apiFetch(`${api.url}/me?n=refused`).then((r) => order.push(`refused ${r.status}`));
    while (!api.hits.some((h) => h.n === 'refused' && h.status === 401))
      await new Promise((r) => setTimeout(r, 5));
    const boom = await apiFetch(`${api.url}/boom`);
    order.push(`boom ${boom.status}`);
    const pub = await apiFetch(`${api.url}/public`);
    order.push(`public ${pub.status}`);
    await expect(apiFetch('http://127.0.0.1:1/unreachable')).rejects.toThrow();
    order.push('unreachable');
    open();
    await refused;
    expect(order).toEqual(['boom 500', 'public 200', 'unreachable', 'refused 200']);
  });
});

describe('insufficient_scope and 403: no refresh, a typed error', () => {
  it('insufficient_scope: InsufficientScopeError naming the scope the challenge asks for', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const token = await issuer.sign({ sub: 'user-1', aud: 'https://api.why401.test', scope: 'read' });
    let refreshes = 0;
    const apiFetch = withAuth(fetch, {
      getToken: () => token,
      refresh: () => (refreshes++, token),
      onSignInRequired: () => undefined,
      locks: false,
    });
    const e = await apiFetch(`${api.url}/write`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InsufficientScopeError);
    expect((e as InsufficientScopeError).scope).toBe('write');
    expect((e as InsufficientScopeError).code).toBe('INSUFFICIENT_SCOPE');
    expect((e as InsufficientScopeError).status).toBe(403);
    const plain = await apiFetch(`${api.url}/admin`).catch((x: unknown) => x);
    expect(plain).toBeInstanceOf(ForbiddenError);
    expect(plain).not.toBeInstanceOf(InsufficientScopeError);
    expect(refreshes).toBe(0);
    expect(api.hits).toHaveLength(2);
  });
});

describe('a body that cannot be replayed is not sent twice, and the error says so', () => {
  it('a ReadableStream body refused with an expired token: NotReplayableError, one send, token refreshed', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const apiFetch = withAuth(fetch, { ...store, onSignInRequired: () => undefined, locks: false });
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":1}'));
        c.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
    const e = await apiFetch(`${api.url}/upload`, init).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotReplayableError);
    expect(String((e as Error).message)).toMatch(/ReadableStream/);
    expect(api.hits.filter((h) => h.path === '/upload')).toHaveLength(1);
    expect(store.refreshCalls).toBe(1);
    // The same request with a string body is replayed.
    const res = await apiFetch(`${api.url}/upload`, { method: 'POST', body: '{"a":2}' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: string }).body).toBe('{"a":2}');
  });

  it('a Request object with a body is replayed from a copy', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const store = tokenStore(issuer, await expiredToken(issuer), issuer.issueRefreshToken());
    const apiFetch = withAuth(fetch, { ...store, onSignInRequired: () => undefined, locks: false });
    const res = await apiFetch(new Request(`${api.url}/upload`, { method: 'POST', body: 'payload' }));
    expect(res.status).toBe(200);
    expect(api.hits.map((h) => [h.status, h.body])).toEqual([
      [401, 'payload'],
      [200, 'payload'],
    ]);
  });
});

describe('what withAuth leaves alone', () => {
  it('other 401 codes, own Authorization headers and origins outside the list', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const expired = await expiredToken(issuer);
    let refreshes = 0;
    const apiFetch = withAuth(fetch, {
      getToken: () => expired,
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      origins: [api.url],
      locks: false,
    });
    const own = await apiFetch(`${api.url}/me`, { headers: { authorization: 'Bearer mine' } });
    expect(own.status).toBe(401);
    expect(api.hits[0]!.token).toBe('mine');
    const other = withAuth(fetch, {
      getToken: () => expired,
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      origins: ['https://api.example.com'],
      locks: false,
    });
    const res = await other(`${api.url}/me`);
    expect(res.status).toBe(401);
    expect(api.hits[1]!.token).toBeUndefined();
    expect(refreshes).toBe(0);
  });

  it('in a page without `origins`, only the page’s own origin gets the token', async () => {
    stack = await startStack();
    const { issuer, api } = stack;
    const token = await expiredToken(issuer);
    const made = {
      getToken: () => token,
      refresh: () => null,
      onSignInRequired: () => undefined,
      locks: false as const,
    };
    // A page on another origin than the API: the token stays home.
    Object.defineProperty(globalThis, 'location', {
      value: { origin: 'https://app.example' },
      configurable: true,
    });
    try {
      await withAuth(fetch, made)(`${api.url}/me`);
      expect(api.hits.at(-1)!.token).toBeUndefined();
      // A page served by the API's origin: its requests carry the token.
      Object.defineProperty(globalThis, 'location', {
        value: { origin: new URL(api.url).origin },
        configurable: true,
      });
      // (Refused, and refresh gives nothing: sign-in is required, which is not what this test is about.)
      await withAuth(fetch, made)(`${api.url}/me`).catch(() => undefined);
      expect(api.hits.at(-1)!.token).toBe(token);
    } finally {
      delete (globalThis as { location?: unknown }).location;
    }
  });
});
