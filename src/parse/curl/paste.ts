/**
 * A pasted curl command → the request curl would send. The one recogniser of a paste: the CLI's
 * one-argument form (`why401 "curl …"`), `why401 curl -` and `why401 curl "…"`, the guide and
 * the page all come here.
 *
 * A paste is read as the shell it was written for would read it (bash: paste-bash.ts; cmd:
 * paste-windows.ts; PowerShell: paste-powershell.ts): prompts, comment and shebang lines,
 * `curl.exe`, paths to curl, upper case, continuations, the curl command inside a pipeline or a
 * script. Its words then go through parseCurlArgs (args.ts), with curl's standard input as the
 * paste gives it (`< file`, `<<< text`, heredocs, `cat file |`). Nothing in a paste is ever run:
 * a request that depends on a command substitution is refused, naming it.
 *
 * Platform-neutral: no node: imports, no file system (files are read through options.readFile).
 */
import { parseCurlArgs } from './args.js';
import { lookupCurlFlag } from './flags.js';
import { CurlParseError, type CurlParse, type CurlParseOptions } from './types.js';
import { readBash } from './paste-bash.js';
import {
  BASH_PROMPT,
  CMD_PROMPT,
  type Env,
  failure,
  POWERSHELL_PROMPT,
  PasteContext,
  promptAt,
  shorten,
  type ShellCommand,
  type ShellReading,
  type Stdin,
} from './paste-shell.js';
import { readPowerShell } from './paste-powershell.js';
import { readCmd } from './paste-windows.js';

export type { Env as PasteEnv } from './paste-shell.js';

type Dialect = 'bash' | 'cmd' | 'powershell';

/** A paste read up to its curl command, before curl's flags are applied. */
export interface PastedCurl {
  dialect: Dialect;
  /** curl's arguments (after the word that runs curl); command substitutions as markers. */
  args: string[];
  /** What curl's standard input holds, when the paste says. */
  stdin?: Stdin;
  /** The command before a pipe into curl, when there is one. */
  producer?: ShellCommand;
  /** curl's standard input is that command's output (curl has no input redirection of its own). */
  stdinFromPipe: boolean;
  /** Command substitutions, in the order the markers number them. */
  subs: string[];
  /** Matches a substitution's marker (global); group 1 is its index in subs. */
  mark: RegExp;
  /** Environment variables expanded into the command (names only, as the shell spells them). */
  envUsed: string[];
  warnings: string[];
}

/** A whole pasted command ("curl 'https://…' -H …"), from a browser, Postman, docs or a script. */
export function parseCurlCommand(text: string, options: CurlParseOptions = {}): CurlParse {
  let paste: PastedCurl;
  try {
    paste = readPastedCurl(text, options.env);
  } catch (e) {
    if (e instanceof CurlParseError && (e as { sawCurl?: boolean }).sawCurl === false) {
      throw new CurlParseError(`${e.message}${hint(text.replace(/^\uFEFF/, '').trim())}`);
    }
    throw e;
  }
  // An option whose name a command makes (`-$(x)`, `-s$(x)`, `--$(x)`): what curl gets is that
  // command's output, which why401 never runs; the word is named and left out, never read letter
  // by letter (its marker would pass for options).
  const args = paste.args.filter((a) => !optionMadeByCommand(a, paste.mark));
  const made = paste.args.filter((a) => !args.includes(a));
  const stdinRead = { value: false };
  const parsed = parseCurlArgs(args, withPasteInput(options, paste, stdinRead));
  const refused = dependsOn(parsed.request, paste);
  if (refused) throw new CurlParseError(refused);
  const unmark = (s: string) => unmarked(s, paste);
  const warnings = [...paste.warnings, ...pipelineWarnings(paste, stdinRead.value)];
  if (paste.envUsed.length > 0) {
    warnings.push(`expanded from the environment (values not shown): ${paste.envUsed.join(', ')}`);
  }
  for (const a of made)
    warnings.push(
      `${shorten(unmark(a))} is a curl option made by a command, which why401 does not run: ignored`,
    );
  const inArgs = new Set(args.flatMap((a) => [...a.matchAll(paste.mark)].map((m) => Number(m[1]))));
  for (const n of inArgs) {
    warnings.push(
      `${shorten(paste.subs[n]!)} is not run (why401 runs no commands); it does not change the request`,
    );
  }
  warnings.push(...parsed.warnings.map(unmark));
  return { request: parsed.request, warnings: [...new Set(warnings)] };
}

