import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  type CurlParse,
  CurlParseError,
  type CurlParseOptions,
  isCurlPaste,
  lookupCurlFlag,
  parseCurlArgs,
  parseCurlCommand,
  type PasteEnv,
} from '../parse/curl/index.js';
import { InputTooLarge, UsageError } from '../model/errors.js';
import { readInput, readInputBytes } from './read-input.js';

/**
 * curl reads -H @file, -d @file, -b FILE, --cacert FILE … itself; the platform-neutral parser
 * asks the CLI for each through `readFile`, in order, so body parts keep their places. `~/` is
 * the shell's, so we expand it. A file that cannot be read is left out with a warning, as curl
 * does; one past the input cap ends the run (a CurlParseError: the parser passes it on).
 * `$VAR` in a paste expands from `env` (the CLI's environment; the page passes none).
 * With `files: 'refuse'` every read is refused instead (see RequestIo).
 */
function curlOptions(
  now: number,
  env: PasteEnv | undefined,
  pasteOnStdin: boolean,
  io: RequestIo,
): CurlParseOptions {
  if (io.files === 'refuse') {
    const refuse = (): never => {
      throw new CurlParseError(io.refusal ?? NO_LOCAL_FILES);
    };
    const options: CurlParseOptions = { now, readFile: refuse, readFileBytes: refuse, statFile: refuse };
    if (env) options.env = env;
    return options;
  }
  const local = (path: string) => path.replace(/^~(?=\/)/, homedir());
  /** One way for text and bytes alike: the capped reader, `~/` expanded, the paste's stdin kept. */
  const capped =
    <T>(read: (path: string, what: string) => T) =>
    (path: string): T => {
      // `why401 curl -` read the paste from standard input: nothing is left there for `@-`.
      if (path === '-' && pasteOnStdin) {
        throw new Error(
          "standard input held the pasted command; give the body in the paste (<<< 'text', a here-document or < FILE)",
        );
      }
      try {
        return read(local(path), 'file');
      } catch (e) {
        if (e instanceof InputTooLarge) throw new CurlParseError(e.message);
        throw e;
      }
    };
  const options: CurlParseOptions = {
    now,
    readFile: capped(readInput),
    readFileBytes: capped(readInputBytes),
    // -z FILE and -C - look at a file's time and size, as curl does (stat, no read).
    statFile: (path) => {
      try {
        const st = statSync(local(path));
        return st.isFile() ? { mtimeMs: st.mtimeMs, size: st.size } : undefined;
      } catch {
        return undefined;
      }
    },
  };
  if (env) options.env = env;
  return options;
}

/**
 * How a command's inputs are reached. `files: 'read'` (the CLI's) reads every file a flag names
 * through the capped reader; `'refuse'` (the library's default, the page's) refuses each with a
 * CurlParseError, so a command from elsewhere cannot make this process send its local files.
 * `readPaste` gives `curl -` its command (the CLI reads standard input); without it `-` is refused.
 */
export interface RequestIo {
  files?: 'read' | 'refuse';
  /** The one line said when a file is refused (default NO_LOCAL_FILES). */
  refusal?: string;
  readPaste?: () => string;
}

/** The one answer to every local file a command would have a library caller read. */
export const NO_LOCAL_FILES =
  'local files are not read for this command (@FILE, -F name=@FILE, -T FILE, -b FILE, --cacert FILE, @- for standard input): give their contents instead, or pass localFiles: true';

