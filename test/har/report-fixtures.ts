import { describe, expect, it } from 'vitest';
import type { SessionCheck } from '../../src/checks/session/define.js';
import { toSessionFinding } from '../../src/checks/session/define.js';
import { diagnoseSession, HarAnalysis } from '../../src/diagnose/har-report.js';
import type { SessionFacts } from '../../src/facts/session.js';
import type { SessionFinding } from '../../src/model/har-report.js';
import type { HarCookie, HarEntry, HarMeta, HarNameValue } from '../../src/model/har.js';

/**
 * Synthetic HARs in the exact shape Chromium writes through Playwright's `recordHar` (and, with
 * `chrome: true`, DevTools' own export): header lists, parsed cookies, query strings, a failed
 * request as status -1 (0) with `_failureText` (`_error`) and no response headers, one entry per
 * redirect hop with `redirectURL`. See shared/research/har-notes.md.
 */

export const T0 = Date.parse('2026-11-27T12:00:00.000Z');

type Headers = Array<[string, string]> | Record<string, string | string[]>;

export interface Spec {
  method?: string;
  url: string;
  /** Milliseconds after T0. */
  at?: number;
  time?: number;
  req?: Headers;
  /** -1 (Playwright) or 0 (Chrome) for a request without an answer. */
  status: number;
  res?: Headers;
  body?: string;
  mime?: string;
  /** Store the body base64-encoded, as Chrome does for some content. */
  base64?: boolean;
  postData?: { mimeType: string; text?: string; params?: Array<{ name: string; value: string }> };
  failure?: string;
  resourceType?: string;
  /** Overrides the redirectURL taken from Location. */
  redirectURL?: string;
  truncatedFrom?: number;
}

function list(h: Headers | undefined): HarNameValue[] {
  if (!h) return [];
  if (Array.isArray(h)) return h.map(([name, value]) => ({ name, value }));
  const out: HarNameValue[] = [];
  for (const [name, v] of Object.entries(h)) for (const value of [v].flat()) out.push({ name, value });
  return out;
}

/** Playwright's parseCookie of a Set-Cookie line (Max-Age turned into an absolute Expires). */
function parseSetCookie(line: string, at: number): HarCookie {
  const [nv, ...attrs] = line.split(/; */);
  const eq = nv!.indexOf('=');
  const c: HarCookie = { name: nv!.slice(0, eq), value: nv!.slice(eq + 1) };
  for (const a of attrs) {
    const i = a.indexOf('=');
    const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    const v = i < 0 ? '' : a.slice(i + 1).trim();
    if (k === 'domain') c.domain = v;
    else if (k === 'path') c.path = v;
    else if (k === 'expires') c.expires = new Date(v).toISOString();
    else if (k === 'max-age') c.expires = new Date(at + Number(v) * 1000).toISOString();
    else if (k === 'httponly') c.httpOnly = true;
    else if (k === 'secure') c.secure = true;
    else if (k === 'samesite') c.sameSite = v;
  }
  return c;
}

export function harEntry(spec: Spec, o: { chrome?: boolean } = {}): HarEntry {
  const at = T0 + (spec.at ?? 0);
  const method = spec.method ?? 'GET';
  const reqHeaders = list(spec.req);
  const cookieHeader = reqHeaders.filter((h) => h.name.toLowerCase() === 'cookie');
  const url = new URL(spec.url);
  const failed = spec.status <= 0;
  const resHeaders = failed ? [] : list(spec.res);
  const location = resHeaders.find((h) => h.name.toLowerCase() === 'location')?.value;
  const mime =
    spec.mime ?? resHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? 'x-unknown';
  const body = spec.body ?? '';
  const content: HarEntry['response']['content'] = failed
    ? { size: -1, mimeType: 'x-unknown' }
    : { size: body.length, mimeType: mime };
  if (!failed && body) {
    content!.text = spec.base64 ? btoa(String.fromCharCode(...new TextEncoder().encode(body))) : body;
    if (spec.base64) content!.encoding = 'base64';
  }
  if (spec.truncatedFrom !== undefined) content!._why401TruncatedFrom = spec.truncatedFrom;
  const e: HarEntry = {
    pageref: 'page@1',
    startedDateTime: new Date(at).toISOString(),
    time: spec.time ?? 12,
    request: {
      method,
      url: spec.url,
      httpVersion: 'HTTP/1.1',
      cookies: cookieHeader.flatMap((h) =>
        h.value.split(';').map((p) => {
          const i = p.indexOf('=');
          return { name: p.slice(0, i).trim(), value: p.slice(i + 1).trim() };
        }),
      ),
      headers: reqHeaders,
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      headersSize: -1,
      bodySize: spec.postData?.text?.length ?? 0,
    },
    response: {
      status: failed ? (o.chrome ? 0 : -1) : spec.status,
      statusText: failed ? '' : 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: resHeaders
        .filter((h) => h.name.toLowerCase() === 'set-cookie')
        .map((h) => parseSetCookie(h.value, at)),
      headers: resHeaders,
      content,
      headersSize: -1,
      bodySize: failed ? -1 : body.length,
      redirectURL: spec.redirectURL ?? (location ? new URL(location, spec.url).href : ''),
    },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    _resourceType: spec.resourceType ?? 'fetch',
  } as HarEntry;
  if (spec.postData) e.request.postData = spec.postData;
  if (failed) {
    if (o.chrome) e.response._error = spec.failure ?? 'net::ERR_FAILED';
    else e.response._failureText = spec.failure ?? 'net::ERR_FAILED';
  }
  return e;
}

