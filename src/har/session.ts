import { isSignInPage, loginTarget } from '../checks/login-redirect.js';
import type { JarCookie } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import { headerValue, headerValues, type HeaderList } from '../model/http.js';
import type { Outcome } from '../model/report.js';
import { API_KEY_HEADERS } from '../checks/facts.js';
import {
  asJarCookies,
  CookieReplay,
  explainCookie,
  SESSION_COOKIE,
  type HeldCookie,
  type RejectedCookie,
  type SendVerdict,
} from './cookies.js';
import {
  failureTextOf,
  initiatorOriginOf,
  isFailedEntry,
  isNavigation,
  isPreflightEntry,
  isUsableEntry,
  redirectTargetOf,
  requestBodyOf,
  requestHeaderList,
  responseBodyOf,
  responseHeaderList,
  startedAtOf,
  timeOf,
} from './entry.js';
import { originOf, pathOf, siteOf } from './site.js';
import {
  authorizationToken,
  fpOf,
  tokenEndpointCall,
  type TokenEndpointCall,
  type TokenInfo,
} from './tokens.js';

/**
 * SessionFacts: the whole HAR as the session-level checks see it, computed once. Every entry in
 * time order with its origin and site, the credentials it carried (as fingerprints), the token
 * endpoint calls, the cookies replayed from the Set-Cookie history, and the per-entry diagnosis of
 * the entries that failed. Pure and platform-neutral.
 */

/** How an entry ended: `refused` 401/403, `login` a disguised refusal, `failed` no answer at all. */
export type EntryOutcome = 'ok' | 'refused' | 'login' | 'failed' | 'other';

/** A cookie the browser held when a failing request was sent, and whether (and why not) it went along. */
export interface CookieCheck {
  cookie: HeldCookie;
  /** A cookie of that name was in the request's Cookie header. */
  sent: boolean;
  verdict: SendVerdict;
  /** It went along on an earlier request to this origin that succeeded. */
  reliedOn: boolean;
}

export interface EntryDiagnosis {
  outcome: Outcome;
  /** Unredacted: the report redacts everything at the end, once. */
  findings: Finding[];
}

export interface SessionEntry {
  /** Position in the HAR's `entries`. */
  index: number;
  method: string;
  url: string;
  origin?: string;
  site?: string;
  /** The origin of the page that made the request (Origin, Referer, the document, the HAR page). */
  pageOrigin?: string;
  /** The page origin is known and differs from the request's. */
  crossOrigin: boolean;
  /** Cross-site to the page that made it (Sec-Fetch-Site, else the two sites); undefined when unknown. */
  crossSite?: boolean;
  navigation: boolean;
  resourceType?: string;
  startedAt: number;
  time: number;
  /** null: no answer (a failed request). */
  status: number | null;
  failure?: string;
  outcome: EntryOutcome;
  /** This entry is a CORS preflight (OPTIONS). */
  preflight: boolean;
  /** The request headers as sent (values stay in memory; checks cite names and fingerprints). */
  headers: HeaderList;
  responseHeaders: HeaderList;
  /** The Authorization credential, by fingerprint. */
  authorization?: TokenInfo;
  /** Cookies sent: name and value fingerprint. */
  cookies: Array<{ name: string; fp: string }>;
  /** API-key headers sent: name and value fingerprint. */
  apiKeys: Array<{ name: string; fp: string }>;
  /** Names of the cookies this response set. */
  setCookieNames: string[];
  /** A call to a token endpoint, and what it issued. */
  tokenCall?: TokenEndpointCall;
  /** The URL signs out or changes a password. */
  signOut?: 'sign-out' | 'password change';
  /** Where a 3xx sends the browser. */
  redirectTo?: string;
  /** For failing entries: the cookies the browser held and which rule kept each out. */
  cookieChecks?: CookieCheck[];
  /** A refusal's own words (a 4xx body's message, a challenge's error_description), as the server wrote them. */
  words?: ServerWords;
  diagnosis?: EntryDiagnosis;
}

/** What a refusal said, and where: `response.body.message`, `response.body`, `response.header.www-authenticate`. */
export interface ServerWords {
  text: string;
  where: string;
}

