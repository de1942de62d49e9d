import { fingerprint } from '../core/fingerprint.js';
import { redactUrl } from '../core/redact-url.js';
import { diffPriority } from '../core/diff-priority.js';
import type { DiffArea, DiffItem, DiffRequest, DiffResponse, DiffSide } from '../model/har-diff.js';
import type { Evidence, RequestSpec } from '../model/evidence.js';
import type { HarEntry, HarNameValue } from '../model/har.js';
import { headerValue, headerValues, type HeaderList } from '../model/http.js';
import { KNOWN_SCHEMES, parseAuthorization } from '../parse/authorization.js';
import { parseBasic } from '../parse/basic.js';
import { parseWwwAuthenticate } from '../parse/challenge.js';
import { decodeJwt } from '../parse/jwt.js';
import { headerRule, isPlaceholder, looksRandom, secretName } from '../knowledge/credential-rule.js';
import { tryUrl } from '../parse/url.js';

/**
 * `why401 diff GOOD BAD`: the differences between a request that worked and one that was refused,
 * limited to what matters for auth (credentials and token claims, cookies, origin and URL,
 * redirects, proxies, the server's answer), most important first. Secrets appear only as
 * fingerprints (`eyJhbG…(sha256:1a2b3c)`), the form every why401 output uses.
 */

// ——— building sides ———

function harHeaders(list: HarNameValue[] | undefined): HeaderList {
  return Array.isArray(list)
    ? list.filter((h) => h && typeof h.name === 'string').map((h) => [h.name, String(h.value ?? '')])
    : [];
}

