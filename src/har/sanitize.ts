import type {
  HarContent,
  HarCookie,
  HarEntry,
  HarMeta,
  HarNameValue,
  HarPostData,
  HarRequest,
  HarResponse,
} from '../model/har.js';
import { SanitizeContext, type SanitizeOptions, type SanitizeSummary } from './sanitize-context.js';
import { headerRule, isOAuthContext } from '../knowledge/credential-rule.js';
import { isTextual, sanitizeBody, sanitizeUrl, scrubText } from './sanitize-text.js';
import { sanitizeCookieHeader, sanitizeCookieValue, sanitizeSetCookie } from './sanitize-cookies.js';
import {
  formDecode,
  sanitizeAuthorization,
  sanitizeCredentialHeader,
  sanitizeParam,
} from './sanitize-values.js';

/**
 * `why401 har --sanitize`: a HAR safe to share that still gives the same diagnosis.
 *
 * Every secret is replaced by a stand-in, the same secret by the same stand-in everywhere
 * (request headers, cookies, Set-Cookie, query strings, postData.text and postData.params, JSON
 * and form bodies, token responses, redirects, WebSocket frames, vendor fields), and nothing
 * else changes: a JWT keeps its header and claims (exp, aud, iss, scope are the diagnosis) and
 * loses only its signature; Basic keeps its user name; headers keep their scheme, quotes and odd
 * whitespace; placeholders (`${TOKEN}`) stay, since they are not secrets but the finding.
 *
 * Streaming: `sanitizeEntry` works one entry at a time with a `SanitizeContext` carried across
 * the file. A secret is also removed from free text (an HTML page echoing a token) once it has
 * been learned from a structured place; `learnEntry` over the whole file first (a second read)
 * makes that hold for echoes that come before the secret's first structured use.
 */

export { SanitizeContext, type SanitizeOptions, type SanitizeSummary };

const URL_HEADERS = new Set([':path', 'referer', 'location', 'content-location', 'origin']);
/** The server's own words, parsed by the server.* and challenge checks: only a secret known from elsewhere goes. */
const CHALLENGE_HEADERS = new Set(['www-authenticate', 'proxy-authenticate', 'authentication-info']);

/** One header value, by what its name says it holds. */
export function sanitizeHeaderValue(name: string, value: string, ctx: SanitizeContext): string {
  if (typeof value !== 'string' || value === '') return value;
  switch (headerRule(name)) {
    case 'authorization':
      return sanitizeAuthorization(value, ctx);
    case 'cookie':
      return sanitizeCookieHeader(value, ctx);
    case 'set-cookie':
      return sanitizeSetCookie(value, ctx);
    case 'credential':
      return sanitizeCredentialHeader(value, ctx);
    default: {
      const n = name.toLowerCase();
      if (CHALLENGE_HEADERS.has(n)) return ctx.replaceKnown(value);
      return URL_HEADERS.has(n) ? scrubText(sanitizeUrl(value, ctx), ctx) : scrubText(value, ctx);
    }
  }
}

/**
 * A name/value list (headers, cookies, queryString, postData.params) in the shape it came in: an
 * array, or the single object IE11's F12 export writes for a one-item list
 * (`"cookies": {"name": "…", "value": "…"}`, as in janodvarko/harviewer
 * selenium/tests/hars/issue-61/ie11.har, "Internet Explorer Network Inspector" 11.0.9600). Each item
 * goes through `one`, and its other fields (`comment`, vendor fields) are scrubbed as free text.
 * Anything else (a string, a number) is scrubbed as free text too: no shape lets a secret through.
 */
