import type { JarCookie } from '../model/evidence.js';

/**
 * curl's cookie-jar files (what `curl -c FILE` writes and `curl -b FILE` reads): the
 * Netscape format, one cookie per line, seven TAB-separated fields:
 *
 *   domain  includeSubdomains  path  secure  expires  name  value
 *
 * `#HttpOnly_` in front of the domain marks an HttpOnly cookie; every other `#` line is a
 * comment. Platform-neutral: the caller reads the file.
 */

const HTTPONLY_PREFIX = '#HttpOnly_';

/** curl's Netscape cookie-jar file (as written by `curl -c`), `#HttpOnly_` lines included. */
export function parseCookieJar(text: string): { cookies: JarCookie[]; warnings: string[] } {
  const cookies: JarCookie[] = [];
  const warnings: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    let line = raw;
    let httpOnly = false;
    if (line.startsWith(HTTPONLY_PREFIX)) {
      httpOnly = true;
      line = line.slice(HTTPONLY_PREFIX.length);
    } else if (line.startsWith('#') || line.trim() === '') {
      return;
    }
    const fields = line.split('\t');
    // curl itself accepts six fields: a cookie whose value is empty lost its last TAB.
    if (fields.length === 6) fields.push('');
    if (fields.length !== 7) {
      // Hand-edited jars and copy-pasted ones often have spaces where the TABs were: curl skips those lines.
      const spaced = fields.length === 1 && line.trim().split(/ +/).length >= 6;
      warnings.push(
        spaced
          ? `line ${lineNo}: fields separated by spaces, not TABs (curl skips this line)`
          : `line ${lineNo}: expected 7 TAB-separated fields, found ${fields.length} (curl skips this line)`,
      );
      return;
    }
    const [domain, sub, path, secure, expires, name, value] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!/^-?\d+$/.test(expires.trim())) {
      warnings.push(`line ${lineNo}: expiry "${expires}" is not a number of seconds (curl skips this line)`);
      return;
    }
    // curl reads anything but TRUE as FALSE; say so when the field is neither.
    for (const [label, flag] of [
      ['includeSubdomains', sub],
      ['secure', secure],
    ] as const) {
      if (!/^(true|false)$/i.test(flag)) {
        warnings.push(`line ${lineNo}: ${label} field "${flag}" is neither TRUE nor FALSE (read as FALSE)`);
      }
    }
    cookies.push({
      domain,
      includeSubdomains: sub.toUpperCase() === 'TRUE',
      path,
      secure: secure.toUpperCase() === 'TRUE',
      httpOnly,
      expires: Number(expires.trim()),
      name,
      value,
    });
  });
  return { cookies, warnings };
}

/** Does this text look like a cookie-jar file rather than a `name=value` cookie string? */
export function looksLikeCookieJar(text: string): boolean {
  // curl writes one of these headers (older versions the second); an empty jar has only the header.
  if (/^\uFEFF?#\s*(Netscape )?HTTP Cookie File/im.test(text)) return true;
  return text.split(/\r?\n/).some((line) => {
    const body = line.startsWith(HTTPONLY_PREFIX) ? line.slice(HTTPONLY_PREFIX.length) : line;
    if (body.startsWith('#')) return false;
    const fields = body.split('\t');
    return (
      (fields.length === 7 || fields.length === 6) &&
      /^(true|false)$/i.test(fields[1] ?? '') &&
      /^(true|false)$/i.test(fields[3] ?? '')
    );
  });
}

/**
 * The jar cookies curl would send to `url`, in curl's order (longest path first): domain
 * and path match (RFC 6265 §5.1.3, §5.1.4), Secure only over https (and localhost, which
 * curl treats as secure), and, when `now` (epoch ms) is given, not expired.
 */
export function jarCookiesForUrl(cookies: JarCookie[], url: string, now?: number): JarCookie[] {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return [];
  }
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const path = target.pathname || '/';
  const secureContext =
    target.protocol === 'https:' || host === 'localhost' || host === '127.0.0.1' || host === '::1';
  return cookies
    .filter((c) => {
      const domain = c.domain.toLowerCase().replace(/^\./, '');
      const domainOk = c.includeSubdomains ? host === domain || host.endsWith(`.${domain}`) : host === domain;
      if (!domainOk) return false;
      if (!pathMatches(path, c.path || '/')) return false;
      if (c.secure && !secureContext) return false;
      if (now !== undefined && c.expires !== 0 && c.expires * 1000 <= now) return false;
      return true;
    })
    .sort((a, b) => (b.path || '/').length - (a.path || '/').length);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}