function redirectTarget(e: HarEntry): string | undefined {
  const status = e.response?.status ?? 0;
  if (status < 300 || status >= 400) return undefined;
  const loc = e.response.redirectURL || headerValue(harHeaders(e.response.headers), 'location');
  if (!loc) return undefined;
  try {
    return new URL(loc, e.request.url).href;
  } catch {
    return undefined;
  }
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/** The entries that redirected to `index`, oldest first (a chain is at most 20 hops, looked for 200 entries back). */
function chainOf(entries: HarEntry[], index: number): number[] {
  const chain = [index];
  let cur = index;
  for (let hop = 0; hop < 20; hop++) {
    const url = entries[cur]!.request.url;
    let found = -1;
    for (let j = cur - 1; j >= Math.max(0, cur - 200); j--) {
      const t = redirectTarget(entries[j]!);
      if (t !== undefined && sameUrl(t, url) && !chain.includes(j)) {
        found = j;
        break;
      }
    }
    if (found < 0) break;
    chain.unshift(found);
    cur = found;
  }
  return chain;
}

function startedAt(e: HarEntry): number | undefined {
  const t = Date.parse(e.startedDateTime);
  return Number.isFinite(t) ? t : undefined;
}

/** A side from a HAR entry; `entries` (the whole file) lets it find the redirects that led there. */
export function sideFromHarEntry(entries: HarEntry[], index: number, label?: string): DiffSide {
  const e = entries[index]!;
  const side: DiffSide = {
    request: { method: e.request.method, url: e.request.url, headers: harHeaders(e.request.headers) },
  };
  const cookies = (e.request.cookies ?? []).filter((c) => c && typeof c.name === 'string');
  if (cookies.length)
    side.request.cookies = cookies.map((c) => ({ name: c.name, value: String(c.value ?? '') }));
  if (e.response && typeof e.response.status === 'number') {
    side.response = { status: e.response.status, headers: harHeaders(e.response.headers) };
    if (e.response.statusText) side.response.statusText = e.response.statusText;
  }
  const chain = chainOf(entries, index);
  if (chain.length > 1)
    side.redirects = chain.slice(0, -1).map((i) => {
      const x = entries[i]!;
      return {
        method: x.request.method,
        url: x.request.url,
        headers: harHeaders(x.request.headers),
        status: x.response?.status,
      };
    });
  const at = startedAt(e);
  if (at !== undefined) side.at = at;
  if (e.serverIPAddress) side.serverIp = e.serverIPAddress.replace(/^\[|\]$/g, '');
  if (label) side.label = label;
  return side;
}

/** A side from a request (a parsed curl command, say) and, when it was sent, its answer. */
export function sideFromRequest(
  spec: Pick<RequestSpec, 'method' | 'url' | 'headers' | 'proxy'>,
  response?: DiffResponse,
  at?: number,
  label?: string,
): DiffSide {
  const side: DiffSide = { request: { method: spec.method, url: spec.url, headers: spec.headers } };
  if (response) side.response = { status: response.status, headers: response.headers };
  if (response?.statusText) side.response!.statusText = response.statusText;
  if (at !== undefined) side.at = at;
  if (spec.proxy) side.proxy = spec.proxy;
  if (label) side.label = label;
  return side;
}

/** A side from a diagnosis's evidence: the main probe's hops (the last is the request, the others its redirects). */
export function sideFromEvidence(ev: Evidence, label?: string): DiffSide {
  const hops = ev.exchanges.filter((x) => x.probe === 'main').sort((a, b) => a.hop - b.hop);
  const last = hops.at(-1);
  if (!last) return sideFromRequest(ev.request, undefined, ev.now, label);
  const side: DiffSide = {
    request: { method: last.request.method, url: last.request.url, headers: last.request.headers },
    at: last.startedAt || ev.now,
  };
  if (last.response)
    side.response = {
      status: last.response.status,
      headers: last.response.headers,
      ...(last.response.statusText ? { statusText: last.response.statusText } : {}),
    };
  if (hops.length > 1)
    side.redirects = hops.slice(0, -1).map((x) => ({
      method: x.request.method,
      url: x.request.url,
      headers: x.request.headers,
      status: x.response?.status,
    }));
  const proxy = ev.proxy && !ev.proxy.bypassed ? ev.proxy.url : (last.via ?? ev.request.proxy);
  if (proxy) side.proxy = proxy;
  if (label) side.label = label;
  return side;
}

// ——— choosing the pair ———

export type HarInput = { log: { entries?: HarEntry[] } } | HarEntry[];

function entriesOf(h: HarInput): HarEntry[] {
  const list = Array.isArray(h) ? h : h?.log?.entries;
  return Array.isArray(list) ? list.filter((e) => e && e.request && e.response) : [];
}

export type PickResult =
  | {
      ok: true;
      good: DiffSide;
      bad: DiffSide;
      goodIndex: number;
      badIndex: number;
      /** How GOOD's entry was matched to BAD's. */
      match: 'same method and path' | 'same path, other origin' | 'same origin' | 'same origin, other method';
    }
  | { ok: false; reason: string };

interface UrlParts {
  origin: string;
  path: string;
  query: string;
}

function urlParts(url: string): UrlParts | undefined {
  try {
    const u = new URL(url);
    return { origin: u.origin, path: u.pathname, query: u.search };
  } catch {
    return undefined;
  }
}

/**
 * The pair to compare from two HAR files: the first 401/403 of BAD (else its first request that got
 * no answer at all, a refused preflight say) and the successful GOOD entry that best matches it:
 * same method and path (same origin first), else the same origin. Among equals, one with the same
 * query and the same kind of credentials, then the last one.
 */
export function pickEntries(goodHar: HarInput, badHar: HarInput): PickResult {
  const good = entriesOf(goodHar);
  const bad = entriesOf(badHar);
  const byTime = (list: HarEntry[]) =>
    list.map((e, i) => [e, i] as const).sort((a, b) => (startedAt(a[0]) ?? 0) - (startedAt(b[0]) ?? 0));
  const badPick =
    byTime(bad).find(([e]) => e.response.status === 401 || e.response.status === 403) ??
    byTime(bad).find(([e]) => e.response.status <= 0);
  if (!badPick)
    return { ok: false, reason: 'BAD has no 401 or 403 response, and no request that failed without one' };
  const [b, badIndex] = badPick;
  const bp = urlParts(b.request.url);
  if (!bp) return { ok: false, reason: `BAD's failing request has an unreadable URL: ${b.request.url}` };
  const bAuth = headerValue(harHeaders(b.request.headers), 'authorization') !== undefined;
  let best: { index: number; tier: number; score: number } | undefined;
  good.forEach((e, index) => {
    const s = e.response.status;
    if (!((s >= 200 && s < 300) || s === 304)) return;
    const p = urlParts(e.request.url);
    if (!p) return;
    const sameMethod = e.request.method.toUpperCase() === b.request.method.toUpperCase();
    let tier = 0;
    if (sameMethod && p.path === bp.path) tier = p.origin === bp.origin ? 4 : 3;
    else if (p.origin === bp.origin) tier = sameMethod ? 2 : 1;
    if (tier === 0) return;
    const auth = headerValue(harHeaders(e.request.headers), 'authorization') !== undefined;
    const score = (p.query === bp.query ? 2 : 0) + (auth === bAuth ? 1 : 0);
    if (!best || tier > best.tier || (tier === best.tier && score >= best.score))
      best = { index, tier, score };
  });
  if (!best)
    return {
      ok: false,
      reason: `GOOD has no successful request to ${bp.origin} or to the path ${bp.path} to compare with`,
    };
  const match = (
    ['same origin, other method', 'same origin', 'same path, other origin', 'same method and path'] as const
  )[best.tier - 1]!;
  return {
    ok: true,
    good: sideFromHarEntry(good, best.index, `GOOD entry ${best.index + 1}`),
    bad: sideFromHarEntry(bad, badIndex, `BAD entry ${badIndex + 1}`),
    goodIndex: best.index,
    badIndex,
    match,
  };
}

// ——— describing secrets safely ———

function unquote(s: string): string {
  return s.trim().replace(/^["'“‘]|["'”’]$/g, '');
}

interface Credential {
  scheme?: string;
  /** The credential itself (quotes and spaces around it taken off). */
  value: string;
  fp: string;
  kind: 'jwt' | 'basic' | 'opaque';
  user?: string;
  /** Quotes or odd whitespace around or inside: the header.* checks care. */
  shape: string[];
}

function credentialOf(raw: string): Credential | undefined {
  const p = parseAuthorization(raw);
  let scheme = p.scheme;
  let creds = p.credentials;
  if (scheme !== undefined && !KNOWN_SCHEMES.includes(scheme.toLowerCase()) && looksRandom(scheme)) {
    scheme = undefined;
    creds = raw;
  }
  const shape: string[] = [];
  if (/^\s|\s$/.test(raw)) shape.push('space around');
  if (/\s{2,}|\t/.test(raw.trim())) shape.push('extra whitespace');
  if (/["'“”‘’]/.test(creds)) shape.push('quoted');
  const value = unquote(creds);
  if (value === '' && scheme === undefined) return undefined;
  const c: Credential = { value, fp: fingerprint(value), kind: 'opaque', shape };
  if (scheme !== undefined) c.scheme = scheme;
  if (scheme?.toLowerCase() === 'basic') {
    const b = parseBasic(value);
    c.kind = 'basic';
    if (b.ok) {
      c.user = b.user;
      c.fp = fingerprint(b.password);
    }
  } else if (value.split('.').length === 3 && decodeJwt(value).ok) c.kind = 'jwt';
  return c;
}

function describeCredential(c: Credential): string {
  const parts: string[] = [];
  if (c.scheme) parts.push(c.scheme);
  else parts.push('(no scheme)');
  if (c.value !== '' && isPlaceholder(c.value)) parts.push(`${c.value} (a placeholder, not a credential)`);
  else if (c.kind === 'basic')
    parts.push(c.user !== undefined ? `user "${c.user}", password ${c.fp}` : `malformed ${c.fp}`);
  else if (c.value === '') parts.push('(empty)');
  else parts.push(c.kind === 'jwt' ? `JWT ${c.fp}` : c.fp);
  if (c.shape.length) parts.push(`[${c.shape.join(', ')}]`);
  return parts.join(' ');
}

// ——— token claims ———

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "42 s", "5 min", "2 h", "3 days". */
export function durationText(ms: number): string {
  const a = Math.abs(ms);
  if (a < 90_000) return `${Math.round(a / 1000)} s`;
  if (a < 90 * MINUTE) return `${Math.round(a / MINUTE)} min`;
  if (a < 48 * HOUR) return `${Math.round(a / HOUR)} h`;
  return `${Math.round(a / DAY)} days`;
}

type Claims = Record<string, unknown>;

function jwtOf(c: Credential | undefined): { header: Claims; payload: Claims } | undefined {
  if (!c || c.kind !== 'jwt') return undefined;
  const d = decodeJwt(c.value);
  return d.ok ? { header: d.jwt.header, payload: d.jwt.payload } : undefined;
}

function claimText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(String).sort().join(', ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function scopesOf(p: Claims): string[] | undefined {
  const raw = p['scope'] ?? p['scp'];
  const list = typeof raw === 'string' ? raw.split(/\s+/) : Array.isArray(raw) ? raw.map(String) : undefined;
  const roles = Array.isArray(p['roles']) ? p['roles'].map(String) : [];
  if (!list && !roles.length) return undefined;
  return [...(list ?? []), ...roles].filter(Boolean).sort();
}

/** exp against the moment the request was sent: the category decides, the words explain. */
function expiry(p: Claims, at: number | undefined): { category: string; text: string } {
  const exp = typeof p['exp'] === 'number' ? p['exp'] * 1000 : undefined;
  const nbf = typeof p['nbf'] === 'number' ? p['nbf'] * 1000 : undefined;
  if (at === undefined) {
    return exp === undefined
      ? { category: 'none', text: 'no exp claim' }
      : { category: 'unknown', text: `expires ${new Date(exp).toISOString()}` };
  }
  if (nbf !== undefined && nbf > at)
    return {
      category: 'not-yet-valid',
      text: `not yet valid (valid ${durationText(nbf - at)} after the request)`,
    };
  if (exp === undefined) return { category: 'none', text: 'no exp claim (never expires)' };
  if (exp <= at) return { category: 'expired', text: `expired ${durationText(at - exp)} before the request` };
  return { category: 'valid', text: `valid (expires ${durationText(exp - at)} after the request)` };
}

function dateHeaderOf(side: DiffSide): number | undefined {
  const d = side.response ? headerValue(side.response.headers, 'date') : undefined;
  const t = d ? Date.parse(d) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

function diffToken(
  good: DiffSide,
  bad: DiffSide,
  g: Credential | undefined,
  b: Credential | undefined,
  now?: number,
): DiffItem[] {
  const out: DiffItem[] = [];
  if (!g || !b || g.kind === 'basic' || b.kind === 'basic') return out;
  if (g.value !== '' && g.value === b.value && g.kind !== 'jwt') {
    out.push({
      area: 'token',
      name: 'same token',
      good: g.fp,
      bad: b.fp,
      note: 'Both requests sent the same token: the token is not the difference; look at what else changed.',
    });
    return out;
  }
  const gj = jwtOf(g);
  const bj = jwtOf(b);
  if (!gj && !bj) return out;
  if (!gj || !bj) {
    out.push({
      area: 'token',
      name: 'format',
      good: gj ? 'JWT' : 'opaque',
      bad: bj ? 'JWT' : 'opaque',
      note: 'One side sent a JWT, the other an opaque token: they come from different token requests or issuers (an opaque token is checked by introspection, a JWT by signature).',
    });
  }
  const atG = good.at ?? dateHeaderOf(good) ?? now;
  const atB = bad.at ?? dateHeaderOf(bad) ?? now;
  if (bj) {
    const eb = expiry(bj.payload, atB);
    const eg = gj ? expiry(gj.payload, atG) : undefined;
    if (!eg || eg.category !== eb.category)
      out.push({
        area: 'token',
        name: 'exp',
        good: eg?.text ?? null,
        bad: eb.text,
        note:
          eb.category === 'expired'
            ? "BAD's token had expired when it was sent: get a new one (refresh it) before the call; the API refuses expired tokens whatever else is right."
            : eb.category === 'not-yet-valid'
              ? "BAD's token was not valid yet when it was sent: the clocks of the issuer and of the API (or of the machine that sent it) disagree."
              : 'The tokens differ in lifetime.',
      });
  }
  if (gj && bj) {
    if (g.value === b.value) {
      out.push({
        area: 'token',
        name: 'same token',
        good: g.fp,
        bad: b.fp,
        note: 'Both requests sent the same token: unless it expired in between, the token is not the difference.',
      });
    }
    const claim = (
      name: string,
      pick: (x: { header: Claims; payload: Claims }) => string | null,
      note: (gv: string | null, bv: string | null) => string,
    ) => {
      const gv = pick(gj);
      const bv = pick(bj);
      if (gv !== bv) out.push({ area: 'token', name, good: gv, bad: bv, note: note(gv, bv) });
    };
    claim(
      'aud',
      (x) => claimText(x.payload['aud']),
      (_g, bv) =>
        `The token's audience says which API it is for; an API refuses tokens for another audience${bv ? ` (BAD's is for ${bv})` : ''}. Request the token for this API (its scope or resource/audience parameter).`,
    );
    claim(
      'iss',
      (x) => claimText(x.payload['iss']),
      () =>
        'The tokens come from different issuers (another tenant, realm or environment): the API trusts its own issuer only.',
    );
    claim(
      'scope',
      (x) => scopesOf(x.payload)?.join(' ') ?? null,
      (gv, bv) => {
        const gs = new Set((gv ?? '').split(' ').filter(Boolean));
        const bs = new Set((bv ?? '').split(' ').filter(Boolean));
        const lacks = [...gs].filter((s) => !bs.has(s));
        return lacks.length
          ? `BAD's token lacks ${lacks.join(', ')}, which GOOD's had: request the token with that scope (and consent to it).`
          : 'The tokens were granted different scopes or roles.';
      },
    );
    claim(
      'kid',
      (x) => claimText(x.header['kid']),
      () =>
        'Signed with different keys: after a key rotation an API with a stale key set refuses tokens signed with the new key (or the old one, once retired).',
    );
    claim(
      'alg',
      (x) => claimText(x.header['alg']),
      () => 'Signed with different algorithms: the API accepts only the algorithms it is configured for.',
    );
    claim(
      'typ',
      (x) => claimText(x.header['typ']),
      () =>
        'Different token types: "at+jwt" is an access token (RFC 9068); a plain "JWT" with a nonce is often an ID token, which is not meant for APIs.',
    );
    claim(
      'azp',
      (x) => claimText(x.payload['azp'] ?? x.payload['client_id'] ?? x.payload['appid']),
      () => 'Issued to different client applications: the API may allow only some clients.',
    );
    claim(
      'tid',
      (x) => claimText(x.payload['tid']),
      () => 'Issued by different tenants: the API accepts tokens from its own tenant only.',
    );
    claim(
      'ver',
      (x) => claimText(x.payload['ver']),
      () => 'Different token versions (Entra ID v1 and v2 have different issuers and audiences).',
    );
    claim(
      'token_use',
      (x) => claimText(x.payload['token_use']),
      () => 'One is an ID token, the other an access token (Cognito): APIs take access tokens.',
    );
    claim(
      'sub',
      (x) => claimText(x.payload['sub']),
      () => 'Different users: permissions are per user, so a 403 can be this user lacking access.',
    );
  }
  return out;
}

// ——— headers, cookies, URL ———

/** Headers whose differences say nothing about auth (caching, tracing, client hints, encodings). */
const NOISE = new Set([
  'accept-encoding',
  'accept-language',
  'cache-control',
  'pragma',
  'if-none-match',
  'if-modified-since',
  'content-length',
  'priority',
  'traceparent',
  'tracestate',
  'baggage',
  'sentry-trace',
  'x-request-id',
  'x-correlation-id',
  'x-amzn-trace-id',
  'request-id',
  'x-client-data',
  'purpose',
  'dnt',
  'upgrade-insecure-requests',
  'connection',
  'keep-alive',
  'te',
  'date',
  'host',
  'sec-fetch-dest',
  'sec-fetch-mode',
  'sec-fetch-user',
  'referer',
]);

/** Request headers the proxy area covers. */
const PROXY_REQUEST = [
  'via',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
];
/** Response headers that say who answered or whether a cache did. */
const PROXY_RESPONSE = [
  'via',
  'server',
  'x-cache',
  'x-cache-status',
  'cf-cache-status',
  'x-served-by',
  'age',
  'x-powered-by',
];

function isNoise(name: string): boolean {
  return name.startsWith(':') || NOISE.has(name) || name.startsWith('sec-ch-') || name.startsWith('x-b3-');
}

function shown(name: string, values: string[]): string | null {
  if (!values.length) return null;
  const rule = headerRule(name);
  const safe = values.map((v) => {
    if (isPlaceholder(v)) return v;
    // An address (Origin, Referer) is shown as one, its secret parameters fingerprinted: a long
    // URL is not a random token.
    if (rule !== 'credential' && /^https?:\/\/[^\s]+$/i.test(v)) return redactUrl(v);
    if (rule === 'credential' || (looksRandom(v) && v.length >= 20 && !/\s/.test(v)))
      return fingerprint(unquote(v));
    return v.length > 120 ? `${v.slice(0, 117)}…` : v;
  });
  return safe.join(' | ');
}

function lowerNames(h: HeaderList): string[] {
  const seen: string[] = [];
  for (const [n] of h) if (!seen.includes(n.toLowerCase())) seen.push(n.toLowerCase());
  return seen;
}

function cookiesOf(r: DiffRequest): Map<string, string> {
  const out = new Map<string, string>();
  const lines = headerValues(r.headers, 'cookie');
  if (lines.length) {
    for (const line of lines)
      for (const part of line.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
      }
  } else for (const c of r.cookies ?? []) out.set(c.name, c.value);
  return out;
}

/** Analytics and consent cookies: present in one browser and not the other, never the cause. */
const NOISE_COOKIE =
  /^(?:_ga|_gid|_gat|_gcl_|_fbp|_fbc|_hj|ajs_|__utm|_uet|_clck|_clsk|mp_|amplitude|optimizely|_pk_|OptanonConsent|OptanonAlertBoxClosed|cookieconsent)/i;
const SESSION_COOKIE = /sess|sid|auth|token|jwt|login|user|remember|csrf|xsrf|\.aspnetcore|connect\./i;

function diffCookies(good: DiffSide, bad: DiffSide): DiffItem[] {
  const g = cookiesOf(good.request);
  const b = cookiesOf(bad.request);
  const out: DiffItem[] = [];
  for (const name of new Set([...g.keys(), ...b.keys()])) {
    if (NOISE_COOKIE.test(name)) continue;
    const gv = g.get(name);
    const bv = b.get(name);
    if (gv === bv) continue;
    const note =
      bv === undefined
        ? `BAD did not send the cookie ${name}: it was never set in that browser, expired, or was withheld (its Domain, Path, Secure or SameSite did not match the request); compare the Set-Cookie that set it with BAD's URL.`
        : gv === undefined
          ? `Only BAD sent the cookie ${name}: a stale or foreign cookie can override the session the server expects.`
          : `The cookie ${name} has a different value: another session (signed out, expired, or from another login).`;
    out.push({
      area: 'cookie',
      name,
      good: gv === undefined ? null : fingerprint(gv),
      bad: bv === undefined ? null : fingerprint(bv),
      note,
    });
  }
  // Session-like cookies first.
  return out.sort((x, y) => Number(!SESSION_COOKIE.test(x.name)) - Number(!SESSION_COOKIE.test(y.name)));
}

function diffAuthorization(
  good: DiffSide,
  bad: DiffSide,
  header: string,
): { items: DiffItem[]; g?: Credential; b?: Credential } {
  const gRaw = headerValues(good.request.headers, header);
  const bRaw = headerValues(bad.request.headers, header);
  const g = gRaw[0] !== undefined ? credentialOf(gRaw[0]) : undefined;
  const b = bRaw[0] !== undefined ? credentialOf(bRaw[0]) : undefined;
  const area: DiffArea = header === 'proxy-authorization' ? 'proxy' : 'header';
  const name = header === 'proxy-authorization' ? 'Proxy-Authorization' : 'Authorization';
  const items: DiffItem[] = [];
  const gd = g ? describeCredential(g) : null;
  const bd = b ? describeCredential(b) : null;
  if (gRaw.length > 1 || bRaw.length > 1) {
    if (gRaw.length !== bRaw.length)
      items.push({
        area,
        name: `${name} (count)`,
        good: String(gRaw.length),
        bad: String(bRaw.length),
        note: `One side sent ${name} more than once: servers take the first, the last, or refuse both.`,
      });
  }
  if (gd === bd && gRaw[0] === bRaw[0]) return { items, ...(g ? { g } : {}), ...(b ? { b } : {}) };
  let note: string;
  if (!b)
    note = `BAD sent no ${name} header${header === 'authorization' ? ': the client did not attach it, or something on the way (a redirect to another origin, a proxy) dropped it' : ''}.`;
  else if (!g)
    note = `Only BAD sent ${name}; GOOD got through without it (a cookie or the network let it in).`;
  else if ((g.scheme ?? '').toLowerCase() !== (b.scheme ?? '').toLowerCase())
    note = `Different schemes: ${g.scheme ?? '(none)'} vs ${b.scheme ?? '(none)'}; the server accepts the schemes its WWW-Authenticate challenge names.`;
  else if (g.kind === 'basic' && g.user !== b.user) note = 'Different Basic user names.';
  else if (g.fp !== b.fp || g.value !== b.value)
    note = 'Different credentials: a different token, key or password.';
  else
    note =
      'The same credentials, written differently (quotes, spaces or scheme case): the header.* checks say whether the server minds.';
  items.push({ area, name, good: gd, bad: bd, note });
  return { items, ...(g ? { g } : {}), ...(b ? { b } : {}) };
}

function diffHeaders(good: DiffSide, bad: DiffSide): DiffItem[] {
  const out: DiffItem[] = [];
  const names = lowerNames(good.request.headers);
  for (const n of lowerNames(bad.request.headers)) if (!names.includes(n)) names.push(n);
  for (const n of names) {
    if (isNoise(n) || n === 'cookie' || n === 'authorization' || n === 'proxy-authorization') continue;
    if (PROXY_REQUEST.includes(n)) continue;
    const gv = shown(n, headerValues(good.request.headers, n));
    const bv = shown(n, headerValues(bad.request.headers, n));
    if (gv === bv) continue;
    const credential = headerRule(n) !== 'no';
    const display =
      good.request.headers.find(([x]) => x.toLowerCase() === n)?.[0] ??
      bad.request.headers.find(([x]) => x.toLowerCase() === n)?.[0] ??
      n;
    let note: string;
    if (credential)
      note =
        bv === null
          ? `BAD did not send ${display}, which carries a credential.`
          : gv === null
            ? `Only BAD sent ${display}.`
            : `${display} carries a different credential.`;
    else if (n === 'origin') note = 'A different page origin: CORS and CSRF protections judge the Origin.';
    else if (n === 'sec-fetch-site')
      note = 'Same-site vs cross-site: browsers withhold SameSite cookies on cross-site requests.';
    else if (n === 'content-type')
      note = 'A different body format: token endpoints expect application/x-www-form-urlencoded.';
    else if (n === 'user-agent') note = 'A different client: WAFs and bot protection judge the User-Agent.';
    else
      note =
        bv === null
          ? `Only GOOD sent ${display}.`
          : gv === null
            ? `Only BAD sent ${display}.`
            : `${display} differs.`;
    out.push({ area: 'header', name: display, good: gv, bad: bv, note });
  }
  return out;
}

function portOf(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
}

function diffUrl(good: DiffSide, bad: DiffSide): DiffItem[] {
  const out: DiffItem[] = [];
  let g: URL;
  let b: URL;
  try {
    g = new URL(good.request.url);
    b = new URL(bad.request.url);
  } catch {
    if (good.request.url !== bad.request.url)
      out.push({
        area: 'url',
        name: 'url',
        good: redactUrl(good.request.url),
        bad: redactUrl(bad.request.url),
        note: 'Different URLs.',
      });
    return out;
  }
  if (g.protocol !== b.protocol)
    out.push({
      area: 'origin',
      name: 'scheme',
      good: g.protocol.slice(0, -1),
      bad: b.protocol.slice(0, -1),
      note: 'http vs https: Secure cookies are not sent over http, and an http URL that redirects to https loses the Authorization header on the way.',
    });
  if (g.hostname !== b.hostname)
    out.push({
      area: 'origin',
      name: 'host',
      good: g.hostname,
      bad: b.hostname,
      note: 'A different host: another environment (staging, production, a region) needs its own token and audience, and cookies are per host.',
    });
  if (portOf(g) !== portOf(b))
    out.push({
      area: 'origin',
      name: 'port',
      good: portOf(g),
      bad: portOf(b),
      note: 'A different port: another service (or a proxy in front of it) answered.',
    });
  if (good.request.method.toUpperCase() !== bad.request.method.toUpperCase())
    out.push({
      area: 'method',
      name: 'method',
      good: good.request.method,
      bad: bad.request.method,
      note: 'A different method: permissions and routes are per method (read vs write scopes), and CORS preflights only non-simple ones.',
    });
  if (g.pathname !== b.pathname) {
    const notes: string[] = [];
    if (g.pathname.replace(/\/+$/, '') === b.pathname.replace(/\/+$/, ''))
      notes.push(
        'only a trailing slash differs: the server may redirect (losing the Authorization header) or route it elsewhere',
      );
    else if (g.pathname.replace(/\/{2,}/g, '/') === b.pathname.replace(/\/{2,}/g, '/'))
      notes.push('a double slash: some gateways do not match routes with it');
    else if (g.pathname.toLowerCase() === b.pathname.toLowerCase())
      notes.push('only letter case differs: paths are case-sensitive');
    else notes.push('another endpoint: it may need other permissions or sit behind another gateway');
    out.push({
      area: 'url',
      name: 'path',
      good: g.pathname,
      bad: b.pathname,
      note: `A different path: ${notes.join('; ')}.`,
    });
  }
  const gq = new URL(redactUrl(g.href)).searchParams;
  const bq = new URL(redactUrl(b.href)).searchParams;
  for (const k of new Set([...gq.keys(), ...bq.keys()])) {
    const gv = gq.getAll(k).join(', ');
    const bv = bq.getAll(k).join(', ');
    if (gv === bv && gq.has(k) === bq.has(k)) continue;
    const verdict = secretName(k, 'query');
    out.push({
      area: 'url',
      name: `?${k}`,
      good: gq.has(k) ? gv : null,
      bad: bq.has(k) ? bv : null,
      note:
        verdict !== 'no'
          ? `The query parameter ${k} carries a credential, and it differs.`
          : `The query parameter ${k} differs.`,
    });
  }
  return out;
}

function hopText(h: { method: string; url: string; status?: number | undefined }): string {
  return `${h.method} ${redactUrl(h.url)}${h.status !== undefined ? ` → ${h.status}` : ''}`;
}

function chainText(side: DiffSide): string | null {
  if (!side.redirects?.length) return null;
  return [...side.redirects.map(hopText), `${side.request.method} ${redactUrl(side.request.url)}`].join(
    ' ⇒ ',
  );
}

/** Where the Authorization header was lost along the chain, if it was. */
function droppedAuth(side: DiffSide): string | undefined {
  const hops = [
    ...(side.redirects ?? []),
    { method: side.request.method, url: side.request.url, headers: side.request.headers },
  ];
  for (let i = 1; i < hops.length; i++) {
    const prev = hops[i - 1]!;
    const cur = hops[i]!;
    if (
      headerValue(prev.headers, 'authorization') !== undefined &&
      headerValue(cur.headers, 'authorization') === undefined
    ) {
      const a = tryUrl(prev.url)?.origin;
      const b = tryUrl(cur.url)?.origin;
      return a !== b
        ? `dropped at the redirect from ${a} to ${b}`
        : `dropped at the redirect to ${redactUrl(cur.url)}`;
    }
  }
  return undefined;
}

function diffRedirects(good: DiffSide, bad: DiffSide): DiffItem[] {
  const out: DiffItem[] = [];
  const gd = droppedAuth(good);
  const bd = droppedAuth(bad);
  if (bd !== gd)
    out.push({
      area: 'redirect',
      name: 'Authorization',
      good: gd ?? (good.redirects?.length ? 'kept along the redirects' : 'no redirect'),
      bad: bd ?? (bad.redirects?.length ? 'kept along the redirects' : 'no redirect'),
      note: bd
        ? 'Clients drop Authorization when a redirect changes the origin (Fetch, curl -L, requests, axios): call the final URL directly (https, the canonical host, the trailing slash the server wants).'
        : 'GOOD lost its Authorization header on a redirect; BAD did not.',
    });
  const gc = chainText(good);
  const bc = chainText(bad);
  if (gc !== bc)
    out.push({
      area: 'redirect',
      name: 'chain',
      good: gc ?? 'no redirect',
      bad: bc ?? 'no redirect',
      note: 'The requests took different redirect paths: each redirect is a chance to lose credentials or to land on a sign-in page.',
    });
  return out;
}

function diffProxy(good: DiffSide, bad: DiffSide): DiffItem[] {
  const out: DiffItem[] = [];
  const gp = good.proxy ? redactUrl(good.proxy) : null;
  const bp = bad.proxy ? redactUrl(bad.proxy) : null;
  if (gp !== bp)
    out.push({
      area: 'proxy',
      name: 'proxy',
      good: gp ?? 'direct',
      bad: bp ?? 'direct',
      note: 'One request went through a proxy: proxies can strip Authorization, answer themselves (407, 403) or intercept TLS.',
    });
  for (const n of PROXY_REQUEST) {
    const gv = shown(n, headerValues(good.request.headers, n));
    const bv = shown(n, headerValues(bad.request.headers, n));
    if (gv !== bv)
      out.push({
        area: 'proxy',
        name: n,
        good: gv,
        bad: bv,
        note: 'A different hop on the way: a proxy or load balancer added this header on one side only.',
      });
  }
  for (const n of PROXY_RESPONSE) {
    const g = good.response ? headerValues(good.response.headers, n) : [];
    const b = bad.response ? headerValues(bad.response.headers, n) : [];
    const gv = n === 'age' ? (g.length ? 'cached' : null) : shown(n, g);
    const bv = n === 'age' ? (b.length ? 'cached' : null) : shown(n, b);
    if (gv === bv) continue;
    const note =
      n === 'server' || n === 'x-powered-by'
        ? 'A different software answered: a gateway, CDN or WAF may have refused BAD before the application saw it.'
        : n === 'via' || n === 'x-served-by'
          ? 'The answers came through different intermediaries.'
          : 'One answer came from a cache: a cached 401/403 is served again whatever credentials you send.';
    out.push({ area: 'proxy', name: `${n} (response)`, good: gv, bad: bv, note });
  }
  if (good.serverIp && bad.serverIp && good.serverIp !== bad.serverIp)
    out.push({
      area: 'proxy',
      name: 'server address',
      good: good.serverIp,
      bad: bad.serverIp,
      note: 'Different servers answered (another region, a VPN or corporate proxy, a different DNS answer): they may run other versions or configurations.',
    });
  return out;
}

function statusText(r: DiffResponse | undefined): string | null {
  if (!r) return null;
  if (r.status <= 0) return 'no response (the request failed: a refused CORS preflight, a network error)';
  return `${r.status}${r.statusText ? ` ${r.statusText}` : ''}`;
}

function diffAnswer(good: DiffSide, bad: DiffSide): DiffItem[] {
  const out: DiffItem[] = [];
  const gs = statusText(good.response);
  const bs = statusText(bad.response);
  if (gs !== bs)
    out.push({
      area: 'status',
      name: 'status',
      good: gs,
      bad: bs,
      note:
        bad.response?.status === 403
          ? 'BAD was authenticated but not allowed (403): look at scopes, roles, the audience, or a WAF.'
          : bad.response?.status === 401
            ? 'BAD was not authenticated (401): its credentials were missing, malformed, expired or not accepted.'
            : 'The answers differ.',
    });
  for (const header of ['www-authenticate', 'proxy-authenticate']) {
    const g = good.response ? headerValues(good.response.headers, header) : [];
    const b = bad.response ? headerValues(bad.response.headers, header) : [];
    const gv = g.length ? g.join(' | ') : null;
    const bv = b.length ? b.join(' | ') : null;
    if (gv === bv) continue;
    const params = parseWwwAuthenticate(b).challenges.map((c) => c.params);
    const said = params
      .flatMap((p) =>
        ['error', 'error_description', 'scope'].filter((k) => p[k]).map((k) => `${k}="${p[k]}"`),
      )
      .join(', ');
    out.push({
      area: header === 'proxy-authenticate' ? 'proxy' : 'challenge',
      name: header === 'proxy-authenticate' ? 'Proxy-Authenticate' : 'WWW-Authenticate',
      good: gv,
      bad: bv,
      note: said
        ? `The server says why: ${said}.`
        : bv
          ? 'The challenge names the scheme and realm the server expects.'
          : 'Only GOOD got a challenge.',
    });
  }
  const gt = good.response
    ? headerValue(good.response.headers, 'content-type')?.split(';')[0]?.trim()
    : undefined;
  const bt = bad.response
    ? headerValue(bad.response.headers, 'content-type')?.split(';')[0]?.trim()
    : undefined;
  if (gt && bt && gt !== bt)
    out.push({
      area: 'status',
      name: 'content-type (response)',
      good: gt,
      bad: bt,
      note:
        /html/.test(bt) && !/html/.test(gt)
          ? 'BAD got an HTML page where GOOD got data: a sign-in page, a WAF block page or a proxy error page.'
          : 'The answers have different formats: another component may have answered.',
    });
  return out;
}

export interface DiffOptions {
  /** Epoch ms to judge token times by when a side says nothing of when it was sent. */
  now?: number;
}

/** The differences that matter for auth between a request that worked (GOOD) and one that was refused (BAD). */
export function diffRequests(good: DiffSide, bad: DiffSide, opts: DiffOptions = {}): DiffItem[] {
  const auth = diffAuthorization(good, bad, 'authorization');
  const proxyAuth = diffAuthorization(good, bad, 'proxy-authorization');
  const items = [
    ...diffToken(good, bad, auth.g, auth.b, opts.now),
    ...auth.items,
    ...diffCookies(good, bad),
    ...diffUrl(good, bad),
    ...diffRedirects(good, bad),
    ...proxyAuth.items,
    ...diffProxy(good, bad),
    ...diffAnswer(good, bad),
    ...diffHeaders(good, bad),
  ];
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => diffPriority(a.item) - diffPriority(b.item) || a.i - b.i)
    .map(({ item }) => item);
}