/**
 * Does this text hold a curl command, as a paste? The one test the CLI's one-argument form and
 * the page use to tell a paste from a URL. True also when the text has a curl command whose
 * reading fails (an unterminated quote): parseCurlCommand then says what is wrong.
 */
export function isCurlPaste(text: string): boolean {
  try {
    readPastedCurl(text, undefined);
    return true;
  } catch (e) {
    return (e as { sawCurl?: boolean }).sawCurl === true;
  }
}

/** curl's arguments in a paste, substitutions as written, nothing expanded; undefined when it has no curl command. */
export function curlPasteWords(text: string): string[] | undefined {
  try {
    const paste = readPastedCurl(text, undefined);
    return paste.args.map((a) => unmarked(a, paste));
  } catch {
    return undefined;
  }
}

/** Reads a paste up to its curl command. Throws a CurlParseError (with `sawCurl`) when it cannot. */
export function readPastedCurl(text: string, env: Env | undefined): PastedCurl {
  const s = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  // Not a paste at all (a URL, a HAR, a large file on stdin): said without reading it as a shell.
  if (!/curl/i.test(s)) throw failure('the command does not start with curl', false);
  // A URL on the first line is the page's other form (a URL, header lines, a body), whatever
  // its body says: never a shell command.
  if (/^\s*[a-z][a-z0-9+.-]*:\/\//i.test(firstLineOf(s)))
    throw failure('the command does not start with curl', false);
  const { dialect, ctx, reading } = readAs(s, env);
  const { before, curl, curlAt } = reading;
  const warnings = [...reading.warnings];
  const producer = before.producer();
  const notRun = before.notRun();
  if (notRun.shown.length > 0) {
    const shown = notRun.shown.map((c) => `"${shorten(c)}"`);
    if (notRun.more > 0) shown.push(`${notRun.more} more`);
    warnings.unshift(`not run (only the curl command is read): ${shown.join(', ')}`);
  }
  const stdin = curl.stdin ?? (producer ? stdinFrom(producer, before.chain) : undefined);
  const envUsed = new Set(curl.envUsed);
  const out: PastedCurl = {
    dialect,
    args: curl.words.slice(curlAt + 1),
    subs: ctx.subs,
    mark: ctx.mark,
    envUsed: [],
    warnings,
    stdinFromPipe: !curl.stdin && producer !== undefined,
  };
  if (stdin) {
    out.stdin = stdin;
    if (!curl.stdin && producer) for (const n of producer.envUsed) envUsed.add(n);
  }
  if (producer) out.producer = producer;
  out.envUsed = [...envUsed].map((n) =>
    dialect === 'powershell' ? `$env:${n}` : dialect === 'cmd' ? `%${n}%` : `$${n}`,
  );
  return out;
}

// ---- which shell ------------------------------------------------------------------------------

function readAs(
  s: string,
  env: Env | undefined,
): { dialect: Dialect; ctx: PasteContext; reading: ShellReading } {
  const read = (dialect: Dialect, text = s) => {
    const ctx = new PasteContext(env, text);
    const reading =
      dialect === 'bash'
        ? readBash(text, ctx)
        : dialect === 'cmd'
          ? readCmd(text, ctx)
          : readPowerShell(text, ctx);
    return { dialect, ctx, reading };
  };
  const first = firstLineOf(s);
  if (promptAt(POWERSHELL_PROMPT, first, 0) > 0 || /[ \t]`[ \t]*\n/.test(s)) return read('powershell');
  if (promptAt(CMD_PROMPT, first, 0) > 0) return read('cmd');
  // A Windows path to curl (`C:\Tools\curl.exe`): PowerShell when it has single quotes, else cmd.
  if (/^[ \t]*[&@]?[ \t]*["']?[A-Za-z]:\\[^\n]*?curl(?:\.exe)?\b/im.test(s)) {
    return read(/'/.test(s) ? 'powershell' : 'cmd');
  }
  try {
    const bash = read('bash');
    const { curl, curlAt } = bash.reading;
    // Chrome's "Copy as cURL (cmd)" starts every argument with ^"; a hand-written cmd command
    // ends its lines with ^, which bash reads as a word of its own.
    if (curl.words.slice(curlAt).includes('^') || /^\S+[ \t]+\^"/.test(curl.shown)) return read('cmd');
    return bash;
  } catch (e) {
    if (!(e instanceof CurlParseError)) throw e;
    // What bash cannot read but cmd can (its ^" quoting): cmd's own error, if any, is the one to show.
    if (/\^"|[ \t]\^\n/.test(s)) return read('cmd');
    // Prose before the command ("Here's the request:") is not shell: read from the curl line.
    if ((e as { sawCurl?: boolean }).sawCurl === false) {
      const line = curlLine(s);
      if (line > 1) {
        const lines = s.split('\n');
        const again = read('bash', '\n'.repeat(line - 1) + lines.slice(line - 1).join('\n'));
        again.reading.warnings.unshift(`the text before line ${line} is not a command: it was skipped`);
        return again;
      }
    }
    throw e;
  }
}

/** The first line that is not blank or a comment, for the prompt tests. */
function firstLineOf(s: string): string {
  for (let at = 0; at < s.length;) {
    const nl = s.indexOf('\n', at);
    const line = s.slice(at, nl < 0 ? s.length : nl);
    const t = line.trim();
    if (t !== '' && !t.startsWith('#') && !/^(?:rem\b|::)/i.test(t)) return line;
    at = nl < 0 ? s.length : nl + 1;
  }
  return '';
}

/** The line (1-based) where a line starts with a curl command (after a prompt), or 0. */
function curlLine(s: string): number {
  const lines = s.split('\n');
  const curl = /(?:\S*[/\\])?curl(?:\.exe)?(?=[ \t]|$)/iy;
  for (let n = 0; n < lines.length; n += 1) {
    const line = lines[n]!;
    const at = line.search(/\S/);
    if (at < 0) continue;
    for (const start of [at, promptAt(BASH_PROMPT, line, 0)]) {
      curl.lastIndex = start;
      if (start >= at && curl.test(line)) return n + 1;
    }
  }
  return 0;
}

// ---- standard input ----------------------------------------------------------------------------

/**
 * What a command before a pipe writes, when it is one the paste itself answers: `cat FILE…`
 * (`type`, `Get-Content`), `cat` reading its own input, `echo words` (`echo -n`). Anything else
 * would have to be run.
 */
function stdinFrom(cmd: ShellCommand, chain: readonly ShellCommand[]): Stdin {
  const [name = '', ...args] = cmd.words;
  const program = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();
  const from = shorten(cmd.shown);
  if (['cat', 'type', 'get-content', 'gc'].includes(program) && !args.some((a) => a.startsWith('-'))) {
    if (args.length > 0) return { kind: 'file', paths: args, from };
    if (cmd.stdin) return cmd.stdin;
    const index = chain.indexOf(cmd);
    const prev = chain[index - 1];
    if (prev && (prev.next === '|' || prev.next === '|&')) return stdinFrom(prev, chain.slice(0, index));
  }
  if (program === 'echo' || program === 'write-output') {
    const noNewline = args[0] === '-n';
    const words = noNewline ? args.slice(1) : args;
    // `echo -e`, or escapes bash's echo might read: running it is the only way to know.
    if (!words.some((w) => /^-[eE]$/.test(w))) {
      return { kind: 'text', text: `${words.join(' ')}${noNewline ? '' : '\n'}`, from };
    }
  }
  return { kind: 'command', from };
}

/**
 * The caller's options, with curl's standard input (`-d @-`, `--data-binary @-`, `-T -`, …) read
 * from where the paste says, never from why401's own standard input when the paste names one:
 * a heredoc or here-string from its text, `< file` through the caller's readFile (so its cap and
 * the page's refusal hold). Read once, as curl does: a second `@-` finds it empty.
 */
function withPasteInput(
  options: CurlParseOptions,
  paste: PastedCurl,
  read: { value: boolean },
): CurlParseOptions {
  const base = options.readFile;
  const stdin = paste.stdin;
  if (!stdin && !base) return options;
  const out: CurlParseOptions = { ...options };
  // `-d @-` and `-T -` may read bytes: the paste's own stdin (a heredoc, <<<, < FILE) answers those too.
  const bytes = options.readFileBytes;
  out.readFileBytes = (path: string) =>
    (path === '-' && stdin) || !bytes ? new TextEncoder().encode(out.readFile!(path)) : bytes(path);
  out.readFile = (path: string): string => {
    const made = substitutionIn(path, paste);
    if (made) throw new CurlParseError(`a file name is made by ${made}, which why401 does not run`);
    if (path !== '-' || !stdin) {
      if (!base) throw new Error('files are not read here');
      if (path === '-') read.value = true;
      return base(path);
    }
    if (read.value) return '';
    read.value = true;
    switch (stdin.kind) {
      case 'text':
        return stdin.text;
      case 'file': {
        if (!base) throw new Error(`${stdin.from}: files are not read here`);
        const made = stdin.paths.map((p) => substitutionIn(p, paste)).find(Boolean);
        if (made) {
          throw new CurlParseError(
            `curl's standard input is a file named by ${made}, which why401 does not run: give the file name itself`,
          );
        }
        return stdin.paths
          .map((p) => {
            try {
              return base(p);
            } catch (e) {
              // "cannot read -d file -: < body.json: it does not exist", not just "-".
              if (e instanceof CurlParseError) throw e;
              throw new Error(`${stdin.from}: ${e instanceof Error ? e.message : String(e)}`);
            }
          })
          .join('');
      }
      case 'command':
        throw new CurlParseError(
          `curl's standard input is the output of "${stdin.from}", which why401 does not run: give it with < FILE, <<< 'text' or a here-document`,
        );
    }
  };
  return out;
}