/** The URL as it may be shown in a message: no query or fragment (a token may sit there), at most 60 characters. */
function shown(url: string): string {
  const cut = url.search(/[?#]/);
  const base = cut < 0 ? url : `${url.slice(0, cut)} …`;
  return base.length > 60 ? `${base.slice(0, 59)}…` : base;
}

/**
 * curl refuses a URL it cannot parse ("URL rejected: Malformed input") and a scheme it does not
 * speak ("Protocol "ftp" not supported"); why401 speaks only HTTP. Neither is a network failure.
 */
function checkUrl(url: string, given: string): void {
  let u: URL;
  try {
    // WHATWG URLs take a space in the path (as %20); curl refuses it, and it is usually a slip.
    if (/\s/.test(url.trim())) throw new TypeError('space');
    u = new URL(url);
  } catch {
    throw new UsageError(
      `URL rejected: malformed URL ${JSON.stringify(shown(given.trim()))}${/\s/.test(given.trim()) ? ' (a space in a URL is written %20)' : ''}`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(
      `Protocol "${u.protocol.slice(0, -1)}" not supported: why401 diagnoses http:// and https:// requests`,
    );
  if (!u.hostname) throw new UsageError(`URL rejected: no host in ${JSON.stringify(shown(given))}`);
}

/** The first positional argument of curl arguments (skipping flags and their values, roughly). */
function firstPositional(args: string[]): { index: number; value: string } | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return i + 1 < args.length ? { index: i + 1, value: args[i + 1]! } : undefined;
    if (a.startsWith('-') && a.length > 1) {
      if (!a.includes('=') && lookupCurlFlag(a.startsWith('--') ? a : `-${a.at(-1)}`)?.takesValue) i++;
      continue;
    }
    return { index: i, value: a };
  }
  return undefined;
}

/**
 * The request to diagnose, from the direct form's arguments or a pasted curl command. A paste is
 * recognised by the one recogniser (isCurlPaste), whether it came as `why401 "…"`, `why401 curl
 * "…"` or `why401 curl -`. `env` is where its `$VAR`s expand from: the CLI's environment, never
 * the page's server's (diagnoseWithEvidence passes what the caller set).
 */
export function requestFromArgs(
  mode: 'direct' | 'curl',
  rest: string[],
  now: number,
  onPaste?: (text: string) => void,
  env?: PasteEnv,
  io: RequestIo = { files: 'read' },
): CurlParse {
  if (rest.length === 0) {
    throw new UsageError(
      mode === 'curl'
        ? 'no curl command after `curl` (paste it, or use `curl -` to read it from stdin)'
        : 'no URL given (try why401 --help)',
    );
  }
  let parsed: CurlParse;
  let given: string | undefined;
  if (mode === 'curl' && rest.length === 1 && rest[0] === '-') {
    if (!io.readPaste)
      throw new UsageError('`curl -` reads the command from standard input, which is not available here');
    const paste = io.readPaste();
    onPaste?.(paste);
    parsed = parseCurlCommand(paste, curlOptions(now, env, true, io));
  } else if (rest.length === 1 && isCurlPaste(rest[0]!)) {
    // A whole paste given as one argument: `why401 curl "curl 'https://…' -H …"`, or the same
    // without `curl` in front of it (`why401 "$ curl 'https://…' -H …"`): read as the paste it is.
    parsed = parseCurlCommand(rest[0]!, curlOptions(now, env, false, io));
    if (mode === 'direct')
      parsed.warnings.unshift(
        "the argument holds a whole curl command: it was read as a pasted command (the same as why401 curl '…')",
      );
  } else if (mode === 'curl' && rest.length === 1 && /\s/.test(rest[0]!.trim())) {
    // The paste without its leading `curl` word: `why401 curl "'https://…' -H …"`.
    parsed = parseCurlCommand(`curl ${rest[0]!.trim()}`, curlOptions(now, env, false, io));
    parsed.warnings.unshift('the pasted command did not start with curl: it was read as if it did');
  } else {
    const first = firstPositional(rest);
    // `why401 'https://x/api -H Authorization: Bearer …'`: the quotes around the whole line lost the
    // ones inside it, so it cannot be read back reliably. Say so, before anything is sent.
    if (first && /^\S+\s+-{1,2}[A-Za-z]/.test(first.value.trim()))
      throw new UsageError(
        `${JSON.stringify(`${first.value.trim().split(/\s/)[0]!.slice(0, 60)} …`)} looks like a whole command in one argument; use why401 curl '…' with the whole command as its only argument, or quote each part on its own (why401 URL -H 'Name: value')`,
      );
    given = first?.value;
    parsed = parseCurlArgs(rest, curlOptions(now, undefined, false, io));
  }
  checkUrl(parsed.request.url, given ?? parsed.request.url);
  return parsed;
}
