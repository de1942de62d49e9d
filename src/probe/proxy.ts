import { Buffer } from 'node:buffer';
import type { LookupFunction, Socket } from 'node:net';
import type * as Undici from 'undici';
import type { buildConnector as BuildConnector } from 'undici';
import { undici, type Dispatcher } from './undici.js';
import { PROXY_ERROR, proxyLikeFailure } from '../knowledge/proxy-failures.js';
import { parseProxyUrl, type ParsedProxy } from '../parse/proxy-url.js';
import type { Evidence, ProxyInfo } from '../model/evidence.js';
import { isSafeMethod, type HeaderList } from '../model/http.js';
import { proxyHeaderList } from '../parse/curl/index.js';
import { LIMITS } from './limits.js';
import { parseIPv4, parseIPv6 } from '../parse/ip.js';

export { proxyDisplay } from '../parse/proxy-url.js';

/*
 * Which proxy a request uses, decided exactly as curl decides it (curl(1) ENVIRONMENT, --proxy,
 * --noproxy; libcurl lib/url.c and lib/noproxy.c):
 *
 * 1. `-x/--proxy URL` wins over the environment. `-x ''` (an empty string) disables every proxy,
 *    the environment's included (CURLOPT_PROXY: "explicitly disables the use of a proxy, even if
 *    there is an environment variable set for it").
 * 2. Without -x, the environment, by the target's scheme:
 *    - http://  → `http_proxy` only. The upper-case `HTTP_PROXY` is never read: a CGI script gets
 *      the request header `Proxy:` as HTTP_PROXY, so an attacker could choose the proxy
 *      ("httpoxy"); curl(1): "http_proxy is an exception as it is only available in lower case".
 *    - https:// → `https_proxy`, then `HTTPS_PROXY` (lower case has precedence).
 *    - then `all_proxy`, then `ALL_PROXY` ("used if no protocol-specific proxy is set").
 *    An empty variable counts as unset (curl_getenv returns NULL for "").
 * 3. The exemption list: `--noproxy LIST` when given (even `--noproxy ''`, which exempts nothing),
 *    otherwise `no_proxy`, then `NO_PROXY`. Since curl 7.53.0 it also exempts hosts from a proxy
 *    given with -x. Matching (lib/noproxy.c, Curl_check_noproxy):
 *    - the list is exactly `*` → every host; a `*` inside a longer list is an ordinary entry that
 *      matches nothing;
 *    - entries are separated by commas, blanks around them are skipped; a blank that is not
 *      followed by a comma ends the list;
 *    - a host name matches an entry equal to it or a domain it is in, case-insensitively:
 *      `example.com` and `.example.com` both match `example.com` and `www.example.com`, never
 *      `nonexample.com`; one leading and one trailing dot of an entry, and a trailing dot of the
 *      host, are ignored;
 *    - an IP address (IPv4, or IPv6 written without brackets in the list) matches an equal
 *      address or, since 7.86.0, a CIDR range `192.168.0.0/16`, `fd00::/8`; an IP target is
 *      never matched by a name, nor a name by an IP entry;
 *    - curl has no port syntax: an entry `host:8080` matches nothing (the port of the target
 *      plays no part: `local.com` matches local.com:80 and local.com:8443 alike).
 */

export interface ResolveProxyOptions {
  /** curl -x/--proxy, as given ('' disables proxies). */
  cliProxy?: string;
  /** curl --noproxy, as given. */
  cliNoproxy?: string;
  /** curl -U/--proxy-user USER:PASSWORD, as given (curl URL-decodes both parts). */
  proxyUser?: string;
  env: Record<string, string | undefined>;
}

/**
 * The proxy URL with -U's user and password in it, where curl would send them: to whichever proxy
 * the rules pick (-x or the environment), and only when the proxy URL has none of its own (libcurl
 * reads the URL's userinfo after CURLOPT_PROXYUSERPWD and lets it win: lib/url.c, parse_proxy after
 * parse_proxy_auth). Kept in the URL, so the dispatcher sends them as Proxy-Authorization on
 * CONNECT and absolute-form requests alike, the checks see that the proxy had credentials, and the
 * redactor finds the password where it finds a password written in -x.
 */
