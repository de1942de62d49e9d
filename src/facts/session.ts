import { isSignInPage, loginTarget } from '../knowledge/sign-in.js';
import type { JarCookie } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import { headerValue, headerValues, type HeaderList } from '../model/http.js';
import type { Outcome } from '../model/report.js';
import { API_KEY_HEADERS } from './request.js';
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
} from './har-entry.js';
import { noAnswerOf, type NoAnswerKind } from './no-answer.js';
import { SessionKeeper, type KeepLimits, type KeepStats } from './session-keep.js';
import { pathOf } from '../parse/url.js';
import { siteOf, siteOfUrl } from '../parse/site.js';
import {
  authorizationToken,
  fpOf,
  tokenEndpointCall,
  tokenInfo,
  type TokenEndpointCall,
  type TokenInfo,
} from './tokens.js';
import { headerRule, isPlaceholder } from '../knowledge/credential-rule.js';
import { looksLikeJwt } from '../parse/jwt.js';

/**
 * SessionFacts: the whole HAR as the session-level checks see it, computed once. The entries in
 * time order with their origin and site, the credentials they carried (as fingerprints), the token
 * endpoint calls, the cookies replayed from the Set-Cookie history, and the per-entry diagnosis of
 * the entries that failed. Every entry of a small capture; of a large one, the failed entries and
 * what their stories name, within constant bounds (session-keep.ts). Pure and platform-neutral.
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
  /** As the HAR says (`startedAt` is its epoch ms, 0 when it does not parse). */
  startedDateTime: string;
  time: number;
  /** null: no answer (a failed request), or only a debugging proxy's own (Fiddler's 502). */
  status: number | null;
  /** The producer's words for a request without an answer (`net::ERR_FAILED`), when it wrote any. */
  failure?: string;
  /** What kept the answer from coming, as far as the file tells (no-answer.ts). */
  noAnswer?: NoAnswerKind;
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
  /**
   * Headers besides Authorization and Cookie that carried a credential (not empty, not a
   * placeholder): by the one credential rule's judgement of their name, or because the value is a
   * JWT whatever the name (`token: eyJ…`). Absent when none.
   */
  credentialHeaders?: CredentialHeader[];
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

/** A header that carried a credential: its name as sent, the value's fingerprint, and the token when it is a JWT. */
export interface CredentialHeader {
  name: string;
  fp: string;
  token?: TokenInfo;
}

/** Header names whose credentials the session follows on their own (SessionEntry.authorization, .cookies). */
const OWN_FIELDS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** The headers of a request that carry a credential, other than Authorization and Cookie. */
export function credentialHeadersOf(headers: HeaderList): CredentialHeader[] {
  const out: CredentialHeader[] = [];
  for (const [name, raw] of headers) {
    if (OWN_FIELDS.has(name.toLowerCase())) continue;
    const value = raw.trim();
    if (value === '' || isPlaceholder(value)) continue;
    // A JWT is a credential under any name; another value, when the rule says the name holds one.
    const bare = value.replace(/^bearer\s+/i, '');
    const jwt = bare.startsWith('eyJ') && looksLikeJwt(bare);
    if (!jwt && headerRule(name) !== 'credential') continue;
    out.push(jwt ? { name, fp: fpOf(value), token: tokenInfo(bare) } : { name, fp: fpOf(value) });
  }
  return out;
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
   * jar as it stood just before the request was sent. It may return a function instead, to be run
   * at the end only if the entry is still kept (a large capture keeps a bounded number of failed
   * entries, see session-keep.ts); a redirect to a sign-in page or a 200 sign-in form is run at
   * once, since whether it is a refusal at all depends on it.
   */
  diagnose?: (index: number, jar: JarCookie[]) => EntryDiagnosis | (() => EntryDiagnosis) | undefined;
  /** How much of a large session is kept (tests make them small). */
  limits?: Partial<KeepLimits>;
}

const SIGN_OUT =
  /(?:^|[/_.-])(?:log-?out|log_out|sign-?out|sign_out|logoff|log-?off|end[-_]?session|revoke)(?:$|[/_.?-])/i;
const PASSWORD_CHANGE =
  /(?:change|reset|update|new|set)[-_]?password|password[-_/](?:change|reset|update)|\/password\/?$/i;

