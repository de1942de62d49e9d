import type { Dispatcher } from 'undici';
import type { Evidence, Exchange, HeaderOrigin, RepairSent, RequestSpec } from '../model/evidence.js';
import { hasHeader, headerValue, isSafeMethod, withoutHeaders, type HeaderList } from '../model/http.js';
import { VERSION } from '../core/version.js';
import { isCredentialHeader, withoutUrlCredentials } from '../knowledge/credential-rule.js';
import { FetchGuard } from './fetch-guard.js';
import { LIMITS } from './limits.js';
import { mayReplay, planIdp, type FreshCredentials } from './plan-idp.js';
import { browserRequestExtras, needsPreflight, sendPreflight } from './preflight.js';
import { nextHop } from './redirect.js';
import { directProbePlan } from './proxy.js';
import { RepairRunner, repairTargetAllowed, type RepairOptions } from './repairs.js';
import { sigv4Signer, type Sigv4Signer } from './sigv4.js';
import { inspectTls } from './tls.js';
import { send, type WireRequest } from './transport.js';

export interface ProbeContext {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  via?: string;
  /** Called when a probe starts and ends, for progress on stderr. */
  onProgress?: (msg: string) => void;
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

/**
 * The headers curl adds by itself when the user did not: without them some servers and WAFs
 * answer differently than they answered the user's curl.
 */
function defaultHeaders(spec: RequestSpec): HeaderList {
  const add: HeaderList = [];
  // A curl -H 'Accept:' (or -A "") removes the header curl would add: none is added here either.
  const omit = new Set(spec.omitHeaders ?? []);
  const wanted = (name: string) => !omit.has(name) && !hasHeader(spec.headers, name);
  if (wanted('user-agent')) add.push(['User-Agent', `why401/${VERSION}`]);
  if (wanted('accept')) add.push(['Accept', '*/*']);
  if (spec.compressed && wanted('accept-encoding')) add.push(['Accept-Encoding', 'deflate, gzip, br']);
  return add;
}

/**
 * Where the headers curl adds by itself go: after Authorization, Range and a -A User-Agent,
 * before Referer, Cookie and the -H headers, as lib/http.c Curl_http writes them. A request
 * without origins (a HAR entry) gets them at the end.
 */
const BEFORE_DEFAULTS = new Set<HeaderOrigin>(['user', 'oauth2-bearer', 'range', 'user-agent']);
function defaultsAt(spec: RequestSpec): number {
  const origins = spec.headerOrigins;
  if (!origins) return spec.headers.length;
  let at = 0;
  while (at < spec.headers.length && BEFORE_DEFAULTS.has(origins[at]!)) at += 1;
  return at;
}

/** The body as it goes out: text, or the exact bytes of a binary one. */
function bodyOf(spec: RequestSpec): string | Uint8Array | undefined {
  if (spec.body !== undefined) return spec.body;
  return spec.bodyBase64 !== undefined ? Buffer.from(spec.bodyBase64, 'base64') : undefined;
}

function wireOf(spec: RequestSpec, browserOrigin?: string): WireRequest {
  // With --origin the request carries the Origin header a browser adds, so the CORS answer is the real one.
  const extras =
    browserOrigin && !hasHeader(spec.headers, 'origin') ? browserRequestExtras(browserOrigin) : [];
  const at = defaultsAt(spec);
  const w: WireRequest = {
    method: spec.method,
    url: spec.url,
    headers: [...spec.headers.slice(0, at), ...defaultHeaders(spec), ...spec.headers.slice(at), ...extras],
  };
  const body = bodyOf(spec);
  if (body !== undefined) w.body = body;
  if (spec.bodyChunked) w.chunked = true;
  return w;
}

/**
 * The anonymous probe: the user's request without a single credential, by the one credential rule
 * (every credential header, and the URL's userinfo and credential query and fragment parameters:
 * `api_key`, `sig`, `X-Amz-Signature` …), and without a SigV4 signature's own headers.
 */
function anonymousOf(spec: RequestSpec, signer: Sigv4Signer | undefined): WireRequest | undefined {
  const drop = new Set<string>(signer?.added ?? []);
  for (const [n] of spec.headers) if (isCredentialHeader(n)) drop.add(n.toLowerCase());
  const url = withoutUrlCredentials(spec.url);
  const headers = withoutHeaders(spec.headers, [...drop]);
  if (headers.length === spec.headers.length && url === spec.url) return undefined;
  return { method: spec.method, url, headers };
}

/**
 * --aws-sigv4: signs the user's request once (its headers then show what was sent, for the checks
 * and the report) and keeps the signer for the hops and repairs that need their own signature.
 * The secret leaves the evidence: only the signer holds it from here on.
 */
function signSpec(spec: RequestSpec): Sigv4Signer | undefined {
  const aws = spec.awsSigv4;
  if (!aws) return undefined;
  const origins = spec.headerOrigins;
  const userHeaders = spec.headers
    .filter((_h, i) => origins === undefined || origins[i] === 'header')
    .map(([n]) => n.toLowerCase());
  const signer = sigv4Signer(aws, userHeaders);
  const w: WireRequest = { method: spec.method, url: spec.url, headers: spec.headers };
  const body = bodyOf(spec);
  if (body !== undefined) w.body = body;
  const signed = signer.sign(w).headers;
  const added = signed.slice(spec.headers.length);
  spec.headers = signed;
  if (origins) spec.headerOrigins = [...origins, ...added.map((): HeaderOrigin => 'user')];
  delete spec.awsSigv4;
  return signer;
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
  const signer = signSpec(spec);
  const follow = spec.followRedirects;
  const tasks: Promise<void>[] = [];
  const results: Record<string, Exchange[]> = {};
  let notFollowed: string | undefined;
  const mainDone = walk('main', wireOf(spec, ev.browserOrigin), ctx, {
    follow,
    ...(signer ? { signer } : {}),
  }).then((r) => {
    results.main = r.exchanges;
    // `main#2`: the hop that was not sent, or sent without what it would have carried.
    for (const n of r.notes) ev.skippedProbes.push({ probe: `main#${n.hop}`, reason: n.reason });
    notFollowed = r.notFollowed;
    return r.exchanges;
  });
  tasks.push(mainDone.then(() => undefined));
  if (spec.proxyUser !== undefined && (!ev.proxy || ev.proxy.bypassed))
    ev.inputWarnings.push(
      `-U/--proxy-user is not used: ${ev.proxy ? 'NO_PROXY exempts this host, so' : 'no proxy is in effect, so'} the request goes direct (curl sends -U to a proxy only)`,
    );
  // -U lives on in the proxy URL the run uses (ev.proxy.url), where the redactor and the evidence
  // file's sanitizer find it; the raw USER:PASSWORD leaves the evidence.
  delete spec.proxyUser;
  if (spec.proxyHeaders?.length && (!ev.proxy || ev.proxy.bypassed))
    ev.inputWarnings.push(
      `--proxy-header is not sent: ${ev.proxy ? 'NO_PROXY exempts this host, so' : 'no proxy is in effect, so'} the request goes direct (curl sends --proxy-header to a proxy only)`,
    );

  const anon = anonymousOf(spec, signer);
  if (!opts.probes) {
    ev.skippedProbes.push({ probe: 'anonymous', reason: 'probes are off (--no-probes)' });
  } else if (!anon) {
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
    tasks.push(
      walk('anonymous', anon, ctx, { follow }).then((r) => {
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
        // Straight to the origin: the proxy's own credentials (-U, the proxy URL's, or a
        // Proxy-Authorization written with -H) are for the proxy and never go there.
        const w = wireOf(spec, ev.browserOrigin);
        w.headers = withoutHeaders(w.headers, ['proxy-authorization']);
        results.direct = (
          await walk('direct', w, { ...rest, dispatcher: d }, { follow, ...(signer ? { signer } : {}) })
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
    opts.probes && opts.repairs !== false && !ev.offline
      ? startRepairs(ev, ctx, opts, mainDone, signer, () => notFollowed)
      : undefined;
  // What why401 fetches on its own (discovery, JWKS, metadata, a discovered token endpoint) is
  // limited by fetch-guard.ts; the hosts the user named are not.
  const guard = new FetchGuard({
    trusted: [spec.url, opts.fresh?.issuer, opts.fresh?.tokenUrl, opts.fresh?.introspectUrl],
    allowPrivate: opts.fresh?.allowPrivateFetch === true,
    target: spec.url,
  });
  if (opts.probes && opts.fresh) {
    const plan = planIdp(ev, { dispatcher: ctx.dispatcher, signal: ctx.signal, guard }, opts.fresh, {
      resource: true,
      target: spec.url,
    });
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
        const headers = withoutHeaders(wireOf(spec).headers, ['authorization', ...(signer?.added ?? [])]);
        headers.push(['Authorization', `Bearer ${token}`]);
        const w: WireRequest = { method: spec.method, url: spec.url, headers };
        const body = bodyOf(spec);
        if (body !== undefined) w.body = body;
        results.fresh = (await walk('fresh', w, ctx, { follow })).exchanges;
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
  await Promise.all(tasks).finally(() => guard.close());
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
  signer: Sigv4Signer | undefined,
  notFollowed: () => string | undefined,
): Promise<{ sent: RepairSent[]; exchanges: Exchange[] }> {
  const [{ proposeRepairs }, { checks }, { deriveFacts }] = await Promise.all([
    import('../checks/index.js'),
    import('../checks/index.js'),
    import('../facts/request.js'),
  ]);
  const spec = ev.request;
  const ro: RepairOptions = {
    allowReplay: opts.allowReplay,
    extraHeaders: defaultHeaders(spec),
    follow: spec.followRedirects,
  };
  const body = bodyOf(spec);
  if (body !== undefined) ro.body = body;
  if (signer) ro.sign = resignRepair(spec, signer);
  const runner = new RepairRunner(ev, ctx, ro, walk);
  runner.offer(proposeRepairs(deriveFacts({ ...ev, exchanges: [] }), checks));
  const main = await mainDone;
  const final = main.at(-1)?.response?.status;
  // Nothing to repair when the request worked, or never got an answer.
  if (final !== undefined && final >= 400)
    runner.offer(proposeRepairs(deriveFacts({ ...ev, exchanges: main }), checks));
  // An http → https redirect not followed (no -L): the user's request sent to the https URL of the
  // same host, where the user's credentials may go (repairTargetAllowed). It shows whether the
  // secure URL was all the request lacked.
  const to = notFollowed();
  if (to && to.startsWith('https:') && spec.url.startsWith('http:') && repairTargetAllowed(spec.url, to)) {
    const status = main.at(-1)?.response?.status ?? 'a redirect';
    runner.offer([
      {
        cause: 'url.insecure-http',
        change: `the request sent to ${withoutUrlCredentials(to).split('?')[0]}, where the ${status} points`,
        request: { method: spec.method, url: to, headers: [...spec.headers] },
      },
    ]);
  }
  return { sent: runner.sent, exchanges: await runner.done() };
}

/**
 * A repaired request of an --aws-sigv4 request is signed for what it now is: the signature covers
 * the method, path, query and signed headers, so the old one would make every repair fail. A
 * repair that changes the Authorization header itself is no SigV4 request any more: undefined,
 * not sent.
 */
function resignRepair(spec: RequestSpec, signer: Sigv4Signer): (w: WireRequest) => WireRequest | undefined {
  const own = headerValue(spec.headers, 'authorization');
  return (w) => (headerValue(w.headers, 'authorization') === own ? signer.sign(w) : undefined);
}
