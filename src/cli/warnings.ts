/** `why401: warning: …` on stderr, one line each (a report's warnings are redacted already). */
export function writeWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`why401: warning: ${w.split('\n')[0]}\n`);
}
