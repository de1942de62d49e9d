import type { Prefetch, PrefetchPlan } from '../probe/prefetch.js';

/**
 * What the command line says before anything else loads (issue 16): a diagnosis of a request that
 * carries a Bearer JWT with an `iss` will ask that issuer for discovery and then the JWKS, so the
 * CLI asks right away (probe/prefetch.ts) while the rest of why401 loads.
 *
 * This reads argv with the least code that can, and declines whenever it is not sure what the run
 * will do: any option it does not know (a proxy, TLS settings, --issuer, --no-probes, --offline,
 * --from …), a proxy in the environment, a pasted command, a second URL. Declining costs nothing
 * but the head start; the run asks on its own as it always did.
 */

/** why401's options that change nothing about the identity provider's requests; true: takes a value. */
const OWN: Record<string, boolean> = {
  '--json': false,
  '--markdown': false,
  '--html': true,
  '--show-secrets': false,
  '--no-repairs': false,
  '--no-cache': false,
  '--allow-replay': false,
  '--allow-private-fetch': false,
  '--expect-issuer': true,
  '--expect-audience': true,
  '--expect-scope': true,
  '--origin': true,
  '--save-evidence': true,
  '--no-color': false,
  '--quiet': false,
  '-q': false,
};

/** curl's options that do not change where or how the identity provider is reached. */
const CURL: Record<string, boolean> = {
  '-H': true,
  '--header': true,
  '-X': true,
  '--request': true,
  '--url': true,
  '--oauth2-bearer': true,
  '-d': true,
  '--data': true,
  '--data-raw': true,
  '--data-binary': true,
  '-A': true,
  '--user-agent': true,
  '-e': true,
  '--referer': true,
  '-b': true,
  '--cookie': true,
  '-s': false,
  '--silent': false,
  '-S': false,
  '--show-error': false,
  '-v': false,
  '--verbose': false,
  '-i': false,
  '--include': false,
  '--compressed': false,
};

const PROXY_ENV = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'];

/** The Bearer token of an `Authorization` header value, or undefined. */
function bearerOf(header: string): string | undefined {
  const m = /^\s*authorization\s*:\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** A JWS's `iss` when it is an http(s) URL (RFC 7519 §4.1.1); nothing is verified here. */
function issuerOf(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[\w-]+$/.test(parts[1]!)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown };
    const iss = claims.iss;
    if (typeof iss !== 'string') return undefined;
    const u = new URL(iss);
    return u.protocol === 'https:' || u.protocol === 'http:' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The plan for the boot-time requests of a direct-form diagnosis (`why401 URL -H …`), or
 * undefined whenever the run might ask otherwise. `cacheDir` is the disk cache's folder (none with
 * --no-cache, which this reads).
 */
export function earlyPlan(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cacheDir: string | undefined,
  userAgent: string,
): PrefetchPlan | undefined {
  if (Object.entries(env).some(([k, v]) => v && PROXY_ENV.includes(k.toLowerCase()))) return undefined;
  let url: string | undefined;
  let token: string | undefined;
  let allowPrivate = false;
  let cache = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      if (url !== undefined || !/^https?:\/\//i.test(a)) return undefined;
      url = a;
      continue;
    }
    const takes = OWN[a] ?? CURL[a];
    if (takes === undefined) return undefined;
    if (a === '--allow-private-fetch') allowPrivate = true;
    if (a === '--no-cache') cache = false;
    if (!takes) continue;
    const v = argv[++i];
    if (v === undefined) return undefined;
    if (a === '--url') {
      if (url !== undefined || !/^https?:\/\//i.test(v)) return undefined;
      url = v;
    }
    const t = a === '--oauth2-bearer' ? v : a === '-H' || a === '--header' ? bearerOf(v) : undefined;
    if (t !== undefined) {
      if (token !== undefined && token !== t) return undefined;
      token = t;
    }
  }
  const issuer = token && issuerOf(token);
  if (!url || !issuer) return undefined;
  try {
    new URL(url);
  } catch {
    return undefined;
  }
  return {
    issuer,
    target: url,
    allowPrivate,
    userAgent,
    ...(cache && cacheDir ? { cacheDir } : {}),
  };
}

/** Starts the boot-time requests for `argv` when `earlyPlan` finds some; the Prefetch is the run's to take from. */
export function startEarly(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  userAgent: string,
): Promise<Prefetch | undefined> | undefined {
  // The cheapest test first: no Bearer header, nothing to do (and nothing more to load).
  if (!argv.some((a) => /bearer/i.test(a))) return undefined;
  return import('../probe/cache-dir.js').then(async ({ platformCacheDir }) => {
    const plan = earlyPlan(argv, env, platformCacheDir(env, platform), userAgent);
    if (!plan) return undefined;
    // The second run of the day: both documents stored, nothing to ask (the JWKS follows
    // discovery), and node:http and node:https need not load before the diagnosis does.
    const { prefetchTargets, stored } = await import('../probe/prefetch-targets.js');
    const { discovery, metadata } = prefetchTargets(plan.issuer, plan.target);
    const dir = plan.cacheDir;
    if (dir && (await stored(dir, discovery)) && (await stored(dir, metadata))) return undefined;
    const { startPrefetch } = await import('../probe/prefetch.js');
    return startPrefetch(plan);
  });
}
