/**
 * Pasted cmd.exe commands read up to their curl command (Chrome's and Firefox's "Copy as cURL
 * (cmd)", `^`-newline continuations, a `C:\>` prompt), and the C runtime's argv rules curl.exe
 * splits its command line with (PowerShell's reader, paste-powershell.ts, uses them too).
 * Platform-neutral: no node: imports.
 */
import {
  CommandsBefore,
  CMD_PROMPT,
  failure,
  isCurlWord,
  lineOf,
  promptAt,
  type PasteContext,
  type ShellCommand,
  type ShellReading,
  type Stdin,
} from './paste-shell.js';

// ---- cmd.exe --------------------------------------------------------------------------------

const CMD_PLAIN = /[^^"\n&|<>]+/y;
const CMD_QUOTED = /[^"\n]+/y;
/** A paste is one command: past this many words it is refused rather than read for seconds. */
export const MAX_WORDS = 200_000;

export function tooLong(): never {
  throw failure(
    `the paste is too long to be read as a command: why401 reads at most ${MAX_WORDS} words of it`,
    false,
  );
}

/**
 * Two passes, as on Windows: cmd.exe first (`%NAME%` expands when set; `^` escapes the next
 * character, `^` + newline continues the line; `"` toggles cmd's quoting, in which `^` is
 * literal; unescaped `& | < >` end the command or redirect), then the C runtime's argv rules
 * curl.exe uses (splitWindowsArgs). An unset `%NAME%` stays as written, like `$NAME` in bash.
 */
export function readCmd(text: string, ctx: PasteContext): ShellReading {
  const used = new Set<string>();
  // Percent expansion happens before anything else reads the line (cmd's phase 1).
  const s = text.replace(/%([^%\n]+)%/g, (whole, name: string) => {
    const value = ctx.fromEnv(name, true);
    if (value === undefined) return whole;
    used.add(name);
    return value;
  });
  const before = new CommandsBefore();
  const warnings: string[] = [];
  let i = 0;
  let firstLine = true;
  let total = 0;
  for (;;) {
    // The start of a command: blank lines, `REM` and `::` comment lines, `@`, a prompt.
    for (;;) {
      while (i < s.length && ' \t\r\n'.includes(s.charAt(i))) i += 1;
      const lineStart = s.lastIndexOf('\n', i - 1) + 1;
      if (firstLine || s.slice(lineStart, i).trim() === '') {
        const prompt = promptAt(CMD_PROMPT, s, lineStart);
        if (prompt > 0 && lineStart + prompt > i) {
          i = lineStart + prompt;
          continue;
        }
      }
      if (s.charAt(i) === '@') {
        i += 1;
        continue;
      }
      if (/^(?:rem(?:[ \t]|$)|::)/i.test(s.slice(i, i + 4))) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length : nl;
        continue;
      }
      break;
    }
    firstLine = false;
    if (i >= s.length) throw failure('the command does not start with curl', false);
    const start = i;
    let line = '';
    let quoted = false;
    let next = '';
    let stdin: Stdin | undefined;
    while (i < s.length) {
      // Ordinary characters a run at a time: a paste may be megabytes long.
      const plain = quoted ? CMD_QUOTED : CMD_PLAIN;
      plain.lastIndex = i;
      if (plain.test(s)) {
        line += s.slice(i, plain.lastIndex);
        i = plain.lastIndex;
        continue;
      }
      const c = s.charAt(i);
      if (!quoted && c === '^') {
        if (s.charAt(i + 1) === '\n') {
          // The newline is removed and the first character of the next line taken literally
          // (Chrome writes a newline inside a value as ^ + two newlines for this reason).
          line += s.charAt(i + 2);
          i += 3;
        } else {
          line += s.charAt(i + 1);
          i += 2;
        }
        continue;
      }
      if (c === '\n') {
        next = '\n';
        i += 1;
        break;
      }
      if (c === '"') quoted = !quoted;
      else if (!quoted && (c === '&' || c === '|')) {
        next = s.charAt(i + 1) === c ? c + c : c;
        i += next.length;
        break;
      } else if (!quoted && (c === '<' || c === '>')) {
        // `2>&1`, `1>out`: the digit before is the descriptor.
        const fd = /(?:^|[ \t])(\d)$/.exec(line)?.[1];
        if (fd !== undefined) line = line.slice(0, -1);
        const op = /<|>>?&?|>/y;
        op.lastIndex = i;
        i += op.exec(s)![0].length;
        const target = cmdWord(s, i);
        i = target.end;
        if (c === '<' && (fd === undefined || fd === '0')) {
          const path = splitWindowsArgs(target.text).join(' ');
          stdin = { kind: 'file', paths: [path], from: `< ${path}` };
        }
        continue;
      }
      line += c;
      i += 1;
    }
    const words = splitWindowsArgs(line);
    total += words.length + 1;
    if (total > MAX_WORDS) tooLong();
    const cmd: ShellCommand = {
      words,
      assignments: [],
      next,
      shown: s.slice(start, i).replace(/\^\n/g, ''),
      envUsed: used,
    };
    if (stdin) cmd.stdin = stdin;
    if (words.length > 0 && isCurlWord(words[0]!)) {
      const rest = s.slice(i);
      if (next === '\n' && rest.trim() !== '') {
        warnings.push(
          `only the first command is read: the text from line ${lineOf(s, i + rest.search(/\S/))} on is ignored`,
        );
      } else if (next !== '\n' && next !== '') warnings.push(stopWarning(next));
      return { before, curl: cmd, curlAt: 0, warnings };
    }
    before.add(cmd);
  }
}

/** A redirection's target in cmd: blanks, then up to a blank or an operator (quotes kept). */
function cmdWord(s: string, start: number): { text: string; end: number } {
  let i = start;
  while (s.charAt(i) === ' ' || s.charAt(i) === '\t') i += 1;
  const from = i;
  let quoted = false;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (!quoted && /[\s&|<>]/.test(c)) break;
    i += 1;
  }
  return { text: s.slice(from, i), end: i };
}

