/**
 * A proxy URL read the way curl reads it (issue 4), once for the proxy transport and the proxy
 * checks, so the transport connects where curl would and the checks name the same host without
 * ever showing a password. Pure and platform-neutral.
 */

export interface ParsedProxy {
  /** Lower case, without `:` — `http`, `https`, `socks5h` … */
  scheme: string;
  /** Host name or IP literal, IPv6 without brackets. */
  hostname: string;
  port: number;
  /** URL-decoded, as curl decodes them; present when the URL has a user part. */
  username?: string;
  password?: string;
  /** `scheme://host:port`, never credentials (IPv6 in brackets). */
  origin: string;
  /** True when no port was written and curl's default applies (1080 for http and socks, 443 for https). */
  defaultPort: boolean;
}

/** Schemes curl accepts in a proxy URL (CURLOPT_PROXY). */
const PROXY_SCHEMES = ['http', 'https', 'socks4', 'socks4a', 'socks5', 'socks5h'];

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Reads a proxy URL as curl does: no scheme means `http://`; no port means 1080 (curl's
 * CURL_DEFAULT_PROXY_PORT), or 443 for an `https://` proxy (CURL_DEFAULT_HTTPS_PROXY_PORT);
 * user and password are URL-decoded.
 */
export function parseProxyUrl(raw: string): ParsedProxy | { problem: string } {
  const text = raw.trim();
  if (!text) return { problem: 'the proxy URL is empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { problem: 'the proxy URL does not parse' };
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (!PROXY_SCHEMES.includes(scheme)) return { problem: `curl knows no ${scheme}:// proxies` };
  const hostname = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) return { problem: 'the proxy URL has no host' };
  const defaultPort = u.port === '';
  const port = defaultPort ? (scheme === 'https' ? 443 : 1080) : Number(u.port);
  const hostInUrl = hostname.includes(':') ? `[${hostname}]` : hostname;
  const out: ParsedProxy = {
    scheme,
    hostname,
    port,
    origin: `${scheme}://${hostInUrl}:${port}`,
    defaultPort,
  };
  if (u.username || u.password) {
    out.username = decode(u.username);
    out.password = decode(u.password);
  }
  return out;
}

/** The proxy as it may be shown: `http://proxy.corp:3128`, never its user or password. */
export function proxyDisplay(raw: string): string {
  const p = parseProxyUrl(raw);
  if (!('problem' in p)) return p.origin;
  // Unparsable: still never show what stands before an `@`.
  const at = raw.lastIndexOf('@');
  return at >= 0 ? `…@${raw.slice(at + 1)}` : raw;
}

/** True when the proxy URL carries a user (and maybe a password): curl sends them as Proxy-Authorization. */
export function proxyHasCredentials(raw: string): boolean {
  const p = parseProxyUrl(raw);
  return !('problem' in p) && p.username !== undefined;
}
