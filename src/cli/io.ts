import { writeFileSync } from 'node:fs';
import { errno, readInput } from '../diagnose/read-input.js';
import { UsageError } from './errors.js';

export { InputTooLarge } from '../model/errors.js';
export { MAX_INPUT, readInput, readInputBytes } from '../diagnose/read-input.js';

/** Writes a file, or throws one usage line that says why it could not (no stack trace). */
export function writeFileOrSay(path: string, data: string, mode: number, what: string): void {
  try {
    writeFileSync(path, data, { mode });
  } catch (e) {
    throw cannotWrite(path, what, e);
  }
}

/** One line that says why a file cannot be written. */
export function cannotWrite(path: string, what: string, e: unknown): UsageError {
  const code = errno(e);
  const why =
    code === 'ENOENT'
      ? 'its directory does not exist'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ENOTDIR'
            ? 'a part of its path is not a directory'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error');
  return new UsageError(`cannot write ${what} ${path}: ${why}`);
}

/** Writes an HTML report (`--html FILE`), readable by others (0644), with a one-line note on stderr. */
export function writeHtmlReport(path: string, html: string): void {
  if (!path) throw new UsageError('--html needs a file name');
  writeFileOrSay(path, html, 0o644, 'the HTML report');
  process.stderr.write(`why401: wrote ${path}\n`);
}

/** `curl -`: the paste read from standard input; a person at a terminal is told how to end it. */
export function readPaste(): string {
  if (process.stdin.isTTY) process.stderr.write('Paste the command, then Ctrl-D\n');
  return readInput('-', 'standard input');
}
