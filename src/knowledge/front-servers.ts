import type { HeaderList } from '../model/http.js';
import { headerValues } from '../model/http.js';
import { EDGES } from './front-servers/edges.js';
import { PROXIES } from './front-servers/proxies.js';
import { RUNTIMES } from './front-servers/runtimes.js';
import { WEB_SERVERS } from './front-servers/web-servers.js';

/**
 * Front servers: the web servers, reverse proxies, caches, CDNs, load balancers and application
 * runtimes a response names (Via, Server, X-Powered-By, their own error pages), and the known ways
 * each one loses the `Authorization` header (or another credential header) on the way to the code
 * that checks it. Platform-neutral data plus pure matchers.
 *
 * src/knowledge/gateways.ts names the layer that *refused*; this table names every layer on the
 * path and says how that layer can eat the credential, so that "the application said 401: token
 * missing" can be answered with the one configuration line that lets the token through.
 *
 * Every fix was read in the product's documentation or source (source per way); products whose
 * documentation names no way of losing the header have an empty list: still worth naming.
 */

export interface AuthLossWay {
  /** When this product loses Authorization (or another credential header), in plain words. */
  when: string;
  /** The exact configuration line(s) that fix it, ready to paste. */
  fix: string;
  /** Where this fact comes from: the product's documentation URL or source file. */
  source: string;
}

/**
 * How a product that checks Basic credentials itself (an htpasswd file, a user list) refuses
 * them: always a 401 with a new Basic challenge, which says nothing about which part was wrong.
 * Its error log does; these are its words there, measured on Debian's packages and read in source.
 */
export interface BasicRefusal {
  /** Where its users and passwords are set, as its configuration names it. */
  userFile: string;
  /** What its error log says for a wrong password or an unknown user. */
  log?: string;
  /**
   * When a right password gets the same 401 and Basic challenge: a rule that admits only some of
   * the users (Apache `Require user`), which the client cannot tell from a wrong password.
   */
  admits?: {
    /** The configuration that admits only some users. */
    rule: string;
    /** What its error log says then, when it says something else than for a wrong password. */
    log?: string;
  };
  source: string;
}

export interface FrontServer {
  /** Product name for people: "nginx", "Apache httpd", "Microsoft IIS", "HAProxy", … */
  product: string;
  version?: string;
  /**
   * The header (or error-page text) that named it: where like 'response.header.server' /
   * 'response.header.via' / 'response.header.x-powered-by' / 'response.body', value the exact
   * text quoted.
   */
  quote: { where: string; value: string };
  /**
   * 'front' when it typically sits in front of an application (reverse proxy, web server, CDN,
   * LB), 'app' when it IS the application runtime (PHP, Express, Gunicorn...).
   */
  role: 'front' | 'app';
  /** Known ways this product loses Authorization on the way to the code that checks it, most common first. */
  losesAuthorization: AuthLossWay[];
  /** How it refuses Basic credentials it checks itself, when it can. */
  basicAuth?: BasicRefusal;
}

/** A header other than Server and Via that names a product. */
export interface FrontServerHeaderRule {
  /** Header name, compared case-insensitively. */
  name: string;
  /** Tested against each value; omitted: the header only has to be present. A group named `v` is the version. */
  value?: RegExp;
}

/** How a product names itself. Every pattern may capture its version in a group named `v`. */
export interface FrontServerSignature {
  /** Tested against each Via hop (`1.1 varnish (Varnish/7.1)`). */
  via?: RegExp;
  /** Searched in each Server value; the match's position orders products named by one header. */
  server?: RegExp;
  /** Other headers (X-Powered-By, X-AspNet-Version, CF-Ray, X-Varnish …). */
  headers?: FrontServerHeaderRule[];
  /** Searched in the raw body (first 64 KiB): the product's own error page (each pattern on its own). */
  body?: RegExp | RegExp[];
}

export interface FrontServerEntry {
  product: string;
  role: 'front' | 'app';
  match: FrontServerSignature;
  losesAuthorization: readonly AuthLossWay[];
  basicAuth?: BasicRefusal;
  /** Where the signature strings were read: a URL or `owner/repo:path`. */
  source: string;
}

export const FRONT_SERVERS: readonly FrontServerEntry[] = [...WEB_SERVERS, ...PROXIES, ...EDGES, ...RUNTIMES];

// ---------------------------------------------------------------------------------------------
// The matcher.

const MAX_BODY = 64 * 1024;
const MAX_HEADER = 8 * 1024;
const MAX_QUOTE = 200;
/** A Via hop is a protocol, a host and a short comment: longer text is not worth a regex scan. */
const MAX_HOP = 512;

function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_QUOTE ? `${t.slice(0, MAX_QUOTE - 1)}…` : t;
}

