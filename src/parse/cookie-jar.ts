import type { JarCookie } from '../model/evidence.js';

/** curl's Netscape cookie-jar file (as written by `curl -c`), `#HttpOnly_` lines included. */
export function parseCookieJar(_text: string): { cookies: JarCookie[]; warnings: string[] } {
  throw new Error('not implemented');
}

/** Does this text look like a cookie-jar file rather than a `name=value` cookie string? */
export function looksLikeCookieJar(_text: string): boolean {
  throw new Error('not implemented');
}
