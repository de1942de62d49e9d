import { getPublicSuffix } from 'tough-cookie';

/**
 * Origins and sites as a browser sees them (HTML §7.1 origins, "schemeful same-site"): what
 * SameSite cookies and CORS are decided on. Pure and platform-neutral.
 */

/**
 * The one place src/ parses a URL that may not parse (WHATWG URL): every "host of", "path of",
 * "origin of" helper is built on it and says itself what it gives back for text that is not a URL.
 */
export function tryUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** The serialized origin of a URL (`http://localhost:3000`), or undefined when it does not parse. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const o = tryUrl(url)?.origin;
  return o === 'null' ? undefined : o;
}

function isIp(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || host.includes(':');
}

/**
 * The registrable domain (eTLD+1) of a host, from the Public Suffix List; the host itself for IP
 * addresses, `localhost` and single-label names (each is a site of its own to a browser).
 */
export function registrableDomain(host: string): string {
  let d = domains.get(host);
  if (d === undefined) {
    if (domains.size >= 1024) domains.clear();
    d = lookUpDomain(host);
    domains.set(host, d);
  }
  return d;
}

/** Hosts already looked up in the Public Suffix List: a session asks about the same few hosts again and again. */
const domains = new Map<string, string>();

function lookUpDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIp(h) || !h.includes('.') || h === 'localhost' || h.endsWith('.localhost')) return h;
  try {
    return getPublicSuffix(h) ?? h;
  } catch {
    return h;
  }
}

/**
 * The schemeful site of a URL or origin: scheme plus registrable domain. `http://127.0.0.1:5173`
 * and `http://localhost:3000` are two sites (Chromium sends `Sec-Fetch-Site: cross-site`);
 * `https://app.example.com` and `https://api.example.com` are one.
 */
export function siteOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return siteOfUrl(new URL(url));
  } catch {
    return undefined;
  }
}

/** `siteOf` for a URL already parsed. */
export function siteOfUrl(u: URL): string {
  return `${u.protocol}//${registrableDomain(u.hostname)}`;
}

/** A potentially trustworthy host (Secure Contexts §3.1): Secure cookies work there over http too. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

/** Whether a URL is https or a local host: the "secure connection" of RFC 6265bis §5.7. */
export function isSecureUrl(url: string): boolean {
  const u = tryUrl(url);
  return u !== undefined && (u.protocol === 'https:' || u.protocol === 'wss:' || isLocalHost(u.hostname));
}

/** Path and query without the origin, for short mentions ("/api/me"). */
export function pathOf(url: string): string {
  return tryUrl(url)?.pathname ?? url.split('?')[0] ?? url;
}

/** Origin and path, without the query (it may hold a key): for titles and details. */
export function shortUrl(url: string): string {
  const u = tryUrl(url);
  return u ? `${u.origin}${u.pathname}` : (url.split('?')[0] ?? url);
}

/** The host (and port) of a URL, or the text itself when it does not parse. */
export function hostOf(url: string): string {
  return tryUrl(url)?.host ?? url;
}

/** The host name of a URL as WHATWG URL gives it (lower case, IPv6 in brackets), or undefined. */
export function hostnameOf(url: string): string | undefined {
  return tryUrl(url)?.hostname;
}