export interface SessionFacts {
  /** In time order (the HAR's own order among equal start times). */
  entries: SessionEntry[];
  byIndex: Map<number, SessionEntry>;
  meta: HarMeta;
  /** Credentials are absent from the whole file (Chrome's sanitized export): absence proves nothing. */
  credentialsHidden: boolean;
  /** Chromium's cookie rules apply (no SameSite means Lax). */
  chromium: boolean;
  rejectedCookies: RejectedCookie[];
  /** Set-Cookie headers that removed a cookie the browser held. */
  clearings: HeldCookie[];
}

export interface DeriveOptions {
  credentialsHidden?: boolean;
  /**
   * The per-entry diagnosis, called for every entry worth one (see `needsDiagnosis`) with the cookie
   * jar as it stood just before the request was sent.
   */
  diagnose?: (index: number, jar: JarCookie[]) => EntryDiagnosis | undefined;
}

const SIGN_OUT =
  /(?:^|[/_.-])(?:log-?out|log_out|sign-?out|sign_out|logoff|log-?off|end[-_]?session|revoke)(?:$|[/_.?-])/i;
const PASSWORD_CHANGE =
  /(?:change|reset|update|new|set)[-_]?password|password[-_/](?:change|reset|update)|\/password\/?$/i;

/** Does the URL sign out (or revoke), or change a password? */
export function signOutKind(method: string, url: string): 'sign-out' | 'password change' | undefined {
  const path = pathOf(url);
  if (SIGN_OUT.test(path)) return 'sign-out';
  if (method.toUpperCase() !== 'GET' && PASSWORD_CHANGE.test(path)) return 'password change';
  return undefined;
}

/** Whether the browser engine is Chromium (Chrome, Edge, Playwright's chromium): its cookie defaults apply. */
export function isChromium(meta: HarMeta): boolean {
  const names = `${meta.browser?.name ?? ''} ${meta.creator?.name ?? ''}`.toLowerCase();
  if (/firefox|gecko/.test(names)) return false;
  if (/webkit|safari/.test(names) && !/webinspector|chrom/.test(names)) return false;
  return true;
}

const PASSWORD_INPUT = /<input\b[^>]*\btype\s*=\s*["']?password\b/i;

/**
 * The entries that get a per-entry diagnosis: every 401/403 (and a 400 with a challenge), every
 * request without an answer (but those the page cancelled itself), every redirect to a sign-in
 * page and every 200 that shows a sign-in form. CORS preflights are judged with their request.
 */
export function needsDiagnosis(e: HarEntry): boolean {
  if (!isUsableEntry(e) || isPreflightEntry(e)) return false;
  if (isFailedEntry(e)) return !/ERR_ABORTED/i.test(failureTextOf(e) ?? '');
  const s = e.response.status;
  if (s === 401 || s === 403) return true;
  if (s === 400) return headerValues(responseHeaderList(e.response), 'www-authenticate').length > 0;
  let from: URL;
  try {
    from = new URL(e.request.url);
  } catch {
    return false;
  }
  if (isSignInPage(from)) return false;
  if (s >= 300 && s < 400) {
    const to = redirectTargetOf(e);
    if (!to) return false;
    try {
      return loginTarget(new URL(to)) !== undefined;
    } catch {
      return false;
    }
  }
  if (s >= 200 && s < 300) {
    const type = e.response.content?.mimeType ?? '';
    if (type && !/html/i.test(type)) return false;
    return PASSWORD_INPUT.test(responseBodyOf(e.response.content).body.slice(0, 256 * 1024));
  }
  return false;
}

function fpList(pairs: Array<[string, string]>): Array<{ name: string; fp: string }> {
  return pairs.map(([name, value]) => ({ name, fp: fpOf(value) }));
}

function cookiePairs(headers: HeaderList): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const v of headerValues(headers, 'cookie'))
    for (const part of v.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
      else if (part.trim()) out.push([part.trim(), '']);
    }
  return out;
}

