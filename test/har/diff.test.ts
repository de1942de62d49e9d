import { describe, expect, it } from 'vitest';
import { diffPriority } from '../../src/core/diff-priority.js';
import {
  diffRequests,
  pickEntries,
  sideFromEvidence,
  sideFromHarEntry,
  sideFromRequest,
} from '../../src/har/diff.js';
import { redactUrl } from '../../src/core/redact-url.js';
import { type DiffItem, type DiffSide } from '../../src/model/har-diff.js';
import type { HarEntry } from '../../src/model/har.js';
import type { HeaderList } from '../../src/model/http.js';
import { parseCurlCommand } from '../../src/parse/curl/index.js';
import { renderDiffText } from '../../src/render/diff-text.js';
import { ev } from '../support/evidence.js';
import { entry, makeJwt } from './sanitize-fixture.js';

const AT = Date.parse('2024-05-01T10:00:00.000Z');
const sec = AT / 1000;
const SIG_A = 'c2lnbmF0dXJlLW9mLXRoZS1nb29kLXRva2VuLTAxMjM0NTY3ODk';
const SIG_B = 'c2lnbmF0dXJlLW9mLXRoZS1iYWQtdG9rZW4tOTg3NjU0MzIxMA';

function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}, sig = SIG_A): string {
  return makeJwt(
    { alg: 'RS256', typ: 'at+jwt', kid: 'k1', ...header },
    {
      iss: 'https://login.example.com/',
      aud: 'https://api.example.com',
      sub: 'user-42',
      scope: 'orders:read orders:write',
      exp: sec + 3600,
      ...claims,
    },
    sig,
  );
}

function side(
  o: {
    url?: string;
    method?: string;
    headers?: HeaderList;
    status?: number;
    resHeaders?: HeaderList;
    redirects?: DiffSide['redirects'];
    at?: number;
    proxy?: string;
    serverIp?: string;
  } = {},
): DiffSide {
  const s: DiffSide = {
    request: {
      method: o.method ?? 'GET',
      url: o.url ?? 'https://api.example.com/v1/orders',
      headers: o.headers ?? [],
    },
    response: { status: o.status ?? 200, headers: o.resHeaders ?? [['Content-Type', 'application/json']] },
    at: o.at ?? AT,
  };
  if (o.redirects) s.redirects = o.redirects;
  if (o.proxy) s.proxy = o.proxy;
  if (o.serverIp) s.serverIp = o.serverIp;
  return s;
}

const bearer = (t: string): HeaderList => [['Authorization', `Bearer ${t}`]];
const find = (items: DiffItem[], area: DiffItem['area'], name: string) =>
  items.find((i) => i.area === area && i.name === name);
const challenge = (v: string): HeaderList => [
  ['Content-Type', 'application/json'],
  ['WWW-Authenticate', v],
];

interface Case {
  name: string;
  good: DiffSide;
  bad: DiffSide;
  /** The item that must come first. */
  first: Partial<DiffItem>;
  /** Items that must be there. */
  has?: Array<Partial<DiffItem>>;
  /** Raw secrets that must appear nowhere. */
  secrets: string[];
}

const fresh = jwt({});
const expired = jwt({ exp: sec - 7200, iat: sec - 10800 }, {}, SIG_B);
const otherAud = jwt({ aud: 'https://graph.example.com' }, {}, SIG_B);
const fewerScopes = jwt({ scope: 'orders:read' }, {}, SIG_B);
const rotated = jwt({}, { kid: 'k2' }, SIG_B);
const opaque = 'oat_Zk3Lm8Np2Qr7St4Uv9Wx1Yz6Ab5Cd0Ef';

