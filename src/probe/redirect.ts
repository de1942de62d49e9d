import type { Exchange } from '../model/evidence.js';
import { headerValue, isSafeMethod, withoutHeaders } from '../model/http.js';
import type { WireRequest } from './transport.js';

/** Headers a client must not carry across origins (Fetch §4.4 HTTP-redirect fetch, step 13; curl since 7.58). */
export const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export type NextHop = { next: WireRequest; dropped: string[] } | { stop: string } | undefined;

/**
 * What a client does with a redirect: per the Fetch standard (§4.4) and curl -L.
 * Returns undefined when the response is not a redirect.
 */
export function nextHop(
  current: WireRequest,
  x: Exchange,
  opts: { followUnsafe: boolean; hopsSoFar: number; maxRedirects: number },
): NextHop {
  const r = x.response;
  if (!r || !REDIRECTS.has(r.status)) return undefined;
  const location = headerValue(r.headers, 'location');
  if (!location) return { stop: `${r.status} without a Location header` };
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    return { stop: `Location ${JSON.stringify(location)} is not a valid URL` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return { stop: `Location uses ${target.protocol}, which is not followed` };
  if (opts.hopsSoFar >= opts.maxRedirects) return { stop: `stopped after ${opts.maxRedirects} redirects` };
  if (!isSafeMethod(current.method) && !opts.followUnsafe) {
    return {
      stop: `${current.method} answered ${r.status}: not followed (a probe never re-sends an unsafe method; curl follows it with -L)`,
    };
  }

  let method = current.method;
  let body = current.body;
  // 303 turns everything but HEAD into GET; 301/302 turn POST into GET (Fetch §4.4 step 12).
  if (
    (r.status === 303 && method.toUpperCase() !== 'HEAD') ||
    ((r.status === 301 || r.status === 302) && method.toUpperCase() === 'POST')
  ) {
    method = 'GET';
    body = undefined;
  }
  let headers = current.headers;
  if (body === undefined && current.body !== undefined)
    headers = withoutHeaders(headers, ['content-type', 'content-length']);
  let dropped: string[] = [];
  if (new URL(current.url).origin !== target.origin) {
    dropped = CROSS_ORIGIN_DROPPED.filter((h) => headers.some(([n]) => n.toLowerCase() === h));
    headers = withoutHeaders(headers, CROSS_ORIGIN_DROPPED);
  }
  target.hash = '';
  const next: WireRequest = { method, url: target.toString(), headers };
  if (body !== undefined) next.body = body;
  return { next, dropped };
}
