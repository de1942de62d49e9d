import { open, type FileHandle } from 'node:fs/promises';
import { Why401Error } from '../model/errors.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import { HarScanner, type HarScanOptions, type ScanError, type ScanResult } from './scanner.js';

export { HarScanner, DEFAULT_MAX_TEXT_CHARS, scanErrorLine, scanErrorWords } from './scanner.js';
export type { HarScanOptions, ScanError, ScanErrorKind, ScanResult } from './scanner.js';

/** Bytes read from the file at a time. */
export const HAR_CHUNK_BYTES = 8 * 1024 * 1024;

export interface ReadHarOptions extends HarScanOptions {
  /** After each chunk: bytes read so far and the file size (0 when it is not a regular file). */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of its path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default: {
      const msg = e instanceof Error ? e.message : String(e);
      return (typeof code === 'string' ? code : msg.split('\n')[0]) || 'unknown error';
    }
  }
}

/** The file could not be opened or read (not a problem inside it, nor a bug in what consumes it). */
export class HarReadError extends Why401Error {
  override readonly name = 'HarReadError';

  constructor(message: string, options?: ErrorOptions) {
    super('HAR_READ', message, options);
  }
}

function cannotRead(path: string, e: unknown): Error {
  return new HarReadError(`cannot read ${path}: ${reason(e)}`, { cause: e });
}

/**
 * Streams a HAR file through the scanner: two 8 MiB buffers (the next read runs while the
 * scanner works on the current chunk), whatever the file size. A file that cannot be opened or
 * read throws an Error with a one-line message; a file that is not a complete HAR resolves with
 * `error` set, after every complete entry before the problem went to `onEntry`.
 */
export async function readHarFile(path: string, o: ReadHarOptions): Promise<ScanResult> {
  let fh: FileHandle;
  let total = 0;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (st.isFile()) total = st.size;
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw cannotRead(path, e);
  }
  const scanner = new HarScanner(o);
  const bufs = [Buffer.allocUnsafe(HAR_CHUNK_BYTES), Buffer.allocUnsafe(HAR_CHUNK_BYTES)];
  let which = 0;
  let read = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = fh.read(bufs[0]!, 0, HAR_CHUNK_BYTES, null);
  try {
    for (;;) {
      let got: number;
      try {
        got = (await pending).bytesRead;
      } catch (e) {
        pending = undefined;
        throw cannotRead(path, e);
      }
      pending = undefined;
      if (got === 0) break;
      const chunk = bufs[which]!.subarray(0, got);
      which ^= 1;
      // Read ahead into the other buffer while this one is scanned.
      pending = fh.read(bufs[which]!, 0, HAR_CHUNK_BYTES, null);
      scanner.push(chunk);
      read += got;
      o.onProgress?.(read, total && Math.max(total, read));
      if (scanner.error !== undefined) break;
    }
  } finally {
    if (pending) await pending.catch(() => undefined);
    await fh.close().catch(() => undefined);
  }
  return scanner.end();
}

/** A HAR held in a string (small inputs, tests): all its entries at once. */
export function readHarText(
  text: string,
  o: { maxTextChars?: number; lazyText?: boolean } = {},
): { entries: HarEntry[]; meta: HarMeta; error?: ScanError } {
  const entries: HarEntry[] = [];
  const scanner = new HarScanner({ ...o, onEntry: (e) => entries.push(e) });
  scanner.push(new TextEncoder().encode(text));
  const r = scanner.end();
  return r.error ? { entries, meta: r.meta, error: r.error } : { entries, meta: r.meta };
}
