/**
 * A pasted curl command → the words curl would be given, as the shell it was written for reads
 * them (bash, Windows cmd); then parseCurlArgs (curl.ts) turns those into the request.
 *
 * Platform-neutral: no node: imports, no file system (files are read through options.readFile).
 */
import { parse as shellParse } from 'shell-quote';
import { CurlParseError, parseCurlArgs, type CurlParse, type CurlParseOptions } from './curl.js';

// ---------------------------------------------------------------------------------------------
// Whole pasted commands
// ---------------------------------------------------------------------------------------------

const CURL_WORD = /^(?:[^\s'"]*[/\\])?curl(?:\.exe)?(?=\s|$)/i;

/** A whole pasted command ("curl 'https://…' -H …"), from Chrome, Firefox, Safari or Postman. */
export function parseCurlCommand(text: string, options: CurlParseOptions = {}): CurlParse {
  const warnings: string[] = [];
  // A leading shell prompt ("$ curl …") comes along when a command is copied from docs.
  const trimmed = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n')
    .replace(/^\s*\$[ \t]+/, '')
    .replace(/^\s+/, '');
  if (!CURL_WORD.test(trimmed))
    throw new CurlParseError(`the command does not start with curl${hint(trimmed)}`);
  if (/[ \t]`[ \t]*\n/.test(trimmed)) {
    throw new CurlParseError(
      'this looks like a PowerShell command (` line ends): copy the request as cURL (bash)',
    );
  }
  const words = tokenize(trimmed, warnings);
  const parsed = parseCurlArgs(words.slice(1), options);
  return { request: parsed.request, warnings: [...new Set([...warnings, ...parsed.warnings])] };
}

