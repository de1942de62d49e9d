import type { Exchange } from '../types.js';
import { directives } from './util.js';
import { headerValue } from '../../model/http.js';

/**
 * Whether a shared cache may store an answer, from its own headers: `public`, `s-maxage` or a
 * positive `max-age` (RFC 9111 §3, §5.2.2), or a future `Expires`, unless `no-store`, `private`
 * or `no-cache` say otherwise. 401 and 403 are not heuristically cacheable (RFC 9110 §15.1), so
 * an answer with none of these is not stored by a cache that follows the RFC; some CDNs ("cache
 * everything") store it all the same, which audit.refusal-no-store is about.
 */
export function explicitlyCacheable(ex: Exchange): boolean {
  const cc = directives(ex, 'cache-control');
  if (cc.some((d) => d === 'no-store' || d === 'private' || d === 'no-cache')) return false;
  if (cc.some((d) => d === 'public' || d.startsWith('s-maxage='))) return true;
  const maxAge = cc.find((d) => d.startsWith('max-age='));
  if (maxAge) return Number(maxAge.slice(8)) > 0;
  const expires = headerValue(ex.headers, 'expires');
  if (expires) {
    const t = Date.parse(expires);
    return Number.isFinite(t) && t > ex.receivedAt;
  }
  return false;
}

/** `no-store` or `private`: no shared cache keeps it, whatever it is configured to do. */
export function markedUncacheable(ex: Exchange): boolean {
  return directives(ex, 'cache-control').some((d) => d === 'no-store' || d === 'private');
}
