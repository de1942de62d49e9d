/**
 * How the identity-provider probes do HTTP: undici's fetch on the run's dispatcher (so -x, -k and
 * the proxy environment apply) and the run's signal (so -m bounds them), with every body capped.
 * oauth4webapi and jose take this as their `customFetch`; the probes' own GETs use it too.
 */
import type { Dispatcher } from './undici.js';
import { send } from './transport.js';
import { withLookup } from './proxy.js';
import { VERSION } from '../core/version.js';
import type { ExchangeError, FetchedDocument } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import type { WireRequest } from './transport.js';
import type { FetchGuard } from './fetch-guard.js';
import type { Prefetch } from './prefetch.js';
import { HttpCache, currentAge, type CacheEntry } from './http-cache.js';

export interface IdpHttp {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /**
   * The limits on what why401 fetches on its own (fetch-guard.ts): every URL is checked before it
   * is asked, and connections resolve names through the guard. Without one, nothing is limited
   * (the unit tests of the probes themselves).
   */
  guard?: FetchGuard;
  /**
   * The disk cache of public documents (http-cache.ts): discovery, JWKS and RFC 9728 metadata
   * only, and only when the caller of idpFetch names what the document is for. None: no cache.
   */
  cache?: HttpCache;
  /** Documents asked for at boot (prefetch.ts): an answer there is taken instead of asking again. */
  prefetch?: Prefetch;
  /** Called as a request leaves (not for an answer the cache gives): the run's "only waiting now" signal. */
  onSend?: (url: string) => void;
}

/**
 * `http` with `onSend` set. Its properties are copied as they are, getters as getters: a spread
 * would read the run's dispatcher, which is made (and undici loaded) on first read (undici.ts).
 */
export function withOnSend(http: IdpHttp, onSend: (url: string) => void): IdpHttp {
  return Object.defineProperties({} as IdpHttp, {
    ...Object.getOwnPropertyDescriptors(http),
    onSend: { value: onSend, enumerable: true },
  });
}

/**
 * How one idpFetch may use the cache: `scope` says what the document is fetched for (its kind and
 * issuer or resource), so the same URL asked for another issuer is another entry; `reload` skips
 * the stored answer and asks the server unconditionally (its answer still replaces the entry).
 */
export interface CacheUse {
  scope: string;
  reload?: boolean;
}

/** How an answer came from the cache: served without a request, or confirmed by a 304. Age in seconds. */
export interface CachedAnswer {
  age: number;
  revalidated: boolean;
}

/** The fetch options oauth4webapi passes to its `customFetch`, and the ones our own GETs use. */
export interface IdpFetchInit {
  method: string;
  headers: Record<string, string>;
  body?: URLSearchParams | undefined;
  redirect?: 'manual';
  signal?: AbortSignal;
}

export type IdpFetch = (url: string, init: IdpFetchInit) => Promise<Response>;

/**
 * Thrown by the capped fetch when no answer came (DNS, connect, TLS, timeout): the probes turn it
 * into `error`, while anything oauth4webapi throws about an answer becomes a `problem`.
 */
export class TransportFailure extends Error {
  constructor(readonly detail: ExchangeError) {
    super(detail.message);
    this.name = 'TransportFailure';
  }
}

/** Answers whose body was cut at the cap; a cut JSON document is reported as too large, not as bad JSON. */
const truncatedResponses = new WeakSet<Response>();

export function wasTruncated(res: Response): boolean {
  return truncatedResponses.has(res);
}

/**
 * A document the cache gave that has anything wrong with it (a problem, an error) is asked again,
 * unconditionally, before it is reported: a stored file never produces a finding, so a damaged or
 * planted entry cannot change a diagnosis. `get(reload)` fetches once.
 */
export async function cachedOnlyIfSound(
  get: (reload: boolean) => Promise<FetchedDocument>,
): Promise<FetchedDocument> {
  const doc = await get(false);
  return doc.cached && (doc.problem !== undefined || doc.error !== undefined) && !storedAbsence(doc)
    ? get(true)
    : doc;
}

/**
 * A stored 404 of RFC 9728 metadata (http-cache.ts's mayStore): its only problem is that the
 * optional document is not there, which is what the server said; asking again would spend the
 * round trip the cache is for.
 */
function storedAbsence(doc: FetchedDocument): boolean {
  return doc.kind === 'protected-resource' && doc.status === 404 && doc.error === undefined;
}

/** The cache's part of a document's record: how old the stored answer was, and whether a 304 confirmed it. */
export function noteCached(doc: FetchedDocument, res: Response): void {
  const how = cachedResponses.get(res);
  if (how) doc.cached = { age: Math.round(how.age), revalidated: how.revalidated };
}

/** Answers built from a stored entry, and how. */
const cachedResponses = new WeakMap<Response, CachedAnswer>();

/** Whether this answer came from the cache (fresh, or revalidated with a 304), and its age. */
export function cachedAnswerOf(res: Response): CachedAnswer | undefined {
  return cachedResponses.get(res);
}

