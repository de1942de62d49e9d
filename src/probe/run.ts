import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Evidence } from '../model/evidence.js';
import { FetchGuard } from './fetch-guard.js';
import { IdpSession } from './plan-idp.js';
import {
  GATHERERS,
  type AnyGatherer,
  type Artifacts,
  type GatherContext,
  type Gatherer,
  type GathererName,
  type GatherOptions,
} from './gatherers/index.js';
import type { ProbeContext } from './gatherers/walk.js';
import { signSpec } from './gatherers/wire.js';

export { walk, type ProbeContext, type WalkOptions, type WalkResult } from './gatherers/walk.js';
export type { GatherOptions } from './gatherers/index.js';

/**
 * -U and --proxy-header are for a proxy: said plainly when none is in effect. -U lives on in the
 * proxy URL the run uses (ev.proxy.url), where the redactor and the evidence file's sanitizer
 * find it; the raw USER:PASSWORD leaves the evidence.
 */
function settleProxyOptions(ev: Evidence): void {
  const spec = ev.request;
  const direct = !ev.proxy || ev.proxy.bypassed;
  const why = ev.proxy ? 'NO_PROXY exempts this host, so' : 'no proxy is in effect, so';
  if (spec.proxyUser !== undefined && direct)
    ev.inputWarnings.push(
      `-U/--proxy-user is not used: ${why} the request goes direct (curl sends -U to a proxy only)`,
    );
  delete spec.proxyUser;
  if (spec.proxyHeaders?.length && direct)
    ev.inputWarnings.push(
      `--proxy-header is not sent: ${why} the request goes direct (curl sends --proxy-header to a proxy only)`,
    );
}

/** A promise settled from outside: each gatherer's artifact, awaited by those that wait for it. */
function slot<T>(): { promise: Promise<T>; settle(p: Promise<T>): void } {
  let settle!: (p: Promise<T>) => void;
  const promise = new Promise<T>((ok, fail) => (settle = (p) => p.then(ok, fail)));
  return { promise, settle };
}

/**
 * Plans and runs the probes for one request: a loop over the gatherers (./gatherers/). Each
 * starts as soon as what it waits for is done, so the user's request, the anonymous probe,
 * discovery and the TLS handshake leave together: a diagnosis costs about one round trip (two
 * with a JWKS). A gatherer that does not apply says why, in `ev.skippedProbes` under its name.
 */
export async function gather(ev: Evidence, probe: ProbeContext, opts: GatherOptions): Promise<void> {
  const spec = ev.request;
  const signer = signSpec(spec);
  settleProxyOptions(ev);
  const slots = new Map(GATHERERS.map((g) => [g.name, slot<unknown>()]));
  const done = new Map<GathererName, unknown>();
  // What why401 fetches on its own (discovery, JWKS, metadata, a discovered token endpoint) is
  // limited by fetch-guard.ts; the hosts the user named are not. Made when the first IdP
  // gatherer asks, after the user's request has left.
  let guard: FetchGuard | undefined;
  let idp: IdpSession | undefined;
  const ctx: GatherContext = {
    ev,
    spec,
    probe,
    opts,
    signer,
    get idp() {
      if (idp || !opts.probes || !opts.fresh) return idp;
      const fresh = opts.fresh;
      guard = new FetchGuard({
        trusted: [spec.url, fresh.issuer, fresh.tokenUrl, fresh.introspectUrl],
        allowPrivate: fresh.allowPrivateFetch === true,
        target: spec.url,
      });
      idp = new IdpSession(
        ev,
        {
          // Read when a document is asked on the run's own transport, not before (probe/undici.ts).
          get dispatcher() {
            return probe.dispatcher;
          },
          signal: probe.signal,
          guard,
          ...(probe.idpCache ? { cache: probe.idpCache } : {}),
          ...(probe.prefetch ? { prefetch: probe.prefetch } : {}),
        },
        fresh,
        spec.url,
      );
      return idp;
    },
    artifact: <N extends GathererName>(name: N) => done.get(name) as Artifacts[N] | undefined,
    wait: <N extends GathererName>(name: N) => slots.get(name)!.promise as Promise<Artifacts[N] | undefined>,
  };
  const start = async (g: AnyGatherer): Promise<unknown> => {
    // No `await` before `run` for a gatherer that waits for nothing: it starts in this tick. One
    // that waits for one other awaits that artifact itself, so those waiting for the same one
    // resume in the order they started (their skip reasons land in the list's order).
    const after = g.after ?? [];
    if (after.length === 1) await ctx.wait(after[0]!);
    else if (after.length) await Promise.all(after.map((n) => ctx.wait(n)));
    const applies = g.applies(ctx);
    if (applies !== true) {
      if (typeof applies === 'string') ev.skippedProbes.push({ probe: g.name, reason: applies });
      return undefined;
    }
    const artifact = await g.run(ctx);
    done.set(g.name, artifact);
    return artifact;
  };
  for (const g of GATHERERS) slots.get(g.name)!.settle(start(g));
  const all = Promise.all([...slots.values()].map((s) => s.promise));
  const stopWaiting = opts.whileWaiting ? whileWaiting(ctx, slots, all, opts.whileWaiting) : undefined;
  try {
    await all;
  } finally {
    stopWaiting?.();
    await guard?.close();
  }
  for (const g of GATHERERS) if (done.get(g.name) !== undefined) record(g, done.get(g.name), ctx);
}

