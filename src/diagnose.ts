import type { Evidence, RequestSpec } from './model/evidence.js';
import type { Report } from './model/report.js';
import type { AnalyzeOptions } from './core/analyze.js';
import { LIMITS } from './probe/limits.js';
import type { FreshCredentials } from './probe/plan-idp.js';
import { gather } from './probe/run.js';
import { makeDispatcher, proxyInEffect } from './probe/transport.js';

/**
 * gather → check → rank: the one entry point the CLI, the web page's server and the tests share.
 * Node only (it sends requests); `analyze` is the platform-neutral half.
 */

export interface DiagnoseOptions {
  source: Evidence['source'];
  inputWarnings?: string[];
  expect?: Evidence['expect'];
  probes?: boolean;
  offline?: boolean;
  allowReplay?: boolean;
  showSecrets?: boolean;
  /** --origin: the page origin a browser would send the request from. */
  browserOrigin?: string;
  /** --issuer, --token-url, --client-id … for the identity-provider probes and the fresh-token probe. */
  fresh?: FreshCredentials;
  env?: Record<string, string | undefined>;
  onProgress?: (msg: string) => void;
  /** For tests: the local clock. */
  now?: number;
}

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
  };
}

export async function gatherEvidence(spec: RequestSpec, opts: DiagnoseOptions): Promise<Evidence> {
  const ev = newEvidence(spec, opts);
  if (opts.offline) {
    ev.skippedProbes.push({ probe: 'main', reason: 'offline: nothing was sent (--offline)' });
    return ev;
  }
  const transport = { insecure: spec.insecure, env: opts.env ?? {} } as Parameters<typeof makeDispatcher>[0];
  if (spec.proxy) transport.proxy = spec.proxy;
  if (spec.noproxy !== undefined) transport.noproxy = spec.noproxy;
  const dispatcher = makeDispatcher(transport);
  const signal = AbortSignal.timeout(spec.maxTimeMs ?? LIMITS.runTimeoutMs);
  try {
    const ctx: Parameters<typeof gather>[1] = { dispatcher, signal };
    const via = proxyInEffect(transport);
    if (via) ctx.via = via;
    if (opts.onProgress) ctx.onProgress = opts.onProgress;
    await gather(ev, ctx, {
      probes: opts.probes ?? true,
      allowReplay: opts.allowReplay ?? false,
      fresh: opts.fresh ?? {},
    });
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
  return ev;
}

export async function diagnose(
  spec: RequestSpec,
  opts: DiagnoseOptions,
): Promise<{ evidence: Evidence; report: Report }> {
  const gathering = gatherEvidence(spec, opts);
  // The checks load while the requests are in flight, not before them: the first request
  // leaves as early as possible, and nothing waits for the checks afterwards.
  const analyzing = new Promise((r) => setTimeout(r, 0)).then(() => import('./core/analyze.js'));
  const evidence = await gathering;
  const { analyze } = await analyzing;
  const aopts: AnalyzeOptions = {
    extraSecrets: [opts.fresh?.clientSecret, opts.fresh?.refreshToken],
  };
  if (opts.showSecrets) aopts.showSecrets = true;
  return { evidence, report: analyze(evidence, aopts) };
}
