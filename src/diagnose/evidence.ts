import type { Evidence, RequestSpec } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import type { AnalyzeOptions } from '../core/analyze.js';
import { LIMITS } from '../probe/limits.js';
import type { FreshCredentials } from '../probe/plan-idp.js';
import { gather } from '../probe/run.js';
import { makeProxyDispatcher, proxyDisplay, resolveProxy } from '../probe/proxy.js';
import { caOptions } from '../probe/tls.js';
import { HttpCache } from '../probe/http-cache.js';
import { DiskStore } from '../probe/cache-dir.js';
import { requestsWritten } from '../probe/first-send.js';
import type { Prefetch } from '../probe/prefetch.js';

/**
 * gather → check → rank for a request already parsed (a RequestSpec): what every diagnosis of a
 * request ends in (the CLI, the web page's server, the demo, the library's `diagnose`). Node only
 * (it sends requests); `analyze` is the platform-neutral half. Nothing here reads the process's
 * environment: proxies, NO_PROXY and NODE_EXTRA_CA_CERTS come in `env`, which the caller fills.
 */

export interface DiagnoseOptions {
  source: Evidence['source'];
  inputWarnings?: string[];
  expect?: Evidence['expect'];
  probes?: boolean;
  /** Repaired requests (the fix, tried); on unless false or probes are off. */
  repairs?: boolean;
  offline?: boolean;
  allowReplay?: boolean;
  showSecrets?: boolean;
  /** Secrets the evidence may not hold but an output may echo: the command line's (core/argument-secrets.ts). */
  extraSecrets?: string[];
  /** --origin: the page origin a browser would send the request from. */
  browserOrigin?: string;
  /** --openapi: the API's document, summarised. */
  openapi?: Evidence['openapi'];
  /** --issuer, --token-url, --client-id … for the identity-provider probes and the fresh-token probe. */
  fresh?: FreshCredentials;
  /**
   * The environment curl would read: HTTP(S)_PROXY, ALL_PROXY, NO_PROXY (and their lower-case
   * forms), NODE_EXTRA_CA_CERTS (added back beside --cacert). Default: none (`{}`); the CLI passes
   * its own process's.
   */
  env?: Record<string, string | undefined>;
  /**
   * The folder of the disk cache of discovery documents, JWKS and RFC 9728 metadata (the CLI
   * passes the platform's, probe/cache-dir.ts); none, or `cache: false` (--no-cache): nothing cached.
   */
  cacheDir?: string;
  cache?: false;
  /** Discovery and JWKS the CLI asked for at boot (probe/prefetch.ts). */
  prefetch?: Prefetch;
  onProgress?: (msg: string) => void;
  /** While the JWKS is awaited: a copy of the evidence so far (probe/run.ts's `whileWaiting`). */
  whileWaiting?: (partial: Evidence) => void;
  /** For tests: the local clock. */
  now?: number;
}

/** An empty Evidence for `spec`: nothing sent yet. */
export function newEvidence(spec: RequestSpec, opts: DiagnoseOptions): Evidence {
  return {
    now: opts.now ?? Date.now(),
    source: opts.source,
    request: spec,
    inputWarnings: [...(opts.inputWarnings ?? [])],
    exchanges: [],
    skippedProbes: [],
    expect: opts.expect ?? {},
    offline: opts.offline ?? false,
    ...(opts.browserOrigin ? { browserOrigin: new URL(opts.browserOrigin).origin } : {}),
    ...(opts.openapi ? { openapi: opts.openapi } : {}),
  };
}

/** Every probe of the plan run for `spec` (none with `offline`): the Evidence, not yet analysed. */
export async function gatherEvidence(spec: RequestSpec, opts: DiagnoseOptions): Promise<Evidence> {
  const ev = newEvidence(spec, opts);
  // curl's proxy rules (-x, the environment, --noproxy/NO_PROXY), decided once for the target and
  // again per origin for redirect targets and the identity provider.
  const po = {
    env: opts.env ?? {},
    ...(spec.proxy !== undefined ? { cliProxy: spec.proxy } : {}),
    ...(spec.noproxy !== undefined ? { cliNoproxy: spec.noproxy } : {}),
    ...(spec.proxyUser !== undefined ? { proxyUser: spec.proxyUser } : {}),
  };
  const proxy = resolveProxy(spec.url, po);
  if (proxy) ev.proxy = proxy;
  if (opts.offline) {
    ev.skippedProbes.push({ probe: 'main', reason: 'offline: nothing was sent (--offline)' });
    return ev;
  }
  const base = {
    insecure: spec.insecure,
    ...caOptions(spec.cacert?.pem, opts.env ?? {}),
    ...(spec.proxyHeaders ? { proxyHeaders: spec.proxyHeaders } : {}),
  };
  // Made when a request first needs it: a run whose requests all left at boot (cli/early.ts)
  // loads no HTTP client of its own (probe/undici.ts).
  let dispatcher: ReturnType<typeof makeProxyDispatcher> | undefined;
  const proxied = !!proxy && !proxy.bypassed;
  // The same request without the proxy, to tell whether the proxy is the difference.
  const direct = proxied ? makeProxyDispatcher(undefined, base) : undefined;
  const signal = AbortSignal.timeout(spec.maxTimeMs ?? LIMITS.runTimeoutMs);
  try {
    const ctx: Parameters<typeof gather>[1] = {
      get dispatcher() {
        return (dispatcher ??= makeProxyDispatcher(proxy, base, (origin) => resolveProxy(origin, po)));
      },
      signal,
    };
    if (proxied) ctx.via = proxyDisplay(proxy.url);
    if (opts.onProgress) ctx.onProgress = opts.onProgress;
    if (opts.prefetch) ctx.prefetch = opts.prefetch;
    if (opts.cacheDir && opts.cache !== false) ctx.idpCache = new HttpCache(new DiskStore(opts.cacheDir));
    await gather(ev, ctx, {
      probes: opts.probes ?? true,
      repairs: opts.repairs ?? true,
      allowReplay: opts.allowReplay ?? false,
      fresh: opts.fresh ?? {},
      ...(opts.env ? { env: opts.env } : {}),
      ...(direct ? { direct } : {}),
      ...(opts.whileWaiting ? { whileWaiting: opts.whileWaiting } : {}),
    });
  } finally {
    await dispatcher?.destroy().catch(() => undefined);
    await direct?.destroy().catch(() => undefined);
  }
  return ev;
}