/** The notes about a pipeline into curl: what was read from the command before the pipe, or that it was not run. */
function pipelineWarnings(paste: PastedCurl, stdinRead: boolean): string[] {
  const p = paste.producer;
  if (!p) return [];
  const shown = `"${shorten(p.shown)} |"`;
  if (!paste.stdinFromPipe)
    return [`${shown} before curl is not run: curl's own input redirection takes its place`];
  if (stdinRead) return [`curl's standard input is taken from ${shown}, as the shell would give it`];
  return [`${shown} before curl is not run: curl does not read its standard input here`];
}

// ---- command substitutions ------------------------------------------------------------------

function substitutionIn(text: string, paste: PastedCurl): string | undefined {
  const m = new RegExp(paste.mark.source).exec(text);
  return m ? shorten(paste.subs[Number(m[1])] ?? '') : undefined;
}

/** Whether a word's option letters (not a value attached to them) begin with a substitution's marker. */
function optionMadeByCommand(word: string, mark: RegExp): boolean {
  if (!word.startsWith('-') || word === '-') return false;
  const at = new RegExp(`^${mark.source}`);
  if (word.startsWith('--')) return at.test(word.slice(2));
  for (let j = 1; j < word.length; j++) {
    if (at.test(word.slice(j))) return true;
    // `-HX: $(cmd)`: from a flag that takes a value on, the rest is its value.
    if (lookupCurlFlag(`-${word.charAt(j)}`)?.takesValue) return false;
  }
  return false;
}

