import { createHash } from 'node:crypto';

/**
 * The file name of a URL's cache entry: a hash, so no URL ever becomes a path. Apart from
 * http-cache.ts so that the boot-time prefetch (prefetch.ts) can tell whether a document is stored
 * without loading the cache's rules.
 */
export function entryName(url: string, scope: string): string {
  return `${createHash('sha256').update(`${scope}\n${url}`).digest('hex')}.json`;
}
