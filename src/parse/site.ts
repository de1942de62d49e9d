import { getPublicSuffix } from 'tough-cookie';
import { tryUrl } from './url.js';

/**
 * Sites as a browser sees them ("schemeful same-site", from the Public Suffix List): what SameSite
 * cookies and Sec-Fetch-Site are decided on. Pure and platform-neutral.
 */

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
  const u = tryUrl(url);
  return u ? siteOfUrl(u) : undefined;
}

/** `siteOf` for a URL already parsed. */
export function siteOfUrl(u: URL): string {
  return `${u.protocol}//${registrableDomain(u.hostname)}`;
}
