import type { Evidence, Exchange, ExchangeError, RequestSpec, ResponseData } from '../model/evidence.js';
import type {
  HarContent,
  HarCookie,
  HarEntry,
  HarMeta,
  HarNameValue,
  HarRequest,
  HarResponse,
} from '../model/har.js';
import { nameValueList } from './har-entry-shape.js';
import { hasHeader, headerValue, type HeaderList } from '../model/http.js';
import { hasNoAnswer, noAnswerOf, producerOf, type NoAnswer } from './no-answer.js';
import { originOf } from '../parse/url.js';

/**
 * One HAR entry as evidence, the way the probes would have gathered it: the page's request, the
 * redirect hops the browser followed before it (each its own entry in a HAR), the answer, and the
 * CORS preflight when the HAR holds it. Pure and platform-neutral: the web page runs it on a
 * dropped file.
 */

export interface EntryEvidenceOptions {
  /** The moment the checks judge against (epoch ms): the capture's time, not today. */
  now: number;
  /**
   * The file was exported without credentials (Chrome's sanitized HAR): a missing Authorization or
   * Cookie proves nothing, so no header is marked as dropped on a redirect.
   */
  credentialsHidden?: boolean;
  /** The file's pages, to find the page origin of a request that carries no Origin or Referer. */
  meta?: HarMeta;
}

/**
 * The entries around one being looked at: the whole array, or (when a large file is streamed) a
 * lookup by HAR index that knows only a window of recent entries and says undefined for the rest.
 */
export type EntryList = readonly HarEntry[] | ((index: number) => HarEntry | undefined);

function entryAt(entries: EntryList, i: number): HarEntry | undefined {
  return typeof entries === 'function' ? entries(i) : entries[i];
}

/** What a list says of a request without an answer whose producer recorded no reason. */
const NO_REASON = 'no reason recorded';

/** Bodies kept for diagnosis, as the probe's cap (1 MiB). */
const BODY_CAP = 1024 * 1024;
/** How far back a redirect's previous hop or a preflight is looked for. */
export const LOOK_BACK = 200;
const MAX_HOPS = 20;

/** An entry with what every step needs (a request with a method and URL, a response object). */
export function isUsableEntry(e: unknown): e is HarEntry {
  if (!e || typeof e !== 'object') return false;
  const x = e as Partial<HarEntry>;
  return (
    !!x.request &&
    typeof x.request.method === 'string' &&
    typeof x.request.url === 'string' &&
    !!x.response &&
    typeof x.response === 'object'
  );
}

/** Epoch ms of an entry's start; 0 when the date does not parse. */
export function startedAtOf(e: HarEntry): number {
  const t = Date.parse(e.startedDateTime);
  return Number.isNaN(t) ? 0 : t;
}

/** Duration in ms (a HAR says -1 when unknown). */
export function timeOf(e: HarEntry): number {
  return typeof e.time === 'number' && e.time > 0 ? Math.round(e.time) : 0;
}

/**
 * No answer from the server: none at all (Chrome and most producers write status 0, Playwright
 * -1), or only a debugging proxy's own (Fiddler's 502). See no-answer.ts.
 */
export function isFailedEntry(e: HarEntry): boolean {
  return hasNoAnswer(e);
}

/**
 * The producer's words for a failed entry (`net::ERR_FAILED`, `No response received`, Firebug's
 * `Aborted`, `Fiddler's own 502 (ConnectionRefused)`), when it gave any; `meta` names the producer.
 */
export function failureTextOf(e: HarEntry, meta?: HarMeta): string | undefined {
  const n = noAnswerOf(e, meta);
  return n && (n.text !== undefined || n.kind !== 'unknown' || n.label !== NO_REASON) ? n.label : undefined;
}

/** Header lists as sent: HTTP/2 pseudo-headers dropped, Set-Cookie lines joined by Chrome split again. */
export function harHeaderList(list: HarNameValue[] | undefined): HeaderList {
  const out: HeaderList = [];
  if (!Array.isArray(list)) return out;
  for (let k = 0; k < list.length; k++) {
    const h = list[k];
    if (!h || typeof h.name !== 'string' || h.name.charCodeAt(0) === 58 /* ':' */) continue;
    const value = typeof h.value === 'string' ? h.value : String(h.value ?? '');
    // The name's length first: this runs for every header of every entry.
    if (h.name.length === 10 && h.name.toLowerCase() === 'set-cookie' && value.includes('\n')) {
      for (const line of value.split('\n')) if (line.trim() !== '') out.push([h.name, line.trim()]);
    } else out.push([h.name, value]);
  }
  return out;
}

