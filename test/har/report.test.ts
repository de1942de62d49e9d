import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyzeHar, type HarReport } from '../../src/diagnose/har-report.js';
import { detectSanitizedExport } from '../../src/har/sanitized.js';
import type { HarEntry, HarMeta } from '../../src/model/har.js';
import { renderHarMarkdown } from '../../src/render/har-markdown.js';
import { renderHarText } from '../../src/render/har-text.js';
import { har, jwt, type Spec } from './report-fixtures.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/har-report.json', import.meta.url), 'utf8'),
) as object;
const reportSchema = JSON.parse(
  readFileSync(new URL('../../schema/report.json', import.meta.url), 'utf8'),
) as {
  $defs: { finding: unknown };
};
const ajv = new Ajv2020({ strict: true, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

function valid(r: HarReport): HarReport {
  const ok = validate(JSON.parse(JSON.stringify(r)));
  expect(ok ? '' : ajv.errorsText(validate.errors)).toBe('');
  return r;
}

function run(specs: Spec[], o: { chrome?: boolean; sanitizedExport?: boolean } = {}): HarReport {
  const h = har(specs, o);
  return valid(
    analyzeHar(
      h.entries,
      h.meta,
      o.sanitizedExport === undefined ? {} : { sanitizedExport: o.sanitizedExport },
    ),
  );
}

const API = 'http://127.0.0.1:3000';
const APP = 'http://localhost:5173';

describe('analyzeHar', () => {
  it('a healthy session: nothing failed, no finding', () => {
    const r = run([
      { url: `${APP}/app`, status: 200, resourceType: 'document', mime: 'text/html', body: '<html></html>' },
      {
        url: `${API}/api/me`,
        status: 200,
        at: 100,
        req: { Authorization: 'Bearer tok-1234567', Origin: APP },
      },
    ]);
    expect(r.entries).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(r.source).toEqual({
      creator: { name: 'Playwright', version: '1.65.1' },
      browser: { name: 'chromium', version: '156.0.7700.0' },
      entries: 2,
      sanitizedByBrowser: false,
    });
    expect(renderHarText(r, { color: false })).toContain('No request failed on authentication');
  });

  it('diagnoses each 401/403 with the same checks as `why401 URL`, judged at the capture time', () => {
    const expired = jwt({
      iss: 'https://idp/',
      aud: 'api',
      exp: Math.floor(Date.parse('2026-11-27T11:00:00Z') / 1000),
    });
    const r = run([
      {
        url: `${API}/api/me`,
        status: 401,
        req: { Authorization: `Bearer ${expired}` },
        res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      },
      {
        url: `${API}/api/admin`,
        status: 403,
        at: 10,
        req: { Authorization: 'Bearer opaque-1234567' },
        res: {
          'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"',
          'X-Request-Id': 'req-42',
        },
      },
    ]);
    expect(r.entries.map((e) => [e.index, e.status, e.outcome, e.failed, e.findings[0]?.id])).toEqual([
      [0, 401, 'unauthorized', true, 'token.expired'],
      [1, 403, 'forbidden', true, expect.any(String)],
    ]);
    expect(r.entries[0]!.findings[0]!.title).toContain('60 minutes');
    expect(r.entries[1]!.requestIds).toEqual({ 'x-request-id': 'req-42' });
    expect(r.entries[0]!.requestIds).toBeUndefined();
  });

  it('diagnoses disguised refusals: a redirect to a sign-in page and a 200 sign-in page; not an ordinary redirect', () => {
    const r = run([
      { url: `${API}/api/me`, status: 302, res: { Location: '/login?next=/api/me' } },
      {
        url: `${API}/login?next=/api/me`,
        status: 200,
        at: 5,
        mime: 'text/html',
        body: '<title>Sign in</title><form><input type="password"></form>',
      },
      {
        url: `${API}/account`,
        status: 200,
        at: 10,
        res: { 'Content-Type': 'text/html; charset=utf-8' },
        body: '<title>Sign in</title><form action="/login"><input name="p" type="password"></form>',
      },
      { url: `${API}/old`, status: 301, at: 20, res: { Location: '/new' } },
    ]);
    expect(r.entries.map((e) => [e.index, e.outcome, e.findings[0]?.id])).toEqual([
      [0, 'login-required', 'login.redirect'],
      [2, 'login-required', 'login.page'],
    ]);
  });

  it('a redirect chain that dropped Authorization across origins', () => {
    const r = run([
      {
        url: 'https://api.example.com/v1/me',
        status: 301,
        req: { Authorization: 'Bearer opaque-1234567' },
        res: { Location: 'https://www.example.com/v1/me' },
      },
      { url: 'https://www.example.com/v1/me', status: 401, at: 10, res: { 'WWW-Authenticate': 'Bearer' } },
    ]);
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]!.findings[0]).toMatchObject({
      id: 'url.redirect-dropped-credentials',
      confidence: 'confirmed',
    });
  });

  it('a failed preflight: the entry carries the CORS cause, not "unreachable"', () => {
    const r = run([
      { url: `${APP}/app`, status: 200, resourceType: 'document', mime: 'text/html', body: '<html></html>' },
      {
        url: `${API}/api/me`,
        status: -1,
        at: 100,
        req: [
          ['Authorization', 'Bearer opaque-1234567'],
          ['Referer', `${APP}/`],
        ],
      },
    ]);
    expect(r.findings[0]).toMatchObject({
      id: 'cors.preflight-rejected',
      kind: 'cause',
      confidence: 'likely',
      entries: [1],
    });
    const e = r.entries[0]!;
    expect(e).toMatchObject({ index: 1, status: null, error: 'net::ERR_FAILED', outcome: 'error' });
    expect(e.findings[0]!.id).toBe('cors.preflight-rejected');
    expect(e.findings.some((f) => f.id === 'network.unreachable')).toBe(false);
  });

  it('a preflight the HAR holds (Chrome lists it): the entry keeps its own confirmed CORS finding, once', () => {
    const r = run(
      [
        {
          url: `${APP}/app`,
          status: 200,
          resourceType: 'document',
          mime: 'text/html',
          body: '<html></html>',
        },
        {
          method: 'OPTIONS',
          url: `${API}/api/me`,
          status: 401,
          at: 90,
          resourceType: 'preflight',
          req: {
            Origin: APP,
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'authorization',
          },
        },
        {
          url: `${API}/api/me`,
          status: 0,
          at: 100,
          req: [
            ['Authorization', 'Bearer opaque-1234567'],
            ['Origin', APP],
          ],
        },
      ],
      { chrome: true },
    );
    expect(r.findings[0]).toMatchObject({
      id: 'cors.preflight-rejected',
      confidence: 'confirmed',
      entries: [1, 2],
    });
    const e = r.entries.find((x) => x.index === 2)!;
    expect(e.findings.filter((f) => f.id === 'cors.preflight-rejected')).toHaveLength(1);
    expect(e.findings[0]).toMatchObject({ id: 'cors.preflight-rejected', confidence: 'confirmed' });
    expect(r.entries.find((x) => x.index === 1)).toMatchObject({ failed: false, findings: [] });
  });

  it('skips an unusable entry where it stands: the indices stay the HAR’s own', () => {
    const h = har([
      { url: `${API}/a`, status: 200 },
      { url: `${API}/b`, status: 200, at: 10 },
      { url: `${API}/api/me`, status: 401, at: 20 },
    ]);
    const broken = [h.entries[0]!, { startedDateTime: 'x' } as unknown as HarEntry, h.entries[2]!];
    const r = valid(analyzeHar(broken, h.meta));
    expect(r.entries.filter((e) => e.failed).map((e) => e.index)).toEqual([2]);
    expect(r.source.entries).toBe(3);
    expect(r.warnings).toContain('1 entry without a usable request or response was skipped.');
  });

  it('another failure without an answer reads as the browser saw it', () => {
    const r = run([{ url: `${API}/api/me`, status: -1, req: { Accept: '*/*' } }]);
    expect(r.entries[0]!.findings[0]).toMatchObject({
      id: 'network.unreachable',
      confidence: 'possible',
      title: 'The browser got no answer (net::ERR_FAILED)',
    });
  });

  it('lists the entries the session findings cite, marked as not failed', () => {
    const r = run([
      {
        url: `${API}/login`,
        status: 200,
        res: { 'Set-Cookie': 'sid=opaque-session-1234; Path=/; SameSite=Strict' },
      },
      { url: `${API}/api/me`, status: 401, at: 100, req: { Origin: APP, 'Sec-Fetch-Site': 'cross-site' } },
    ]);
    expect(r.findings[0]!.id).toBe('session.cookie-not-sent');
    expect(r.entries.map((e) => [e.index, e.failed, e.outcome, e.findings.length > 0])).toEqual([
      [0, false, 'ok', false],
      [1, true, 'unauthorized', true],
    ]);
  });

  it('an entry without a date (Safari writes "") is judged at the capture’s time, not today’s', () => {
    const t = jwt({ sub: 'u1', exp: Date.parse('2020-01-01T02:00:00Z') / 1000 });
    const h = har([
      { url: `${API}/api/me`, status: 200, req: { Authorization: `Bearer ${t}` } },
      { url: `${API}/api/me`, status: 401, at: 100, req: { Authorization: `Bearer ${t}` } },
    ]);
    h.entries[0]!.startedDateTime = '2020-01-01T00:00:00.000Z';
    h.entries[1]!.startedDateTime = '';
    const r = valid(analyzeHar(h.entries, h.meta));
    const ids = r.entries.flatMap((e) => e.findings.map((f) => f.id));
    expect(ids).not.toContain('token.expired');
  });

  it('ranks the session findings: causes first, the context last', () => {
    const r = run([
      {
        url: `${API}/login`,
        status: 302,
        res: { Location: '/app', 'Set-Cookie': 'sid=opaque-session-1234; Path=/; Max-Age=5; HttpOnly' },
      },
      { url: `${API}/api/me`, status: 200, at: 1000, req: { Cookie: 'sid=opaque-session-1234' } },
      { url: `${API}/api/me`, status: 401, at: 10_000 },
    ]);
    expect(r.findings.map((f) => [f.id, f.kind])).toEqual([
      ['session.cookie-expired', 'cause'],
      ['info.changed-since-success', 'info'],
    ]);
  });
});