function eachItem<T extends { value?: unknown }>(
  list: T[] | undefined,
  ctx: SanitizeContext,
  one: (item: T & { value: string }) => string,
): T[] | undefined {
  const item = (x: T): T => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return deep(x, ctx);
    const out = { ...rest(x, new Set(['name', 'value', 'path', 'domain', 'expires']), ctx) } as T;
    // A name is a name, but not always: Fiddler lists a JSON body posted as a form as one
    // parameter whose name is the whole body (harviewer's noPages.har), secrets and all.
    const name = (x as { name?: unknown }).name;
    if (typeof name === 'string' && /[=:"'{&\s]/.test(name))
      (out as { name?: unknown }).name = scrubText(name, ctx);
    if (typeof x.value === 'string') out.value = one(x as T & { value: string });
    else out.value = deep(x.value, ctx);
    return out;
  };
  // The model types these as arrays, as HAR 1.2 does; the file may not.
  const got: unknown = list;
  if (Array.isArray(got)) return got.map(item);
  if (got && typeof got === 'object') return item(got as T) as unknown as T[];
  return deep(list, ctx);
}

function headers(list: HarNameValue[] | undefined, ctx: SanitizeContext): HarNameValue[] | undefined {
  return eachItem(list, ctx, (h) => sanitizeHeaderValue(String(h.name ?? ''), h.value, ctx));
}

function cookies(list: HarCookie[] | undefined, ctx: SanitizeContext): HarCookie[] | undefined {
  return eachItem(list, ctx, (c) => sanitizeCookieValue(String(c.name ?? ''), c.value, ctx));
}

/** The raw `name=value` pairs of a query or form text, to tell whether a HAR lists values encoded or decoded. */
function rawPairs(text: string | undefined): Set<string> {
  return new Set((text ?? '').split('&'));
}

/** queryString / postData.params: name-value lists beside the text they were parsed from. */
function params<T extends { name: string; value?: string }>(
  list: T[] | undefined,
  raw: Set<string>,
  where: 'query' | 'form',
  ctx: SanitizeContext,
): T[] | undefined {
  const got: unknown = list;
  const all = (Array.isArray(got) ? got : got && typeof got === 'object' ? [got] : []) as Array<T | null>;
  const oauth = isOAuthContext(all.map((p) => String(p?.name ?? '')));
  return eachItem(list, ctx, (p) => {
    const name = String(p.name ?? '');
    if (p.value === '') return '';
    // Chrome lists them as written in the URL, Firefox decoded: the raw text says which.
    const encoded = raw.has(`${name}=${p.value}`);
    let value = sanitizeParam(encoded ? formDecode(name) : name, p.value, oauth, where, encoded, ctx);
    if (value === p.value) {
      // Not secret by name: a URL inside it (next=, redirect_uri=) or a secret known from elsewhere may be.
      const decoded = encoded ? formDecode(p.value) : p.value;
      const scrubbed = scrubText(decoded, ctx);
      if (scrubbed !== decoded) value = encoded ? encodeURIComponent(scrubbed) : scrubbed;
    }
    return value;
  });
}

/** Any other field (a comment, `_initiator` stacks, vendor data): every string scrubbed as free text. */
function deep<T>(v: T, ctx: SanitizeContext): T {
  if (typeof v === 'string') return scrubText(v, ctx) as T;
  if (Array.isArray(v)) return v.map((x) => deep(x, ctx)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deep(x, ctx);
    return out as T;
  }
  return v;
}

function rest<T extends object>(obj: T, handled: ReadonlySet<string>, ctx: SanitizeContext): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = handled.has(k) ? v : deep(v, ctx);
  return out as Partial<T>;
}

/** Numbers and protocol words, read by the checks as they are (statusText is free text: scrubbed). */
const NUMERIC_OR_PLAIN = new Set(['method', 'httpVersion', 'headersSize', 'bodySize', 'status']);

