import type { Dispatcher } from 'undici';
import type { Evidence, Exchange, RepairSent, RequestSpec } from '../model/evidence.js';
import { hasHeader, isSafeMethod, withoutHeaders, type HeaderList } from '../model/http.js';
import { VERSION } from '../core/version.js';
import { credentialsOf } from '../checks/facts.js';
import { LIMITS } from './limits.js';
import { mayReplay, planIdp, type FreshCredentials } from './plan-idp.js';
import { browserRequestExtras, needsPreflight, sendPreflight } from './preflight.js';
import { nextHop } from './redirect.js';
import { directProbePlan } from './proxy.js';
import { RepairRunner, type RepairOptions } from './repairs.js';
import { inspectTls } from './tls.js';
import { send, type WireRequest } from './transport.js';

export interface ProbeContext {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  via?: string;
  /** Called when a probe starts and ends, for progress on stderr. */
  onProgress?: (msg: string) => void;
}

/** Sends a request hop by hop through redirects, recording every hop. */
export async function walk(
  probe: string,
  first: WireRequest,
  ctx: ProbeContext,
  followUnsafe: boolean,
  /** Repairs carry the user's credentials: they never follow a redirect to another origin. */
  stayOnOrigin = false,
): Promise<{ exchanges: Exchange[]; note?: string }> {
  const exchanges: Exchange[] = [];
  let req = first;
  let dropped: string[] = [];
  for (let hop = 0; ; hop++) {
    // Progress names origin and path only: a query string may hold a key.
    ctx.onProgress?.(`${probe}: ${req.method} ${req.url.split('?')[0]}`);
    const r = await send(req, ctx.dispatcher, ctx.signal);
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
    const n = nextHop(req, x, { followUnsafe, hopsSoFar: hop, maxRedirects: LIMITS.maxRedirects });
    if (!n) return { exchanges };
    if ('stop' in n) return { exchanges, note: n.stop };
    if (stayOnOrigin && new URL(n.next.url).origin !== new URL(req.url).origin)
      return { exchanges, note: `not followed to another origin: ${new URL(n.next.url).origin}` };
    req = n.next;
    dropped = n.dropped;
  }
}

/**
 * The headers curl adds by itself when the user did not: without them some servers and WAFs
 * answer differently than they answered the user's curl.
 */
function defaultHeaders(spec: RequestSpec): HeaderList {
  const add: HeaderList = [];
  if (!hasHeader(spec.headers, 'user-agent')) add.push(['User-Agent', `why401/${VERSION}`]);
  if (!hasHeader(spec.headers, 'accept')) add.push(['Accept', '*/*']);
  if (spec.compressed && !hasHeader(spec.headers, 'accept-encoding'))
    add.push(['Accept-Encoding', 'deflate, gzip, br']);
  return add;
}

function wireOf(spec: RequestSpec, browserOrigin?: string): WireRequest {
  // With --origin the request carries the Origin header a browser adds, so the CORS answer is the real one.
  const extras =
    browserOrigin && !hasHeader(spec.headers, 'origin') ? browserRequestExtras(browserOrigin) : [];
  const w: WireRequest = {
    method: spec.method,
    url: spec.url,
    headers: [...spec.headers, ...defaultHeaders(spec), ...extras],
  };
  if (spec.body !== undefined) w.body = spec.body;
  return w;
}

/** Header names that carry credentials, so the anonymous probe can leave them all out. */
function credentialHeaderNames(spec: RequestSpec): string[] {
  return credentialsOf(spec.headers, spec.url)
    .filter((c) => c.kind !== 'api-key-query')
    .map((c) => c.name);
}

function withoutQueryCredentials(spec: RequestSpec): string {
  const creds = credentialsOf([], spec.url).map((c) => c.name);
  if (!creds.length) return spec.url;
  const u = new URL(spec.url);
  for (const n of creds) u.searchParams.delete(n);
  return u.toString();
}

export interface GatherOptions {
  probes: boolean;
  /** Identity-provider probes (discovery, JWKS, RFC 9728, a fresh token): on unless --no-probes. */
  fresh?: FreshCredentials;
  /** A dispatcher that bypasses the proxy, for the direct probe (only when a proxy is in effect). */
  direct?: Dispatcher;
  /** --allow-replay: probes may send an unsafe method again. */
  allowReplay: boolean;
  /** Repaired requests (--no-repairs turns them off; --no-probes too). */
  repairs?: boolean;
}

/**
 * Plans and runs the probes for one request. The user's own request and the anonymous probe
 * are independent, so they run concurrently: a diagnosis costs about one round trip.
 */