describe("Chrome's sanitized export", () => {
  const specs: Spec[] = [
    { url: `${APP}/app`, status: 200, resourceType: 'document', mime: 'text/html', body: '<html></html>' },
    {
      method: 'POST',
      url: `${API}/api/login`,
      status: 200,
      at: 10,
      postData: { mimeType: 'application/json', text: '{"user":"u"}' },
    },
    {
      url: `${API}/api/me`,
      status: 401,
      at: 20,
      res: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The token expired"' },
    },
    { url: `${API}/api/orders`, status: 302, at: 30, res: { Location: '/login' } },
  ];

  it('is recognised, says what it cannot show, and still diagnoses the rest', () => {
    const r = run(specs, { chrome: true });
    expect(r.source.sanitizedByBrowser).toBe(true);
    expect(r.warnings[0]).toMatch(/without sensitive data.*cannot show which credentials/);
    const failed = r.entries.filter((e) => e.failed);
    expect(failed.map((e) => e.index)).toEqual([2, 3]);
    // The server's own words still count; a missing credential proves nothing.
    expect(failed[0]!.findings.some((f) => f.id === 'credentials.rejected')).toBe(true);
    const missing = failed[0]!.findings.find((f) => f.id === 'credentials.missing');
    if (missing)
      expect(missing).toMatchObject({
        confidence: 'possible',
        detail: expect.stringContaining('exported without credentials'),
      });
    expect(failed[1]!.findings[0]!.id).toBe('login.redirect');
    expect(failed[1]!.findings[0]!.detail).toContain('exported without credentials');
    expect(renderHarText(r, { color: false })).toContain('Sanitized by the browser');
    expect(renderHarMarkdown(r)).toContain('| Sanitized by the browser | yes');
  });

  it('is not claimed when the file has any credential, nor for other exporters, nor when nothing needed one', () => {
    const withCookie = har([...specs.slice(0, 2), { ...specs[2]!, req: { Cookie: 'sid=x' } }], {
      chrome: true,
    });
    expect(detectSanitizedExport(withCookie.entries, withCookie.meta)).toBe(false);
    const pw = har(specs);
    expect(detectSanitizedExport(pw.entries, pw.meta)).toBe(false);
    const plain = har([specs[0]!], { chrome: true });
    expect(detectSanitizedExport(plain.entries, plain.meta)).toBe(false);
  });

  it('can be stated by the caller', () => {
    expect(run(specs, { sanitizedExport: true }).source.sanitizedByBrowser).toBe(true);
    expect(run(specs, { chrome: true, sanitizedExport: false }).source.sanitizedByBrowser).toBe(false);
  });
});