export const PLAYWRIGHT: HarMeta = {
  version: '1.2',
  creator: { name: 'Playwright', version: '1.65.1' },
  browser: { name: 'chromium', version: '156.0.7700.0' },
  pages: [{ id: 'page@1', title: 'App', startedDateTime: new Date(T0).toISOString() }],
};

export const CHROME: HarMeta = {
  version: '1.2',
  creator: { name: 'WebInspector', version: '537.36' },
  pages: [{ id: 'page@1', title: 'http://localhost:5173/app', startedDateTime: new Date(T0).toISOString() }],
};

export function har(specs: Spec[], o: { chrome?: boolean } = {}): { entries: HarEntry[]; meta: HarMeta } {
  return { entries: specs.map((s) => harEntry(s, o)), meta: o.chrome ? CHROME : PLAYWRIGHT };
}

/** A JWT-shaped token with the given claims and a fake signature (nothing verifies it). */
export function jwt(claims: Record<string, unknown>, sig = 'fake-signature-for-tests-only'): string {
  const b64 = (o: object) =>
    btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64(claims)}.${sig}`;
}

export function sessionFacts(specs: Spec[], o: { chrome?: boolean; hidden?: boolean } = {}): SessionFacts {
  const h = har(specs, o);
  return diagnoseSession(h.entries, h.meta, { credentialsHidden: o.hidden === true }).facts;
}

/** Requests to a site of their own, without credentials, woven through a capture: they change none of its stories. */
const FILLERS = 40;

/**
 * The same capture inside a large one, as session-keep.ts keeps it: unrelated requests (images of
 * another site, no credentials, no page) spread over its time span, appended after its own entries
 * so that their indices do not change, and the session kept within bounds from the first entry on.
 * The session checks must find exactly what they find in the capture kept whole.
 */
export function boundedSessionFacts(
  specs: Spec[],
  o: { chrome?: boolean; hidden?: boolean } = {},
): SessionFacts {
  const h = har(specs, o);
  const ats = specs.map((x) => x.at ?? 0);
  const from = Math.min(...ats);
  const to = Math.max(...ats);
  const fillers = Array.from({ length: FILLERS }, (_, k) => {
    const e = harEntry(
      {
        url: `https://cdn.filler.example/img/${k}.png`,
        status: 200,
        at: from + ((to - from) * k) / (FILLERS - 1),
        resourceType: 'image',
        mime: 'image/png',
      },
      o,
    );
    delete e.pageref;
    return e;
  });
  const a = new HarAnalysis({
    credentialsHidden: o.hidden === true,
    showSecrets: true,
    limits: { keepAll: 0 },
  });
  a.setMeta(h.meta);
  return a.facts([...h.entries, ...fillers]);
}

export interface SessionCase {
  name: string;
  har: Spec[];
  chrome?: boolean;
  hidden?: boolean;
}

export interface InvalidSessionCase extends SessionCase {
  expect: Partial<Omit<SessionFinding, 'evidence' | 'entries'>> & {
    mentions?: string[];
    /** Substrings that must appear in the fix. */
    fixMentions?: string[];
    /** Entries the finding must list. */
    entries?: number[];
    evidence?: Array<Partial<SessionFinding['evidence'][number]>>;
    count?: number;
  };
}

/** Like test/support/check-tester.ts, for session checks: a check must be shown to fire and to stay quiet. */
export function testSessionCheck(
  check: SessionCheck,
  cases: { valid: SessionCase[]; invalid: InvalidSessionCase[] },
): void {
  describe(`session check ${check.meta.id}`, () => {
    it('has valid and invalid cases and complete metadata', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      expect(check.meta.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(check.meta.title.length).toBeGreaterThan(5);
      expect(check.meta.fix.length).toBeGreaterThan(5);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        expect(check.run(sessionFacts(c.har, c))).toEqual([]);
      });
    }
    // A large capture keeps a bounded part of the session (session-keep.ts): what it keeps must
    // tell every story the same way.
    for (const c of [...cases.valid, ...cases.invalid]) {
      it(`inside a large capture, the same: ${c.name}`, () => {
        expect(check.run(boundedSessionFacts(c.har, c))).toEqual(check.run(sessionFacts(c.har, c)));
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const found = check.run(sessionFacts(c.har, c)).map((d) => toSessionFinding(check.meta, d));
        if (c.expect.count !== undefined) expect(found).toHaveLength(c.expect.count);
        else expect(found.length).toBeGreaterThan(0);
        const { mentions, fixMentions, evidence, count: _count, entries, ...fields } = c.expect;
        for (const f of found) {
          expect(f).toMatchObject(fields);
          for (const m of mentions ?? []) expect(`${f.title}\n${f.detail ?? ''}`).toContain(m);
          for (const m of fixMentions ?? []) expect(f.fix).toContain(m);
          for (const e of evidence ?? []) expect(f.evidence).toContainEqual(expect.objectContaining(e));
          for (const i of entries ?? []) expect(f.entries).toContain(i);
          expect(f.evidence.length).toBeGreaterThan(0);
        }
      });
    }
  });
}