function crossSiteOf(headers: HeaderList, url: string, pageOrigin: string | undefined): boolean | undefined {
  const sfs = headerValue(headers, 'sec-fetch-site')?.trim().toLowerCase();
  if (sfs === 'cross-site') return true;
  if (sfs === 'same-site' || sfs === 'same-origin' || sfs === 'none') return false;
  if (!pageOrigin) return undefined;
  const a = siteOf(pageOrigin);
  const b = siteOf(url);
  return a === undefined || b === undefined ? undefined : a !== b;
}

function outcomeOf(e: HarEntry, responseHeaders: HeaderList, d: EntryDiagnosis | undefined): EntryOutcome {
  if (isFailedEntry(e)) return 'failed';
  const s = e.response.status;
  if (s === 401 || s === 403) return 'refused';
  if (s === 400 && headerValues(responseHeaders, 'www-authenticate').length > 0) return 'refused';
  if (d?.outcome === 'login-required') return 'login';
  if (s >= 100 && s < 400) return 'ok';
  return 'other';
}

/** The keys an error body puts its message under, the most telling first. */
const WORD_KEYS = [
  'message',
  'error_description',
  'detail',
  'error',
  'title',
  'msg',
  'description',
  'reason',
];
const WORDS_MAX = 160;

function clipWords(t: string): string {
  const one = t.replace(/\s+/g, ' ').trim();
  return one.length > WORDS_MAX ? `${one.slice(0, WORDS_MAX - 1)}…` : one;
}

