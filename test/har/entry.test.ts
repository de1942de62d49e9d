import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import {
  entryEvidence,
  failureOf,
  harHeaderList,
  initiatorOriginOf,
  redirectChainOf,
  responseBodyOf,
} from '../../src/facts/har-entry.js';
import { har, harEntry, PLAYWRIGHT, T0, type Spec } from './report-fixtures.js';

const API = 'https://api.example.com';

describe('entryEvidence', () => {
  it('takes the request as the page sent it: method, URL, headers in order, body; pseudo-headers dropped', () => {
    const { entries } = har([
      {
        method: 'POST',
        url: `${API}/v1/items?x=1`,
        status: 401,
        at: 500,
        time: 84,
        req: [
          [':authority', 'api.example.com'],
          ['Content-Type', 'application/json'],
          ['Authorization', 'Bearer abc.def.ghi'],
          ['X-Trace', '1'],
        ],
        postData: { mimeType: 'application/json', text: '{"name":"n"}' },
        res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      },
    ]);
    const ev = entryEvidence(entries, 0, { now: 123 });
    expect(ev.source).toBe('har');
    expect(ev.now).toBe(123);
    expect(ev.request.method).toBe('POST');
    expect(ev.request.url).toBe(`${API}/v1/items?x=1`);
    expect(ev.request.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer abc.def.ghi'],
      ['X-Trace', '1'],
    ]);
    expect(ev.request.body).toBe('{"name":"n"}');
    expect(ev.exchanges).toHaveLength(1);
    const x = ev.exchanges[0]!;
    expect(x).toMatchObject({ probe: 'main', hop: 0, startedAt: T0 + 500, ms: 84 });
    expect(x.response?.status).toBe(401);
    expect(x.response?.headers).toEqual([['WWW-Authenticate', 'Bearer error="invalid_token"']]);
  });

  it('rebuilds the form from postData.params when there is no text', () => {
    const { entries } = har([
      {
        method: 'POST',
        url: `${API}/login`,
        status: 200,
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          params: [
            { name: 'user', value: 'u' },
            { name: 'password', value: 'p w' },
          ],
        },
      },
    ]);
    expect(entryEvidence(entries, 0, { now: T0 }).request.body).toBe('user=u&password=p+w');
  });

  it('decodes a base64 text body, leaves a binary one out, and carries the truncation mark', () => {
    const text = harEntry({
      url: `${API}/a`,
      status: 401,
      body: '{"error":"invalid_token"}',
      mime: 'application/json',
      base64: true,
    });
    expect(responseBodyOf(text.response.content)).toEqual({
      body: '{"error":"invalid_token"}',
      truncated: false,
      bytes: 25,
    });
    const png = harEntry({
      url: `${API}/i.png`,
      status: 200,
      body: 'PNG-bytes',
      mime: 'image/png',
      base64: true,
    });
    expect(responseBodyOf(png.response.content).body).toBe('');
    const cut = harEntry({
      url: `${API}/big`,
      status: 401,
      body: 'x'.repeat(100),
      mime: 'text/plain',
      truncatedFrom: 5_000_000,
    });
    const ev = entryEvidence([cut], 0, { now: T0 });
    expect(ev.exchanges[0]!.response).toMatchObject({ bodyTruncated: true, bodyBytes: 100 });
  });

  it('splits the Set-Cookie lines Chrome joins with newlines, and rebuilds Cookie from request.cookies', () => {
    expect(harHeaderList([{ name: 'set-cookie', value: 'a=1; Path=/\nb=2; Path=/' }])).toEqual([
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2; Path=/'],
    ]);
    const e = harEntry({ url: `${API}/x`, status: 401 });
    e.request.cookies = [
      { name: 'sid', value: 's1' },
      { name: 'theme', value: 'dark' },
    ];
    expect(entryEvidence([e], 0, { now: T0 }).request.headers).toContainEqual([
      'Cookie',
      'sid=s1; theme=dark',
    ]);
  });

  it('turns a failed entry into an exchange with an error: Playwright -1 and Chrome 0', () => {
    const pw = har([{ url: `${API}/x`, status: -1, req: { Authorization: 'Bearer t' } }]).entries;
    const x = entryEvidence(pw, 0, { now: T0 }).exchanges[0]!;
    expect(x.response).toBeUndefined();
    expect(x.error).toMatchObject({ phase: 'protocol', code: 'net::ERR_FAILED' });
    const chrome = har([{ url: `${API}/x`, status: 0, failure: 'net::ERR_ABORTED' }], {
      chrome: true,
    }).entries;
    expect(chrome[0]!.response.status).toBe(0);
    expect(entryEvidence(chrome, 0, { now: T0 }).exchanges[0]!.error).toMatchObject({
      phase: 'aborted',
      code: 'net::ERR_ABORTED',
    });
    expect(
      failureOf(harEntry({ url: `${API}/x`, status: -1, failure: 'net::ERR_NAME_NOT_RESOLVED' })).phase,
    ).toBe('dns');
  });

  describe('redirect chains', () => {
    const chain: Spec[] = [
      { url: 'http://127.0.0.1:9/unrelated', status: 200, at: 0 },
      {
        url: `${API}/v1/me`,
        status: 301,
        at: 10,
        req: { Authorization: 'Bearer opaque-token-1234', Cookie: 'sid=s1' },
        res: { Location: 'https://www.example.com/v1/me' },
      },
      {
        url: 'https://www.example.com/v1/me',
        status: 302,
        at: 30,
        req: {},
        res: { Location: '/v1/me/' },
      },
      {
        url: 'https://www.example.com/v1/me/',
        status: 401,
        at: 50,
        req: {},
        res: { 'WWW-Authenticate': 'Bearer' },
      },
    ];

    it('chains the entries that redirected to this one as earlier hops, the page request first', () => {
      const { entries } = har(chain);
      expect(redirectChainOf(entries, 3)).toEqual([1, 2, 3]);
      const ev = entryEvidence(entries, 3, { now: T0 });
      expect(ev.exchanges.map((x) => [x.hop, x.request.url, x.response?.status])).toEqual([
        [0, `${API}/v1/me`, 301],
        [1, 'https://www.example.com/v1/me', 302],
        [2, 'https://www.example.com/v1/me/', 401],
      ]);
      expect(ev.request.url).toBe(`${API}/v1/me`);
      expect(ev.request.headers).toContainEqual(['Authorization', 'Bearer opaque-token-1234']);
    });

    it('marks Authorization and Cookie dropped on the hop that crossed origins, not on a same-origin hop', () => {
      const ev = entryEvidence(har(chain).entries, 3, { now: T0 });
      expect(ev.exchanges[1]!.droppedHeaders).toEqual(['authorization', 'cookie']);
      expect(ev.exchanges[2]!.droppedHeaders).toBeUndefined();
    });

    it('diagnoses the chain as the probes would: the redirect dropped the credentials', () => {
      const report = analyze(entryEvidence(har(chain).entries, 3, { now: T0 }), { showSecrets: true });
      expect(report.findings[0]).toMatchObject({
        id: 'url.redirect-dropped-credentials',
        confidence: 'confirmed',
      });
    });

    it('marks nothing dropped when the export hides credentials', () => {
      const ev = entryEvidence(har(chain).entries, 3, { now: T0, credentialsHidden: true });
      expect(ev.exchanges.some((x) => x.droppedHeaders)).toBe(false);
    });

    it('does not chain a redirect to another URL, or a 307 that changed the method', () => {
      const { entries } = har([
        { url: `${API}/a`, status: 302, res: { Location: '/b' } },
        { url: `${API}/c`, status: 401, at: 10 },
        { method: 'POST', url: `${API}/d`, status: 307, at: 20, res: { Location: '/e' } },
        { method: 'GET', url: `${API}/e`, status: 401, at: 30 },
      ]);
      expect(redirectChainOf(entries, 1)).toEqual([1]);
      expect(redirectChainOf(entries, 3)).toEqual([3]);
    });
  });

  it("gives a page's cross-origin request its page origin, and the OPTIONS preflight when the HAR has it", () => {
    const { entries, meta } = har([
      {
        method: 'OPTIONS',
        url: `${API}/v1/me`,
        status: 401,
        at: 0,
        resourceType: 'preflight',
        req: {
          Origin: 'https://app.example.org',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      },
      {
        url: `${API}/v1/me`,
        status: -1,
        at: 5,
        req: { Authorization: 'Bearer t0k3n-value', Referer: 'https://app.example.org/page' },
      },
    ]);
    expect(initiatorOriginOf(entries[1]!, meta)).toBe('https://app.example.org');
    const ev = entryEvidence(entries, 1, { now: T0, meta });
    expect(ev.browserOrigin).toBe('https://app.example.org');
    expect(ev.exchanges.map((x) => x.probe)).toEqual(['main', 'preflight']);
    const report = analyze(ev, { showSecrets: true });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ id: 'cors.preflight-rejected', confidence: 'confirmed' }),
    );
  });

  it("finds the page from the HAR's pages when a request names no Origin or Referer (Chrome: title is the page URL)", () => {
    const e = harEntry({ url: `${API}/v1/me`, status: 401 });
    expect(
      initiatorOriginOf(e, {
        ...PLAYWRIGHT,
        pages: [{ id: 'page@1', title: 'https://app.example.org/dashboard' }],
      }),
    ).toBe('https://app.example.org');
    expect(initiatorOriginOf(e, PLAYWRIGHT)).toBeUndefined();
  });

  it('judges clock checks against the capture time it is given', () => {
    const exp = Math.floor(T0 / 1000) - 3600;
    const token = `${btoa('{"alg":"RS256"}').replace(/=+$/, '')}.${btoa(JSON.stringify({ exp, aud: 'a' })).replace(/=+$/, '')}.sig`;
    const { entries } = har([
      { url: `${API}/v1/me`, status: 401, req: { Authorization: `Bearer ${token}` } },
    ]);
    const atCapture = analyze(entryEvidence(entries, 0, { now: T0 }), { showSecrets: true });
    expect(atCapture.findings.find((f) => f.id === 'token.expired')?.title).toContain('60 minutes');
    const before = analyze(entryEvidence(entries, 0, { now: T0 - 7200_000 }), { showSecrets: true });
    expect(before.findings.some((f) => f.id === 'token.expired')).toBe(false);
  });

  it('throws on an index that is not there', () => {
    expect(() => entryEvidence([], 0, { now: T0 })).toThrow(RangeError);
  });
});