describe('renderers', () => {
  const r = analyzeHar(
    ...(() => {
      const h = har([
        {
          url: `${APP}/app`,
          status: 200,
          resourceType: 'document',
          mime: 'text/html',
          body: '<html></html>',
        },
        {
          url: `${API}/api/me`,
          status: -1,
          at: 100,
          req: [
            ['Authorization', 'Bearer opaque-1234567'],
            ['Referer', `${APP}/`],
          ],
        },
        {
          url: `${API}/api/orders`,
          status: -1,
          at: 200,
          req: [
            ['Authorization', 'Bearer opaque-1234567'],
            ['Referer', `${APP}/`],
          ],
        },
        {
          url: `${APP}/api/local`,
          status: 403,
          at: 300,
          req: { Cookie: 'sid=s-1234567' },
          res: { 'Content-Type': 'application/json' },
          body: '{"error":"forbidden"}',
        },
      ]);
      return [h.entries, h.meta, { file: 'capture.har' }] as const;
    })(),
  );

  it('text: the session cause with its entries, the entries grouped by first cause, a timeline', () => {
    const text = renderHarText(r, { color: false });
    expect(text).toMatch(/^why401 har capture\.har → 4 entries, 3 failed/);
    expect(text).toContain('Session diagnosis');
    expect(text).toContain('#1 GET http://127.0.0.1:3000/api/me → net::ERR_FAILED');
    expect(text).toContain('Failed entries by cause');
    expect(text).toContain('cors.preflight-rejected (the session cause above)');
    expect(text).toContain('Timeline of failures');
    expect(text).toMatch(/12:00:00\.300 {2}#3 GET http:\/\/localhost:5173\/api\/local → 403/);
    expect(text).not.toMatch(/\x1b\[/);
    expect(renderHarText(r, { color: true })).toMatch(/\x1b\[31m/);
  });

  it('markdown: a table for a support ticket', () => {
    const md = renderHarMarkdown(r);
    expect(md).toContain('### why401 HAR report');
    expect(md).toContain('| File | `capture.har` |');
    expect(md).toContain('| Entries | 4 (3 failed) |');
    expect(md).toContain('**Failed entries:**');
    expect(md).toMatch(
      /\| 3 \| 2026-11-27T12:00:00\.300Z \| `GET http:\/\/localhost:5173\/api\/local` \| 403 \|/,
    );
  });
});

/** Real Chromium recordings (test/support/har-scenarios.ts), when present: the session cause must come first. */
const FIXTURES = new URL('../fixtures/har/', import.meta.url);
const EXPECTED: Record<string, string | null> = {
  'cookie-samesite-strict.har': 'session.cookie-not-sent',
  'cookie-expired.har': 'session.cookie-expired',
  'refresh-loop.har': 'session.refresh-loop',
  'stale-tab.har': 'session.stale',
  'preflight-rejected.har': 'cors.preflight-rejected',
  'old-token-reused.har': 'session.old-token-reused',
  // Written in the shape of Chrome DevTools' export with sensitive data (not a recording).
  'session-ended.har': 'session.ended',
  'healthy.har': null,
};
const recorded = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f in EXPECTED) : [];

describe.skipIf(recorded.length === 0)('real Chromium recordings', () => {
  for (const name of recorded) {
    it(`${name}: ${EXPECTED[name] ?? 'no cause'}`, () => {
      const log = (
        JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as {
          log: {
            entries: [];
            creator: HarMeta['creator'];
            browser: HarMeta['browser'];
            pages: HarMeta['pages'];
          };
        }
      ).log;
      const meta: HarMeta = {};
      if (log.creator) meta.creator = log.creator;
      if (log.browser) meta.browser = log.browser;
      if (log.pages) meta.pages = log.pages;
      const r = valid(analyzeHar(log.entries, meta));
      const first = r.findings.find((f) => f.kind === 'cause');
      expect(first?.id ?? null).toBe(EXPECTED[name]);
      if (EXPECTED[name] === null) expect(r.entries).toEqual([]);
    });
  }

  /** What Chrome's default export would have written: DevTools' HARLog with `sanitize: true`. */
  function chromeSanitized(entries: HarEntry[]): HarEntry[] {
    return entries.map((e0) => {
      const e = JSON.parse(JSON.stringify(e0)) as HarEntry;
      e.request.headers = e.request.headers.filter(
        (h) => !['authorization', 'cookie'].includes(h.name.toLowerCase()),
      );
      e.request.cookies = [];
      e.response.headers = e.response.headers.filter((h) => h.name.toLowerCase() !== 'set-cookie');
      e.response.cookies = [];
      if (e.response.status === -1) e.response.status = 0;
      return e;
    });
  }
  /** What a sanitized export still shows: statuses, challenges, redirects, preflights, timing. */
  const STILL: Record<string, string> = {
    'preflight-rejected.har': 'cors.preflight-rejected',
    'refresh-loop.har': 'session.refresh-loop',
    'stale-tab.har': 'session.stale',
    // Without the cookie, the same story is what timing alone shows: a long idle time, then refusals.
    'session-ended.har': 'session.stale',
  };
  for (const name of recorded.filter((n) => n !== 'healthy.har')) {
    it(`${name} as Chrome's sanitized export: recognised, and ${STILL[name] ?? 'the rest'} still diagnosed`, () => {
      const log = (
        JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as { log: { entries: HarEntry[] } }
      ).log;
      const r = valid(
        analyzeHar(chromeSanitized(log.entries), { creator: { name: 'WebInspector', version: '537.36' } }),
      );
      expect(r.source.sanitizedByBrowser).toBe(true);
      expect(r.entries.filter((e) => e.failed).length).toBeGreaterThan(0);
      if (STILL[name]) expect(r.findings.find((f) => f.kind === 'cause')?.id).toBe(STILL[name]);
      expect(
        r.findings.some((f) => f.id === 'session.cookie-not-sent' || f.id === 'session.old-token-reused'),
      ).toBe(false);
    });
  }
});

it('the HAR report schema reuses the per-request finding definition unchanged', () => {
  expect((schema as { $defs: { finding: unknown } }).$defs.finding).toEqual(reportSchema.$defs.finding);
});
