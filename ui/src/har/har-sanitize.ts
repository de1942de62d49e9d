import {
  replacedKinds,
  sanitizedEntryPiece,
  sanitizedHarTail,
  SANITIZED_HAR_HEAD,
} from '../../../src/har/sanitize-stream.js';
import { SanitizeContext, learnEntry } from '../../../src/har/sanitize.js';
import type { HarEntry, HarMeta } from '../../../src/model/har.js';
import type { SanitizedCopy } from './har-messages.js';
import { scanErrorWords, type ScanError } from '../../../src/har/scanner.js';
import { scanHarFile } from './har-read.js';

/**
 * `why401 har --sanitize` in the browser, the same way: two reads of the file, the first learns
 * every secret (so a token echoed in a page before its first structured use is caught too), the
 * second writes each entry sanitized. The copy is assembled as a Blob, piece by piece, never as
 * one string. Nothing is saved from a file that is not whole (cut short, damaged, entries the
 * reader refuses): a copy that lost entries would pass for the capture.
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
  const first = await scanHarFile(file, {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry: HarEntry) => learnEntry(entry, ctx),
    onProgress: (r) => onProgress(r / 2, total),
  });
  if (first.error) throw notWhole(file.name, first.error);

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
  // The file changed between the two reads.
  if (result.error) throw notWhole(file.name, result.error);
  push(sanitizedHarTail(meta, ctx));

  const s = ctx.summary();
  const kinds = replacedKinds(s);
  const copy: SanitizedCopy = {
    blob: new Blob(parts, { type: 'application/json' }),
    fileName: sanitizedName(file.name),
    entries: n,
    summary: `${n} entries, ${s.total} secret${s.total === 1 ? '' : 's'} replaced (${kinds || 'none found'})`,
  };
  return copy;
}

/** The CLI's words (`why401 har --sanitize`), with the page's verb. */
function notWhole(name: string, e: ScanError): Error {
  return new Error(`cannot sanitize ${name}: it ${scanErrorWords(e)}; nothing was saved`);
}