function unmarked(text: string, paste: PastedCurl): string {
  return text.replace(paste.mark, (_m, n: string) => paste.subs[Number(n)] ?? '');
}

/**
 * The one-line refusal when the request depends on a command substitution (a header, the URL,
 * the body built from `$(…)`): why401 never runs what a paste holds, and sending the marker, or
 * the command's text, would diagnose a request nobody sends.
 */
function dependsOn(request: CurlParse['request'], paste: PastedCurl): string | undefined {
  if (paste.subs.length === 0) return undefined;
  const where = (): [string, string] | undefined => {
    for (const [name, value] of request.headers) {
      const made = substitutionIn(`${name}:${value}`, paste);
      if (made) return [`the ${name} header`, made];
    }
    const url = substitutionIn(request.url, paste);
    if (url) return ['the URL', url];
    const body = substitutionIn(JSON.stringify(request.body ?? ''), paste);
    if (body) return ['the body', body];
    const rest = substitutionIn(JSON.stringify(request), paste);
    return rest ? ['the request', rest] : undefined;
  };
  const found = where();
  if (!found) return undefined;
  return `${found[0]} is made by ${found[1]}, which why401 does not run: run it and paste its output in its place`;
}

// ---- not curl at all ----------------------------------------------------------------------------

function hint(text: string): string {
  if (/^(Invoke-WebRequest|Invoke-RestMethod|\$session\b)/im.test(text)) {
    return ' (this is PowerShell: copy the request as cURL (bash))';
  }
  if (/^(await\s+)?fetch\s*\(/m.test(text))
    return ' (this is a fetch() call: copy the request as cURL (bash))';
  return '';
}
