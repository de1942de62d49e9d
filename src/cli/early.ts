import type { Prefetch, PrefetchPlan } from '../probe/prefetch.js';
import type { HeaderList } from '../model/http.js';

/**
 * What the command line says before anything else loads (issue 16). A diagnosis sends the user's
 * request and the same request without credentials, and for a Bearer JWT with an `iss` asks that
 * issuer for discovery and then the JWKS: the CLI starts them right away (probe/prefetch.ts) while
 * the rest of why401 loads (~130 ms: the curl parser, undici, the probes), and the run takes
 * their answers.
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

/** The boot-time plan, and whether the disk cache is used (--no-cache: not). */
export type EarlyPlan = PrefetchPlan & { cache: boolean };

const PROXY_ENV = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'];

/**
 * The options after which the user's request is still exactly what `requestOf` builds (a GET
 * with -H headers, --oauth2-bearer, curl's default User-Agent and Accept). Any other option of
 * the lists above changes the request (a body, -A, -b, --compressed, --origin's Origin): the
 * request then waits for the run, which builds it with curl's whole parser.
 */
const KEEPS_REQUEST = new Set([
  ...Object.keys(OWN).filter((o) => o !== '--origin'),
  ...['-H', '--header', '--url', '--oauth2-bearer', '-X', '--request'],
  ...['-s', '--silent', '-S', '--show-error', '-v', '--verbose', '-i', '--include'],
]);

/** RFC 9110 §5.1. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Headers whose sending the HTTP stack shapes itself (framing, connection, the Host curl always
 * writes): with one of them the two stacks could put different bytes on the wire.
 */
const STACK_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'expect',
  'proxy-connection',
]);

/**
 * A -H line as parse/curl/headers.ts reads it (curl's Curl_add_custom_headers) when the reading is
 * plain: a token name, a colon, a value of visible ASCII without white space at either end.
 * Anything else (a removal, `Name;`, @file, a folded or odd line) is undefined: not built here.
 */
function plainHeader(raw: string): [string, string] | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0) return undefined;
  const name = raw.slice(0, colon);
  const value = raw.slice(colon + 1).replace(/^[ \t]+/, '');
  if (!TOKEN.test(name) || STACK_HEADERS.has(name.toLowerCase())) return undefined;
  if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value)) return undefined;
  return [name, value];
}

/**
 * A URL the run's parser leaves as it is: http(s), ASCII, already in WHATWG form, with no
 * userinfo (curl makes it Basic credentials), fragment or glob characters.
 */
