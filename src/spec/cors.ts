import type { RequestSpec } from '../model/evidence.js';
import { hasHeader, headerValues, type HeaderList } from '../model/http.js';

/**
 * The browser's side of CORS, as the Fetch Standard defines it (§2.2.2 headers, §4.8 CORS-preflight
 * fetch, §4.10 CORS check): which request a browser preflights and what the preflight carries.
 * Pure and platform-neutral: the probe (src/probe/preflight.ts) and the cors.* checks
 * (checks/cors-util.ts) use the very same computation.
 */

export type CredentialsMode = 'include' | 'same-origin';

/** Fetch §2.2.1: methods normalized to upper case; any other method is kept as typed (`patch` stays `patch`). */
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
/** Fetch §2.2.1 CORS-safelisted method (byte-case-sensitive, after normalization). */
const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
const FORBIDDEN_METHODS = ['CONNECT', 'TRACE', 'TRACK'];

/** Fetch §2.2.2 forbidden request-header names: the browser keeps them in its own hands. */
const FORBIDDEN_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
const METHOD_OVERRIDE_NAMES = ['x-http-method', 'x-http-method-override', 'x-method-override'];
/**
 * Headers the browser writes itself on every request, which a copied curl command carries but a
 * page's script does not set: `User-Agent` (no longer forbidden by Fetch, but Chromium ignores a
 * page's value and the tool's own is no page's choice) and `Priority` (RFC 9218, set by Chromium).
 */
const BROWSER_MANAGED = new Set(['user-agent', 'priority']);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function normalizeMethod(method: string): string {
  const up = method.toUpperCase();
  return NORMALIZED_METHODS.includes(up) ? up : method;
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.includes(normalizeMethod(method));
}

/** Fetch §2.2.2 forbidden request-header: a page cannot set it (the browser drops it from `headers`). */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (FORBIDDEN_NAMES.has(n) || n.startsWith('proxy-') || n.startsWith('sec-')) return true;
  if (METHOD_OVERRIDE_NAMES.includes(n)) {
    return value.split(',').some((m) => FORBIDDEN_METHODS.includes(m.trim().toUpperCase()));
  }
  return false;
}

/** The headers a page's script would set for this request: the user's headers less those the browser owns. */
export function authorHeaders(headers: HeaderList): HeaderList {
  return headers.filter(([n, v]) => !isForbiddenRequestHeader(n, v) && !BROWSER_MANAGED.has(n.toLowerCase()));
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Fetch §2.2.2 CORS-unsafe request-header byte (checked on code points; non-ASCII is not unsafe). */
function hasUnsafeByte(v: string): boolean {
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || '"():<>?@[\\]{}'.includes(ch)) return true;
  }
  return false;
}

/** The essence of a MIME type as the WHATWG MIME Sniffing parser computes it, or undefined on failure. */
function mimeEssence(value: string): string | undefined {
  const s = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  const slash = s.indexOf('/');
  if (slash <= 0) return undefined;
  const type = s.slice(0, slash);
  const rest = s.slice(slash + 1);
  const semi = rest.indexOf(';');
  const sub = (semi === -1 ? rest : rest.slice(0, semi)).replace(/[\t\n\r ]+$/, '');
  if (!TOKEN.test(type) || !TOKEN.test(sub)) return undefined;
  return `${type}/${sub}`.toLowerCase();
}

/** Fetch §2.2.2 "parse a single range header value" without whitespace: `bytes=N-` or `bytes=N-M`. */
function safelistedRange(value: string): boolean {
  const m = /^bytes=(\d*)-(\d*)$/.exec(value);
  if (!m || m[1] === '') return false;
  return m[2] === '' || Number(m[1]) <= Number(m[2]);
}

