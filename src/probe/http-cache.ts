/**
 * A private HTTP cache (RFC 9111) for the public documents why401 fetches on its own: discovery
 * documents, JSON Web Key Sets and RFC 9728 protected resource metadata. People run why401 again
 * and again while they fix a request; those documents carry cache headers for exactly that, and a
 * fresh copy saves both identity-provider round trips.
 *
 * Only GET answers of requests that carried no credential are ever stored (idp-http.ts decides
 * which requests may use the cache), and only the few header fields freshness and validation
 * need: a file in the cache folder holds a public document and nothing else.
 *
 * The store (cache-dir.ts) keeps bytes; this module owns the entry format and refuses any entry
 * that is not exactly what it would have written for this URL: a corrupt, foreign or future-dated
 * entry is a miss, and the next answer replaces it.
 */
import { entryName } from './cache-key.js';
import { isCredentialHeader } from '../knowledge/credential-rule.js';
import type { HeaderList } from '../model/http.js';

export { entryName };

/** Where entries live: bytes by name. cache-dir.ts keeps them on disk; tests may keep them in memory. */
export interface CacheStore {
  /** The file's text, or undefined when it is missing, unreadable or larger than the store's cap. */
  read(name: string): Promise<string | undefined>;
  /** Replaces the file atomically; a failure is swallowed by the store (a cache is never a reason to fail). */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** One stored answer. */
export interface CacheEntry {
  v: 1;
  /** The exact URL asked, and what it was asked for ("jwks", "oidc-discovery https://issuer"). */
  url: string;
  scope: string;
  /** RFC 9111 §4.2.3's request_time and response_time, in ms since the epoch. */
  requestTime: number;
  responseTime: number;
  /** 200, or 404 for RFC 9728 metadata only (see `mayStore`). */
  status: 200 | 404;
  /** The reason phrase of a stored 404, so a report reads the same from the cache as from the server. */
  statusText?: string;
  /** Only the fields of STORED_FIELDS, names in lower case. */
  headers: Array<[string, string]>;
  /** The request's values of the fields the answer's Vary names (RFC 9111 §4.1), "" when absent. */
  vary: Record<string, string>;
  body: string;
}

/** What a lookup found. */
export type Lookup =
  | { kind: 'miss' }
  | { kind: 'fresh'; entry: CacheEntry; age: number }
  /** Stale (or `no-cache`): usable only after the server confirms it; `validators` are the conditional headers. */
  | { kind: 'stale'; entry: CacheEntry; validators: Array<[string, string]> };

/**
 * What freshness and validation need, and what a document's reader looks at (its type); nothing
 * else is written to disk (no Set-Cookie, no server banners).
 */
const STORED_FIELDS = new Set([
  'content-type',
  'cache-control',
  'expires',
  'date',
  'age',
  'etag',
  'last-modified',
  'vary',
]);

/** When the server says nothing about freshness: at most an hour (issue 16). */
export const HEURISTIC_CEILING_S = 3600;
/**
 * The same for a stored 404 (RFC 9728 metadata that is not there): five minutes. Someone who is
 * publishing the metadata right now sees it on a run a few minutes later (or at once with
 * --no-cache), and someone running why401 again and again while fixing a token does not pay a
 * round trip for a document the API has never had.
 */
export const NEGATIVE_HEURISTIC_CEILING_S = 300;

/**
 * The RFC 9728 protected-resource metadata is optional and most APIs have none: a 404 from its
 * well-known URL is the usual answer, not a fault the user is fixing. RFC 9110 §15.1 makes 404
 * heuristically cacheable and RFC 9111 §3 lets a cache store it, so for this document (and only
 * for it: a 404 for a JWKS or a discovery document is a broken setup, always asked again) the
 * 404 is kept like a 200. Scopes are `${kind} ${resource}` (idp-discovery.ts).
 */
const NEGATIVE_SCOPE = 'protected-resource ';

/** May an answer with this status be stored for this scope? */
export function mayStore(status: number, scope: string): boolean {
  return status === 200 || (status === 404 && scope.startsWith(NEGATIVE_SCOPE));
}
/** The longest freshness honoured, whatever max-age says: a rotated key set is seen within a day. */
export const MAX_AGE_CAP_S = 86_400;
/** A clock that runs ahead of the entry by more than this makes it "future-dated": not trusted. */
const FUTURE_SKEW_MS = 60_000;

/** Cache-Control directives (RFC 9111 §5.2): names in lower case, a value only when one was given. */
export function cacheDirectives(value: string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!value) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    let v = eq < 0 ? undefined : part.slice(eq + 1).trim();
    // §5.2: a quoted-string argument is accepted for max-age, though senders should not use it.
    if (v?.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    // §4.2.1: when a directive appears more than once, the first counts (for max-age, the
    // response is better treated as stale; taking the first is the conservative reading below).
    if (!out.has(name)) out.set(name, v);
  }
  return out;
}

