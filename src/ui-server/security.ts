import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The local server's defences (docs/UI.md, "Security of the local server"). The page holds no
 * secret of its own, but the API sends requests with the user's credentials: another web page, a
 * DNS-rebound host name or another local user's browser tab must not be able to drive it.
 */

/** Sent on every response, refusals and static files included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** The header the page sends the launch secret in: a custom header also forces a (refused) CORS preflight. */
export const KEY_HEADER = 'x-why401-key';

const hostsFor = (port: number) => [`127.0.0.1:${port}`, `localhost:${port}`];

/**
 * Why a request must be refused before anything else looks at it (403), or undefined.
 * Host: a DNS-rebinding page reaches us under its own name. Origin and Sec-Fetch-Site: a request
 * sent by another page (a form post, an image, a fetch in no-cors mode) says where it comes from.
 */
export function refusalOf(req: IncomingMessage, port: number): string | undefined {
  const host = req.headers.host?.toLowerCase();
  if (!host || !hostsFor(port).includes(host))
    return 'wrong Host: this server answers only 127.0.0.1 and localhost on its own port';
  const origin = req.headers.origin;
  if (origin !== undefined && !hostsFor(port).some((h) => origin.toLowerCase() === `http://${h}`))
    return 'requests from other origins are refused';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return 'requests from other sites are refused';
  return undefined;
}

/** The launch secret, compared in constant time (its length is no secret: always 43 characters). */
export function keyMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
