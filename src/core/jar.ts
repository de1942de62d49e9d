import type { JarCookie } from '../model/evidence.js';

/**
 * Does a cookie-jar cookie go with a request to this URL, as curl decides it: domain (exact, or
 * a subdomain when the jar says so), path prefix on a segment boundary (RFC 6265 §5.1.4), Secure.
 */
export function jarCookieMatches(c: JarCookie, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const domain = c.domain.replace(/^\./, '').toLowerCase();
  const domainOk = host === domain || (c.includeSubdomains && host.endsWith(`.${domain}`));
  const p = c.path || '/';
  const pathOk = url.pathname === p || p === '/' || url.pathname.startsWith(p.endsWith('/') ? p : `${p}/`);
  return domainOk && pathOk && (!c.secure || url.protocol === 'https:');
}

/** Expired at `nowMs`? A zero expiry is a session cookie, which a jar file keeps until deleted. */
export function jarCookieExpired(c: JarCookie, nowMs: number): boolean {
  return c.expires !== 0 && c.expires * 1000 <= nowMs;
}