export async function gather(ev: Evidence, ctx: ProbeContext, opts: GatherOptions): Promise<void> {
  const spec = ev.request;
  const tasks: Promise<void>[] = [];
  const results: Record<string, Exchange[]> = {};
  const mainDone = walk('main', wireOf(spec, ev.browserOrigin), ctx, spec.followRedirects).then((r) => {
    results.main = r.exchanges;
    if (r.note) ev.skippedProbes.push({ probe: 'main', reason: r.note });
    return r.exchanges;
  });
  tasks.push(mainDone.then(() => undefined));

  const credNames = credentialHeaderNames(spec);
  const anonUrl = withoutQueryCredentials(spec);
  const hasCreds = credNames.length > 0 || anonUrl !== spec.url;
  if (!opts.probes) {
    ev.skippedProbes.push({ probe: 'anonymous', reason: 'probes are off (--no-probes)' });
  } else if (!hasCreds) {
    ev.skippedProbes.push({
      probe: 'anonymous',
      reason: 'the request carries no credentials: it is the anonymous request',
    });
  } else if (!isSafeMethod(spec.method) && !opts.allowReplay) {
    ev.skippedProbes.push({
      probe: 'anonymous',
      reason: `${spec.method} is not a safe method; pass --allow-replay to let probes send it again`,
    });
  } else {
    const anon: WireRequest = {
      method: spec.method,
      url: anonUrl,
      headers: withoutHeaders(spec.headers, credNames),
    };
    tasks.push(
      walk('anonymous', anon, ctx, false).then((r) => {
        results.anonymous = r.exchanges;
      }),
    );
  }
  // Through a proxy and refused: the same request sent direct tells whether the proxy is the difference.
  if (ev.proxy && !ev.proxy.bypassed && opts.direct) {
    const d = opts.direct;
    tasks.push(
      mainDone.then(async (main) => {
        const plan = directProbePlan(
          { ...ev, exchanges: main },
          { allowReplay: opts.allowReplay, probes: opts.probes },
        );
        if (!plan.send) {
          if (plan.reason) ev.skippedProbes.push({ probe: 'direct', reason: plan.reason });
          return;
        }
        const { via: _via, ...rest } = ctx;
        results.direct = (
          await walk(
            'direct',
            wireOf(spec, ev.browserOrigin),
            { ...rest, dispatcher: d },
            spec.followRedirects,
          )
        ).exchanges;
      }),
    );
  }
  // The CORS preflight a browser would send first (--origin): concurrently, with no credentials.
  if (ev.browserOrigin) {
    if (needsPreflight(spec, ev.browserOrigin)) {
      tasks.push(
        sendPreflight(spec, ev.browserOrigin, ctx).then((x) => {
          results.preflight = [x];
        }),
      );
    } else {
      ev.skippedProbes.push({
        probe: 'preflight',
        reason:
          'a browser sends no preflight for this request (a simple method and safelisted headers only, or the same origin)',
      });
    }
  }
  // Repairs: the checks' proposed fixes, tried beside everything else (src/probe/repairs.ts).
  const repairs =
    opts.probes && opts.repairs !== false && !ev.offline ? startRepairs(ev, ctx, opts, mainDone) : undefined;
  if (opts.probes && opts.fresh) {
    const plan = planIdp(ev, { dispatcher: ctx.dispatcher, signal: ctx.signal }, opts.fresh);
    tasks.push(plan.early);
    tasks.push(mainDone.then((main) => plan.afterMain(main)));
    tasks.push(
      plan.freshToken.then(async (token) => {
        if (!token) return;
        if (!mayReplay(spec, opts.allowReplay)) {
          ev.skippedProbes.push({
            probe: 'fresh',
            reason: `${spec.method} is not a safe method; pass --allow-replay to send it again with the fresh token`,
          });
          return;
        }
        const headers = withoutHeaders(wireOf(spec).headers, ['authorization']);
        headers.push(['Authorization', `Bearer ${token}`]);
        const w: WireRequest = { method: spec.method, url: spec.url, headers };
        if (spec.body !== undefined) w.body = spec.body;
        results.fresh = (await walk('fresh', w, ctx, spec.followRedirects)).exchanges;
      }),
    );
  }
  // The certificate chain of an https target, from its own handshake, beside the request: it
  // carries no HTTP and no credentials, and names a TLS-intercepting middlebox when there is one.
  const tlsDone = spec.url.startsWith('https:')
    ? inspectTls(spec.url, {
        insecure: spec.insecure,
        signal: ctx.signal,
        ...(spec.cacert?.pem ? { ca: spec.cacert.pem } : {}),
        ...(ev.proxy && !ev.proxy.bypassed ? { proxy: ev.proxy.url } : {}),
      })
    : Promise.resolve(undefined);
  await Promise.all(tasks);
  const repaired = repairs ? await repairs : undefined;
  if (repaired?.sent.length) ev.repairs = repaired.sent;
  const tls = await tlsDone;
  if (tls && !('error' in tls)) {
    const origin = new URL(spec.url).origin;
    for (const x of results.main ?? []) if (new URL(x.request.url).origin === origin) x.tls = tls;
  }
  ev.exchanges.push(
    ...(results.main ?? []),
    ...(results.anonymous ?? []),
    ...(results.preflight ?? []),
    ...(results.direct ?? []),
    ...(results.fresh ?? []),
    ...(repaired?.exchanges ?? []),
  );
}

/**
 * The repair rounds: what the request alone shows leaves with the user's request; what needs the
 * server's answer leaves when it is in. The checks load here, after the first request has left.
 */
async function startRepairs(
  ev: Evidence,
  ctx: ProbeContext,
  opts: GatherOptions,
  mainDone: Promise<Exchange[]>,
): Promise<{ sent: RepairSent[]; exchanges: Exchange[] }> {
  const [{ proposeRepairs }, { checks }, { deriveFacts }] = await Promise.all([
    import('../checks/check.js'),
    import('../checks/index.js'),
    import('../checks/facts.js'),
  ]);
  const spec = ev.request;
  const ro: RepairOptions = { allowReplay: opts.allowReplay, extraHeaders: defaultHeaders(spec) };
  if (spec.body !== undefined) ro.body = spec.body;
  const runner = new RepairRunner(ev, ctx, ro, walk);
  runner.offer(proposeRepairs(deriveFacts({ ...ev, exchanges: [] }), checks));
  const main = await mainDone;
  const final = main.at(-1)?.response?.status;
  // Nothing to repair when the request worked, or never got an answer.
  if (final !== undefined && final >= 400)
    runner.offer(proposeRepairs(deriveFacts({ ...ev, exchanges: main }), checks));
  return { sent: runner.sent, exchanges: await runner.done() };
}
