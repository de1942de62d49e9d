import { argumentSecrets } from '../core/argument-secrets.js';
import { addCredential } from '../core/secrets.js';
import { Redactor } from '../core/redact.js';
import { terminalSafe } from '../render/terminal-safe.js';
import { ownFlagTokens } from './argv.js';
import { OWN_FLAGS } from './own-flags.js';

/**
 * `why401: warning: …` on stderr, one line each (a report's warnings are redacted already). A
 * warning may quote a file or a server (a HAR entry, a header), so it is escaped for the terminal.
 */
export function writeWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`why401: warning: ${terminalSafe(w.split('\n')[0]!)}\n`);
}

/**
 * The secrets of why401's whole command line, by the credential rule: curl's credential options
 * and headers, URLs, our own --client-secret and --refresh-token, and the token of `why401 token`.
 */
function commandLineSecrets(argv: readonly string[]): string[] {
  const found = argumentSecrets(argv, OWN_FLAGS);
  // `why401 [options] token <token>`: the token is the operand itself.
  let i = 0;
  // Any --name before it is stepped over (an unknown one too: this only looks for the operand).
  while (i < argv.length && argv[i]!.startsWith('--')) i += Math.max(1, ownFlagTokens(argv, i, OWN_FLAGS));
  if (argv[i] === 'token') {
    const sink = { add: (s: string | undefined) => void (s && found.push(s)) };
    for (const a of argv.slice(i + 1)) if (!a.startsWith('-') && !a.startsWith('@')) addCredential(sink, a);
  }
  return found;
}

/**
 * An error line that may quote the command line (an unknown option's value, a malformed URL),
 * with every secret the command line holds hidden, as a report would hide it. `--show-secrets`
 * leaves it as it is.
 */
export function redactCommandLine(line: string, argv: readonly string[]): string {
  if (argv.includes('--show-secrets')) return line;
  const r = new Redactor(true);
  for (const s of commandLineSecrets(argv)) r.add(s);
  return r.text(line);
}
