import type { Dispatcher } from 'undici';
import type { Exchange } from '../../model/evidence.js';
import { LIMITS } from '../limits.js';
import { nextHop } from '../redirect.js';
import type { Sigv4Signer } from '../sigv4.js';
import type { HttpCache } from '../http-cache.js';
import type { Prefetch } from '../prefetch.js';
import { noteStalled, send, type WireRequest, type WireResult } from '../transport.js';

export interface ProbeContext {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  via?: string;
  /** Called when a probe starts and ends, for progress on stderr. */
  onProgress?: (msg: string) => void;
  /** The disk cache of discovery, JWKS and RFC 9728 metadata (http-cache.ts); none: nothing cached. */
  idpCache?: HttpCache;
  /** What the CLI asked at boot (prefetch.ts): the request itself, discovery and JWKS, taken instead of asking again. */
  prefetch?: Prefetch;
}

/** How a probe treats redirects. */
export interface WalkOptions {
  /** curl -L: without it no redirect is followed, by any probe, as curl follows none. */
  follow: boolean;
  /** Repairs carry the user's credentials: they never follow a redirect to another origin. */
  stayOnOrigin?: boolean;
  /** --aws-sigv4: a hop on the first request's origin is signed again for its own URL, as curl does. */
  signer?: Sigv4Signer;
}

/** What a walk ended on besides its exchanges: why it stopped, and where a redirect not followed pointed. */
export interface WalkResult {
  exchanges: Exchange[];
  /** Why the walk stopped short (a redirect not followed, a loop limit …), or a hop's downgrade. */
  notes: Array<{ hop: number; reason: string }>;
  /** The absolute URL of a redirect that was not followed (no -L, or an https→http hop with a body). */
  notFollowed?: string;
}

/**
 * The answer to `req` if the CLI sent this very request at boot; undefined when it did not, when
 * that attempt failed before an answer, or when the run's time limit ran out first (send() then
 * reports the limit, as for any request).
 */
function sentAtBoot(req: WireRequest, ctx: ProbeContext): Promise<WireResult | undefined> | undefined {
  const boot = ctx.prefetch?.take(req.url, req.method, req.headers);
  if (!boot || ctx.signal.aborted) return undefined;
  let stop!: () => void;
  const aborted = new Promise<undefined>((ok) => (stop = () => ok(undefined)));
  ctx.signal.addEventListener('abort', stop, { once: true });
  return Promise.race([boot, aborted])
    .then((r) => {
      if (r?.error?.code === 'BODY_STALLED') noteStalled(req.url, ctx.signal);
      return r;
    })
    .finally(() => ctx.signal.removeEventListener('abort', stop));
}

/** Sends a request hop by hop through redirects, recording every hop. */
export async function walk(
  probe: string,
  first: WireRequest,
  ctx: ProbeContext,
  opts: WalkOptions,
): Promise<WalkResult> {
  const exchanges: Exchange[] = [];
  const notes: WalkResult['notes'] = [];
  const origin = new URL(first.url).origin;
  let req = first;
  let dropped: string[] = [];
  for (let hop = 0; ; hop++) {
    // Progress names origin and path only: a query string may hold a key.
    ctx.onProgress?.(`${probe}: ${req.method} ${req.url.split('?')[0]}`);
    // The first hop may have left at boot (prefetch.ts): its answer is taken, not asked again.
    // No `await` when it did not: the user's request leaves in this very tick, before the probes
    // started beside it (the TLS inspection's CONNECT came first through a proxy).
    const boot = hop === 0 ? sentAtBoot(req, ctx) : undefined;
    const r = (boot && (await boot)) ?? (await send(req, ctx.dispatcher, ctx.signal));
    const x: Exchange = {
      probe,
      hop,
      request: { method: req.method, url: req.url, headers: req.headers },
      startedAt: r.startedAt,
      ms: r.ms,
    };
    if (r.response) x.response = r.response;
    if (r.error) x.error = r.error;
    if (dropped.length) x.droppedHeaders = dropped;
    if (ctx.via) x.via = ctx.via;
    exchanges.push(x);
    const n = nextHop(req, x, { follow: opts.follow, hopsSoFar: hop, maxRedirects: LIMITS.maxRedirects });
    if (!n) return { exchanges, notes };
    if ('stop' in n) {
      notes.push({ hop: hop + 1, reason: n.stop });
      return n.location ? { exchanges, notes, notFollowed: n.location } : { exchanges, notes };
    }
    const to = new URL(n.next.url).origin;
    if (opts.stayOnOrigin && to !== new URL(req.url).origin) {
      notes.push({ hop: hop + 1, reason: `not followed to another origin: ${to}` });
      return { exchanges, notes };
    }
    if (n.downgrade) notes.push({ hop: hop + 1, reason: n.downgrade });
    // The signature covers the path and query: a hop that keeps the credentials is signed anew.
    req = opts.signer && to === origin ? opts.signer.sign(n.next) : n.next;
    dropped = n.dropped;
  }
}