function withProxyUser(url: string, userpass: string | undefined): string {
  if (userpass === undefined) return url;
  const colon = userpass.indexOf(':');
  // `-U user` (curl prompts for the password) and `-U :` (Windows SSPI) carry no password to send.
  if (colon <= 0) return url;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return url;
  }
  if (u.username || u.password) return url;
  // The setters percent-encode only what a URL cannot hold; `%XX` stays as written, so the proxy
  // URL's decoding (parseProxyUrl) gives the bytes curl's URL-decoding of -U gives.
  u.username = userpass.slice(0, colon);
  u.password = userpass.slice(colon + 1);
  return u.toString();
}

/** curl_getenv: an unset or empty variable is no variable. */
function getenv(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name];
  return v ? v : undefined;
}

function envProxy(
  scheme: 'http' | 'https',
  env: Record<string, string | undefined>,
): { url: string; source: string } | undefined {
  const names = scheme === 'http' ? ['http_proxy'] : ['https_proxy', 'HTTPS_PROXY'];
  for (const name of [...names, 'all_proxy', 'ALL_PROXY']) {
    const v = getenv(env, name);
    if (v !== undefined) return { url: v, source: name };
  }
  return undefined;
}

/** The proxy in effect for a request to `url`, or undefined when it goes direct with no proxy configured. */
export function resolveProxy(url: string, o: ResolveProxyOptions): ProxyInfo | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const scheme = target.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  let candidate: { url: string; source: string } | undefined;
  if (o.cliProxy !== undefined) {
    if (o.cliProxy === '') return undefined;
    candidate = { url: o.cliProxy, source: '-x' };
  } else {
    candidate = envProxy(scheme, o.env);
  }
  if (!candidate) return undefined;
  candidate = { ...candidate, url: withProxyUser(candidate.url, o.proxyUser) };
  const list = o.cliNoproxy ?? getenv(o.env, 'no_proxy') ?? getenv(o.env, 'NO_PROXY');
  const rule = list === undefined ? undefined : noproxyMatch(target.hostname, list);
  if (rule !== undefined)
    return { url: candidate.url, source: candidate.source, bypassed: true, bypassRule: rule };
  return { url: candidate.url, source: candidate.source, bypassed: false };
}

// ---------------------------------------------------------------------------------------------
// NO_PROXY matching (lib/noproxy.c)

function cidr4(name: string, network: string, bits: number): boolean {
  if (bits > 32) return false;
  const a = parseIPv4(name);
  const b = parseIPv4(network);
  if (!a || !b) return false;
  const num = (x: number[]) => ((x[0]! << 24) | (x[1]! << 16) | (x[2]! << 8) | x[3]!) >>> 0;
  // Curl_cidr4_match: 0 bits (no slash, or "/0") and 32 bits both compare the whole address.
  if (bits && bits !== 32) {
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return ((num(a) ^ num(b)) & mask) === 0;
  }
  return num(a) === num(b);
}

function cidr6(name: string, network: string, bits: number): boolean {
  const b = bits || 128;
  const bytes = Math.floor(b / 8);
  const rest = b & 7;
  if (bytes > 16 || (bytes === 16 && rest)) return false;
  const x = parseIPv6(name);
  const y = parseIPv6(network);
  if (!x || !y) return false;
  for (let i = 0; i < bytes; i++) if (x[i] !== y[i]) return false;
  if (rest && (x[bytes]! ^ y[bytes]!) & (0xff << (8 - rest)) & 0xff) return false;
  return true;
}

function matchHost(token: string, name: string): boolean {
  let t = token;
  if (t.endsWith('.')) t = t.slice(0, -1);
  if (t.startsWith('.')) t = t.slice(1);
  t = t.toLowerCase();
  const n = name.toLowerCase();
  if (t.length === n.length) return t === n;
  if (t.length < n.length) return n[n.length - t.length - 1] === '.' && n.endsWith(t);
  return false;
}

function matchIp(type: 'v4' | 'v6', token: string, name: string): boolean {
  if (token.length >= 128) return false;
  let check = token;
  let bits = 0;
  const slash = token.indexOf('/');
  if (slash >= 0) {
    const b = token.slice(slash + 1);
    if (!/^\d+$/.test(b) || Number(b) > 128) return false;
    bits = Number(b);
    check = token.slice(0, slash);
  }
  return type === 'v6' ? cidr6(name, check, bits) : cidr4(name, check, bits);
}