const cases: Case[] = [
  {
    name: 'token expired vs fresh',
    good: side({ headers: bearer(fresh) }),
    bad: side({
      headers: bearer(expired),
      status: 401,
      resHeaders: challenge('Bearer error="invalid_token", error_description="Jwt is expired"'),
    }),
    first: {
      area: 'token',
      name: 'exp',
      good: 'valid (expires 60 min after the request)',
      bad: 'expired 2 h before the request',
    },
    has: [
      { area: 'header', name: 'Authorization' },
      { area: 'status', name: 'status', good: '200', bad: '401' },
      { area: 'challenge', name: 'WWW-Authenticate' },
    ],
    secrets: [fresh, expired, SIG_A, SIG_B],
  },
  {
    name: 'Authorization dropped by a redirect to another origin',
    good: side({ url: 'https://api.example.com/v1/orders', headers: bearer(fresh) }),
    bad: side({
      url: 'https://api.example.com/v1/orders',
      headers: [],
      status: 401,
      redirects: [
        { method: 'GET', url: 'http://api.example.com/v1/orders', headers: bearer(fresh), status: 301 },
      ],
    }),
    first: { area: 'header', name: 'Authorization', bad: null },
    has: [
      {
        area: 'redirect',
        name: 'Authorization',
        good: 'no redirect',
        bad: 'dropped at the redirect from http://api.example.com to https://api.example.com',
      },
      { area: 'redirect', name: 'chain', good: 'no redirect' },
    ],
    secrets: [fresh, SIG_A],
  },
  {
    name: 'session cookie missing',
    good: side({ headers: [['Cookie', 'sid=s%3AQm9vN2Lk8Xp4Zr7Tt1Vb6Nc3.Fg9Ah2; theme=dark; _ga=GA1.2.3']] }),
    bad: side({ headers: [['Cookie', 'theme=dark; _ga=GA1.2.4']], status: 401 }),
    first: { area: 'cookie', name: 'sid', bad: null },
    secrets: ['s%3AQm9vN2Lk8Xp4Zr7Tt1Vb6Nc3.Fg9Ah2'],
  },
  {
    name: 'different audience',
    good: side({ headers: bearer(fresh) }),
    bad: side({ headers: bearer(otherAud), status: 401 }),
    first: { area: 'token', name: 'aud', good: 'https://api.example.com', bad: 'https://graph.example.com' },
    secrets: [fresh, otherAud, SIG_A, SIG_B],
  },
  {
    name: 'different origin (staging vs production)',
    good: side({ url: 'https://api.staging.example.com/v1/orders', headers: bearer(fresh) }),
    bad: side({ url: 'https://api.example.com/v1/orders', headers: bearer(fresh), status: 401 }),
    first: { area: 'origin', name: 'host', good: 'api.staging.example.com', bad: 'api.example.com' },
    has: [{ area: 'token', name: 'same token' }],
    secrets: [fresh, SIG_A],
  },
  {
    name: 'a scope missing gives a 403',
    good: side({ method: 'POST', headers: bearer(fresh) }),
    bad: side({ method: 'POST', headers: bearer(fewerScopes), status: 403 }),
    first: { area: 'token', name: 'scope', good: 'orders:read orders:write', bad: 'orders:read' },
    secrets: [fresh, fewerScopes],
  },
  {
    name: 'a rotated signing key',
    good: side({ headers: bearer(fresh) }),
    bad: side({ headers: bearer(rotated), status: 401 }),
    first: { area: 'token', name: 'kid', good: 'k1', bad: 'k2' },
    secrets: [rotated, SIG_B],
  },
  {
    name: 'same opaque token, but a proxy on the way',
    good: side({ headers: bearer(opaque), resHeaders: [['Server', 'nginx']], serverIp: '203.0.113.7' }),
    bad: side({
      headers: bearer(opaque),
      status: 403,
      proxy: 'http://proxyuser:Pr0xy-Secr3t@proxy.corp.example:3128',
      resHeaders: [
        ['Server', 'Zscaler/6.2'],
        ['Content-Type', 'text/html'],
      ],
      serverIp: '198.51.100.9',
    }),
    first: { area: 'proxy', name: 'proxy', good: 'direct' },
    has: [
      { area: 'token', name: 'same token' },
      { area: 'proxy', name: 'server (response)', good: 'nginx', bad: 'Zscaler/6.2' },
      { area: 'proxy', name: 'server address' },
    ],
    secrets: [opaque, 'Pr0xy-Secr3t'],
  },
  {
    name: 'Basic user and password',
    good: side({ headers: [['Authorization', `Basic ${btoa('alice:Right-Pa55word')}`]] }),
    bad: side({ headers: [['Authorization', `Basic ${btoa('alice:Wrong-Pa55word')}`]], status: 401 }),
    first: { area: 'header', name: 'Authorization' },
    secrets: ['Right-Pa55word', 'Wrong-Pa55word', btoa('alice:Right-Pa55word'), btoa('alice:Wrong-Pa55word')],
  },
  {
    name: 'an API key header and a trailing slash',
    good: side({ headers: [['X-API-Key', 'sk_live_51Hx8Kp2Lq9Zr4Tt7Vb1Nc6Hy3Jd0Fg5']] }),
    bad: side({
      url: 'https://api.example.com/v1/orders/',
      headers: [['X-API-Key', 'sk_live_99Hx8Kp2Lq9Zr4Tt7Vb1Nc6Hy3Jd0Fg5']],
      status: 401,
    }),
    first: { area: 'header', name: 'X-API-Key' },
    has: [{ area: 'url', name: 'path', good: '/v1/orders', bad: '/v1/orders/' }],
    secrets: ['sk_live_51Hx8Kp2Lq9Zr4Tt7Vb1Nc6Hy3Jd0Fg5', 'sk_live_99Hx8Kp2Lq9Zr4Tt7Vb1Nc6Hy3Jd0Fg5'],
  },
  {
    name: 'an access token in the query string',
    good: side({ url: `https://api.example.com/v1/orders?page=1&access_token=${opaque}` }),
    bad: side({
      url: 'https://api.example.com/v1/orders?page=1&access_token=expired-Zk3Lm8Np2Qr7St4Uv9W',
      status: 401,
    }),
    first: { area: 'url', name: '?access_token' },
    secrets: [opaque, 'expired-Zk3Lm8Np2Qr7St4Uv9W'],
  },
];