function jsonWords(v: unknown, path: string, depth: number): ServerWords | undefined {
  if (depth > 2 || v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  for (const k of WORD_KEYS) {
    const x = o[k];
    if (typeof x === 'string' && x.trim()) return { text: clipWords(x), where: `${path}.${k}` };
  }
  for (const k of WORD_KEYS) {
    const inner = jsonWords(o[k], `${path}.${k}`, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * A refusal's own words: the message of a JSON error body, a short text body, else the challenge's
 * error_description. Undefined when the response says nothing a person could quote (an HTML page).
 */
export function serverWordsOf(body: string, mime: string, headers: HeaderList): ServerWords | undefined {
  const text = body.trim();
  if (text.startsWith('{') && text.length <= 64 * 1024) {
    try {
      const w = jsonWords(JSON.parse(text) as unknown, 'response.body', 0);
      if (w) return w;
    } catch {
      // not JSON after all
    }
  } else if (
    text &&
    !/html|xml/i.test(mime) &&
    !text.startsWith('<') &&
    text.length <= 300 &&
    !text.includes('\n')
  )
    return { text: clipWords(text), where: 'response.body' };
  for (const c of headerValues(headers, 'www-authenticate')) {
    const m = /error_description\s*=\s*"([^"]*)"/i.exec(c);
    if (m?.[1]?.trim()) return { text: clipWords(m[1]), where: 'response.header.www-authenticate' };
  }
  return undefined;
}

/** Entry indices in time order (stable for equal times). */
export function timeOrder(entries: HarEntry[]): number[] {
  return entries
    .map((e, i) => ({ i, t: isUsableEntry(e) ? startedAtOf(e) : 0 }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.i);
}

export function deriveSessionFacts(entries: HarEntry[], meta: HarMeta, o: DeriveOptions = {}): SessionFacts {
  const chromium = isChromium(meta);
  const replay = new CookieReplay();
  const out: SessionEntry[] = [];
  /** Cookie names sent on requests that succeeded, per origin. */
  const reliedOn = new Map<string, Set<string>>();

  for (const index of timeOrder(entries)) {
    const e = entries[index]!;
    if (!isUsableEntry(e)) continue;
    const url = e.request.url;
    const headers = requestHeaderList(e.request);
    const responseHeaders = isFailedEntry(e) ? [] : responseHeaderList(e.response);
    const origin = originOf(url);
    const navigation = isNavigation(e);
    const pageOrigin = initiatorOriginOf(e, meta);
    const crossSite = crossSiteOf(headers, url, pageOrigin);
    const startedAt = startedAtOf(e);
    const s: SessionEntry = {
      index,
      method: e.request.method,
      url,
      crossOrigin: !navigation && pageOrigin !== undefined && origin !== undefined && pageOrigin !== origin,
      navigation,
      startedAt,
      time: timeOf(e),
      status: isFailedEntry(e) ? null : e.response.status,
      outcome: 'other',
      preflight: isPreflightEntry(e),
      headers,
      responseHeaders,
      cookies: fpList(cookiePairs(headers)),
      apiKeys: fpList(headers.filter(([n]) => API_KEY_HEADERS.includes(n.toLowerCase()))),
      setCookieNames: headerValues(responseHeaders, 'set-cookie').map((l) =>
        (l.split(';')[0] ?? '').split('=')[0]!.trim(),
      ),
    };
    if (origin) s.origin = origin;
    const site = siteOf(url);
    if (site) s.site = site;
    if (pageOrigin) s.pageOrigin = pageOrigin;
    if (crossSite !== undefined) s.crossSite = crossSite;
    if (typeof e._resourceType === 'string') s.resourceType = e._resourceType;
    const failure = failureTextOf(e);
    if (s.status === null && failure) s.failure = failure;
    const auth = authorizationToken(headers);
    if (auth) s.authorization = auth;
    const body = s.status === null ? undefined : responseBodyOf(e.response.content).body;
    const call = tokenEndpointCall(e.request.method, url, requestBodyOf(e.request), s.status, body);
    if (call) s.tokenCall = call;
    const so = signOutKind(e.request.method, url);
    if (so) s.signOut = so;
    const to = redirectTargetOf(e);
    if (to) s.redirectTo = to;

    const topSite = navigation ? site : siteOf(pageOrigin);
    if (needsDiagnosis(e)) {
      const held = replay.snapshot();
      const sent = new Set(s.cookies.map((c) => c.name));
      const relied = (origin && reliedOn.get(origin)) || new Set<string>();
      const req = {
        url,
        method: e.request.method,
        at: startedAt,
        navigation,
        ...(crossSite !== undefined ? { crossSite } : {}),
        ...(topSite ? { topSite } : {}),
      };
      s.cookieChecks = held.map((c) => ({
        cookie: c,
        sent: sent.has(c.name),
        verdict: explainCookie(c, req, chromium),
        reliedOn: relied.has(c.name),
      }));
      // The per-entry checks see the cookies the requests relied on, not every cookie of the site.
      const jar = o.credentialsHidden
        ? []
        : asJarCookies(
            s.cookieChecks
              .filter((cc) => cc.reliedOn || cc.cookie.httpOnly || SESSION_COOKIE.test(cc.cookie.name))
              .map((cc) => cc.cookie),
          );
      const d = o.diagnose?.(index, jar);
      if (d) s.diagnosis = d;
    }
    s.outcome = outcomeOf(e, responseHeaders, s.diagnosis);
    if ((s.outcome === 'refused' || s.outcome === 'login') && body !== undefined) {
      const words = serverWordsOf(
        body.slice(0, 64 * 1024),
        e.response.content?.mimeType ?? '',
        responseHeaders,
      );
      if (words) s.words = words;
    }
    if (s.outcome === 'ok' && origin && s.cookies.length) {
      const set = reliedOn.get(origin) ?? new Set<string>();
      for (const c of s.cookies) set.add(c.name);
      reliedOn.set(origin, set);
    }

    const lines = headerValues(responseHeaders, 'set-cookie');
    if (lines.length && origin) {
      replay.apply(index, url, lines, startedAt + s.time, {
        navigation,
        chromium,
        ...(crossSite !== undefined ? { crossSite } : {}),
        ...(topSite ? { topSite } : {}),
      });
    }
    out.push(s);
  }

  return {
    entries: out,
    byIndex: new Map(out.map((s) => [s.index, s])),
    meta,
    credentialsHidden: o.credentialsHidden === true,
    chromium,
    rejectedCookies: replay.rejected,
    clearings: replay.clearings,
  };
}

/** A failure the session checks explain: refused, a disguised refusal, or (for CORS) no answer. */
export function isAuthFailure(s: SessionEntry): boolean {
  return s.outcome === 'refused' || s.outcome === 'login';
}

/** The probe name that cites a HAR entry in evidence: `entry#12`. */
export function entryProbe(index: number): string {
  return `entry#${index}`;
}