/** delta-seconds (RFC 9111 §1.2.2): digits only; anything else is invalid (undefined). */
function deltaSeconds(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  // §1.2.2: a value too large to represent is taken as 2^31.
  return Math.min(Number(v), 2 ** 31);
}

/** An HTTP-date (RFC 9110 §5.6.7) in ms, or undefined when it does not parse. */
function httpDate(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function field(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const values = headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  return values.length ? values.join(', ') : undefined;
}

/**
 * The freshness lifetime in seconds (RFC 9111 §4.2.1), as a private cache computes it: `s-maxage`
 * is for shared caches only (§5.2.2.10) and is ignored; `max-age` (§5.2.2.1) first, then `Expires`
 * minus `Date` (§5.3), then a heuristic (§4.2.2). Capped at a day.
 */
export function freshnessLifetime(
  e: Pick<CacheEntry, 'headers' | 'responseTime'> & { status?: number },
): number {
  const cc = cacheDirectives(field(e.headers, 'cache-control'));
  if (cc.has('max-age')) return Math.min(deltaSeconds(cc.get('max-age')) ?? 0, MAX_AGE_CAP_S);
  const date = httpDate(field(e.headers, 'date')) ?? e.responseTime;
  const expiresField = field(e.headers, 'expires');
  if (expiresField !== undefined) {
    // §5.3: an invalid Expires (such as "0") means already expired.
    const expires = httpDate(expiresField);
    return expires === undefined ? 0 : Math.min(Math.max(0, (expires - date) / 1000), MAX_AGE_CAP_S);
  }
  // §4.2.2: a heuristic is allowed for a 200 without explicit freshness; the usual one is a
  // fraction (10%) of the time since Last-Modified. Without it, the ceiling of an hour
  // (five minutes for a stored 404).
  const ceiling = e.status === 404 ? NEGATIVE_HEURISTIC_CEILING_S : HEURISTIC_CEILING_S;
  const lastModified = httpDate(field(e.headers, 'last-modified'));
  if (lastModified !== undefined && lastModified <= date)
    return Math.min((date - lastModified) / 1000 / 10, ceiling);
  return ceiling;
}

/** The entry's current age in seconds at `now` (RFC 9111 §4.2.3). */
export function currentAge(
  e: Pick<CacheEntry, 'headers' | 'requestTime' | 'responseTime'>,
  now: number,
): number {
  const ageValue = deltaSeconds(field(e.headers, 'age')) ?? 0;
  const dateValue = httpDate(field(e.headers, 'date'));
  const apparentAge = dateValue === undefined ? 0 : Math.max(0, (e.responseTime - dateValue) / 1000);
  const responseDelay = Math.max(0, (e.responseTime - e.requestTime) / 1000);
  const correctedAgeValue = ageValue + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, (now - e.responseTime) / 1000);
  return correctedInitialAge + residentTime;
}

/**
 * The stored text read back as an entry for exactly this URL and scope, or undefined: not JSON,
 * not this format, another URL's (a foreign file copied over this one's name), or written in the
 * future (a clock set back, or a forged file claiming eternal freshness).
 */
export function parseEntry(text: string, url: string, scope: string, now: number): CacheEntry | undefined {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof e !== 'object' || e === null) return undefined;
  const c = e as Partial<CacheEntry>;
  const pair = (h: unknown) =>
    Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string';
  const ok =
    c.v === 1 &&
    c.url === url &&
    c.scope === scope &&
    typeof c.status === 'number' &&
    mayStore(c.status, scope) &&
    (c.statusText === undefined || typeof c.statusText === 'string') &&
    typeof c.body === 'string' &&
    typeof c.requestTime === 'number' &&
    typeof c.responseTime === 'number' &&
    Number.isFinite(c.requestTime) &&
    Number.isFinite(c.responseTime) &&
    c.requestTime <= c.responseTime &&
    c.responseTime <= now + FUTURE_SKEW_MS &&
    Array.isArray(c.headers) &&
    c.headers.every(pair) &&
    c.headers.every(([n]) => STORED_FIELDS.has(n)) &&
    typeof c.vary === 'object' &&
    c.vary !== null &&
    !Array.isArray(c.vary) &&
    Object.values(c.vary).every((v) => typeof v === 'string');
  return ok ? (c as CacheEntry) : undefined;
}

