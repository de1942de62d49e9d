/**
 * How the identity-provider probes do HTTP: undici's fetch on the run's dispatcher (so -x, -k and
 * the proxy environment apply) and the run's signal (so -m bounds them), with every body capped.
 * oauth4webapi and jose take this as their `customFetch`; the probes' own GETs use it too.
 */
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { VERSION } from '../core/version.js';
import type { ExchangeError } from '../model/evidence.js';
import { classifyError } from './errors.js';
import { LIMITS } from './limits.js';

export interface IdpHttp {
  dispatcher: Dispatcher;
  signal: AbortSignal;
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

async function readCapped(
  body: ReadableStream<Uint8Array> | null,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; truncated: boolean }> {
  if (!body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = LIMITS.bodyCap - total;
    if (value.length > room) {
      // A hostile IdP can send a JWKS of any size: stop reading and close the connection.
      chunks.push(value.subarray(0, room));
      total += room;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    total += value.length;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, truncated };
}

/**
 * A fetch that never follows redirects (as oauth4webapi and jose ask), reads at most 1 MiB of the
 * (decoded) body and hands back a Response built from those bytes. Transport failures are thrown
 * as TransportFailure, already classified.
 */
export function idpFetch(http: IdpHttp): IdpFetch {
  return async (url, init) => {
    try {
      const opts: Parameters<typeof undiciFetch>[1] = {
        method: init.method,
        // Ours, not oauth4webapi's: the IdP's logs should say which tool asked.
        headers: { ...init.headers, 'user-agent': USER_AGENT },
        redirect: 'manual',
        dispatcher: http.dispatcher,
        signal: http.signal,
      };
      if (init.body !== undefined) opts.body = init.body;
      const res = await undiciFetch(url, opts);
      const { bytes, truncated } = await readCapped(res.body as ReadableStream<Uint8Array> | null);
      if (res.status < 200 || res.status > 599) {
        throw Object.assign(
          new Error(`the server answered with status ${res.status}, which HTTP does not define`),
          {
            code: 'INVALID_STATUS',
          },
        );
      }
      const out = new Response(NULL_BODY.has(res.status) ? null : bytes, {
        status: res.status,
        statusText: res.statusText,
        headers: [...res.headers],
      });
      if (truncated) truncatedResponses.add(out);
      return out;
    } catch (e) {
      const cause = http.signal.aborted ? (http.signal.reason ?? e) : e;
      const detail = classifyError(cause);
      if ((e as { code?: unknown }).code === 'INVALID_STATUS') detail.phase = 'protocol';
      throw new TransportFailure(detail);
    }
  };
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
