import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputTooLarge, UsageError } from '../model/errors.js';

/**
 * Every input why401 reads whole (a `@file`, `-` for standard input, a device, a FIFO) comes
 * through `readInput`, and none may be larger than this: a file named by mistake (a disk image,
 * `/dev/zero`, an endless pipe) must not eat the memory.
 */
export const MAX_INPUT = 16 * 1024 * 1024;
const MAX_INPUT_WORDS = `${MAX_INPUT / 1024 / 1024} MiB`;

/** Bytes asked for at a time: one chunk past the cap is all a runaway input ever costs. */
const CHUNK = 64 * 1024;

/** What the messages call an input: `standard input`, or `token file ./t.txt`. */
function label(path: string, what: string): string {
  return path === '-' ? 'standard input' : `${what} ${path}`;
}

function tooLarge(path: string, what: string, size?: number): InputTooLarge {
  return new InputTooLarge(
    `${label(path, what)} is larger than ${MAX_INPUT_WORDS}${size === undefined ? '' : ` (${size} bytes)`}; why401 reads at most ${MAX_INPUT_WORDS} from one input`,
  );
}

export function errno(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Blocks the thread for `ms`: readSync on a non-blocking pipe says EAGAIN until data comes. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads from `fd` until end of file, one chunk at a time, and stops at once when the total passes
 * MAX_INPUT. Not readFileSync: it trusts fstat's size, which is 0 for a device, a FIFO or a pipe,
 * and then grows its buffer without limit (`/dev/zero` on stdin ended in bad_alloc, exit 134).
 */
function readCapped(fd: number, path: string, what: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK);
    let n: number;
    try {
      n = readSync(fd, buf, 0, CHUNK, null);
    } catch (e) {
      // Standard input may be a non-blocking pipe (a parent's), and a terminal that was left
      // non-blocking says EAGAIN too; wait for the data instead of failing.
      if (errno(e) === 'EAGAIN') {
        pause(10);
        continue;
      }
      // End of input on a closed terminal or socket is not an error.
      if (errno(e) === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT) throw tooLarge(path, what);
    chunks.push(n === CHUNK ? buf : buf.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/** One line that says why an input cannot be read. */
function cannotRead(path: string, what: string, e: unknown): UsageError {
  const code = errno(e);
  const why =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'it is not readable (permission denied)'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ENOTDIR'
            ? 'a part of its path is not a directory'
            : ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error');
  return new UsageError(`cannot read ${label(path, what)}: ${why}`);
}

/**
 * The one reader of whole inputs: `-` is standard input; anything else is opened as it is (a
 * regular file, a device, a FIFO, /proc) and read incrementally up to MAX_INPUT. A regular file
 * whose size is already past the cap is refused before a byte is read. Every failure is a
 * UsageError with one line; past the cap it is an InputTooLarge.
 */
export function readInput(path: string, what: string): string {
  return readInputBytes(path, what).toString('utf8');
}

/** `readInput`'s bytes, for what is sent as it is (a -T file, a -F file, --data-binary @FILE). */
export function readInputBytes(path: string, what: string): Buffer {
  let fd: number | undefined;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (st.isFile() && st.size > MAX_INPUT) throw tooLarge(path, what, st.size);
    return readCapped(fd, path, what);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw cannotRead(path, what, e);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}