/** The fields a response's Vary names (RFC 9111 §4.1), lower case; '*' when it varies on everything. */
function varyNames(headers: ReadonlyArray<readonly [string, string]>): string[] {
  return (field(headers, 'vary') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

function requestValue(req: HeaderList, name: string): string {
  return field(req, name) ?? '';
}

/**
 * The cache itself. `now` is the wall clock unless a test gives another: freshness is about
 * wall-clock time across runs, not performance.now().
 */
export class HttpCache {
  private readonly now: () => number;

  constructor(
    private readonly store: CacheStore,
    opts: { now?: () => number } = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  clock(): number {
    return this.now();
  }

  /** May a request with these headers use the cache at all? GET, and no credential of any kind (RFC 9111 §3.5). */
  static mayUse(method: string, headers: HeaderList): boolean {
    return method.toUpperCase() === 'GET' && !headers.some(([n]) => isCredentialHeader(n));
  }

  async lookup(url: string, scope: string, req: HeaderList): Promise<Lookup> {
    const text = await this.store.read(entryName(url, scope));
    if (text === undefined) return { kind: 'miss' };
    const now = this.now();
    const entry = parseEntry(text, url, scope, now);
    // §4.1: a stored answer is used only for a request whose Vary-named fields match.
    if (!entry || Object.entries(entry.vary).some(([n, v]) => requestValue(req, n) !== v))
      return { kind: 'miss' };
    const cc = cacheDirectives(field(entry.headers, 'cache-control'));
    const age = currentAge(entry, now);
    // §5.2.2.4: no-cache allows storing, but every use must be validated first.
    if (!cc.has('no-cache') && age < freshnessLifetime(entry)) return { kind: 'fresh', entry, age };
    // §4.3.1: the validators of the stored answer make the request conditional.
    const validators: Array<[string, string]> = [];
    const etag = field(entry.headers, 'etag');
    const lastModified = field(entry.headers, 'last-modified');
    if (etag !== undefined) validators.push(['If-None-Match', etag]);
    if (lastModified !== undefined) validators.push(['If-Modified-Since', lastModified]);
    return { kind: 'stale', entry, validators };
  }

  /**
   * Stores a 200 answer (RFC 9111 §3; a 404 only where `mayStore` allows), or removes the URL's entry when the answer may not be
   * stored: `no-store` (§5.2.2.5), `Vary: *` (§4.1: it never matches), or a body that was cut.
   */
  async put(
    url: string,
    scope: string,
    req: HeaderList,
    times: { requestTime: number; responseTime: number },
    res: { status: number; statusText?: string; headers: HeaderList; body: string; truncated: boolean },
  ): Promise<void> {
    const name = entryName(url, scope);
    if (!mayStore(res.status, scope)) return;
    const cc = cacheDirectives(field(res.headers, 'cache-control'));
    const vary = varyNames(res.headers);
    if (cc.has('no-store') || vary.includes('*') || res.truncated) {
      await this.store.remove(name);
      return;
    }
    const entry: CacheEntry = {
      v: 1,
      url,
      scope,
      ...times,
      status: res.status as 200 | 404,
      ...(res.status === 404 && res.statusText ? { statusText: res.statusText } : {}),
      headers: res.headers
        .map(([n, v]): [string, string] => [n.toLowerCase(), v])
        .filter(([n]) => STORED_FIELDS.has(n)),
      vary: Object.fromEntries(vary.map((n) => [n, requestValue(req, n)])),
      body: res.body,
    };
    await this.store.write(name, JSON.stringify(entry));
  }

  /**
   * A 304 to a conditional request freshens the stored answer (RFC 9111 §4.3.4): the 304's fields
   * replace the stored ones of the same name, and the clock starts again from this exchange.
   */
  async freshen(
    entry: CacheEntry,
    notModified: HeaderList,
    times: { requestTime: number; responseTime: number },
  ): Promise<CacheEntry> {
    const updated = new Map(entry.headers.map(([n, v]) => [n, v]));
    const fromServer = new Map<string, string>();
    for (const [n, v] of notModified) {
      const name = n.toLowerCase();
      if (!STORED_FIELDS.has(name) || name === 'content-type') continue;
      fromServer.set(name, fromServer.has(name) ? `${fromServer.get(name)}, ${v}` : v);
    }
    for (const [n, v] of fromServer) updated.set(n, v);
    // An Age or Date from before the revalidation no longer describes the answer.
    if (!fromServer.has('age')) updated.delete('age');
    if (!fromServer.has('date')) updated.delete('date');
    const out: CacheEntry = { ...entry, ...times, headers: [...updated] };
    await this.store.write(entryName(entry.url, entry.scope), JSON.stringify(out));
    return out;
  }
}