function hint(text: string): string {
  if (/^(Invoke-WebRequest|Invoke-RestMethod|\$session\b)/i.test(text)) {
    return ' (this is PowerShell: copy the request as cURL (bash))';
  }
  if (/^(await\s+)?fetch\s*\(/.test(text))
    return ' (this is a fetch() call: copy the request as cURL (bash))';
  return '';
}

/**
 * bash unless the text is a Windows cmd paste: Chrome's "Copy as cURL (cmd)" starts every
 * argument with ^" (the URL first); a hand-written one ends its lines with ^, which bash reads
 * as a word of its own. Looking at the raw text only would misread a bash value holding " ^".
 */
function tokenize(text: string, warnings: string[]): string[] {
  if (/^\S+[ \t]+\^"/.test(text)) return tokenizeWindowsCmd(text, warnings);
  const bashWarnings: string[] = [];
  const words = tokenizeBash(text, bashWarnings);
  if (words.includes('^')) return tokenizeWindowsCmd(text, warnings);
  warnings.push(...bashWarnings);
  return words;
}

// ---- bash -----------------------------------------------------------------------------------

// Marks a `${` so that the env callback can tell `${X}` from `$X` (shell-quote hands both over as "X").
const BRACE_MARK = '\u0001';

/** Keeps `$TOKEN` and `${TOKEN}` literal, so a check can say the placeholder was never expanded. */
function keepVariable(key: string): string {
  if (key.startsWith(BRACE_MARK)) return `\${${key.split(BRACE_MARK).join('')}}`;
  return `$${key}`;
}

function tokenizeBash(text: string, warnings: string[]): string[] {
  const prepared = prepareBash(text, warnings);
  let entries: ReturnType<typeof shellParse>;
  try {
    entries = shellParse(prepared, keepVariable);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new CurlParseError(`cannot read the command: ${message.split('\n')[0] ?? ''}`);
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op === 'glob')
      words.push(entry.pattern); // `?` and `*` are literal to curl
    else break; // a comment or a control operator: prepareBash has removed them already
  }
  return words;
}

type Quote = "'" | '"' | "$'";

/**
 * Reads the text as bash would to find where the one curl command ends, and hands shell-quote
 * a version it reads the bash way: line continuations removed, comments removed, a mid-word
 * `#` escaped (bash keeps it, shell-quote would start a comment), `$(…)` and backticks kept as
 * literal text, `${` marked, the text cut at the first control operator, redirections dropped.
 * Throws on an unterminated quote, which shell-quote would drop silently.
 */
function prepareBash(s: string, warnings: string[]): string {
  let out = '';
  let quote: Quote | null = null;
  let quoteStart = 0;
  let wordStart = true; // the next unquoted character begins a word
  let wordOut = 0; // where the current word begins in `out`
  let lostBackslash = false; // said once, not for every line
  let i = 0;
  const word = (chunk: string) => {
    if (wordStart) wordOut = out.length;
    out += chunk;
    wordStart = false;
  };
  while (i < s.length) {
    const c = s.charAt(i);
    const next = s.charAt(i + 1);
    if (quote === "'") {
      if (c === "'") quote = null;
      out += c;
      i += 1;
      continue;
    }
    if (quote === "$'") {
      if (c === '\\' && i + 1 < s.length) {
        out += c + next;
        i += 2;
        continue;
      }
      if (c === "'") quote = null;
      out += c;
      i += 1;
      continue;
    }
    if (quote === '"') {
      if (c === '\\' && next === '\n') {
        i += 2; // a line continuation, inside double quotes too
      } else if (c === '\\' && i + 1 < s.length) {
        out += c + next;
        i += 2;
      } else if (c === '$' && next === '{') {
        out += `\${${BRACE_MARK}`;
        i += 2;
      } else if ((c === '$' && next === '(') || c === '`') {
        const end = substitutionEnd(s, i);
        if (end < 0) throw unterminated(s, i, c === '`' ? '`' : '$(');
        // Escaped so that shell-quote reads the substitution as plain text, quotes inside it included.
        warnCommandKept(s.slice(i, end), warnings);
        out += s.slice(i, end).replace(/[\\"$]/g, '\\$&');
        i = end;
      } else {
        if (c === '"') quote = null;
        out += c;
        i += 1;
      }
      continue;
    }

    // Outside quotes.
    if (c === '\\') {
      const continuation = /\\[ \t]*\n/y;
      continuation.lastIndex = i;
      if (continuation.test(s)) {
        if (next !== '\n') {
          warnings.push(
            `line ${lineOf(s, i)}: spaces after the trailing backslash (read as a line continuation)`,
          );
        }
        i = continuation.lastIndex;
      } else if (i + 1 < s.length) {
        word(c + next);
        i += 2;
      } else {
        i += 1; // a lone backslash at the very end
      }
    } else if (c === "'" || c === '"') {
      quote = c;
      quoteStart = i;
      word(c);
      i += 1;
    } else if (c === '$' && next === "'") {
      quote = "$'";
      quoteStart = i;
      word("$'");
      i += 2;
    } else if (c === '$' && next === '"') {
      i += 1; // $"…" is a translatable string: the same as "…"
    } else if (c === '$' && next === '{') {
      word(`\${${BRACE_MARK}`);
      i += 2;
    } else if ((c === '$' && next === '(') || c === '`') {
      const end = substitutionEnd(s, i);
      if (end < 0) throw unterminated(s, i, c === '`' ? '`' : '$(');
      const sub = s.slice(i, end);
      warnCommandKept(sub, warnings);
      word(`'${sub.split("'").join("'\\''")}'`);
      i = end;
    } else if (c === '#') {
      if (wordStart) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length : nl; // a comment, up to the end of the line
      } else {
        word('\\#');
        i += 1;
      }
    } else if (c === '\n') {
      // bash ends the command here. A paste whose next line starts with a flag has lost its
      // backslash on the way (or had spaces after it): read on, and say so.
      const rest = s.slice(i + 1).replace(/^(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*/, '');
      if (rest.startsWith('-')) {
        if (!lostBackslash) {
          warnings.push(
            `line ${lineOf(s, i)} does not end with a backslash: the flag lines after it are read as part of the command`,
          );
        }
        lostBackslash = true;
        out += ' ';
        wordStart = true;
        i = s.length - rest.length;
      } else {
        if (rest.trim() !== '') {
          warnings.push(
            `only the first command is read: the text from line ${lineOf(s, i) + 1} on is ignored`,
          );
        }
        break;
      }
    } else if (c === ' ' || c === '\t' || c === '\r') {
      out += c;
      wordStart = true;
      i += 1;
    } else if ('|&;<>()'.includes(c)) {
      const op = /\|\||&&|;;|\|&|&>>?|>>|>&|>\||<<<|<<-?|<>|<&|[|&;<>()]/y;
      op.lastIndex = i;
      const found = op.exec(s)?.[0] ?? c;
      if (/^(?:&?>>?|>[&|]|<[&>]?)$/.test(found)) {
        // A redirection (`> out.json`, `2>&1`): nothing to do with the request. Drop it, with
        // the fd number in front, and its target word.
        if (!wordStart && /^\d+$/.test(out.slice(wordOut))) out = out.slice(0, wordOut);
        i = skipWord(s, i + found.length);
        out += ' ';
        wordStart = true;
        continue;
      }
      warnings.push(stopWarning(found));
      break;
    } else {
      word(c);
      i += 1;
    }
  }
  if (quote !== null) throw unterminated(s, quoteStart, quote);
  return out;
}

function stopWarning(op: string): string {
  if (op === '&') {
    return 'an unquoted & ends the command in a shell: everything after it was ignored (put the URL in quotes)';
  }
  if (op === '|' || op === '|&')
    return 'stopped at "|": the rest of the pipeline is not part of the curl command';
  return `only the first command is read: the text after "${op}" is ignored`;
}

function warnCommandKept(sub: string, warnings: string[]): void {
  const shown = sub.length > 40 ? `${sub.slice(0, 37)}…` : sub;
  warnings.push(`${shown.replace(/\s+/g, ' ')} is kept as literal text: why401 does not run commands`);
}

/** The index just past the `)` or backtick that closes the substitution starting at `start`, or -1. */
function substitutionEnd(s: string, start: number): number {
  if (s.charAt(start) === '`') {
    for (let i = start + 1; i < s.length; i += 1) {
      if (s.charAt(i) === '\\') i += 1;
      else if (s.charAt(i) === '`') return i + 1;
    }
    return -1;
  }
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 1; i < s.length; i += 1) {
    const c = s.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i += 1;
    } else if (c === '\\') i += 1;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Skips blanks and one shell word (a redirection target) from `i`; returns where it ends. */
function skipWord(s: string, start: number): number {
  let i = start;
  while (s.charAt(i) === ' ' || s.charAt(i) === '\t') i += 1;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close < 0) throw unterminated(s, i, c);
      i = close + 1;
    } else if (c === '\\') i += 2;
    else if (/[\s|&;<>()]/.test(c)) break;
    else i += 1;
  }
  return Math.min(i, s.length);
}

