/**
 * What the shell readers of a pasted command (paste-bash.ts, paste-windows.ts, paste-powershell.ts) hand
 * to paste.ts: the commands of the paste up to and including the curl command, each as the
 * words its program would be given, and what its standard input holds. Platform-neutral.
 */
import { CurlParseError } from './types.js';

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
  /** The environment variables its words and input were expanded from (names only). */
  envUsed: Set<string>;
}

/** The paste read up to its curl command. */
export interface ShellReading {
  /** The commands before the curl command (none is run). */
  before: CommandsBefore;
  curl: ShellCommand;
  /** The index in curl.words of the word that runs curl (after `sudo`, `exec`, `&` …). */
  curlAt: number;
  /** Notes about the reading: continuations forgiven, text after the command ignored, … */
  warnings: string[];
}

const isPipe = (op: string) => op === '|' || op === '|&';

/**
 * The commands a paste has before its curl command, kept small whatever their number (a paste
 * may be megabytes of them): the first few that would have to run, to name them, and the
 * pipeline that ends at the last one, which may be curl's standard input.
 */
export class CommandsBefore {
  /** Up to 4 commands with words, in order. */
  private readonly first: ShellCommand[] = [];
  private count = 0;
  /** The pipeline ending at the last command, its last 16 commands at most. */
  readonly chain: ShellCommand[] = [];

  add(cmd: ShellCommand): void {
    const last = this.chain.at(-1);
    if (!last || !isPipe(last.next)) this.chain.length = 0;
    this.chain.push(cmd);
    if (this.chain.length > 16) this.chain.shift();
    if (cmd.words.length === 0) return;
    this.count += 1;
    if (this.first.length < 4) this.first.push(cmd);
  }

  /** The command whose output is piped into curl, if any. */
  producer(): ShellCommand | undefined {
    const last = this.chain.at(-1);
    return last && isPipe(last.next) ? last : undefined;
  }

  /** The commands that are not run, as shown in a warning: the first three and how many more. */
  notRun(): { shown: string[]; more: number } {
    const producer = this.producer();
    const listed = this.first.filter((c) => c !== producer);
    const total = this.count - (producer && producer.words.length > 0 ? 1 : 0);
    return { shown: listed.slice(0, 3).map((c) => c.shown), more: Math.max(0, total - 3) };
  }
}

/**
 * Shared by the readers of one paste. A command substitution is never run: each one is replaced
 * by a marker so that paste.ts can tell whether the request depends on it, and name it if
 * so. The marker's two characters are private-use ones the paste does not hold, so no text of
 * the paste can pass for one.
 */
export class PasteContext {
  readonly subs: string[] = [];
  private readonly open: string;
  private readonly close: string;
  constructor(
    readonly env: Env | undefined,
    text: string,
  ) {
    const unused: string[] = [];
    for (let cp = 0xe000; unused.length < 2; cp += 1) {
      const ch = String.fromCharCode(cp);
      if (!text.includes(ch)) unused.push(ch);
    }
    [this.open, this.close] = unused as [string, string];
  }

  substitution(source: string): string {
    this.subs.push(source);
    return `${this.open}${this.subs.length - 1}${this.close}`;
  }

  /** Matches a marker; group 1 is the substitution's index in `subs`. */
  get mark(): RegExp {
    return new RegExp(`${this.open}(\\d+)${this.close}`, 'g');
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
    return key === undefined ? undefined : env[key];
  }
}

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
