/**
 * URLs as a browser sees them (WHATWG URL, HTML §7.1 origins): origins, hosts, paths, and URLs
 * short enough to show without their query. Pure and platform-neutral, with no dependency (the
 * HAR sanitizer and diff run in the page on it); sites (the Public Suffix List) are parse/site.ts.
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
