import { HarScanner, type HarScanOptions, type ScanResult } from '../../../src/har/scanner.js';

/**
 * A HAR file read in the browser, slice by slice, into the platform-neutral streaming scanner (the
 * CLI's reader does the same with `fs`): memory stays bounded whatever the file size, and the next
 * slice is read while the scanner works on the current one.
 */

export const SLICE_BYTES = 8 * 1024 * 1024;

export async function scanHarFile(
  file: Blob,
  o: HarScanOptions & { onProgress?(done: number, total: number): void },
): Promise<ScanResult> {
  const scanner = new HarScanner(o);
  const total = file.size;
  const read = (from: number) => file.slice(from, Math.min(from + SLICE_BYTES, total)).arrayBuffer();
  let pos = 0;
  let next: Promise<ArrayBuffer> | undefined = total > 0 ? read(0) : undefined;
  try {
    while (next) {
      const buf = await next;
      const end = pos + buf.byteLength;
      next = buf.byteLength > 0 && end < total ? read(end) : undefined;
      scanner.push(new Uint8Array(buf));
      pos = end;
      o.onProgress?.(pos, total);
      if (scanner.error !== undefined) break;
    }
  } finally {
    if (next) await next.catch(() => undefined);
  }
  return scanner.end();
}
