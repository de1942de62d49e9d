import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** Inputs are read whole but capped: a file named by mistake (a disk image) must not eat the memory. */
const MAX_INPUT = 16 * 1024 * 1024;

export function readInput(path: string, what: string): string {
  try {
    if (path === '-') return readFileSync(0, 'utf8');
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`${what} ${path} is a directory`);
    if (st.size > MAX_INPUT)
      throw new UsageError(`${what} ${path} is ${st.size} bytes; the limit is ${MAX_INPUT}`);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable (permission denied)'
          : (e as Error).message;
    throw new UsageError(`cannot read ${what} ${path}: it ${why}`);
  }
}

/** Writes a file, or throws one usage line that says why it could not (no stack trace). */
export function writeFileOrSay(path: string, data: string, mode: number, what: string): void {
  try {
    writeFileSync(path, data, { mode });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : ((e as Error).message.split('\n')[0] ?? 'unknown error');
    throw new UsageError(`cannot write ${what} ${path}: ${why}`);
  }
}

/** Writes an HTML report (`--html FILE`), readable by others (0644), with a one-line note on stderr. */
export function writeHtmlReport(path: string, html: string): void {
  if (!path) throw new UsageError('--html needs a file name');
  writeFileOrSay(path, html, 0o644, 'the HTML report');
  process.stderr.write(`why401: wrote ${path}\n`);
}
