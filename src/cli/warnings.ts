import { terminalSafe } from '../render/terminal-safe.js';

/**
 * `why401: warning: …` on stderr, one line each (a report's warnings are redacted already). A
 * warning may quote a file or a server (a HAR entry, a header), so it is escaped for the terminal.
 */
export function writeWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`why401: warning: ${terminalSafe(w.split('\n')[0]!)}\n`);
}