/** A parsed request diagnosed: the evidence gathered and the report made from it. */
export async function diagnoseSpec(
  spec: RequestSpec,
  opts: DiagnoseOptions,
): Promise<{ evidence: Evidence; report: Report }> {
  let gathered = false;
  let analyzeNow: ((ev: Evidence, o: AnalyzeOptions) => Report) | undefined;
  const aopts: AnalyzeOptions = {
    extraSecrets: [opts.fresh?.clientSecret, opts.fresh?.refreshToken, ...(opts.extraSecrets ?? [])],
  };
  if (opts.showSecrets) aopts.showSecrets = true;
  // Listening before anything is sent: the checks load once the user's request is on the wire.
  const firstOut = requestsWritten(50, opts.prefetch);
  const gathering = gatherEvidence(spec, {
    ...opts,
    // Work while waiting (issue 16): once the user's request and the anonymous probe are in and
    // the JWKS request has left, the checks run once on what is in hand, and the result is
    // dropped. V8 compiles a function on its first call, and the knowledge tables build their
    // expressions on first use: ~40 ms that would otherwise follow the last answer. The report
    // is made from the whole evidence below, as always.
    whileWaiting: (partial) => {
      opts.whileWaiting?.(partial);
      if (gathered || !analyzeNow) return;
      try {
        analyzeNow(partial, aopts);
      } catch {
        // A rehearsal: whatever it meets, the real analysis meets and reports.
      }
    },
  });
  // The checks load while the requests are in flight, not before them: the first request
  // leaves as early as possible, and nothing waits for the checks afterwards. Nothing sent
  // (--offline, a refused request): as soon as the gathering ends.
  const analyzing = Promise.race([firstOut, gathering.catch(() => undefined)])
    .then(() => import('../core/analyze.js'))
    .then((m) => {
      analyzeNow = m.analyze;
      // While the first answers are awaited (a round trip at least): the checks once on the
      // usual answer to this very request, result dropped, so that their first real run is on
      // compiled code. A run whose identity-provider documents are cached waits on nothing after
      // the answer, and this was 25–40 ms of its exit (node --cpu-prof, Node 20 and 24). Not
      // before the boot-time JWKS request has left (Prefetch.quiet): it would hold it back.
      void (opts.prefetch?.quiet ?? Promise.resolve()).then(() => {
        if (!gathered && !opts.offline) rehearse(m.analyze, spec, opts, aopts);
      });
      return m;
    });
  const evidence = await gathering.finally(() => (gathered = true));
  const { analyze } = await analyzing;
  return { evidence, report: analyze(evidence, aopts) };
}

/**
 * The checks run once on `spec` as the usual refusal would answer it (a 401 with a Bearer
 * `invalid_token` challenge and an RFC 6750 JSON body, to the request and to the anonymous
 * probe). Nothing of it is kept: it only warms V8 and the knowledge tables' expressions.
 */
function rehearse(
  analyze: (ev: Evidence, o: AnalyzeOptions) => Report,
  spec: RequestSpec,
  opts: DiagnoseOptions,
  aopts: AnalyzeOptions,
): void {
  const body = '{"error":"invalid_token","error_description":"The access token is invalid"}';
  const answer = (probe: string, headers: RequestSpec['headers']): Evidence['exchanges'][number] => ({
    probe,
    hop: 0,
    request: { method: spec.method, url: spec.url, headers },
    response: {
      status: 401,
      statusText: 'Unauthorized',
      headers: [
        ['www-authenticate', 'Bearer realm="api", error="invalid_token"'],
        ['content-type', 'application/json'],
        ['content-length', String(body.length)],
      ],
      body,
      bodyBytes: body.length,
      bodyTruncated: false,
    },
    startedAt: opts.now ?? Date.now(),
    ms: 1,
  });
  try {
    const ev = newEvidence(structuredClone(spec), opts);
    ev.exchanges = [answer('main', spec.headers), answer('anonymous', [])];
    analyze(ev, aopts);
  } catch {
    // A rehearsal: whatever it meets, the real analysis meets and reports.
  }
}