function fromEntry(entry: CacheEntry, how: CachedAnswer): Response {
  const headers = entry.headers.filter(([n]) => n !== 'age');
  // RFC 9111 §5.1: an answer served from a cache carries its current age.
  headers.push(['age', String(Math.floor(how.age))]);
  const out = new Response(entry.body, { status: entry.status, statusText: entry.statusText ?? '', headers });
  cachedResponses.set(out, how);
  return out;
}

export const USER_AGENT = `why401/${VERSION}`;

/** Statuses whose Response cannot carry a body (Fetch §2.2.3 null body status). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that never follows redirects (as oauth4webapi and jose ask), reads at most 1 MiB of the
 * (decoded) body and hands back a Response built from those bytes. Transport failures are thrown
 * as TransportFailure, already classified.
 */
export function idpFetch(http: IdpHttp, cacheUse?: CacheUse): IdpFetch {
  return async (url, init) => {
    // Our own transport (undici's request API), not undici's fetch: the same caps, decoding and
    // error classification as every other probe, and fetch's large implementation never loads.
    const headers: HeaderList = Object.entries(init.headers).filter(
      ([n]) => n.toLowerCase() !== 'user-agent',
    );
    // Ours, not oauth4webapi's: the IdP's logs should say which tool asked.
    headers.push(['User-Agent', USER_AGENT]);
    const req: WireRequest = { method: init.method, url, headers };
    if (init.body !== undefined) req.body = init.body.toString();
    const refused = await http.guard?.refusal(url);
    if (refused)
      throw new TransportFailure({ phase: 'refused-by-tool', code: 'FETCH_REFUSED', message: refused });
    // The cache only for the documents whose callers asked for it, and never for a request that
    // carries a credential (RFC 9111 §3.5; none of those callers sends one).
    const cache =
      http.cache && cacheUse && init.body === undefined && HttpCache.mayUse(init.method, headers)
        ? http.cache
        : undefined;
    const stored = cache && !cacheUse!.reload ? await cache.lookup(url, cacheUse!.scope, headers) : undefined;
    if (stored?.kind === 'fresh') return fromEntry(stored.entry, { age: stored.age, revalidated: false });
    if (stored?.kind === 'stale') req.headers = [...headers, ...stored.validators];
    const requestTime = cache?.clock() ?? 0;
    // Asked at boot with these very headers (never when a stored answer is being revalidated):
    // the same request, already on its way. One that failed is asked again here, and reported.
    const early = stored?.kind === 'stale' ? undefined : http.prefetch?.take(url, req.method, req.headers);
    http.onSend?.(url);
    // The run's own transport only when it sends: an answer asked at boot needs none (undici.ts).
    const dispatcher = () =>
      http.guard ? http.guard.dispatcherFor(http.dispatcher, withLookup) : http.dispatcher;
    const r = (early && (await early)) ?? (await send(req, dispatcher(), http.signal));
    if (r.error || !r.response) {
      throw new TransportFailure(
        r.error ?? { phase: 'protocol', code: 'NO_RESPONSE', message: 'no response' },
      );
    }
    const res = r.response;
    if (res.status < 200 || res.status > 599) {
      throw new TransportFailure({
        phase: 'protocol',
        code: 'INVALID_STATUS',
        message: `the server answered with status ${res.status}, which HTTP does not define`,
      });
    }
    if (cache) {
      const times = { requestTime, responseTime: cache.clock() };
      // RFC 9111 §4.3.3: a 304 to our conditional request means the stored answer is still good.
      if (res.status === 304 && stored?.kind === 'stale' && stored.validators.length) {
        const entry = await cache.freshen(stored.entry, res.headers, times);
        return fromEntry(entry, { age: currentAge(entry, times.responseTime), revalidated: true });
      }
      await cache.put(url, cacheUse!.scope, headers, times, {
        status: res.status,
        ...(res.statusText ? { statusText: res.statusText } : {}),
        headers: res.headers,
        body: res.body ?? '',
        truncated: res.bodyTruncated === true,
      });
    }
    // The body is already decoded; the Response must not claim an encoding or a length it lacks.
    const outHeaders = res.headers.filter(
      ([n]) => !/^(content-encoding|content-length|transfer-encoding)$/i.test(n),
    );
    const out = new Response(NULL_BODY.has(res.status) ? null : res.body, {
      status: res.status,
      statusText: res.statusText ?? '',
      headers: outHeaders,
    });
    if (res.bodyTruncated) truncatedResponses.add(out);
    return out;
  };
}

/**
 * Node defines Response and crypto.subtle lazily: the first use compiles fetch's implementation
 * (about 20 ms here). Touching them while requests are in flight moves that off the critical path.
 */
export function preloadFetchClasses(): void {
  void globalThis.Response;
  void globalThis.crypto?.subtle;
}

/** The body of an answer as JSON, or undefined when it is not JSON. Reads a clone: the original stays readable. */
export async function jsonOf(res: Response): Promise<unknown> {
  try {
    return JSON.parse(await res.clone().text()) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whole milliseconds since t0 (performance.now()). */
export function since(t0: number): number {
  return Math.round(performance.now() - t0);
}
