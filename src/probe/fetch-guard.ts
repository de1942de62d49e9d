import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from './undici.js';
import { parseIPv4, parseIPv6 } from '../parse/ip.js';

/**
 * Limits on what why401 fetches on its own: OIDC discovery for a token's `iss`, the `jwks_uri`
 * and `token_endpoint` a discovery document names, the `resource_metadata` a 401 challenge names.
 * Those URLs come from the token and the server, not from the user, so a hostile token or server
 * could point them anywhere (server-side request forgery, OWASP API7:2023):
 *
 * - only http: and https:;
 * - never a link-local address (169.254.0.0/16, fe80::/10), a cloud metadata service
 *   (169.254.169.254, fd00:ec2::254, 100.100.100.200, metadata.google.internal), an unspecified
 *   address (0.0.0.0/8, ::), multicast or reserved space;
 * - private and loopback networks (10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, ::1, fc00::/7)
 *   only when the user's own target is itself on one (a local identity provider beside a local
 *   API), or with --allow-private-fetch;
 * - at most MAX_FETCH_HOSTS hosts per run besides the ones the user named.
 *
 * The address is checked after resolution, in the connection's own `lookup`, so a name that
 * resolves to a public address when checked and to 169.254.169.254 when connected (DNS
 * rebinding) is refused too. Through a proxy the proxy resolves the name, so only the name and
 * a literal address can be judged there.
 *
 * The origins the user named (the request's own, --issuer, --token-url, --introspect-url) are the
 * user's choice and are not limited; another port on the same host is not one of them.
 */

export type AddressClass =
  'metadata' | 'link-local' | 'unspecified' | 'reserved' | 'loopback' | 'private' | 'public';

/** At most this many hosts why401 reaches on its own in one run (issuer, JWKS, token endpoint, metadata). */
export const MAX_FETCH_HOSTS = 4;

const WORDS: Record<Exclude<AddressClass, 'public'>, string> = {
  metadata: 'a cloud metadata address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified address',
  reserved: 'a multicast or reserved address',
  loopback: 'a loopback address',
  private: 'a private-network address',
};

const NEVER = new Set<AddressClass>(['metadata', 'link-local', 'unspecified', 'reserved']);

/** Instance metadata endpoints by name (GCP; Azure and AWS use 169.254.169.254, Alibaba 100.100.100.200). */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

function classOf4(b: number[]): AddressClass {
  const [a, c] = [b[0]!, b[1]!];
  const ip = b.join('.');
  // AWS, Azure, GCP, OpenStack (169.254.169.254); AWS ECS task metadata (169.254.170.2); Alibaba.
  if (ip === '169.254.169.254' || ip === '169.254.170.2' || ip === '100.100.100.200') return 'metadata';
  if (a === 0) return 'unspecified';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) return 'private';
  // RFC 6598 shared address space (carrier-grade NAT), inside many cloud networks.
  if (a === 100 && c >= 64 && c <= 127) return 'private';
  if (a >= 224) return 'reserved';
  return 'public';
}

function classOf6(b: number[]): AddressClass {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return classOf4(b.slice(12));
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12))
    return classOf4(b.slice(12));
  if (zero(0, 15) && b[15] === 0) return 'unspecified';
  if (zero(0, 15) && b[15] === 1) return 'loopback';
  // AWS's IPv6 instance metadata endpoint, fd00:ec2::254.
  if (
    b[0] === 0xfd &&
    b[1] === 0 &&
    b[2] === 0x0e &&
    b[3] === 0xc2 &&
    zero(4, 14) &&
    b[14] === 0x02 &&
    b[15] === 0x54
  )
    return 'metadata';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local';
  if ((b[0]! & 0xfe) === 0xfc) return 'private';
  if (b[0] === 0xff) return 'reserved';
  return 'public';
}

/** The class of an IP address literal (IPv6 with or without brackets), or undefined for a name. */
export function addressClass(host: string): AddressClass | undefined {
  const h = host.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const v4 = parseIPv4(h);
  if (v4) return classOf4(v4);
  const v6 = parseIPv6(h);
  if (v6) return classOf6(v6);
  return undefined;
}