/** Via elements, comma-separated outside comments, in the order the header lists them. */
export function viaHops(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((h) => h.trim()).filter((h) => h !== '');
}

interface Hit {
  entry: FrontServerEntry;
  /** Sort key: phase (0 Via, 1 Server, 2 other headers, 3 body), then position. */
  key: [number, number, number];
  where: string;
  value: string;
  version?: string;
}

function execOne(re: RegExp, text: string): RegExpExecArray | null {
  // Data patterns are written without the g/y flags; a fresh copy keeps lastIndex out of the way.
  const r = re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
  return r.exec(text);
}

function versionOf(m: RegExpExecArray): string | undefined {
  const v = m.groups?.['v'];
  return v !== undefined && v !== '' ? v : undefined;
}

function hit(
  entry: FrontServerEntry,
  key: Hit['key'],
  where: string,
  m: RegExpExecArray,
  quote?: string,
): Hit {
  const h: Hit = { entry, key, where, value: clip(quote ?? m[0]) };
  const v = versionOf(m);
  if (v !== undefined) h.version = v;
  return h;
}

/** Order of the non-Server, non-Via headers: X-Powered-By, X-AspNet-Version, then the rest. */
function headerRank(name: string): number {
  const n = name.toLowerCase();
  if (n === 'x-powered-by') return 0;
  if (n === 'x-aspnet-version') return 1;
  return 2;
}

/**
 * Every product the response names, in the order: Via hops (outermost first), Server,
 * X-Powered-By / X-AspNet-Version / other headers, error-page body signatures. No duplicates by
 * product (a later mention only fills in a version the first one lacked).
 */
export function identifyFrontServers(headers: HeaderList, body?: string): FrontServer[] {
  const catalog = FRONT_SERVERS;
  const hits: Hit[] = [];

  // Via: each proxy appends itself, so the last hop listed is the one nearest the client.
  const hops = headerValues(headers, 'via')
    .flatMap((v) => viaHops(v.slice(0, MAX_HEADER)))
    .map((hop) => hop.slice(0, MAX_HOP))
    .reverse();
  hops.forEach((hop, i) => {
    for (const entry of catalog) {
      if (!entry.match.via) continue;
      const m = execOne(entry.match.via, hop);
      if (m) hits.push(hit(entry, [0, i, 0], 'response.header.via', m, hop));
    }
  });

  headerValues(headers, 'server').forEach((raw, i) => {
    const value = raw.slice(0, MAX_HEADER);
    for (const entry of catalog) {
      if (!entry.match.server) continue;
      const m = execOne(entry.match.server, value);
      if (m) hits.push(hit(entry, [1, i, m.index], 'response.header.server', m));
    }
  });

  headers.forEach(([name, raw], i) => {
    const lower = name.toLowerCase();
    if (lower === 'server' || lower === 'via') return;
    const value = raw.slice(0, MAX_HEADER);
    for (const entry of catalog) {
      for (const rule of entry.match.headers ?? []) {
        if (rule.name.toLowerCase() !== lower) continue;
        const m = rule.value ? execOne(rule.value, value) : null;
        if (rule.value && !m) continue;
        const h: Hit = {
          entry,
          key: [2, headerRank(lower), i],
          where: `response.header.${lower}`,
          value: clip(value),
        };
        const v = m ? versionOf(m) : undefined;
        if (v !== undefined) h.version = v;
        hits.push(h);
      }
    }
  });

  if (body) {
    const raw = body.slice(0, MAX_BODY);
    for (const entry of catalog) {
      const patterns = entry.match.body;
      if (!patterns) continue;
      for (const re of Array.isArray(patterns) ? patterns : [patterns]) {
        const m = execOne(re, raw);
        if (m) hits.push(hit(entry, [3, m.index, 0], 'response.body', m));
      }
    }
  }

  hits.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);

  const out: FrontServer[] = [];
  for (const h of hits) {
    const same = out.find((s) => s.product === h.entry.product);
    if (same) {
      if (same.version === undefined && h.version !== undefined) same.version = h.version;
      continue;
    }
    const s: FrontServer = {
      product: h.entry.product,
      quote: { where: h.where, value: h.value },
      role: h.entry.role,
      losesAuthorization: h.entry.losesAuthorization.map((w) => ({ ...w })),
    };
    if (h.version !== undefined) s.version = h.version;
    if (h.entry.basicAuth) s.basicAuth = { ...h.entry.basicAuth };
    out.push(s);
  }
  return out;
}

/** The most likely layer that lost the header: the first 'front' match, else the first match, else undefined. */
export function likelyHeaderLoser(servers: FrontServer[]): FrontServer | undefined {
  return servers.find((s) => s.role === 'front') ?? servers[0];
}