export function stopWarning(op: string): string {
  if (op === '&') {
    return 'an unquoted & ends the command in a shell: everything after it was ignored (put the URL in quotes)';
  }
  if (op === '|' || op === '|&')
    return 'stopped at "|": the rest of the pipeline is not part of the curl command';
  return `only the first command is read: the text after "${op}" is ignored`;
}

/**
 * The Microsoft C runtime's rules for splitting a command line into argv (curl.exe is built
 * with them): `"` quotes, `\"` is a quote character, backslashes are literal unless a quote
 * follows them, `""` inside quotes is one quote.
 * https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments
 */
export function splitWindowsArgs(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let has = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === '\\') {
      let n = 0;
      while (line.charAt(i) === '\\') {
        n += 1;
        i += 1;
      }
      if (line.charAt(i) === '"') {
        current += '\\'.repeat(n >> 1);
        if (n % 2 === 1) {
          current += '"';
          i += 1;
        }
      } else {
        current += '\\'.repeat(n);
      }
      has = true;
    } else if (c === '"') {
      if (inQuotes && line.charAt(i + 1) === '"') {
        current += '"';
        i += 2;
      } else {
        inQuotes = !inQuotes;
        has = true;
        i += 1;
      }
    } else if (!inQuotes && (c === ' ' || c === '\t')) {
      if (has) args.push(current);
      current = '';
      has = false;
      i += 1;
    } else {
      current += c;
      has = true;
      i += 1;
    }
  }
  if (inQuotes) {
    throw failure(
      'unterminated " quote in this Windows (cmd) command: copy the request as cURL (bash)',
      true,
    );
  }
  if (has) args.push(current);
  return args;
}
