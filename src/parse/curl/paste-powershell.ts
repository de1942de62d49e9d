/**
 * Pasted PowerShell commands read up to their curl command: `PS C:\>` prompts, backtick-newline
 * continuations, `$env:NAME`. Platform-neutral: no node: imports.
 */
import {
  CommandsBefore,
  failure,
  isCurlWord,
  lineOf,
  POWERSHELL_PROMPT,
  promptAt,
  type PasteContext,
  type ShellCommand,
  type ShellReading,
} from './paste-shell.js';
import { MAX_WORDS, splitWindowsArgs, stopWarning, tooLong } from './paste-windows.js';

const PS_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * PowerShell's argument mode (about_Parsing, about_Quoting_Rules): words split at blanks; '…'
 * literal ('' is one quote); "…" with backtick escapes and `$env:NAME` / `${env:NAME}` expanded
 * when set; a backtick outside quotes escapes the next character, and before a newline continues
 * the line; `#` starts a comment; `|`, `;`, `&&`, `||` end a command. Other `$name` variables are
 * PowerShell's own, not the environment's: kept as written. The words are then given to curl.exe
 * as PowerShell 7.3+ passes them (`$PSNativeCommandArgumentPassing`, "Windows" mode: each word
 * as is); Windows PowerShell 5.1 drops double quotes inside them, which is said.
 */
