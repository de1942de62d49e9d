import type { HarEntry, HarMeta } from '../model/har.js';
import { sanitizeEntry, sanitizeMeta, type SanitizeContext, type SanitizeSummary } from './sanitize.js';

/**
 * A sanitized HAR written piece by piece: `why401 har --sanitize` into a file stream, the web page
 * into a Blob. Both build it from these pieces, so the two copies are the very same bytes.
 */

/** The start of the file, up to the first entry. */
export const SANITIZED_HAR_HEAD = '{"log":{"entries":[\n';

/** Entry number `n` (from 0) sanitized, after the comma that separates it from the one before. */
export function sanitizedEntryPiece(entry: HarEntry, ctx: SanitizeContext, n: number): string {
  return `${n ? ',\n' : ''}${JSON.stringify(sanitizeEntry(entry, ctx))}`;
}

/** The end of the file: the entries closed, then version, creator, browser and pages (titles scrubbed). */
export function sanitizedHarTail(meta: HarMeta, ctx: SanitizeContext): string {
  const clean = sanitizeMeta(meta, ctx);
  const tail: Record<string, unknown> = {
    version: clean.version ?? '1.2',
    creator: clean.creator ?? { name: 'why401', version: '' },
  };
  if (clean.browser) tail.browser = clean.browser;
  if (clean.pages) tail.pages = clean.pages;
  return `\n],${JSON.stringify(tail).slice(1, -1)}}}\n`;
}

/** "3 bearer-token, 1 cookie": how many secrets of each kind were replaced ('' for none). */
export function replacedKinds(s: SanitizeSummary): string {
  return Object.entries(s.byKind)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}