function lineOf(s: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < s.length; i += 1) if (s.charAt(i) === '\n') line += 1;
  return line;
}

function unterminated(s: string, index: number, what: string): CurlParseError {
  const line = lineOf(s, index);
  const column = index - (s.lastIndexOf('\n', index - 1) + 1) + 1;
  const name =
    what === "'" ? "' quote" : what === '"' ? '" quote' : what === "$'" ? "$'…' quote" : `${what}…`;
  return new CurlParseError(`unterminated ${name} (opened at line ${line}, column ${column})`);
}

// ---- Windows cmd ----------------------------------------------------------------------------

/**
 * Two passes, as on Windows: cmd.exe first (`^` escapes the next character, `^` + newline
 * continues the line, `"` toggles cmd's quoting in which `^` is literal, unescaped `& | < >`
 * end the command), then the C runtime's argv rules curl.exe uses (`"` quotes, `\"` is a
 * quote character, backslashes are literal unless a quote follows them, `""` inside quotes
 * is one quote). `%VAR%` stays literal, like `$VAR` in bash.
 */
function tokenizeWindowsCmd(s: string, warnings: string[]): string[] {
  let line = '';
  let cmdQuoted = false;
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (!cmdQuoted && c === '^') {
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
    if (c === '"') cmdQuoted = !cmdQuoted;
    else if (c === '\n') {
      if (s.slice(i).trim() !== '') {
        warnings.push(`only the first command is read: the text from line ${lineOf(s, i) + 1} on is ignored`);
      }
      break;
    } else if (!cmdQuoted && '&|<>'.includes(c)) {
      warnings.push(stopWarning(c === '&' && s.charAt(i + 1) === '&' ? '&&' : c));
      break;
    }
    line += c;
    i += 1;
  }
  return splitWindowsArgs(line);
}

function splitWindowsArgs(line: string): string[] {
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
    throw new CurlParseError(
      'unterminated " quote in this Windows (cmd) command: copy the request as cURL (bash)',
    );
  }
  if (has) args.push(current);
  return args;
}