export function readPowerShell(text: string, ctx: PasteContext): ShellReading {
  const s = text;
  const before = new CommandsBefore();
  const warnings: string[] = [];
  let i = 0;
  let firstLine = true;
  let transcript = false;
  let sawCurl = false;
  let total = 0;
  const skipContinuationPrompt = () => {
    if (!transcript) return;
    const re = /[ \t]*>>[ \t]?/y;
    re.lastIndex = i;
    if (re.test(s)) i = re.lastIndex;
  };
  for (;;) {
    for (;;) {
      while (i < s.length && ' \t\r\n'.includes(s.charAt(i))) i += 1;
      if (i >= s.length) throw failure('the command does not start with curl', false);
      if (s.startsWith('<#', i)) {
        const close = s.indexOf('#>', i + 2);
        i = close < 0 ? s.length : close + 2;
        continue;
      }
      if (s.charAt(i) === '#') {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length : nl;
        continue;
      }
      const lineStart = s.lastIndexOf('\n', i - 1) + 1;
      if (s.slice(lineStart, i).trim() === '' && (firstLine || transcript)) {
        const prompt = promptAt(POWERSHELL_PROMPT, s, lineStart);
        if (prompt > 0) {
          if (firstLine) transcript = true;
          firstLine = false;
          i = lineStart + prompt;
          continue;
        }
        if (transcript) {
          const nl = s.indexOf('\n', i);
          i = nl < 0 ? s.length : nl;
          continue;
        }
      }
      break;
    }
    firstLine = false;
    const start = i;
    const words: string[] = [];
    const used = new Set<string>();
    let next = '';
    let word: string | null = null;
    const end = () => {
      if (word !== null) {
        words.push(word);
        total += 1;
        if (total > MAX_WORDS) tooLong();
      }
      word = null;
    };
    const add = (t: string) => {
      word = (word ?? '') + t;
    };
    const dollar = (): void => {
      // $env:NAME, ${env:NAME}, $(…); other variables stay as written.
      const m = /\$(?:\{env:([^}]+)\}|env:([A-Za-z_][A-Za-z0-9_]*))/iy;
      m.lastIndex = i;
      const found = m.exec(s);
      if (found) {
        const name = found[1] ?? found[2]!;
        const value = ctx.fromEnv(name, true);
        if (value !== undefined) used.add(name);
        add(value ?? found[0]);
        i = m.lastIndex;
        return;
      }
      if (s.charAt(i + 1) === '(') {
        const close = parenEnd(s, i + 1);
        if (close < 0) throw failure(`unterminated $(… (opened at line ${lineOf(s, i)})`, sawCurl);
        add(ctx.substitution(s.slice(i, close)));
        i = close;
        return;
      }
      add('$');
      i += 1;
    };
    while (i < s.length) {
      const c = s.charAt(i);
      if (c === '`') {
        const n = s.charAt(i + 1);
        if (n === '\n' || (n === '\r' && s.charAt(i + 2) === '\n')) {
          end();
          i += n === '\n' ? 2 : 3;
          skipContinuationPrompt();
        } else {
          add(n);
          i += 2;
        }
      } else if (c === ' ' || c === '\t' || c === '\r') {
        end();
        i += 1;
      } else if (c === '\n') {
        next = '\n';
        i += 1;
        break;
      } else if (c === '#' && word === null) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length : nl;
      } else if (c === "'") {
        let j = i + 1;
        let out = '';
        for (;;) {
          if (j >= s.length) throw failure(`unterminated ' quote (opened at line ${lineOf(s, i)})`, sawCurl);
          if (s.charAt(j) === "'" && s.charAt(j + 1) === "'") {
            out += "'";
            j += 2;
          } else if (s.charAt(j) === "'") break;
          else out += s.charAt(j++);
        }
        add(out);
        i = j + 1;
      } else if (c === '"') {
        const open = i;
        add('');
        i += 1;
        for (;;) {
          if (i >= s.length)
            throw failure(`unterminated " quote (opened at line ${lineOf(s, open)})`, sawCurl);
          const d = s.charAt(i);
          if (d === '"' && s.charAt(i + 1) === '"') {
            add('"');
            i += 2;
          } else if (d === '"') {
            i += 1;
            break;
          } else if (d === '`') {
            const n = s.charAt(i + 1);
            add(PS_ESCAPES[n] ?? n);
            i += 2;
          } else if (d === '$') dollar();
          else {
            add(d);
            i += 1;
          }
        }
      } else if (c === '$') dollar();
      else if (word === null && s.startsWith('--%', i) && /[\s]/.test(s.charAt(i + 3) || ' ')) {
        // The stop-parsing token: the rest of the line goes to the program as written.
        const nl = s.indexOf('\n', i);
        words.push(...splitWindowsArgs(s.slice(i + 3, nl < 0 ? s.length : nl)));
        i = nl < 0 ? s.length : nl;
      } else if (c === '|' || c === ';' || (c === '&' && s.charAt(i + 1) === '&')) {
        end();
        next = c === ';' ? ';' : s.charAt(i + 1) === c ? c + c : c;
        i += next.length;
        break;
      } else if (c === '&' && word === null && words.length === 0) {
        i += 1; // the call operator: `& curl.exe …`, `& "C:\Program Files\…\curl.exe" …`
      } else if (c === '<') {
        throw failure(
          'PowerShell does not accept "<" (it is reserved): pipe the file instead (Get-Content FILE | curl.exe …)',
          sawCurl,
        );
      } else if (c === '>' || (/[*\d]/.test(c) && word === null && s.charAt(i + 1) === '>')) {
        // An output redirection (`> out.json`, `2>&1`, `*>$null`): skipped with its target.
        end();
        const op = /[*\d]?>>?(?:&\d)?/y;
        op.lastIndex = i;
        i += op.exec(s)?.[0].length ?? 1;
        if (!/&\d$/.test(s.slice(0, i))) {
          while (s.charAt(i) === ' ' || s.charAt(i) === '\t') i += 1;
          while (i < s.length && !/[\s|;]/.test(s.charAt(i))) i += 1;
        }
      } else {
        add(c);
        i += 1;
      }
      if (words.length > 0 && isCurlWord(words[0]!)) sawCurl = true;
    }
    end();
    const cmd: ShellCommand = {
      words,
      assignments: [],
      next,
      shown: s.slice(start, i),
      envUsed: used,
    };
    if (words.length > 0 && isCurlWord(words[0]!)) {
      if (!/\.exe$/i.test(words[0]!)) {
        warnings.push(
          'in Windows PowerShell 5.1 "curl" runs Invoke-WebRequest, not curl: read as curl.exe would read it',
        );
      }
      if (words.slice(1).some((w) => w.includes('"'))) {
        warnings.push(
          'read as PowerShell 7.3+ passes arguments to curl.exe; Windows PowerShell 5.1 drops the double quotes inside them',
        );
      }
      const rest = s.slice(i);
      if (next === '\n' && rest.trim() !== '' && !transcript) {
        warnings.push(
          `only the first command is read: the text from line ${lineOf(s, i + rest.search(/\S/))} on is ignored`,
        );
      } else if (next !== '\n' && next !== '') warnings.push(stopWarning(next));
      return { before, curl: cmd, curlAt: 0, warnings };
    }
    before.add(cmd);
  }
}

/** The index just past the `)` that closes the `(` at `open` (quotes skipped), or -1. */
function parenEnd(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i += 1) {
    const c = s.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