/** undici's diagnostics channel: a request's headers have been written to its socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';

/**
 * Calls `work` with a copy of the evidence so far once the user's request and the anonymous probe
 * are in, the JWKS request has left (on undici, or at boot from prefetch.ts) and so has the RFC 9728
 * metadata request if there is one: from then on the run only waits on the network (the JWKS
 * is the second of two sequential round trips), so what `work` does (the caller rehearses the
 * checks) delays no request. Never when no JWKS request leaves (nothing else waits a whole round
 * trip after the first answers), nor when everything is done first. Returns how to stop listening.
 */
function whileWaiting(
  ctx: GatherContext,
  slots: Map<GathererName, { promise: Promise<unknown> }>,
  all: Promise<unknown>,
  work: (partial: Evidence) => void,
): () => void {
  let finished = false;
  let jwksLeft!: () => void;
  const left = new Promise<void>((ok) => (jwksLeft = ok));
  // Every URL whose request headers have been written, and who waits for one.
  const sent = new Set<string>();
  const waiting = new Map<string, () => void>();
  const written = (url: string) =>
    sent.has(url) ? Promise.resolve() : new Promise<void>((ok) => waiting.set(url, ok));
  const onSend = (m: unknown) => {
    const r = (m as { request?: { origin?: unknown; path?: unknown } }).request;
    if (!r) return;
    const url = `${String(r.origin)}${String(r.path)}`;
    sent.add(url);
    waiting.get(url)?.();
    if (url === ctx.idp?.jwksAsked) jwksLeft();
  };
  subscribe(SEND_HEADERS, onSend);
  const settled = (n: GathererName) => slots.get(n)!.promise.catch(() => undefined);
  void all.then(
    () => (finished = true),
    () => (finished = true),
  );
  void Promise.all([settled('main'), settled('anonymous')])
    // A JWKS asked for at boot (prefetch.ts) leaves on node:http, which undici's channel does not see.
    .then(() => (ctx.probe.prefetch ? Promise.race([left, ctx.probe.prefetch.jwksSent]) : left))
    // Nor before the RFC 9728 metadata request has left, which follows the main answer: the
    // rehearsal would hold it back (~40 ms) while the JWKS, asked at boot, is already on its way.
    .then(() =>
      Promise.race([
        settled('resource-metadata'),
        ctx.idp?.metadataAsked.then((url) => (url === undefined ? undefined : written(url))),
      ]),
    )
    // After the I/O callbacks of this turn of the loop: an answer that came in with it goes first.
    .then(() => new Promise((ok) => setImmediate(ok)))
    .then(() => {
      if (finished) return;
      const main = ctx.artifact('main')?.exchanges ?? [];
      const anonymous = ctx.artifact('anonymous') ?? [];
      work(structuredClone({ ...ctx.ev, exchanges: [...main, ...anonymous] }));
    })
    .catch(() => undefined);
  return () => {
    finished = true;
    unsubscribe(SEND_HEADERS, onSend);
  };
}

function record<N extends GathererName>(g: Gatherer<N>, artifact: unknown, ctx: GatherContext): void {
  g.record?.(artifact as Artifacts[N], ctx);
}
