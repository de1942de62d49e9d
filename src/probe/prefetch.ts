import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { HeaderList } from '../model/http.js';
import { bootGet, builtin } from './boot-get.js';
import { exchangeAnswer } from './boot-exchange.js';
import type { WireRequest, WireResult } from './transport.js';

/**
 * What the CLI asks at boot (issue 16), before the rest of why401 (undici, the parsers, the
 * checks: ~100 modules, ~130 ms) has loaded, and the run takes instead of asking again:
 * - the user's request and its anonymous probe (here), when cli/early.ts can build them exactly
 *   as the run would: a warm diagnosis is then one round trip from boot;
 * - the identity provider's documents (prefetch-documents.ts): discovery, the JWKS the moment
 *   discovery answers, and the resource's RFC 9728 metadata.
 * The run takes each answer (`take`) through the same code path as a request of its own; an
 * answer that failed is dropped, and the run asks on its own transport, which reports it.
 * This module loads only node:http (node:https for an https URL) before the first byte leaves.
 */

/** What the CLI knows at boot: the token's issuer, the request's own URL, and the request itself. */
export interface PrefetchPlan {
  /** The `iss` of the Bearer JWT on the command line: its discovery and JWKS are asked. */
  issuer?: string;
  /** The user's URL: its origin is the user's choice, and whether it is private decides the guard. */
  target: string;
  /** --allow-private-fetch. */
  allowPrivate: boolean;
  /** The disk cache's folder (none with --no-cache): a stored document is left to the run. */
  cacheDir?: string;
  userAgent: string;
  /**
   * The user's request and its anonymous probe, exactly as the run puts them on the wire
   * (gatherers/wire.ts), when the command line leaves no doubt about them: GETs only, to the
   * user's own URL. cli/early.ts decides.
   */
  exchanges?: WireRequest[];
}

interface Pending {
  url: string;
  method: string;
  headers: HeaderList;
  /** The user's request: its headers must match in order and case, as they go on the wire. */
  exact: boolean;
  result: Promise<WireResult | undefined>;
}

/** The requests started at boot, each taken at most once. */
export class Prefetch {
  private readonly pending: Pending[] = [];
  /** Every request started, to end those nobody took when the run is over. */
  private readonly requests = new Set<{ destroy(): unknown }>();
  /**
   * One connection per origin, kept between discovery and the JWKS (most issuers serve both): the
   * JWKS request skips a TCP and TLS handshake. Node unrefs an idle kept socket; close() ends it.
   * Made on first use: node:https loads only for an https URL.
   */
  readonly agents = {
    get http(): HttpAgent {
      return (this.httpAgent ??= new (builtin('http').Agent)({ keepAlive: true }));
    },
    get https(): HttpsAgent {
      return (this.httpsAgent ??= new (builtin('https').Agent)({ keepAlive: true }));
    },
    httpAgent: undefined as HttpAgent | undefined,
    httpsAgent: undefined as HttpsAgent | undefined,
  };
  private jwksLeft!: () => void;
  /** Settles when the JWKS request has been written (the run's "only waiting now" signal). */
  readonly jwksSent = new Promise<void>((ok) => (this.jwksLeft = ok));

  /**
   * Settles once no boot request is still to leave: the JWKS request has been written, or will
   * not be asked here (no issuer, discovery stored, refused or failed, no jwks_uri). Work that
   * blocks the main thread for tens of milliseconds (the checks' rehearsal, loading fetch's
   * classes) waits for it: begun while discovery's answer came in, it held the JWKS request back,
   * the one request a cold diagnosis still waits a whole round trip for (issue 16).
   */
  quiet: Promise<void> = Promise.resolve();

  /** @internal The first requests' "written, or nothing to write" (the user's, discovery, the metadata). */
  firstRound: Promise<unknown>[] = [];

  /**
   * Settles when the first requests have been written to their sockets (or were not sent), or
   * after `ms`. The CLI waits on it before it loads the diagnosis: on Node 22 and 24 that loading
   * is one block of the main thread, and requests only begun before it left ~100 ms later, after
   * the user's own (bench/timeline.mjs); on Node 20 it mostly yields.
   */
  leaving(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const capped = new Promise<void>((ok) => (timer = setTimeout(ok, ms)));
    return Promise.race([Promise.all(this.firstRound).then(() => undefined), capped]).finally(() =>
      clearTimeout(timer),
    );
  }

  /** Whether the user's own request was sent at boot (its answer is then the run's to take). */
  sentExchanges = false;

  /** @internal */
  add(
    url: string,
    method: string,
    headers: HeaderList,
    result: Promise<WireResult | undefined>,
    exact = false,
  ): void {
    this.pending.push({ url, method, headers, result, exact });
  }

  /** @internal */
  track(req: { destroy(): unknown }): void {
    this.requests.add(req);
  }

  /** Ends every request still open: the run has what it needs (or never ran), and none may hold the process up. */
  close(): void {
    for (const r of this.requests) r.destroy();
    this.requests.clear();
    this.agents.httpAgent?.destroy();
    this.agents.httpsAgent?.destroy();
    this.pending.length = 0;
  }

  /** @internal */
  markJwksSent(): void {
    this.jwksLeft();
  }

  /**
   * The answer to `method url` with exactly these headers, if one was asked at boot; undefined
   * when none was, and a promise of undefined when it failed (the run then asks on its own).
   * Headers compare in order for the user's request (the order is part of what was sent), and
   * as a set for documents (built in one place, compared where it is cheapest).
   */
  take(url: string, method: string, headers: HeaderList): Promise<WireResult | undefined> | undefined {
    const i = this.pending.findIndex(
      (p) =>
        p.url === url &&
        p.method === method &&
        (p.exact ? JSON.stringify(p.headers) === JSON.stringify(headers) : sameHeaders(p.headers, headers)),
    );
    if (i < 0) return undefined;
    return this.pending.splice(i, 1)[0]!.result;
  }
}

function sameHeaders(a: HeaderList, b: HeaderList): boolean {
  const norm = (h: HeaderList) =>
    h
      .map(([n, v]) => `${n.toLowerCase()}: ${v}`)
      .sort()
      .join('\n');
  return norm(a) === norm(b);
}

/**
 * Sends the user's request and its anonymous probe now (plan.exchanges): GETs to the user's own
 * origin only, so a credential goes nowhere the user did not send it.
 */
export function sendExchanges(out: Prefetch, exchanges: readonly WireRequest[], target: string): void {
  const origin = new URL(target).origin;
  for (const w of exchanges) {
    if (w.method !== 'GET' || w.body !== undefined || new URL(w.url).origin !== origin) continue;
    let left!: () => void;
    out.firstRound.push(new Promise<void>((ok) => (left = ok)));
    const result = bootGet(w.url, w.headers, {
      agents: out.agents,
      track: (r) => out.track(r),
      onSent: () => left(),
    })
      .then((a) => exchangeAnswer(a, w.url))
      .catch(() => undefined)
      .finally(() => left());
    out.add(w.url, w.method, w.headers, result, true);
    out.sentExchanges = true;
  }
}