/** What a host name or literal is before any resolution: metadata and localhost names count too. */
export function hostClass(hostname: string): AddressClass | undefined {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  const literal = addressClass(h);
  if (literal) return literal;
  if (METADATA_NAMES.has(h)) return 'metadata';
  // RFC 6761 §6.3: localhost and its subdomains are the loopback interface.
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback';
  return undefined;
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

export interface FetchGuardOptions {
  /** URLs the user named (the request's own, --issuer, --token-url, --introspect-url): their origins are not limited. */
  trusted: Array<string | undefined>;
  /** --allow-private-fetch. */
  allowPrivate: boolean;
  /**
   * The user's own target. Private and loopback fetches are allowed when it is itself private or
   * loopback. Without one (`why401 token` has no request), why401 runs where the token's holder
   * works, and only the never-fetched classes and the host count apply.
   */
  target?: string;
  /** Resolves a name for the target check (node:dns lookup by default; tests pass their own). */
  resolve?: (host: string) => Promise<string[]>;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((ok) => {
    const timer = setTimeout(() => ok([]), 2000);
    dnsLookup(host, { all: true }, (err, addrs) => {
      clearTimeout(timer);
      ok(err ? [] : addrs.map((a) => a.address));
    });
  });
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** One run's limits: which hosts may be reached, and the `lookup` that holds them at connection time. */
export class FetchGuard {
  private readonly trustedOrigins = new Set<string>();
  /** Their host names, for the connection-time lookup (which sees no port). */
  private readonly trustedHosts = new Set<string>();
  private readonly admitted = new Set<string>();
  private readonly privateOk: Promise<boolean>;
  private readonly dispatchers = new Map<Dispatcher, Dispatcher>();
  /** Every refusal, in words ("not fetched: …"), in order. */
  readonly refusals: string[] = [];

  constructor(o: FetchGuardOptions) {
    for (const u of o.trusted) {
      const origin = u === undefined ? undefined : originOf(u);
      if (!origin) continue;
      this.trustedOrigins.add(origin);
      this.trustedHosts.add(hostOf(origin)!);
    }
    const target = o.target === undefined ? undefined : hostOf(o.target);
    this.privateOk =
      o.allowPrivate || target === undefined
        ? Promise.resolve(true)
        : targetIsPrivate(target, o.resolve ?? resolveAll);
  }

  private refuse(why: string): string {
    const line = `not fetched: ${why}`;
    if (!this.refusals.includes(line)) this.refusals.push(line);
    return line;
  }

  /** Why an address (literal or resolved from `name`) may not be reached, or undefined. */
  private async addressRefusal(cls: AddressClass | undefined, shown: string): Promise<string | undefined> {
    if (!cls || cls === 'public') return undefined;
    if (NEVER.has(cls))
      return this.refuse(
        `${shown} is ${WORDS[cls]}; why401 never fetches link-local, metadata or reserved addresses on its own`,
      );
    if (await this.privateOk) return undefined;
    return this.refuse(
      `${shown} is ${WORDS[cls]} and the request's own target is not; pass --allow-private-fetch to let why401 fetch it (a local identity provider)`,
    );
  }

  /**
   * Why `url` may not be fetched ("not fetched: …"), or undefined when it may. Admits its host,
   * so a later URL on the same host needs no new slot.
   */
  async refusal(url: string): Promise<string | undefined> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return this.refuse(`${JSON.stringify(url)} is not an absolute URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return this.refuse(`${u.protocol}// URLs are not fetched (only http and https)`);
    if (this.trustedOrigins.has(u.origin)) return undefined;
    const host = u.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    const why = await this.addressRefusal(hostClass(host), host);
    if (why) return why;
    if (!this.admitted.has(host)) {
      if (this.admitted.size >= MAX_FETCH_HOSTS)
        return this.refuse(
          `${host} would be host number ${this.admitted.size + 1} that why401 reaches on its own in this run (at most ${MAX_FETCH_HOSTS})`,
        );
      this.admitted.add(host);
    }
    return undefined;
  }

  /**
   * For net.connect / tls.connect: resolves as usual, then keeps only the addresses the rules
   * allow. A name whose every address is refused fails the connection with EFETCHREFUSED.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const cb = callback as unknown as LookupCallback;
    const opts = (options ?? {}) as LookupOptions;
    const host = hostname.toLowerCase();
    if (this.trustedHosts.has(host)) {
      dnsLookup(hostname, { ...opts, all: true }, (err, addrs) =>
        err ? cb(err, '') : opts.all ? cb(null, addrs) : cb(null, addrs[0]!.address, addrs[0]!.family),
      );
      return;
    }
    dnsLookup(hostname, { ...opts, all: true }, (err, addrs) => {
      if (err) return cb(err, '');
      void (async () => {
        const ok: LookupAddress[] = [];
        let why: string | undefined;
        for (const a of addrs) {
          const r = await this.addressRefusal(
            addressClass(a.address),
            `${a.address} (the address of ${hostname})`,
          );
          if (r) why ??= r;
          else ok.push(a);
        }
        if (!ok.length) {
          const e = new Error(why ?? `not fetched: ${hostname} has no address`) as NodeJS.ErrnoException;
          e.code = 'EFETCHREFUSED';
          return cb(e, '');
        }
        if (opts.all) cb(null, ok);
        else cb(null, ok[0]!.address, ok[0]!.family);
      })();
    });
  };

  /**
   * `base` with this guard's lookup on its direct connections (proxies keep their own routes);
   * `withLookup` is proxy.ts's, passed in so that the guard's rules load without undici (the
   * boot-time prefetch, prefetch.ts, applies them to node:http).
   */
  dispatcherFor(
    base: Dispatcher,
    withLookup: (d: Dispatcher, lookup: LookupFunction) => Dispatcher,
  ): Dispatcher {
    let d = this.dispatchers.get(base);
    if (!d) {
      d = withLookup(base, this.lookup);
      this.dispatchers.set(base, d);
    }
    return d;
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }
}

async function targetIsPrivate(host: string, resolve: (h: string) => Promise<string[]>): Promise<boolean> {
  const cls = hostClass(host);
  if (cls) return cls === 'private' || cls === 'loopback';
  const addrs = await resolve(host);
  return addrs.some((a) => {
    const c = addressClass(a);
    return c === 'private' || c === 'loopback';
  });
}