function postData(pd: HarPostData | undefined, ctx: SanitizeContext): HarPostData | undefined {
  if (!pd || typeof pd !== 'object') return pd;
  const out: HarPostData = { ...rest(pd, new Set(['mimeType', 'text', 'params']), ctx) };
  if (typeof pd.text === 'string') out.text = sanitizeBody(pd.text, pd.mimeType, ctx);
  else if (pd.text !== undefined) out.text = deep(pd.text, ctx);
  if (pd.params !== undefined) out.params = params(pd.params, rawPairs(pd.text), 'form', ctx);
  return out;
}

function request(req: HarRequest, ctx: SanitizeContext): HarRequest {
  if (!req || typeof req !== 'object') return req;
  const handled = new Set([...NUMERIC_OR_PLAIN, 'url', 'headers', 'cookies', 'queryString', 'postData']);
  const out = { ...rest(req, handled, ctx) } as HarRequest;
  if (typeof req.url === 'string') out.url = sanitizeUrl(req.url, ctx);
  else if (req.url !== undefined) out.url = deep(req.url, ctx);
  const hs = headers(req.headers, ctx);
  if (hs !== undefined) out.headers = hs;
  const cs = cookies(req.cookies, ctx);
  if (cs !== undefined) out.cookies = cs;
  const query =
    typeof req.url === 'string' && req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const qs = params(req.queryString, rawPairs(query.split('#')[0]), 'query', ctx);
  if (qs !== undefined) out.queryString = qs;
  const pd = postData(req.postData, ctx);
  if (pd !== undefined) out.postData = pd;
  return out;
}

/** base64 bodies (binary, or text some exporters encode): decoded when textual, re-encoded when changed. */
function content(c: HarContent | undefined, ctx: SanitizeContext): HarContent | undefined {
  if (!c || typeof c !== 'object') return c;
  const out: HarContent = {
    ...rest(c, new Set(['size', 'compression', 'mimeType', 'text', 'encoding']), ctx),
  };
  if (typeof c.text !== 'string' || c.text === '') return out;
  if (c.encoding === 'base64') {
    // Text some exporters encode whatever its type (mitmproxy when "mostly binary", a body with no
    // Content-Type): looked into whenever it is UTF-8, which compressed and binary bodies never are.
    if (!isTextual(c.mimeType) && /image\/|audio\/|video\/|font\/|zip|gzip|pdf/i.test(c.mimeType ?? ''))
      return out;
    let decoded: string;
    try {
      const bytes = Uint8Array.from(atob(c.text.replace(/\s+/g, '')), (ch) => ch.charCodeAt(0));
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return out;
    }
    const next = sanitizeBody(decoded, c.mimeType, ctx);
    if (next !== decoded) {
      let bin = '';
      for (const b of new TextEncoder().encode(next)) bin += String.fromCharCode(b);
      out.text = btoa(bin);
    }
    return out;
  }
  out.text = sanitizeBody(c.text, c.mimeType, ctx);
  return out;
}

function response(res: HarResponse, ctx: SanitizeContext): HarResponse {
  if (!res || typeof res !== 'object') return res;
  const handled = new Set([...NUMERIC_OR_PLAIN, 'headers', 'cookies', 'content', 'redirectURL']);
  const out = { ...rest(res, handled, ctx) } as HarResponse;
  const hs = headers(res.headers, ctx);
  if (hs !== undefined) out.headers = hs;
  const cs = cookies(res.cookies, ctx);
  if (cs !== undefined) out.cookies = cs;
  const ct = content(res.content, ctx);
  if (ct !== undefined) out.content = ct;
  if (typeof res.redirectURL === 'string') out.redirectURL = sanitizeUrl(res.redirectURL, ctx);
  else if (res.redirectURL !== undefined) out.redirectURL = deep(res.redirectURL, ctx);
  return out;
}

function webSocketMessages(v: unknown, ctx: SanitizeContext): unknown {
  if (!Array.isArray(v)) return deep(v, ctx);
  return v.map((m: unknown) => {
    if (!m || typeof m !== 'object') return deep(m, ctx);
    const msg = m as Record<string, unknown>;
    const out = { ...rest(msg, new Set(['data', 'type', 'time', 'opcode']), ctx) };
    if (typeof msg['data'] === 'string') out['data'] = sanitizeBody(msg['data'], undefined, ctx);
    else if (msg['data'] !== undefined) out['data'] = deep(msg['data'], ctx);
    return out;
  });
}