/** Does the URL sign out (or revoke), or change a password? */
export function signOutKind(method: string, url: string): 'sign-out' | 'password change' | undefined {
  return signOutOfPath(method, pathOf(url));
}

function signOutOfPath(method: string, path: string): 'sign-out' | 'password change' | undefined {
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
  return worthDiagnosis(e);
}

/** `needsDiagnosis`, with the header lists and the parsed URL when the caller has them already. */
function worthDiagnosis(
  e: HarEntry,
  pre?: { headers: HeaderList; responseHeaders: HeaderList; url: URL | undefined },
  meta?: HarMeta,
): boolean {
  if (!isUsableEntry(e) || isPreflightEntry(e, pre?.headers)) return false;
  // A request the page (or a test) cancelled on purpose is no failure of anybody's.
  if (isFailedEntry(e)) return noAnswerOf(e, meta)?.kind !== 'aborted';
  const s = e.response.status;
  if (s === 401 || s === 403) return true;
  if (s === 400)
    return (
      headerValues(pre?.responseHeaders ?? responseHeaderList(e.response), 'www-authenticate').length > 0
    );
  if (s < 200 || s >= 400) return false;
  // The cheap tests first: most entries are neither redirects to a sign-in page nor HTML pages.
  let page: () => boolean;
  if (s >= 300) {
    const to = redirectTargetOf(e);
    if (!to) return false;
    page = () => {
      try {
        return loginTarget(new URL(to)) !== undefined;
      } catch {
        return false;
      }
    };
  } else {
    const type = e.response.content?.mimeType ?? '';
    if (type && !/html/i.test(type)) return false;
    page = () => PASSWORD_INPUT.test(responseBodyOf(e.response.content).body.slice(0, 256 * 1024));
  }
  let from: URL;
  try {
    from = pre ? (pre.url ?? new URL(e.request.url)) : new URL(e.request.url);
  } catch {
    return false;
  }
  return !isSignInPage(from) && page();
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

/** API-key header names, for a lookup per header of 200,000 entries. */
const API_KEYS = new Set(API_KEY_HEADERS);

/** The sites of page origins: a session has a handful of pages and asks about them for every entry. */
const pageSites = new Map<string, string | undefined>();

function pageSite(origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (pageSites.has(origin)) return pageSites.get(origin);
  if (pageSites.size >= 256) pageSites.clear();
  const site = siteOf(origin);
  pageSites.set(origin, site);
  return site;
}

function crossSiteOf(headers: HeaderList, url: string, pageOrigin: string | undefined): boolean | undefined {
  const sfs = headerValue(headers, 'sec-fetch-site')?.trim().toLowerCase();
  if (sfs === 'cross-site') return true;
  if (sfs === 'same-site' || sfs === 'same-origin' || sfs === 'none') return false;
  if (!pageOrigin) return undefined;
  const a = pageSite(pageOrigin);
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

/** The Authorization header's token by header value: a session sends one token thousands of times. */
class TokenMemo {
  private readonly memo = new Map<string, TokenInfo | null>();
  of(headers: HeaderList): TokenInfo | undefined {
    const v = headerValue(headers, 'authorization');
    if (v === undefined) return undefined;
    let t = this.memo.get(v);
    if (t === undefined) {
      if (this.memo.size >= 256) this.memo.clear();
      t = authorizationToken(headers) ?? null;
      this.memo.set(v, t);
    }
    return t ?? undefined;
  }
}

/** At most this many origins remember which cookies their successful requests carried. */
const RELIED_ON_ORIGINS = 256;
const RELIED_ON_NAMES = 256;
/** Per-entry diagnoses run at once (sign-in redirects and pages) beyond which they are not run. */
export const EAGER_DIAGNOSES = 500;

/**
 * The session replayed one entry at a time, in time order: each entry's facts, the cookie jar as
 * its Set-Cookie history builds it, the per-entry diagnosis of the entries that failed, and what
 * of it all the session checks get to see (session-keep.ts: everything for a small capture, a
 * bounded selection for a large one). `add` must be called in time order; `entryAt` reaches the
 * entries around one that is diagnosed (the diagnosis callback reads them).
 */
export class SessionBuilder {
  private chromium: boolean | undefined;
  private readonly replay = new CookieReplay();
  /** Cookie names sent on requests that succeeded, per origin. */
  private readonly reliedOn = new Map<string, Set<string>>();
  private readonly keeper: SessionKeeper;
  private readonly tokens = new TokenMemo();
  private eager = 0;
  /** Sign-in redirects and pages not diagnosed once EAGER_DIAGNOSES were. */
  undiagnosed = 0;

  constructor(
    private readonly meta: () => HarMeta,
    private readonly o: DeriveOptions = {},
  ) {
    this.keeper = new SessionKeeper(o.credentialsHidden === true, o.limits);
  }

  add(index: number, e: HarEntry): void {
    if (!isUsableEntry(e)) return;
    const meta = this.meta();
    const chromium = (this.chromium ??= isChromium(meta));
    const url = e.request.url;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    const headers = requestHeaderList(e.request);
    const failed = isFailedEntry(e);
    const responseHeaders = failed ? [] : responseHeaderList(e.response);
    const origin = parsed && parsed.origin !== 'null' ? parsed.origin : undefined;
    const navigation = isNavigation(e, headers);
    const pageOrigin = initiatorOriginOf(e, meta, headers);
    const crossSite = crossSiteOf(headers, url, pageOrigin);
    const startedAt = startedAtOf(e);
    const lines = headerValues(responseHeaders, 'set-cookie');
    const s: SessionEntry = {
      index,
      method: e.request.method,
      url,
      crossOrigin: !navigation && pageOrigin !== undefined && origin !== undefined && pageOrigin !== origin,
      navigation,
      startedAt,
      startedDateTime: typeof e.startedDateTime === 'string' ? e.startedDateTime : '',
      time: timeOf(e),
      status: failed ? null : e.response.status,
      outcome: 'other',
      preflight: isPreflightEntry(e, headers),
      headers,
      responseHeaders,
      cookies: fpList(cookiePairs(headers)),
      apiKeys: fpList(headers.filter(([n]) => API_KEYS.has(n.toLowerCase()))),
      setCookieNames: lines.map((l) => (l.split(';')[0] ?? '').split('=')[0]!.trim()),
    };
    const creds = credentialHeadersOf(headers);
    if (creds.length) s.credentialHeaders = creds;
    if (origin) s.origin = origin;
    const site = parsed ? siteOfUrl(parsed) : undefined;
    if (site) s.site = site;
    if (pageOrigin) s.pageOrigin = pageOrigin;
    if (crossSite !== undefined) s.crossSite = crossSite;
    if (typeof e._resourceType === 'string') s.resourceType = e._resourceType;
    if (s.status === null) {
      const n = noAnswerOf(e, meta);
      const failure = failureTextOf(e, meta);
      if (failure) s.failure = failure;
      if (n) s.noAnswer = n.kind;
    }
    const auth = this.tokens.of(headers);
    if (auth) s.authorization = auth;
    const body = s.status === null ? undefined : responseBodyOf(e.response.content).body;
    const call = tokenEndpointCall(e.request.method, url, requestBodyOf(e.request), s.status, body);
    if (call) s.tokenCall = call;
    const so = signOutOfPath(e.request.method, parsed ? parsed.pathname : pathOf(url));
    if (so) s.signOut = so;
    const to = redirectTargetOf(e);
    if (to) s.redirectTo = to;

    const topSite = navigation ? site : pageSite(pageOrigin);
    let defer: (() => EntryDiagnosis) | undefined;
    const worthOne = worthDiagnosis(e, { headers, responseHeaders, url: parsed }, meta);
    if (worthOne) {
      const held = this.replay.snapshot();
      const sent = new Set(s.cookies.map((c) => c.name));
      const relied = (origin && this.reliedOn.get(origin)) || new Set<string>();
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
      const jar = this.o.credentialsHidden
        ? []
        : asJarCookies(
            s.cookieChecks
              .filter((cc) => cc.reliedOn || cc.cookie.httpOnly || SESSION_COOKIE.test(cc.cookie.name))
              .map((cc) => cc.cookie),
          );
      const d = this.o.diagnose?.(index, jar);
      // A refusal and a request without an answer are failures whatever their diagnosis says; a
      // redirect or a page is one only if its diagnosis finds a sign-in.
      const settled = failed || isRefusal(s.status, responseHeaders);
      if (typeof d === 'function') {
        if (settled) defer = d;
        else if (this.eager < EAGER_DIAGNOSES) {
          this.eager++;
          s.diagnosis = d();
        } else this.undiagnosed++;
      } else if (d) s.diagnosis = d;
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
      let set = this.reliedOn.get(origin);
      if (!set) {
        if (this.reliedOn.size >= RELIED_ON_ORIGINS) this.reliedOn.delete(this.reliedOn.keys().next().value!);
        set = new Set<string>();
        this.reliedOn.set(origin, set);
      }
      for (const c of s.cookies) if (set.size < RELIED_ON_NAMES) set.add(c.name);
    }

    let storyOfItsOwn = false;
    let setCookies: string[] = [];
    if (lines.length && origin) {
      const before = this.replay.rejected.length + this.replay.clearings.length;
      setCookies = this.replay.apply(index, url, lines, startedAt + s.time, {
        navigation,
        chromium,
        ...(crossSite !== undefined ? { crossSite } : {}),
        ...(topSite ? { topSite } : {}),
      });
      storyOfItsOwn = this.replay.rejected.length + this.replay.clearings.length !== before;
    }
    const isFailed = worthOne && isKept(s);
    this.keeper.add(s, {
      failed: isFailed,
      ...(defer && isFailed ? { defer } : {}),
      setCookies,
      storyOfItsOwn,
    });
  }

  finish(): { facts: SessionFacts; stats: KeepStats } {
    const { entries, stats } = this.keeper.finish();
    const facts: SessionFacts = {
      entries,
      byIndex: new Map(entries.map((s) => [s.index, s])),
      meta: this.meta(),
      credentialsHidden: this.o.credentialsHidden === true,
      chromium: this.chromium ?? isChromium(this.meta()),
      rejectedCookies: this.replay.rejected,
      clearings: this.replay.clearings,
    };
    return { facts, stats };
  }
}

/** 401, 403, or a 400 with a challenge: a refusal by its status alone. */
function isRefusal(status: number | null, responseHeaders: HeaderList): boolean {
  return (
    status === 401 ||
    status === 403 ||
    (status === 400 && headerValues(responseHeaders, 'www-authenticate').length > 0)
  );
}

/** A diagnosed entry the report lists as failed: a refusal, no answer, or a disguised refusal. */
function isKept(s: SessionEntry): boolean {
  return s.outcome === 'refused' || s.outcome === 'failed' || s.outcome === 'login';
}

export function deriveSessionFacts(entries: HarEntry[], meta: HarMeta, o: DeriveOptions = {}): SessionFacts {
  const b = new SessionBuilder(() => meta, o);
  for (const i of timeOrder(entries)) b.add(i, entries[i]!);
  return b.finish().facts;
}

/** A failure the session checks explain: refused, a disguised refusal, or (for CORS) no answer. */
export function isAuthFailure(s: SessionEntry): boolean {
  return s.outcome === 'refused' || s.outcome === 'login';
}

/** Requests without an answer that may hide an auth problem: a refused preflight, a proxy's 407, a producer that says nothing. */
const MAYBE_AUTH = new Set<NoAnswerKind>(['cors-or-blocked', 'proxy-auth', 'unknown']);

/**
 * A failure worth comparing with the last success (info.changed-since-success): a refusal, or a
 * request without an answer that may hide an auth problem; not one the page cancelled, an ad
 * blocker stopped, or a server that was down.
 */
export function isComparableFailure(s: SessionEntry): boolean {
  return (
    isAuthFailure(s) || (s.outcome === 'failed' && (s.noAnswer === undefined || MAYBE_AUTH.has(s.noAnswer)))
  );
}

/** The probe name that cites a HAR entry in evidence: `entry#12`. */
export function entryProbe(index: number): string {
  return `entry#${index}`;
}

const STATIC = new Set(['image', 'script', 'stylesheet', 'font', 'media', 'manifest', 'texttrack']);

/** A success that shows the session working: it carried credentials, or (credentials hidden) it was an API call or a page. */
export function worked(s: SessionEntry, f: SessionFacts): boolean {
  if (s.outcome !== 'ok' || s.preflight || s.tokenCall || s.signOut) return false;
  if (s.authorization || s.cookies.length || s.apiKeys.length) return true;
  return f.credentialsHidden && !STATIC.has(s.resourceType ?? '');
}
