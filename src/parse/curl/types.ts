/**
 * The curl parser's public types: what a parse returns, the error it throws and what a caller that
 * can read files gives it. Platform-neutral.
 */
import { Why401Error } from '../../model/errors.js';
import type { RequestSpec } from '../../model/evidence.js';

/** A curl command line turned into the request it would send. */
export interface CurlParse {
  request: RequestSpec;
  /** One line each: unknown flags ignored, flags that do not matter here, values that look wrong. */
  warnings: string[];
}

/** An input that cannot be understood at all (no URL, unterminated quote). The message is one line for the user. */
export class CurlParseError extends Why401Error {
  override name = 'CurlParseError';

  constructor(message: string, options?: ErrorOptions) {
    // One line, always: a message may quote a word of the command, and a word may hold a line
    // break (`$'a\nb'`, a backslash-newline inside ANSI-C quotes, a pasted header).
    super('CURL_PARSE', message.replace(/\r/g, '\\r').replace(/\n/g, '\\n'), options);
  }
}

/** What a caller that can read files (the CLI) gives the parser. */
export interface CurlParseOptions {
  /**
   * Reads a file named by `-H @FILE`, `-d @FILE` (and the other data flags), `--data-urlencode
   * name@FILE`, `--url-query name@FILE`, `-b FILE` or `--cacert FILE`; `-` means standard input.
   * Every file the parser reads goes through here, so a caller that must not read local files
   * (the web page) refuses them all in one place. Throws when it cannot: the parser turns that
   * into a warning (curl, too, goes on without a file it cannot open), except a CurlParseError,
   * which ends the parse (a refusal, an input past the caller's size cap). Without it the files
   * are only listed in `request.files`, and the body holds the parts that did not come from a file.
   */
  readFile?: (path: string) => string;
  /**
   * The same, as bytes: the files whose bytes are the body (-T, -F @FILE and <FILE,
   * --data-binary @FILE, --data-urlencode name@FILE …), so a binary file goes out byte for byte.
   * Without it those files are read through `readFile` (and sent as its text's UTF-8), so a
   * caller that refuses `readFile` refuses them too.
   */
  readFileBytes?: (path: string) => Uint8Array;
  /**
   * A local file's modification time (epoch ms) and size, or undefined when there is no such
   * file: `-z FILE` sends the file's time, `-C -` resumes at the size of the `-o` file. Without
   * it those two are not sent, and a warning says so.
   */
  statFile?: (path: string) => { mtimeMs: number; size: number } | undefined;
  /** Epoch milliseconds: expired cookie-jar cookies are left out of the Cookie header. */
  now?: number;
  /**
   * Where `$VAR` and `${VAR}` in a pasted command expand from (parseCurlCommand); unset ones stay
   * as written. The CLI passes process.env; the page never does (its server must not put its own
   * environment into a request).
   */
  env?: Readonly<Record<string, string | undefined>>;
}