/** The request headers; a Cookie header rebuilt from `request.cookies` when an exporter lists cookies only there. */
export function requestHeaderList(req: HarRequest): HeaderList {
  const headers = harHeaderList(req.headers);
  // Any shape an exporter wrote (IE11: one object), as entry-shape.ts reads it; never changed here.
  const cookies = (nameValueList(req.cookies) as unknown as HarCookie[]).filter((c) => c.name !== '');
  if (!hasHeader(headers, 'cookie') && cookies.length > 0)
    headers.push(['Cookie', cookies.map((c) => `${c.name}=${c.value ?? ''}`).join('; ')]);
  return headers;
}

function setCookieLine(c: NonNullable<HarResponse['cookies']>[number]): string {
  const parts = [`${c.name}=${c.value ?? ''}`];
  if (c.path) parts.push(`Path=${c.path}`);
  if (c.domain) parts.push(`Domain=${c.domain}`);
  if (c.expires) {
    const t = Date.parse(c.expires);
    if (!Number.isNaN(t)) parts.push(`Expires=${new Date(t).toUTCString()}`);
  }
  if (c.secure) parts.push('Secure');
  if (c.httpOnly) parts.push('HttpOnly');
  if (c.sameSite) parts.push(`SameSite=${c.sameSite}`);
  return parts.join('; ');
}

/** The response headers; Set-Cookie lines rebuilt from `response.cookies` when an exporter lists them only there. */
export function responseHeaderList(res: HarResponse): HeaderList {
  const headers = harHeaderList(res.headers);
  const cookies = (nameValueList(res.cookies) as unknown as HarCookie[]).filter((c) => c.name !== '');
  if (!hasHeader(headers, 'set-cookie'))
    for (const c of cookies) headers.push(['Set-Cookie', setCookieLine(c)]);
  return headers;
}

const TEXT_LIKE =
  /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|problem\+json|jwt|ld\+json)\b|image\/svg\+xml)/i;

function isTextLike(mimeType: string | undefined): boolean {
  return (
    mimeType === undefined || mimeType === '' || mimeType === 'x-unknown' || TEXT_LIKE.test(mimeType.trim())
  );
}