describe('diffRequests: the differences that matter for auth', () => {
  it.each(cases)('$name', (c) => {
    const items = diffRequests(c.good, c.bad);
    expect(items[0], JSON.stringify(items, null, 1)).toMatchObject(c.first);
    for (const h of c.has ?? [])
      expect(items, JSON.stringify(items, null, 1)).toContainEqual(expect.objectContaining(h));
    const text = JSON.stringify(items) + renderDiffText(items, { color: false, good: c.good, bad: c.bad });
    for (const s of c.secrets) expect(text).not.toContain(s);
    for (const i of items) expect(i.note.length).toBeGreaterThan(10);
    // Ordered by importance.
    const ranks = items.map(diffPriority);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('finds nothing between two identical requests', () => {
    const s = side({ headers: bearer(fresh) });
    expect(diffRequests(s, s)).toEqual([
      {
        area: 'token',
        name: 'same token',
        good: expect.any(String),
        bad: expect.any(String),
        note: expect.any(String),
      },
    ]);
    const anon = side();
    expect(diffRequests(anon, anon)).toEqual([]);
  });

  it('ignores noise: tracing ids, client hints, analytics cookies', () => {
    const good = side({
      headers: [
        ['traceparent', '00-aaa-01'],
        ['sec-ch-ua', '"Chromium";v="156"'],
        ['Cookie', '_ga=1; _gid=2'],
      ],
    });
    const bad = side({
      headers: [
        ['traceparent', '00-bbb-01'],
        ['sec-ch-ua', '"Firefox";v="140"'],
        ['Cookie', '_ga=3'],
      ],
    });
    expect(diffRequests(good, bad)).toEqual([]);
  });

  it('judges exp against the response Date when the side has no time, else against `now`', () => {
    const good = side({ headers: bearer(fresh) });
    delete good.at;
    const bad: DiffSide = {
      request: { method: 'GET', url: 'https://api.example.com/v1/orders', headers: bearer(expired) },
    };
    const items = diffRequests(good, bad, { now: AT });
    expect(find(items, 'token', 'exp')).toMatchObject({ bad: 'expired 2 h before the request' });
  });

  it('says an ID token was sent where an access token works', () => {
    const idToken = jwt({ aud: 'spa-client', nonce: 'n-1' }, { typ: 'JWT' }, SIG_B);
    const items = diffRequests(
      side({ headers: bearer(fresh) }),
      side({ headers: bearer(idToken), status: 401 }),
    );
    expect(find(items, 'token', 'typ')).toMatchObject({ good: 'at+jwt', bad: 'JWT' });
    expect(find(items, 'token', 'aud')).toBeDefined();
  });
});

describe('sides from HAR entries, curl commands and evidence', () => {
  it('follows a HAR redirect chain back from the failing entry', () => {
    const entries: HarEntry[] = [
      entry({
        url: 'http://api.example.com/v1/me',
        reqHeaders: [{ name: 'Authorization', value: `Bearer ${fresh}` }],
        status: 301,
        redirectURL: 'https://api.example.com/v1/me',
      }),
      entry({ url: 'https://api.example.com/v1/me', status: 401 }),
    ];
    const s = sideFromHarEntry(entries, 1);
    expect(s.redirects).toEqual([
      expect.objectContaining({ url: 'http://api.example.com/v1/me', status: 301 }),
    ]);
    expect(s.at).toBe(AT);
    expect(s.serverIp).toBe('203.0.113.7');
  });

  it('diffs two curl commands', () => {
    const good = parseCurlCommand(
      `curl -H 'Authorization: Bearer ${fresh}' https://api.example.com/v1/orders`,
    ).request;
    const bad = parseCurlCommand(`curl -x http://proxy.corp:3128 https://api.example.com/v1/orders/`).request;
    const items = diffRequests(sideFromRequest(good, undefined, AT), sideFromRequest(bad, undefined, AT));
    expect(items[0]).toMatchObject({ area: 'header', name: 'Authorization', bad: null });
    expect(items).toContainEqual(expect.objectContaining({ area: 'url', name: 'path' }));
    expect(items).toContainEqual(
      expect.objectContaining({ area: 'proxy', name: 'proxy', bad: 'http://proxy.corp:3128' }),
    );
  });

  it('reads the main probe of a diagnosis, redirects included', () => {
    const e = ev({
      url: 'http://api.example.com/v1/me',
      headers: { Authorization: `Bearer ${fresh}` },
      hops: [{ status: 301, responseHeaders: { Location: 'https://api.example.com/v1/me' } }],
      dropped: ['authorization'],
      status: 401,
    });
    const s = sideFromEvidence(e, 'curl');
    expect(s.request.url).toBe('https://api.example.com/v1/me');
    expect(s.response?.status).toBe(401);
    expect(s.redirects).toHaveLength(1);
    const items = diffRequests(side({ url: 'https://api.example.com/v1/me', headers: bearer(fresh) }), s);
    expect(find(items, 'redirect', 'Authorization')?.bad).toMatch(
      /^dropped at the redirect from http:\/\/api\.example\.com/,
    );
  });
});

describe('pickEntries: which pair to compare from two HAR files', () => {
  const goodHar = {
    log: {
      entries: [
        entry({ url: 'https://app.example.com/', mimeType: 'text/html', body: '<html>' }),
        entry({
          url: 'https://api.example.com/v1/orders?page=1',
          reqHeaders: [{ name: 'authorization', value: `Bearer ${fresh}` }],
        }),
        entry({ method: 'POST', url: 'https://api.example.com/v1/orders', status: 201 }),
        entry({
          url: 'https://api.example.com/v1/orders?page=2',
          reqHeaders: [{ name: 'authorization', value: `Bearer ${fresh}` }],
        }),
        entry({
          url: 'https://api.example.com/v1/profile',
          reqHeaders: [{ name: 'authorization', value: `Bearer ${fresh}` }],
        }),
      ],
    },
  };
  it('takes the first 401/403 of BAD and the GOOD entry with the same method, path and query', () => {
    const bad = [
      entry({ url: 'https://app.example.com/', mimeType: 'text/html', at: '2024-05-01T11:00:00.000Z' }),
      entry({
        url: 'https://api.example.com/v1/orders?page=2',
        reqHeaders: [{ name: 'authorization', value: `Bearer ${expired}` }],
        status: 401,
        at: '2024-05-01T11:00:01.000Z',
      }),
      entry({ url: 'https://api.example.com/v1/profile', status: 403, at: '2024-05-01T11:00:02.000Z' }),
    ];
    const r = pickEntries(goodHar, bad);
    expect(r).toMatchObject({ ok: true, goodIndex: 3, badIndex: 1, match: 'same method and path' });
    if (!r.ok) return;
    expect(find(diffRequests(r.good, r.bad), 'token', 'exp')?.bad).toBe('expired 3 h before the request');
  });

  it('falls back to the same path on another origin, then to the same origin', () => {
    const other = [entry({ url: 'https://eu.api.example.com/v1/orders?page=2', status: 401 })];
    expect(pickEntries(goodHar, other)).toMatchObject({
      ok: true,
      goodIndex: 3,
      match: 'same path, other origin',
    });
    const sameOrigin = [entry({ method: 'DELETE', url: 'https://api.example.com/v1/orders/7', status: 403 })];
    expect(pickEntries(goodHar, sameOrigin)).toMatchObject({ ok: true, match: 'same origin, other method' });
    const get = [entry({ url: 'https://api.example.com/v1/invoices', status: 403 })];
    expect(pickEntries(goodHar, get)).toMatchObject({ ok: true, goodIndex: 4, match: 'same origin' });
  });

  it('takes a request that got no answer (a refused preflight) when BAD has no 401/403', () => {
    const bad = [entry({ url: 'https://api.example.com/v1/orders?page=2', status: -1 })];
    expect(pickEntries(goodHar, bad)).toMatchObject({ ok: true, badIndex: 0 });
  });

  it('says why when there is nothing to compare', () => {
    expect(pickEntries(goodHar, [entry({ url: 'https://api.example.com/v1/orders' })])).toEqual({
      ok: false,
      reason: expect.stringMatching(/no 401 or 403/),
    });
    expect(pickEntries(goodHar, [entry({ url: 'https://other.example.org/x', status: 401 })])).toEqual({
      ok: false,
      reason: expect.stringMatching(/no successful request to https:\/\/other\.example\.org/),
    });
  });
});

describe('renderDiffText', () => {
  it('shows both requests, then the differences grouped, most important first', () => {
    const good = side({ headers: bearer(fresh) });
    const bad = side({
      url: 'https://api.example.com/v1/orders/',
      headers: bearer(expired),
      status: 401,
      resHeaders: challenge('Bearer error="invalid_token", error_description="Jwt is expired"'),
    });
    good.label = 'good.har entry 4';
    const text = renderDiffText(diffRequests(good, bad), {
      color: false,
      good,
      bad,
      match: 'same method and path',
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('why401 diff');
    expect(lines[1]).toBe(
      '  GOOD  GET https://api.example.com/v1/orders → 200 OK  (good.har entry 4, 2024-05-01T10:00:00.000Z)',
    );
    expect(lines[2]).toBe(
      '  BAD   GET https://api.example.com/v1/orders/ → 401 Unauthorized  (2024-05-01T10:00:00.000Z)',
    );
    const order = [
      'Token and credentials',
      'token claim exp',
      'header Authorization',
      'Where the request went',
      'url path',
      'The way there and the answer',
      'WWW-Authenticate',
    ];
    const at = order.map((s) => text.indexOf(s));
    expect(
      at.every((x) => x >= 0),
      text,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('expired 2 h before the request');
    expect(text).toContain('The server says why: error="invalid_token", error_description="Jwt is expired".');
    expect(text).not.toContain(SIG_B);
    expect(text).not.toMatch(/\x1b\[/);
    expect(renderDiffText([], { color: true })).toMatch(/No difference that matters for auth/);
  });

  it('redacts secrets in the URLs it shows', () => {
    expect(
      redactUrl(`https://u:Pa55-w0rd-x@api.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&page=2`),
    ).not.toMatch(/Pa55-w0rd-x|SplxlOBeZQQYbYS6WxSbIA|state=xyz/);
  });
});

describe('diffRequests: addresses are shown as addresses', () => {
  it('an Origin that differs is shown as written, not as a secret fingerprint', () => {
    const good = side({ headers: [['Origin', 'https://app.example.com']] });
    const bad = side({ headers: [['Origin', 'https://staging-app.example.com']] });
    const item = diffRequests(good, bad).find((i) => i.name.toLowerCase() === 'origin');
    expect(item?.good).toBe('https://app.example.com');
    expect(item?.bad).toBe('https://staging-app.example.com');
  });
});
