import type { Exchange } from '../model/evidence.js';
import { headerValue } from '../model/http.js';

/**
 * How a proxy shows itself in a failure: the statuses a proxy answers with itself, and the error
 * codes why401's proxy transport (src/probe/proxy.ts) gives its own failures, which the proxy
 * checks read back from the evidence.
 */

/** Error codes the proxy transport (src/probe/proxy.ts) gives its own failures. */
export const PROXY_ERROR = {
  /** The proxy answered CONNECT with something other than 2xx (the message quotes its status line). */
  tunnel: 'ERR_PROXY_TUNNEL',
  /** A proxy kind why401 cannot send through (SOCKS). */
  unsupported: 'ERR_PROXY_UNSUPPORTED',
  /** The proxy URL does not parse. */
  invalid: 'ERR_PROXY_INVALID',
} as const;

/** Statuses a proxy itself answers with: 407, and the gateway errors 502/503/504. */
export function proxyLikeStatus(x: Exchange): boolean {
  const r = x.response;
  if (!r) return false;
  if (r.status === 407 || r.status === 502 || r.status === 503 || r.status === 504) return true;
  // RFC 9209 Proxy-Status, or Squid's own error header, on any 5xx.
  return (
    r.status >= 500 &&
    (headerValue(r.headers, 'proxy-status') !== undefined ||
      headerValue(r.headers, 'x-squid-error') !== undefined)
  );
}

/**
 * A failure that may be the proxy's own doing: no answer at all (the proxy could not be reached,
 * refused the tunnel, timed out, or presented another certificate), or a proxy-like status.
 */
export function proxyLikeFailure(x: Exchange): boolean {
  if (x.error) return x.error.phase !== 'refused-by-tool' && x.error.phase !== 'aborted';
  return proxyLikeStatus(x);
}