function base64ToText(b64: string): string | undefined {
  try {
    const bin = atob(b64.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The response body as text: base64 undone when the content is text-like; binary bodies are left out. */
export function responseBodyOf(content: HarContent | undefined): {
  body: string;
  truncated: boolean;
  bytes: number;
} {
  const raw = typeof content?.text === 'string' ? content.text : '';
  let body = raw;
  if (raw && content?.encoding?.toLowerCase() === 'base64') {
    body = isTextLike(content.mimeType) ? (base64ToText(raw) ?? '') : '';
  }
  let truncated = typeof content?._why401TruncatedFrom === 'number';
  if (body.length > BODY_CAP) {
    body = body.slice(0, BODY_CAP);
    truncated = true;
  }
  const size = typeof content?.size === 'number' && content.size >= 0 ? content.size : body.length;
  return { body, truncated, bytes: truncated ? body.length : size };
}

/**
 * The request body: `postData.text`, or the form rebuilt from `postData.params` when only those
 * are there (Firebug writes a form only in `params`, with `text: ""`).
 */
export function requestBodyOf(req: HarRequest): string | undefined {
  const p = req.postData;
  if (!p) return undefined;
  if (typeof p.text === 'string' && (p.text !== '' || !Array.isArray(p.params) || p.params.length === 0))
    return p.text;
  if (Array.isArray(p.params) && p.params.length > 0) {
    const form = new URLSearchParams();
    for (const x of p.params) if (x && typeof x.name === 'string') form.append(x.name, x.value ?? '');
    return form.toString();
  }
  return undefined;
}

function sameUrl(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = new URL(a);
    const y = new URL(b);
    x.hash = '';
    y.hash = '';
    return x.href === y.href;
  } catch {
    return false;
  }
}

/** Where a 3xx entry sends the browser (`redirectURL`, else `Location`), resolved; undefined otherwise. */
export function redirectTargetOf(e: HarEntry): string | undefined {
  const s = e.response?.status;
  if (typeof s !== 'number' || s < 300 || s > 399) return undefined;
  const to = e.response.redirectURL || headerValue(harHeaderList(e.response.headers), 'location');
  if (!to) return undefined;
  try {
    return new URL(to, e.request.url).href;
  } catch {
    return undefined;
  }
}

function methodFollows(from: HarEntry, to: HarEntry): boolean {
  const s = from.response.status;
  const a = from.request.method.toUpperCase();
  const b = to.request.method.toUpperCase();
  if (s === 307 || s === 308) return a === b;
  if (s === 303) return b === 'GET' || b === 'HEAD' || a === b;
  return a === b || (a === 'POST' && b === 'GET');
}

/**
 * The entries of the redirect chain that ends at `index`, oldest first (the entry itself last): each
 * earlier one a 3xx whose target is the next one's URL, as a browser logs one entry per hop.
 */
export function redirectChainOf(entries: EntryList, index: number): number[] {
  const chain = [index];
  let cur = entryAt(entries, index);
  while (cur && chain.length < MAX_HOPS) {
    const curStart = startedAtOf(cur);
    let found = -1;
    for (let j = chain[0]! - 1; j >= 0 && j >= chain[0]! - LOOK_BACK; j--) {
      const e = entryAt(entries, j);
      if (!e || chain.includes(j)) continue;
      // The status first: it rules out almost every entry without parsing a date or a header.
      const target = redirectTargetOf(e);
      if (!target || startedAtOf(e) > curStart + 1) continue;
      if (sameUrl(target, cur.request.url) && methodFollows(e, cur)) {
        found = j;
        break;
      }
    }
    if (found < 0) break;
    chain.unshift(found);
    cur = entryAt(entries, found);
  }
  return chain;
}

/** Is this entry a CORS preflight (an OPTIONS with Access-Control-Request-Method, or Chrome's `preflight` type)? */
export function isPreflightEntry(e: HarEntry, headers?: HeaderList): boolean {
  if (e._resourceType === 'preflight') return true;
  return (
    e.request.method.toUpperCase() === 'OPTIONS' &&
    hasHeader(headers ?? harHeaderList(e.request.headers), 'access-control-request-method')
  );
}

/**
 * The origin of the page that made a request: its `Origin` header, else its `Referer`, else the
 * document that the parser loaded it from, else the page's URL when the HAR names it. `headers`:
 * the request's header list when the caller has it already (a session reads 200,000 of them).
 */
export function initiatorOriginOf(e: HarEntry, meta?: HarMeta, headers?: HeaderList): string | undefined {
  headers ??= harHeaderList(e.request.headers);
  const origin = headerValue(headers, 'origin');
  if (origin && origin !== 'null') return headerOrigin(origin);
  const referer = headerOrigin(headerValue(headers, 'referer'));
  if (referer) return referer;
  const init = e._initiator as { type?: unknown; url?: unknown } | undefined;
  if (init && init.type === 'parser' && typeof init.url === 'string') {
    const o = originOf(init.url);
    if (o) return o;
  }
  const page = e.pageref ? meta?.pages?.find((p) => p.id === e.pageref) : undefined;
  return originOf(page?.title);
}

/** Origin and Referer values already parsed: a page sends the same few thousands of times. */
const headerOrigins = new Map<string, string | undefined>();

function headerOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (headerOrigins.has(value)) return headerOrigins.get(value);
  if (headerOrigins.size >= 512) headerOrigins.clear();
  const o = originOf(value);
  headerOrigins.set(value, o);
  return o;
}

/** A navigation loads a page; it is never a CORS request. */
export function isNavigation(e: HarEntry, headers?: HeaderList): boolean {
  if (e._resourceType === 'document' || e._resourceType === 'iframe') return true;
  headers ??= harHeaderList(e.request.headers);
  const mode = headerValue(headers, 'sec-fetch-mode');
  return mode === 'navigate';
}

/** The failure of an entry that got no answer, in the probe's terms, in its producer's words. */
export function failureOf(e: HarEntry, meta?: HarMeta): ExchangeError {
  const n: NoAnswer = noAnswerOf(e, meta) ?? {
    kind: 'unknown',
    phase: 'protocol',
    label: NO_REASON,
    producer: producerOf(meta),
  };
  const code = n.text ?? n.label;
  return {
    phase: n.phase,
    code,
    message: `${n.producer} recorded no answer (${n.label})${
      /ERR_FAILED$/.test(code)
        ? '; in a browser that usually means CORS refused the request or its preflight, or an extension or policy blocked it'
        : ''
    }`,
  };
}

function exchangeOf(e: HarEntry, hop: number, probe = 'main', meta?: HarMeta): Exchange {
  const x: Exchange = {
    probe,
    hop,
    request: { method: e.request.method, url: e.request.url, headers: requestHeaderList(e.request) },
    startedAt: startedAtOf(e),
    ms: timeOf(e),
  };
  if (isFailedEntry(e)) {
    x.error = failureOf(e, meta);
    return x;
  }
  const body = responseBodyOf(e.response.content);
  const response: ResponseData = {
    status: e.response.status,
    headers: responseHeaderList(e.response),
    body: body.body,
    bodyBytes: body.bytes,
    bodyTruncated: body.truncated,
  };
  if (e.response.statusText) response.statusText = e.response.statusText;
  x.response = response;
  return x;
}

/** The OPTIONS preflight logged just before a cross-origin request to the same URL, when the HAR holds one. */
function preflightFor(entries: EntryList, index: number): HarEntry | undefined {
  const e = entryAt(entries, index)!;
  const start = startedAtOf(e);
  for (let j = index - 1; j >= 0 && j >= index - LOOK_BACK; j--) {
    const p = entryAt(entries, j);
    if (!p || !isPreflightEntry(p) || !sameUrl(p.request.url, e.request.url)) continue;
    if (start - startedAtOf(p) > 60_000) return undefined;
    return p;
  }
  return undefined;
}

const CREDENTIAL_HEADERS = ['authorization', 'cookie'];

/**
 * The evidence of one entry. `index` is the entry's position in `entries`; the earlier entries that
 * redirected to it become its earlier hops (hop 0 is the request the page made), and a hop that
 * lost Authorization or Cookie on a cross-origin redirect is marked with `droppedHeaders`.
 */
export function entryEvidence(entries: EntryList, index: number, o: EntryEvidenceOptions): Evidence {
  const entry = entryAt(entries, index);
  if (!entry) throw new RangeError(`no HAR entry at index ${index}`);
  const chain = redirectChainOf(entries, index);
  const exchanges = chain.map((i, hop) => exchangeOf(entryAt(entries, i)!, hop, 'main', o.meta));
  if (!o.credentialsHidden) {
    for (let h = 1; h < exchanges.length; h++) {
      const prev = exchanges[h - 1]!;
      const cur = exchanges[h]!;
      if (originOf(prev.request.url) === originOf(cur.request.url)) continue;
      const dropped = CREDENTIAL_HEADERS.filter(
        (n) => hasHeader(prev.request.headers, n) && !hasHeader(cur.request.headers, n),
      );
      if (dropped.length) cur.droppedHeaders = dropped;
    }
  }
  const first = entryAt(entries, chain[0]!)!;
  const request: RequestSpec = {
    method: first.request.method,
    url: first.request.url,
    headers: requestHeaderList(first.request),
    followRedirects: true,
    insecure: false,
    compressed: false,
  };
  const body = requestBodyOf(first.request);
  if (body !== undefined) request.body = body;
  if (o.credentialsHidden) request.credentialsHidden = true;

  const ev: Evidence = {
    now: o.now,
    source: 'har',
    request,
    inputWarnings: [],
    exchanges,
    skippedProbes: [],
    expect: {},
    offline: false,
  };
  // A page's cross-origin fetch: its origin is what the browser's CORS checks judge against.
  const pageOrigin = isNavigation(first) ? undefined : initiatorOriginOf(first, o.meta);
  if (pageOrigin && pageOrigin !== originOf(first.request.url)) {
    ev.browserOrigin = pageOrigin;
    const pf = preflightFor(entries, chain[0]!);
    if (pf && !isFailedEntry(pf)) exchanges.push(exchangeOf(pf, 0, 'preflight', o.meta));
  }
  return ev;
}

/** A request header's value from a HAR request (first, case-insensitive). */
export function requestHeader(e: HarEntry, name: string): string | undefined {
  return headerValue(requestHeaderList(e.request), name);
}