/**
 * The entry of a NO_PROXY/--noproxy list that exempts `hostname` (as URL.hostname gives it:
 * IPv6 in brackets), or undefined. Exported for tests and for naming the rule in findings.
 */
export function noproxyMatch(hostname: string, list: string): string | undefined {
  if (!hostname || !list) return undefined;
  if (list === '*') return '*';
  let name = /^\[.*\]$/.test(hostname) ? hostname.slice(1, -1) : hostname;
  const type = parseIPv4(name) ? 'v4' : parseIPv6(name) ? 'v6' : 'host';
  if (type === 'host' && name.endsWith('.')) name = name.slice(0, -1);
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  let i = 0;
  while (i < list.length) {
    while (blank(list[i])) i++;
    const start = i;
    while (i < list.length && !blank(list[i]) && list[i] !== ',') i++;
    const token = list.slice(start, i);
    if (token && (type === 'host' ? matchHost(token, name) : matchIp(type, token, name))) return token;
    while (blank(list[i])) i++;
    if (list[i] !== ',') break;
    while (list[i] === ',') i++;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The dispatcher

export interface ProxyDispatcherBase {
  /** curl -k: do not verify the target's certificate. An https:// proxy's own certificate is always verified. */
  insecure: boolean;
  /**
   * curl --cacert: the CAs to trust, for the target and an https:// proxy alike. Pass
   * `caOptions(pem).ca` (tls.ts) so the PEM extends Node's roots, as every other probe does; a bare
   * PEM replaces them (curl's own meaning).
   */
  ca?: string | string[];
  /**
   * Name resolution for direct connections to targets (never for the connection to a proxy, which
   * the user chose): fetch-guard.ts filters the addresses why401 may reach on its own.
   */
  lookup?: LookupFunction;
  /**
   * curl --proxy-header lines (-H syntax): for the proxy only, in the CONNECT of an https target
   * and after the request's own headers in the absolute-form request of an http one, as curl
   * sends them (lib/http.c Curl_add_custom_headers, HEADER_CONNECT and HEADER_PROXY).
   */
  proxyHeaders?: string[];
}

type TargetTls = { rejectUnauthorized: boolean; ca?: string | string[] };

/** An https:// proxy is verified against the same CAs as the target, never skipped by -k. */
function proxyTls(t: TargetTls): { ca?: string | string[] } {
  return t.ca ? { ca: t.ca } : {};
}

class ProxyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

/** Keeps the code (so errors.ts still classifies it) and says the failure was on the way to the proxy. */
function viaProxy(err: Error | null, proxy: ParsedProxy): Error {
  const e = new Error(`proxy ${proxy.origin}: ${err?.message ?? 'connection failed'}`) as Error & {
    code?: string;
  };
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') e.code = code;
  if (err) {
    e.name = err.name;
    e.cause = err;
  }
  return e;
}

function basicAuth(p: ParsedProxy): string | undefined {
  if (p.username === undefined) return undefined;
  return `Basic ${Buffer.from(`${p.username}:${p.password ?? ''}`, 'utf8').toString('base64')}`;
}

/**
 * Opens a CONNECT tunnel through the proxy and, for https targets, TLS inside it (so the proxy
 * sees only the host and port, as with curl for https). A refusal of CONNECT (407, 403, 502 …)
 * fails the connection with ERR_PROXY_TUNNEL and the proxy's status line.
 */
function tunnelConnector(
  proxy: ParsedProxy,
  auth: string | undefined,
  targetTls: TargetTls,
  extra: { send: HeaderList; remove: string[] },
): BuildConnector.connector {
  const toProxy = undici().buildConnector({ timeout: LIMITS.connectTimeoutMs, ...proxyTls(targetTls) });
  const toTarget = undici().buildConnector({ timeout: LIMITS.connectTimeoutMs, ...targetTls });
  return (opts, callback) => {
    let done = false;
    const finish = (err: Error | null, socket?: Socket) => {
      if (done) return;
      done = true;
      if (err) callback(err, null);
      else callback(null, socket!);
    };
    toProxy(
      {
        hostname: proxy.hostname,
        host: proxy.hostname,
        protocol: `${proxy.scheme}:`,
        port: String(proxy.port),
      },
      (err, socket) => {
        if (err || !socket) return finish(viaProxy(err, proxy));
        const host = opts.hostname.includes(':') ? `[${opts.hostname}]` : opts.hostname;
        const authority = `${host}:${opts.port || (opts.protocol === 'https:' ? 443 : 80)}`;
        const lines = [`CONNECT ${authority} HTTP/1.1`];
        if (!extra.remove.includes('host')) lines.push(`Host: ${authority}`);
        if (auth && !extra.send.some(([n]) => n.toLowerCase() === 'proxy-authorization'))
          lines.push(`Proxy-Authorization: ${auth}`);
        for (const [n, v] of extra.send) lines.push(`${n}: ${v}`);
        let head = Buffer.alloc(0);
        const timer = setTimeout(
          () => fail(new ProxyError('ETIMEDOUT', `the proxy did not answer CONNECT ${authority} in time`)),
          LIMITS.headersTimeoutMs,
        );
        const cleanup = () => {
          clearTimeout(timer);
          socket.removeListener('data', onData);
          socket.removeListener('error', onError);
          socket.removeListener('close', onClose);
        };
        const fail = (e: Error) => {
          cleanup();
          socket.destroy();
          finish(e);
        };
        const onError = (e: Error) => fail(viaProxy(e, proxy));
        const onClose = () =>
          fail(
            new ProxyError(
              'ECONNRESET',
              `the proxy ${proxy.origin} closed the connection before answering CONNECT ${authority}`,
            ),
          );
        const onData = (chunk: Buffer) => {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) {
            if (head.length > LIMITS.maxHeaderSize)
              fail(
                new ProxyError(PROXY_ERROR.tunnel, `the proxy's answer to CONNECT ${authority} is too large`),
              );
            return;
          }
          const statusLine = head.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
          const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(statusLine);
          const status = m ? Number(m[1]) : 0;
          if (status < 200 || status > 299) {
            const hint =
              status === 407
                ? ': it wants its own credentials (-U user:password, or in the proxy URL, http://user:password@host:port), which are not the API credentials'
                : '';
            fail(
              new ProxyError(
                PROXY_ERROR.tunnel,
                `the proxy ${proxy.origin} answered ${JSON.stringify(statusLine)} to CONNECT ${authority}${hint}`,
              ),
            );
            return;
          }
          cleanup();
          socket.pause();
          const rest = head.subarray(end + 4);
          if (rest.length) socket.unshift(rest);
          if (opts.protocol !== 'https:') {
            socket.resume();
            finish(null, socket);
            return;
          }
          toTarget({ ...opts, httpSocket: socket }, (e, tlsSocket) => {
            if (e || !tlsSocket) finish(e ?? new Error('TLS inside the tunnel failed'));
            else finish(null, tlsSocket);
          });
        };
        socket.on('data', onData);
        socket.on('error', onError);
        socket.on('close', onClose);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      },
    );
  };
}

type Headers = Undici.Dispatcher.DispatchOptions['headers'];

/** Dispatch headers as a flat [name, value, …] list, order and duplicates kept. */
function flatHeaders(h: Headers): string[] {
  if (!h) return [];
  if (Array.isArray(h)) return h.flatMap((v) => (Array.isArray(v) ? v : [v])).map(String);
  const out: string[] = [];
  const entries: Iterable<[string, unknown]> =
    Symbol.iterator in (h as object)
      ? (h as Iterable<[string, unknown]>)
      : Object.entries(h as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push(k, String(one));
  }
  return out;
}

function hasFlat(flat: string[], name: string): boolean {
  for (let i = 0; i < flat.length; i += 2) if (flat[i]!.toLowerCase() === name) return true;
  return false;
}

function isHttpOrigin(origin: unknown): boolean {
  return String(origin).toLowerCase().startsWith('http:');
}

/**
 * A proxied request to an http:// target as curl sends it to an HTTP proxy: absolute-form
 * (`GET http://host/path HTTP/1.1`), every header readable — and rewritable — by the proxy.
 */
function absoluteForm(
  opts: Undici.Dispatcher.DispatchOptions,
  auth: string | undefined,
  extra: HeaderList,
): Undici.Dispatcher.DispatchOptions {
  const origin = String(opts.origin).replace(/\/$/, '');
  const headers = flatHeaders(opts.headers);
  // curl's order: Host, Proxy-Authorization, the request's headers, then --proxy-header's.
  for (const [n, v] of extra) headers.push(n, v);
  if (auth && !hasFlat(headers, 'proxy-authorization')) headers.unshift('proxy-authorization', auth);
  if (!hasFlat(headers, 'host')) headers.unshift('host', new URL(origin).host);
  return { ...opts, path: `${origin}${opts.path || '/'}`, headers };
}

/**
 * The dispatcher for one run: a plain Agent when no proxy is in effect or NO_PROXY exempted the
 * target; otherwise one that sends http:// targets to the proxy in absolute form (so a proxy can
 * read and rewrite Authorization, as it can with curl) and tunnels https:// targets with CONNECT.
 * Credentials in the proxy URL become `Proxy-Authorization: Basic …` (never logged; the URL is
 * shown without them). Timeouts and the header cap are transport.ts's (LIMITS).
 *
 * `info` routes every origin alike. With `route` (e.g. `(o) => resolveProxy(o, sameOptions)`),
 * each origin the run contacts (redirect targets, the identity provider) is routed by curl's
 * rules for that origin, and `info` is only what is reported.
 *
 * Written on undici's Agent, Pool and buildConnector rather than its ProxyAgent: ProxyAgent folds
 * the header list into an object (a duplicated Authorization header would go out once) and turns
 * a proxy's 407 into an exception; here a 407 to an absolute-form request stays a response the
 * checks can read, and a refused CONNECT is an error that quotes the proxy's status line.
 * SOCKS proxies (which curl supports) are refused with ERR_PROXY_UNSUPPORTED.
 */
export function makeProxyDispatcher(
  info: ProxyInfo | undefined,
  base: ProxyDispatcherBase,
  route?: (origin: string) => ProxyInfo | undefined,
): Dispatcher {
  const targetTls: TargetTls = { rejectUnauthorized: !base.insecure };
  if (base.ca) targetTls.ca = base.ca;
  const extra = proxyHeaderList(base.proxyHeaders ?? []);
  const common = {
    maxHeaderSize: LIMITS.maxHeaderSize,
    headersTimeout: LIMITS.headersTimeoutMs,
    bodyTimeout: LIMITS.bodyTimeoutMs,
  };
  const directConnect = {
    timeout: LIMITS.connectTimeoutMs,
    ...targetTls,
    ...(base.lookup ? { lookup: base.lookup } : {}),
  };
  if (!route && (!info || info.bypassed)) {
    const plain = new (undici().Agent)({ ...common, connect: directConnect });
    MADE.set(plain, { info, base, route });
    return plain;
  }

  // One route per origin, decided once: as curl decides per connection, so a redirect to another
  // host, or the identity provider's discovery and JWKS, go through the proxy only if curl's rules
  // send that host through it.
  const routes = new Map<string, Route>();
  const routeFor = (origin: string): Route => {
    let r = routes.get(origin);
    if (!r) {
      r = routeOf(route ? route(origin) : info, targetTls, extra);
      routes.set(origin, r);
    }
    return r;
  };
  const agent = new (undici().Agent)({
    ...common,
    factory: (origin, opts) => {
      const key = String(origin);
      const r = routeFor(key);
      if (r.kind === 'direct') return new (undici().Pool)(key, { ...opts, connect: directConnect });
      if (r.kind === 'refuse')
        return new (undici().Pool)(key, { ...opts, connect: (_o, cb) => cb(r.error(), null) });
      if (isHttpOrigin(key)) return new (undici().Pool)(r.proxy.origin, { ...opts, connect: r.proxyConnect });
      return new (undici().Pool)(key, { ...opts, connect: r.tunnel });
    },
  });
  const composed = agent.compose((dispatch) => (opts, handler) => {
    const r = routeFor(String(opts.origin));
    return dispatch(
      r.kind === 'proxy' && isHttpOrigin(opts.origin) ? absoluteForm(opts, r.auth, extra.send) : opts,
      handler,
    );
  });
  MADE.set(composed, { info, base, route });
  return composed;
}

/** How each dispatcher was made, so an equal one with another `lookup` can be made (withLookup). */
const MADE = new WeakMap<
  Dispatcher,
  {
    info: ProxyInfo | undefined;
    base: ProxyDispatcherBase;
    route?: (origin: string) => ProxyInfo | undefined;
  }
>();

/**
 * A dispatcher that routes, verifies and limits as `d` does, whose direct connections resolve
 * names through `lookup`. One `d` did not make (a test's plain Agent) gives a plain direct one.
 */
export function withLookup(d: Dispatcher, lookup: LookupFunction): Dispatcher {
  const m = MADE.get(d);
  if (!m) return makeProxyDispatcher(undefined, { insecure: false, lookup });
  return makeProxyDispatcher(m.info, { ...m.base, lookup }, m.route);
}

type Route =
  | { kind: 'direct' }
  | { kind: 'refuse'; error: () => Error }
  | {
      kind: 'proxy';
      proxy: ParsedProxy;
      auth: string | undefined;
      /** A plain connection to the proxy (absolute-form requests). */
      proxyConnect: BuildConnector.connector;
      /** A CONNECT tunnel through the proxy, TLS inside (https targets). */
      tunnel: BuildConnector.connector;
    };

function routeOf(
  info: ProxyInfo | undefined,
  targetTls: TargetTls,
  extra: { send: HeaderList; remove: string[] },
): Route {
  if (!info || info.bypassed) return { kind: 'direct' };
  const parsed = parseProxyUrl(info.url);
  if ('problem' in parsed) {
    const problem = parsed.problem;
    return {
      kind: 'refuse',
      error: () => new ProxyError(PROXY_ERROR.invalid, `${problem} (proxy from ${info.source})`),
    };
  }
  const proxy = parsed;
  if (proxy.scheme !== 'http' && proxy.scheme !== 'https') {
    return {
      kind: 'refuse',
      error: () =>
        new ProxyError(
          PROXY_ERROR.unsupported,
          `why401 cannot send through a ${proxy.scheme}:// proxy (${proxy.origin}, from ${info.source}); curl can. Use --noproxy '*' to test without it`,
        ),
    };
  }
  const auth = basicAuth(proxy);
  const toProxy = undici().buildConnector({ timeout: LIMITS.connectTimeoutMs, ...proxyTls(targetTls) });
  const proxyConnect: BuildConnector.connector = (opts, cb) =>
    toProxy(opts, (err, socket) => (err || !socket ? cb(viaProxy(err, proxy), null) : cb(null, socket)));
  return { kind: 'proxy', proxy, auth, proxyConnect, tunnel: tunnelConnector(proxy, auth, targetTls, extra) };
}

// ---------------------------------------------------------------------------------------------
// The direct probe

export interface DirectProbeOptions {
  /** --allow-replay: an unsafe method may be sent again. */
  allowReplay?: boolean;
  /** false with --no-probes. */
  probes?: boolean;
}

/**
 * Whether to send the user's request once more without the proxy (probe `direct`): only when a
 * proxy carried it, the answer is one a proxy can cause (401/403, the proxy's own 407 or 5xx, or
 * no answer at all), and the method may be repeated. Pure: reads the evidence after the main
 * request; the caller sends the probe with a plain Agent (makeProxyDispatcher(undefined, …)).
 */
export function directProbePlan(
  ev: Evidence,
  o: DirectProbeOptions = {},
): { send: boolean; reason?: string } {
  const p = ev.proxy;
  if (!p) return { send: false, reason: 'no proxy is in effect: the request already went direct' };
  if (p.bypassed)
    return {
      send: false,
      reason: `${ev.request.noproxy !== undefined ? '--noproxy' : 'NO_PROXY'} entry ${JSON.stringify(p.bypassRule ?? '')} exempts the host: the request already went direct`,
    };
  if (o.probes === false) return { send: false, reason: 'probes are off (--no-probes)' };
  if (ev.offline) return { send: false, reason: 'offline: nothing was sent (--offline)' };
  const final = ev.exchanges
    .filter((x) => x.probe === 'main')
    .sort((a, b) => a.hop - b.hop)
    .at(-1);
  if (!final) return { send: false, reason: 'the request itself was not sent' };
  const status = final.response?.status;
  const refused = status === 401 || status === 403;
  if (!refused && !proxyLikeFailure(final))
    return {
      send: false,
      reason: `through the proxy the request answered ${status ?? final.error?.code ?? 'nothing'}, which the proxy is not suspected of`,
    };
  if (!isSafeMethod(ev.request.method) && !o.allowReplay)
    return {
      send: false,
      reason: `${ev.request.method} is not a safe method; pass --allow-replay to send it again without the proxy`,
    };
  return { send: true };
}
