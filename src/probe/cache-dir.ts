/**
 * Where why401 keeps its HTTP cache, and the files in it. The folder is the platform's cache
 * folder (the CLI resolves it from its environment and passes it down: no library function reads
 * process.env), with one JSON file per URL under a hashed name (http-cache.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheStore } from './http-cache.js';

export { platformCacheDir } from './cache-folder.js';

/**
 * A file bigger than this is not ours (the documents cached are a few KiB; idp-http caps bodies at
 * 1 MiB, and only answers that fit here are stored): it is ignored, and replaced by the next answer.
 */
export const CACHE_FILE_CAP = 1024 * 1024 + 64 * 1024;

/** The files of one cache folder. Every failure means "no entry" or "not stored", never an error. */
export class DiskStore implements CacheStore {
  private made: Promise<boolean> | undefined;

  constructor(
    readonly dir: string,
    private readonly cap = CACHE_FILE_CAP,
  ) {}

  async read(name: string): Promise<string | undefined> {
    let fh: Awaited<ReturnType<typeof open>> | undefined;
    try {
      fh = await open(join(this.dir, name), 'r');
      // One byte more than the cap tells an oversized file from one exactly at it, without
      // reading the rest of a file that may be huge.
      const buf = Buffer.alloc(this.cap + 1);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got > this.cap) return undefined;
      return buf.subarray(0, got).toString('utf8');
    } catch {
      return undefined;
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  /**
   * Atomically: the text goes to a temporary file of this process (mode 0600: the folder is the
   * user's own), which is then renamed over the entry. A reader sees the old file or the new one,
   * never half of either, and two runs writing the same entry at once leave one of them whole.
   */
  async write(name: string, text: string): Promise<void> {
    if (Buffer.byteLength(text) > this.cap) return;
    if (!(await this.ensureDir())) return;
    const tmp = join(this.dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
      await rename(tmp, join(this.dir, name));
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  async remove(name: string): Promise<void> {
    await rm(join(this.dir, name), { force: true }).catch(() => undefined);
  }

  private ensureDir(): Promise<boolean> {
    this.made ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(
      () => true,
      () => false,
    );
    return this.made;
  }
}