function plainUrl(url: string): boolean {
  if (/[^\x21-\x7e]|[@#[\]{}\\]/.test(url)) return false;
  try {
    return new URL(url).href === url;
  } catch {
    return false;
  }
}

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
 * The user's request as the run will put it on the wire (gatherers/wire.ts wireOf): the
 * --oauth2-bearer Authorization first, then curl's User-Agent and Accept unless a -H gives them,
 * then the -H headers in order (lib/http.c Curl_http's order, as parse/curl/build.ts keeps it).
 */
function requestOf(custom: HeaderList, bearer: string | undefined, userAgent: string): HeaderList {
  const has = (name: string) => custom.some(([n]) => n.toLowerCase() === name);
  const headers: HeaderList = bearer === undefined ? [] : [['Authorization', `Bearer ${bearer}`]];
  if (!has('user-agent')) headers.push(['User-Agent', userAgent]);
  if (!has('accept')) headers.push(['Accept', '*/*']);
  return [...headers, ...custom];
}

/**
 * The plan for the boot-time requests of a direct-form diagnosis (`why401 URL -H …`), or
 * undefined whenever the run might ask otherwise. `cache`: whether the disk cache is read (not with
 * --no-cache); its folder is startEarly's to find. The user's request is in `exchanges` only when
 * this reading of the command line is sure to be the run's (see KEEPS_REQUEST, plainHeader,
 * plainUrl); its anonymous twin is startEarly's to add.
 */
export function earlyPlan(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  userAgent: string,
): EarlyPlan | undefined {
  if (Object.entries(env).some(([k, v]) => v && PROXY_ENV.includes(k.toLowerCase()))) return undefined;
  let url: string | undefined;
  let token: string | undefined;
  let allowPrivate = false;
  let cache = true;
  // Whether the request is still certain, and what it is so far.
  let certain = true;
  const custom: HeaderList = [];
  let bearer: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      if (url !== undefined || !/^https?:\/\//i.test(a)) return undefined;
      url = a;
      continue;
    }
    const takes = OWN[a] ?? CURL[a];
    if (takes === undefined) return undefined;
    if (!KEEPS_REQUEST.has(a)) certain = false;
    if (a === '--allow-private-fetch') allowPrivate = true;
    if (a === '--no-cache') cache = false;
    if (!takes) continue;
    const v = argv[++i];
    if (v === undefined) return undefined;
    if (a === '--url') {
      if (url !== undefined || !/^https?:\/\//i.test(v)) return undefined;
      url = v;
    }
    if (a === '-H' || a === '--header') {
      const h = plainHeader(v);
      if (h) custom.push(h);
      else certain = false;
    }
    if (a === '-X' || a === '--request') certain &&= v === 'GET';
    if (a === '--oauth2-bearer') {
      certain &&= bearer === undefined && /^[\x21-\x7e]+$/.test(v);
      bearer = v;
    }
    const t = a === '--oauth2-bearer' ? v : a === '-H' || a === '--header' ? bearerOf(v) : undefined;
    if (t !== undefined) {
      if (token !== undefined && token !== t) return undefined;
      token = t;
    }
  }
  // What parseOwn refuses as a usage error: nothing may leave before the user reads it.
  if (argv.includes('--json') && argv.includes('--markdown')) return undefined;
  if (!url) return undefined;
  try {
    new URL(url);
  } catch {
    return undefined;
  }
  // --oauth2-bearer beside a -H Authorization: curl sends the -H one, with a warning.
  if (bearer !== undefined && custom.some(([n]) => n.toLowerCase() === 'authorization')) certain = false;
  const issuer = token && issuerOf(token);
  certain &&= plainUrl(url);
  if (!issuer && !certain) return undefined;
  return {
    ...(issuer ? { issuer } : {}),
    target: url,
    allowPrivate,
    userAgent,
    cache,
    ...(certain
      ? { exchanges: [{ method: 'GET', url, headers: requestOf(custom, bearer, userAgent) }] }
      : {}),
  };
}

/**
 * Starts the boot-time requests for `argv` when `earlyPlan` finds some; the Prefetch is the run's
 * to take from.
 */
export function startEarly(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  userAgent: string,
): Promise<Prefetch | undefined> | undefined {
  // The cheapest test first: no URL, no diagnosis of a request (and nothing more to load).
  if (!argv.some((a) => /^https?:\/\//i.test(a))) return undefined;
  const plan = earlyPlan(argv, env, userAgent);
  if (!plan) return undefined;
  return (async () => {
    let prefetch: Prefetch | undefined;
    // The issuer's documents first, when there is an issuer: a cold diagnosis waits on discovery
    // and then the JWKS, two round trips, and the user's request (one) can wait for the ~15 ms
    // their guard, targets and cache folder take to load. Begun together, each held the other
    // back, and both ended later (bench/idp-delay.mjs, issue 16).
    if (plan.issuer) {
      const [{ platformCacheDir }, { prefetchTargets, stored }, { Prefetch, askDocuments }] =
        await Promise.all([
          import('../probe/cache-folder.js'),
          import('../probe/prefetch-targets.js'),
          import('../probe/prefetch-documents.js'),
        ]);
      const cacheDir = plan.cache ? platformCacheDir(env, platform) : undefined;
      if (cacheDir) plan.cacheDir = cacheDir;
      if (!plan.exchanges && cacheDir) {
        // The second run of the day with a request this cannot build: both documents stored,
        // nothing to ask, and no request of this head start holds a socket.
        const { discovery, metadata } = prefetchTargets(plan.issuer, plan.target);
        if (stored(cacheDir, discovery) && stored(cacheDir, metadata)) return undefined;
      }
      prefetch = new Prefetch();
      askDocuments(prefetch, plan);
    }
    // The user's request and its anonymous twin: node:http, and the one credential rule.
    const main = plan.exchanges?.[0];
    if (main) {
      const [{ Prefetch, sendExchanges }, { anonymousTwin }] = await Promise.all([
        import('../probe/prefetch.js'),
        import('../probe/anonymous-twin.js'),
      ]);
      const twin = anonymousTwin(main);
      prefetch ??= new Prefetch();
      sendExchanges(prefetch, twin ? [main, twin] : [main], plan.target);
    }
    return prefetch;
  })();
}