/**
 * One entry with every secret replaced. The input is not modified; unchanged parts of the
 * result may share objects with it.
 */
export function sanitizeEntry(entry: HarEntry, ctx: SanitizeContext): HarEntry {
  if (!entry || typeof entry !== 'object') return entry;
  // timings are numbers, but BrowserMob writes a `comment` in them too: scrubbed with the rest.
  const handled = new Set(['request', 'response', 'startedDateTime', 'time', '_webSocketMessages']);
  const out = { ...rest(entry, handled, ctx) } as HarEntry;
  if (entry.request !== undefined) out.request = request(entry.request, ctx);
  if (entry.response !== undefined) out.response = response(entry.response, ctx);
  if ('_webSocketMessages' in entry)
    out._webSocketMessages = webSocketMessages(entry._webSocketMessages, ctx);
  return out;
}

/**
 * A first pass: learns the entry's secrets (so that later entries, and free text anywhere,
 * get the same stand-ins) without counting anything. Run it over the whole file, then
 * `sanitizeEntry` over it again, to catch echoes that precede the secret's structured use.
 */
export function learnEntry(entry: HarEntry, ctx: SanitizeContext): void {
  const was = ctx.counting;
  ctx.counting = false;
  try {
    sanitizeEntry(entry, ctx);
  } finally {
    ctx.counting = was;
  }
}

/**
 * The file's other parts as the streaming reader reports them: page titles (Chrome uses the page's
 * URL, query string and all) scrubbed as free text; creator, browser and version kept.
 */
export function sanitizeMeta(meta: HarMeta, ctx: SanitizeContext): HarMeta {
  const out: HarMeta = { ...meta };
  if (meta.pages !== undefined) out.pages = deep(meta.pages, ctx);
  if (meta.creator) out.creator = creator(meta.creator, ctx);
  if (meta.browser) out.browser = creator(meta.browser, ctx);
  return out;
}

/** `creator` and `browser`: the name and version kept as written, any other field (`comment`) scrubbed. */
function creator<T extends object>(c: T, ctx: SanitizeContext): T {
  if (!c || typeof c !== 'object') return c;
  return rest(c, new Set(['name', 'version']), ctx) as T;
}

/** The `log` of a HAR file: its entries, and pages, creator, comment… */
export interface HarLog {
  entries?: HarEntry[];
  pages?: unknown[];
}

/**
 * A whole HAR already in memory (a small file, or the web page): two passes, so every secret is
 * known before any text is scrubbed. Big files go through `learnEntry` and `sanitizeEntry` with
 * the streaming reader instead.
 */
export function sanitizeHar<T extends { log: HarLog }>(
  har: T,
  opts: SanitizeOptions & { ctx?: SanitizeContext } = {},
): { har: T; summary: SanitizeSummary } {
  const ctx = opts.ctx ?? new SanitizeContext(opts);
  const entries = Array.isArray(har.log?.entries) ? har.log.entries : [];
  for (const e of entries) learnEntry(e, ctx);
  const sanitized = entries.map((e) => sanitizeEntry(e, ctx));
  const log = {
    ...rest(har.log ?? {}, new Set(['entries', 'creator', 'browser', 'version']), ctx),
  } as T['log'] & { creator?: object; browser?: object };
  const { creator: c, browser: b } = har.log as { creator?: object; browser?: object };
  if (c) log.creator = creator(c, ctx);
  if (b) log.browser = creator(b, ctx);
  if (Array.isArray(har.log?.entries)) log.entries = sanitized;
  return { har: { ...har, log }, summary: ctx.summary() };
}
