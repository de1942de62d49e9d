import {
  replacedKinds,
  sanitizedEntryPiece,
  sanitizedHarTail,
  SANITIZED_HAR_HEAD,
} from '../../../src/har/sanitize-stream.js';
import { SanitizeContext, learnEntry } from '../../../src/har/sanitize.js';
import type { HarEntry, HarMeta } from '../../../src/model/har.js';
import type { SanitizedCopy } from './har-messages.js';
import { scanHarFile } from './har-read.js';

/**
 * `why401 har --sanitize` in the browser, the same way: two reads of the file, the first learns
 * every secret (so a token echoed in a page before its first structured use is caught too), the
 * second writes each entry sanitized. The copy is assembled as a Blob, piece by piece, never as
 * one string.
 */

/** Strings are folded into the Blob every this many characters. */
const FOLD_CHARS = 8 * 1024 * 1024;

export function sanitizedName(name: string): string {
  const base = name.replace(/\.(har|json)$/i, '');
  return `${base || 'capture'}.sanitized.har`;
}

export async function sanitizeHarFile(
  file: File,
  onProgress: (done: number, total: number) => void,
): Promise<SanitizedCopy> {
  const ctx = new SanitizeContext();
  const total = file.size;
  await scanHarFile(file, {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry: HarEntry) => learnEntry(entry, ctx),
    onProgress: (r) => onProgress(r / 2, total),
  });

  let parts: BlobPart[] = [SANITIZED_HAR_HEAD];
  let pending = 0;
  let n = 0;
  let meta: HarMeta = {};
  const push = (s: string) => {
    parts.push(s);
    pending += s.length;
    if (pending >= FOLD_CHARS) {
      parts = [new Blob(parts)];
      pending = 0;
    }
  };
  const result = await scanHarFile(file, {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry: HarEntry) => {
      push(sanitizedEntryPiece(entry, ctx, n++));
    },
    onMeta: (m) => {
      meta = { ...meta, ...m };
    },
    onProgress: (r) => onProgress(total / 2 + r / 2, total),
  });
  push(sanitizedHarTail(meta, ctx));

  const s = ctx.summary();
  const kinds = replacedKinds(s);
  const copy: SanitizedCopy = {
    blob: new Blob(parts, { type: 'application/json' }),
    fileName: sanitizedName(file.name),
    entries: n,
    summary: `${n} entries, ${s.total} secret${s.total === 1 ? '' : 's'} replaced (${kinds || 'none found'})`,
  };
  if (result.error)
    copy.cutShort = `${file.name} is cut short at byte ${result.error.offset}: ${result.error.message}; the ${n} complete entries before it are in the copy.`;
  return copy;
}
