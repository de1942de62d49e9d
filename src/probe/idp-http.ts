/**
 * How the identity-provider probes do HTTP: undici's fetch on the run's dispatcher (so -x, -k and
 * the proxy environment apply) and the run's signal (so -m bounds them), with every body capped.
 * oauth4webapi and jose take this as their `customFetch`; the probes' own GETs use it too.
 */
import type { Dispatcher } from './undici.js';
import { send } from './transport.js';
import { VERSION } from '../core/version.js';
import type { ExchangeError } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import type { WireRequest } from './transport.js';
import type { FetchGuard } from './fetch-guard.js';

export interface IdpHttp {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /**
   * The limits on what why401 fetches on its own (fetch-guard.ts): every URL is checked before it
   * is asked, and connections resolve names through the guard. Without one, nothing is limited
   * (the unit tests of the probes themselves).
   */
  guard?: FetchGuard;
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

export const USER_AGENT = `why401/${VERSION}`;

/** Statuses whose Response cannot carry a body (Fetch §2.2.3 null body status). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that never follows redirects (as oauth4webapi and jose ask), reads at most 1 MiB of the
 * (decoded) body and hands back a Response built from those bytes. Transport failures are thrown
 * as TransportFailure, already classified.
 */
export function idpFetch(http: IdpHttp): IdpFetch {
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
    const dispatcher = http.guard ? http.guard.dispatcherFor(http.dispatcher) : http.dispatcher;
    const r = await send(req, dispatcher, http.signal);
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
