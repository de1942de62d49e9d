/**
 * What the shell readers of a pasted command (curl-paste-bash.ts, curl-paste-windows.ts) hand
 * to curl-paste.ts: the commands of the paste up to and including the curl command, each as the
 * words its program would be given, and what its standard input holds. Platform-neutral.
 */
import { CurlParseError } from './curl.js';

/** Where `$VAR`, `${VAR}`, `%VAR%` and `$env:VAR` expand from. The CLI passes process.env; the page never does. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What a command's standard input holds, as far as the paste says. */
export type Stdin =
  /** A heredoc, a here-string, `echo …` before a pipe: the text is in the paste. */
  | { kind: 'text'; text: string; from: string }
  /** `< FILE`, `cat FILE |`: read through the caller's readFile (its cap and refusals hold). */
  | { kind: 'file'; paths: string[]; from: string }
  /** A command before a pipe (or a file named by a substitution) that why401 would have to run. */
  | { kind: 'command'; from: string };

/** One simple command of the paste. */
export interface ShellCommand {
  /** Its words as its program receives them: expanded, quotes removed; assignments before it left out. */
  words: string[];
  /** `NAME=value` words before the command word (the whole command when there is no word). */
  assignments: Array<{ name: string; value: string }>;
  /** Its own input redirection (`<`, `<<<`, `<<EOF`), the last one given. */
  stdin?: Stdin;
  /** The operator that ends it: `|`, `&&`, `;`, a newline (`\n`), … or '' at the end of the paste. */
  next: string;
  /** Its text as written, on one line, for messages. */
  shown: string;
  /** The line it starts on (1-based). */
  line: number;
  /** The environment variables its words and input were expanded from (names only). */
  envUsed: Set<string>;
}

/** The paste read up to its curl command. */
export interface ShellReading {
  /** The commands before the curl command (none is run). */
  before: ShellCommand[];
  curl: ShellCommand;
  /** The index in curl.words of the word that runs curl (after `sudo`, `exec`, `&` …). */
  curlAt: number;
  /** Notes about the reading: continuations forgiven, text after the command ignored, … */
  warnings: string[];
}

/**
 * Shared by the readers of one paste. A command substitution is never run: each one is replaced
 * by a marker (private-use characters, which no paste holds) so that curl-paste.ts can tell
 * whether the request depends on it, and name it if so.
 */
export class PasteContext {
  readonly subs: string[] = [];
  constructor(readonly env: Env | undefined) {}

  substitution(source: string): string {
    this.subs.push(source);
    return `${SUB_OPEN}${this.subs.length - 1}${SUB_CLOSE}`;
  }

  /** A variable's value from the environment, or undefined when it is not set there. */
  fromEnv(name: string, caseInsensitive = false): string | undefined {
    const env = this.env;
    if (!env) return undefined;
    let key: string | undefined = Object.prototype.hasOwnProperty.call(env, name) ? name : undefined;
    if (key === undefined && caseInsensitive) {
      const lower = name.toLowerCase();
      key = Object.keys(env).find((k) => k.toLowerCase() === lower);
    }
    const value = key === undefined ? undefined : env[key];
    return value;
  }
}

export const SUB_OPEN = '\uE000';
export const SUB_CLOSE = '\uE001';
export const SUB_MARK = /\uE000(\d+)\uE001/g;

/** A thrown CurlParseError that says whether a curl command was seen before the failure (see isCurlPaste). */
export function failure(message: string, sawCurl: boolean): CurlParseError {
  return Object.assign(new CurlParseError(message), { sawCurl });
}

/**
 * `curl`, `curl.exe`, `CURL`, `/usr/bin/curl`, `./curl`, `~/bin/curl`, `C:\Tools\curl.exe`, as
 * written. A path must look like one: `https://x.test/curl` or `example.com/curl` is a URL.
 */
export function isCurlWord(raw: string): boolean {
  const cut = Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\'));
  if (!/^curl(?:\.exe)?$/i.test(raw.slice(cut + 1))) return false;
  return cut < 0 || /^["']?(?:[/.~\\]|[A-Za-z]:[/\\])/.test(raw);
}

/** Words that come before the program they run: `sudo curl …`, `exec curl …`, `time curl …`. */
const PREFIX_WORDS = new Set(['exec', 'command', 'builtin', 'time', 'nohup', 'sudo', 'env']);
const KEYWORDS = new Set(['!', '{', '(', 'if', 'then', 'else', 'elif', 'do', 'while', 'until']);

/**
 * The index of the word that names the program a command runs, past keywords and prefixes
 * (`sudo -E curl`, `env A=1 curl`, `if curl …`); `raw` holds the words as written.
 */
export function programAt(raw: readonly string[]): number {
  let i = 0;
  while (i < raw.length) {
    const w = raw[i]!;
    if (KEYWORDS.has(w)) i += 1;
    else if (PREFIX_WORDS.has(w)) {
      i += 1;
      // their own options and env's NAME=value words
      while (i < raw.length && (/^-/.test(raw[i]!) || /^[A-Za-z_]\w*=/.test(raw[i]!))) i += 1;
    } else break;
  }
  return i;
}

/** A command shown in a message: one line, at most 48 characters. */
export function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 48 ? `${one.slice(0, 47)}…` : one;
}

export function lineOf(s: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < s.length; i += 1) if (s.charAt(i) === '\n') line += 1;
  return line;
}

export function unterminated(s: string, index: number, what: string, sawCurl: boolean): CurlParseError {
  const line = lineOf(s, index);
  const column = index - (s.lastIndexOf('\n', index - 1) + 1) + 1;
  const name =
    what === "'" ? "' quote" : what === '"' ? '" quote' : what === "$'" ? "$'…' quote" : `${what}…`;
  return failure(`unterminated ${name} (opened at line ${line}, column ${column})`, sawCurl);
}

/**
 * The text a first line that is a prompt starts with, in any shell: `$ `, `% `, `> `,
 * `user@host:~/dir$ `, `[user@host dir]$ ` (bash); `PS> `, `PS C:\Users\me> ` (PowerShell);
 * `C:\>`, `C:\Users\me>` (cmd).
 */
export const BASH_PROMPT = /[ \t]*(?:[$%>]|[\w.-]+@[\w.-]+(?::[^\s$#]*)?[$#]|\[[^\]\n]*\][$#])[ \t]+/y;
export const POWERSHELL_PROMPT = /[ \t]*PS(?:[ \t][^\n>]*)?>[ \t]*/y;
export const CMD_PROMPT = /[ \t]*[A-Za-z]:\\[^\n>"]*>[ \t]*/y;

/** The length of the prompt at `i` (0 when there is none). */
export function promptAt(prompt: RegExp, s: string, i: number): number {
  prompt.lastIndex = i;
  return prompt.test(s) ? prompt.lastIndex - i : 0;
}
