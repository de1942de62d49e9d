import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HeaderList } from '../model/http.js';
import { FetchGuard } from './fetch-guard.js';
import { LIMITS } from './limits.js';
import { prefetchTargets, stored, type PrefetchTarget } from './prefetch-targets.js';
import type { WireResult } from './transport.js';

/**
 * The identity provider's two documents, asked for at boot (issue 16). A diagnosis of a JWT waits
 * on two sequential round trips to the token's issuer: discovery, then the JWKS its `jwks_uri`
 * names. Both targets are known from the command line alone, so the CLI starts them here, with
 * node:http and this module's few imports, before the rest of why401 (undici, the parsers, the
 * checks: ~100 modules) has loaded; the JWKS request leaves the moment discovery answers. The
 * run then takes each answer instead of asking again (`take`), through the same code path as a
 * request of its own: the same guard decision first, then the cache, the caps and the checks.
 *
 * The resource's RFC 9728 metadata (its well-known URL, on the user's own origin) is asked too:
 * the run asks for it after the main answer, which would make it a third round trip.
 *
 * What is asked here is exactly what the run would ask, or nothing (the metadata: what it asks
 * when the answer is a Bearer challenge):
 * - the same URL and headers (`take` compares both; anything else is asked by the run itself);
 * - only what fetch-guard.ts allows, by the same rules (a FetchGuard of its own, built as the
 *   run builds its own, with the connection-time lookup that refuses rebound names);
 * - nothing the disk cache holds (the run serves or revalidates a stored document itself);
 * - no credential: these are public documents, and no header of the user's request goes along.
 * An answer that failed or that the run cannot take as it is (a Content-Encoding: none was
 * asked for) is dropped, and the run asks on its own transport, which reports it.
 */

/** What the CLI knows at boot: the token's issuer and the request's own URL. */
export interface PrefetchPlan {
  /** The `iss` of the Bearer JWT on the command line. */
  issuer: string;
  /** The user's URL: its origin is the user's choice, and whether it is private decides the guard. */
  target: string;
  /** --allow-private-fetch. */
  allowPrivate: boolean;
  /** The disk cache's folder (none with --no-cache): a stored document is left to the run. */
  cacheDir?: string;
  userAgent: string;
}

interface Pending {
  headers: HeaderList;
  result: Promise<WireResult | undefined>;
}

/** The requests started at boot, by URL, each taken at most once. */
export class Prefetch {
  private readonly pending = new Map<string, Pending>();
  /** Every request started, to end those nobody took when the run is over. */
  private readonly requests = new Set<{ destroy(): unknown }>();
  /**
   * One connection per origin, kept between discovery and the JWKS (most issuers serve both): the
   * JWKS request skips a TCP and TLS handshake. Node unrefs an idle kept socket; close() ends it.
   */
  readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  private jwksLeft!: () => void;
  /** Settles when the JWKS request has been written (the run's "only waiting now" signal). */
  readonly jwksSent = new Promise<void>((ok) => (this.jwksLeft = ok));

  /** @internal The first requests' "written, or nothing to write" (prefetch-targets.ts's two). */
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

  /** @internal */
  add(url: string, headers: HeaderList, result: Promise<WireResult | undefined>): void {
    this.pending.set(url, { headers, result });
  }

  /** @internal */
  track(req: { destroy(): unknown }): void {
    this.requests.add(req);
  }

  /** Ends every request still open: the run has what it needs (or never ran), and none may hold the process up. */
  close(): void {
    for (const r of this.requests) r.destroy();
    this.requests.clear();
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.pending.clear();
  }

  /** @internal */
  markJwksSent(): void {
    this.jwksLeft();
  }