/** Fetch §2.2.2 CORS-safelisted request-header. */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  if (byteLength(value) > 128) return false;
  switch (name.toLowerCase()) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case 'content-type': {
      if (hasUnsafeByte(value)) return false;
      const essence = mimeEssence(value);
      return (
        essence === 'application/x-www-form-urlencoded' ||
        essence === 'multipart/form-data' ||
        essence === 'text/plain'
      );
    }
    case 'range':
      return safelistedRange(value);
    default:
      return false;
  }
}

/**
 * Fetch §2.2.2 CORS-unsafe request-header names: the names that are not safelisted (all of them when
 * the safelisted values exceed 1024 bytes together), byte-lowercased, without duplicates, sorted.
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderList): string[] {
  const unsafe: string[] = [];
  const potentially: string[] = [];
  let size = 0;
  for (const [name, value] of headers) {
    if (isCorsSafelistedRequestHeader(name, value)) {
      potentially.push(name);
      size += byteLength(value);
    } else unsafe.push(name);
  }
  if (size > 1024) unsafe.push(...potentially);
  return [...new Set(unsafe.map((n) => n.toLowerCase()))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether the request goes to the page's own origin (scheme, host and port): then there is no CORS at all. */
export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** The CORS-unsafe names of the headers a page would set for this request. */
export function requestedHeaderNames(spec: RequestSpec): string[] {
  return corsUnsafeRequestHeaderNames(authorHeaders(spec.headers));
}

/**
 * Fetch §4.1 main fetch, step 12 (with the unsafe-request flag that fetch() and XHR set): a
 * cross-origin request is preflighted when its method is not GET, HEAD or POST, or when it carries
 * a header that is not CORS-safelisted. `Authorization` never is, so it always triggers one.
 */
export function needsPreflight(spec: RequestSpec, origin: string): boolean {
  if (isSameOrigin(spec.url, origin)) return false;
  return !isSafelistedMethod(spec.method) || requestedHeaderNames(spec).length > 0;
}

/** Why a preflight is needed, in words (empty when it is not). */
export function preflightReasons(spec: RequestSpec): string[] {
  const out: string[] = [];
  const method = normalizeMethod(spec.method);
  if (!isSafelistedMethod(method)) out.push(`${method} is not GET, HEAD or POST`);
  const names = requestedHeaderNames(spec);
  if (names.length)
    out.push(
      `${names.join(', ')} ${names.length === 1 ? 'is not a CORS-safelisted header' : 'are not CORS-safelisted headers'}`,
    );
  return out;
}

/**
 * Fetch §4.8 CORS-preflight fetch: exactly the headers of the preflight a browser sends for this
 * request (the browser adds its own User-Agent and connection headers). No credentials: no
 * Authorization, no Cookie, whatever the request carries.
 */
export function preflightHeaders(spec: RequestSpec, origin: string): HeaderList {
  const h: HeaderList = [
    ['Accept', '*/*'],
    ['Access-Control-Request-Method', normalizeMethod(spec.method)],
  ];
  const names = requestedHeaderNames(spec);
  // Fetch joins them with "," and no space ("not the way this was implemented, for better or worse").
  if (names.length) h.push(['Access-Control-Request-Headers', names.join(',')]);
  h.push(['Origin', origin]);
  return h;
}

/** What the browser adds to the actual cross-origin request: its `Origin`. */
export function browserRequestExtras(origin: string): HeaderList {
  return [['Origin', origin]];
}

/**
 * The credentials mode the page must use. Cookies are credentials (Fetch §2): a cross-origin fetch
 * sends them only with `credentials: 'include'`. `Authorization` set by the page is a plain header.
 */
export function credentialsMode(spec: RequestSpec): CredentialsMode {
  return hasHeader(spec.headers, 'cookie') ? 'include' : 'same-origin';
}

/** Fetch §2.2.2: an ok status is 200–299. */
export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** All values of a list-valued header (`#token`), split on commas, trimmed, empty items dropped. */
export function listValues(headers: HeaderList, name: string): string[] {
  return headerValues(headers, name)
    .join(',')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
