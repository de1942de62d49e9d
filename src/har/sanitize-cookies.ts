import { isSecretCookie, looksRandom } from '../knowledge/credential-rule.js';
import { alreadySanitized, type SanitizeContext } from './sanitize-context.js';
import { sanitizeUrl, scrubText } from './sanitize-text.js';
import { SCHEME_LEAD, sanitizeAuthorization, sanitizeJwt, splitCore, tryDecode } from './sanitize-values.js';

/**
 * Cookies, wherever a HAR writes them: a Cookie header, Set-Cookie, a `cookies` list (an array, or
 * IE11's single object). A cookie is replaced when the credential rule calls it secret by its name
 * and its value's shape (knowledge/credential-rule.ts `isSecretCookie`), not for being a cookie: a
 * locale, a flag or an address stays, since hiding it hides nothing and changes every URL or word
 * equal to it. Names, attributes and separators always stay: the session analysis replays them.
 */

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const MIXED = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);

/** One cookie's value (the name decides with it). */
export function sanitizeCookieValue(name: string, value: string, ctx: SanitizeContext): string {
  if (typeof value !== 'string' || value === '' || alreadySanitized(value)) return value;
  const { lead, core, trail } = splitCore(value);
  if (core === '') return value;
  const decoded = tryDecode(core, false);
  if (!isSecretCookie(name, value)) {
    // Not a secret itself; an address in it may carry one (`returnTo=https://app/cb?code=…`), and
    // a secret learned elsewhere may have been copied into it.
    const clean = ABSOLUTE_URL.test(decoded) ? sanitizeUrl(decoded, ctx) : scrubText(decoded, ctx);
    if (clean === decoded) return value;
    return lead + (decoded !== core ? encodeURIComponent(clean) : clean) + trail;
  }
  const jwt = sanitizeJwt(core, ctx);
  if (jwt !== undefined) return lead + jwt + trail;
  // Removed from free text too (a page that copies its CSRF cookie into a request body), unless
  // it is a plain word that prose and paths may hold as well ("dashboard" as a session name).
  const strength = looksRandom(decoded) || MIXED(decoded) ? 'strong' : 'weak';
  let out: string;
  if (SCHEME_LEAD.test(decoded)) out = sanitizeAuthorization(decoded, ctx);
  else out = sanitizeJwt(decoded, ctx) ?? ctx.standIn(decoded, 'cookie', strength);
  if (decoded !== core) {
    out = encodeURIComponent(out);
    ctx.alias(core, out, strength);
  }
  return lead + out + trail;
}

/**
 * `a=1; b=2` (a Cookie request header): names and separators kept. A part without `=` is a cookie
 * with an empty name (RFC 6265bis §5.6: the browser sends its value alone), judged as such.
 */
export function sanitizeCookieHeader(value: string, ctx: SanitizeContext): string {
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return sanitizeCookieValue('', part, ctx);
      return part.slice(0, eq + 1) + sanitizeCookieValue(part.slice(0, eq).trim(), part.slice(eq + 1), ctx);
    })
    .join(';');
}

/** One or more Set-Cookie lines (some exporters join them with newlines): only each value changes. */
export function sanitizeSetCookie(value: string, ctx: SanitizeContext): string {
  return value.replace(
    /(^|\n)([^=;\n]*)(=)([^;\n]*)/g,
    (_all, sep: string, name: string, eq: string, val: string) =>
      sep + name + eq + sanitizeCookieValue(name.trim(), val, ctx),
  );
}