  /**
   * The answer to `method url` with exactly these headers, if one was asked at boot; undefined
   * when none was, and a promise of undefined when it failed (the run then asks on its own).
   */
  take(url: string, method: string, headers: HeaderList): Promise<WireResult | undefined> | undefined {
    const p = this.pending.get(url);
    if (!p || method !== 'GET' || !sameHeaders(p.headers, headers)) return undefined;
    this.pending.delete(url);
    return p.result;
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

/** The headers the run's identity-provider fetch sends for a document of this media type (idp-http.ts). */
function documentHeaders(accept: string, userAgent: string): HeaderList {
  return [
    ['accept', accept],
    ['User-Agent', userAgent],
  ];
}

/** Starts discovery of `plan.issuer` now, and its JWKS as soon as discovery answers. */
export function startPrefetch(plan: PrefetchPlan): Prefetch {
  const out = new Prefetch();
  const guard = new FetchGuard({
    trusted: [plan.target],
    allowPrivate: plan.allowPrivate,
    target: plan.target,
  });
  const ask = async (t: PrefetchTarget, onSent?: () => void) => {
    // The run's guard decides with the same rules and says why; here a refusal is only silence.
    if (await guard.refusal(t.url)) return undefined;
    if (plan.cacheDir && (await stored(plan.cacheDir, t))) return undefined;
    const headers = documentHeaders(t.accept, plan.userAgent);
    const result = get(t.url, headers, guard, out, onSent);
    out.add(t.url, headers, result);
    return result;
  };
  /** `ask`, and a promise that settles once its request is written, or when there is none. */
  const first = (t: PrefetchTarget) => {
    let left!: () => void;
    out.firstRound.push(new Promise<void>((ok) => (left = ok)));
    const result = ask(t, () => left());
    // Not sent (refused, stored), failed, or answered: nothing more to wait for.
    void result.finally(() => left()).catch(() => undefined);
    return result;
  };
  const issuer = plan.issuer;
  const { discovery, metadata } = prefetchTargets(issuer, plan.target);
  void first(discovery)
    .then((r) => {
      const jwksUri = r?.response?.status === 200 ? jwksUriOf(r.response.body, issuer) : undefined;
      if (jwksUri)
        return ask(
          { url: jwksUri, scope: 'jwks', accept: 'application/jwk-set+json, application/json' },
          () => out.markJwksSent(),
        );
      return undefined;
    })
    .catch(() => undefined);
  // The resource's own metadata, which the run asks once the answer is a Bearer challenge without
  // resource_metadata (the usual refusal of a JWT): otherwise a third round trip after the main
  // answer, and the slowest path of a cold diagnosis. It is the only request here that the run
  // may not take (a 200, or a challenge naming other metadata): a credential-free GET of a public
  // document on the origin the user targeted, ended by close().
  void first(metadata).catch(() => undefined);
  return out;
}

/** The document's jwks_uri when it is for this very issuer (what the run checks before it asks). */
function jwksUriOf(body: string, issuer: string): string | undefined {
  try {
    const json = JSON.parse(body) as { issuer?: unknown; jwks_uri?: unknown };
    return json.issuer === issuer && typeof json.jwks_uri === 'string' ? json.jwks_uri : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One GET with the run's limits: the connect and header timeouts, the body cap, no redirect
 * followed. Undefined on any failure, or for an answer the run could not take as it is.
 */
function get(
  url: string,
  headers: HeaderList,
  guard: FetchGuard,
  into: Prefetch,
  onSent?: () => void,
): Promise<WireResult | undefined> {
  const startedAt = Date.now();
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    let answered = false;
    const finish = (r: WireResult | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const https = url.startsWith('https:');
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: Object.fromEntries(headers),
      lookup: guard.lookup,
      agent: https ? into.agents.https : into.agents.http,
      maxHeaderSize: LIMITS.maxHeaderSize,
    });
    into.track(req);
    const timer = setTimeout(() => {
      req.destroy();
      finish(undefined);
    }, LIMITS.connectTimeoutMs + LIMITS.headersTimeoutMs);
    req.on('finish', () => onSent?.());
    // Closed before any answer (destroyed by close(), or the connection ended): nothing to take.
    req.on('close', () => answered || finish(undefined));
    req.on('error', () => finish(undefined));
    req.on('response', (res) => {
      answered = true;
      clearTimeout(timer);
      read(res, startedAt, t0).then(finish, () => finish(undefined));
    });
    req.end();
  });
}

async function read(res: IncomingMessage, startedAt: number, t0: number): Promise<WireResult | undefined> {
  const enc = res.headers['content-encoding'];
  if (enc !== undefined && enc.trim().toLowerCase() !== 'identity') {
    res.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  res.setTimeout(LIMITS.bodyTimeoutMs, () => res.destroy(new Error('body timeout')));
  for await (const chunk of res as AsyncIterable<Buffer>) {
    const room = LIMITS.bodyCap - bytes;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      bytes += room;
      truncated = true;
      res.destroy();
      break;
    }
    chunks.push(chunk);
    bytes += chunk.length;
  }
  const headers: HeaderList = [];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
    headers.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
  return {
    startedAt,
    ms: Math.round(performance.now() - t0),
    response: {
      status: res.statusCode ?? 0,
      ...(res.statusMessage ? { statusText: res.statusMessage } : {}),
      headers,
      body: new TextDecoder().decode(Buffer.concat(chunks)),
      bodyBytes: bytes,
      bodyTruncated: truncated,
    },
  };
}
