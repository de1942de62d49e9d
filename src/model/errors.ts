/**
 * The errors why401's library throws, each with a stable `code` a program can switch on (as jose's
 * `JOSEError.code`): the class names and messages may change, the codes do not. Matching on
 * `e.name` strings is what this replaces.
 *
 * - `USAGE`: input or options the caller can fix (a URL that is not http(s), an empty token, …).
 * - `INPUT_TOO_LARGE`: an input past its cap (refused, never cut).
 * - `CURL_PARSE`: a curl command that cannot be read (CurlParseError, src/parse/curl/types.ts).
 * - `HAR_READ`: a HAR file that cannot be opened or read (not a problem inside it).
 * - `HAR_NOT_WHOLE`: a HAR that is not complete where the operation needs all of it (sanitizing).
 */
export type Why401ErrorCode = 'USAGE' | 'INPUT_TOO_LARGE' | 'CURL_PARSE' | 'HAR_READ' | 'HAR_NOT_WHOLE';

/** The base of every error why401 throws on purpose; anything else is a bug in why401. */
export class Why401Error extends Error {
  /** Stable: what went wrong, for programs (the message is for people). */
  readonly code: Why401ErrorCode;

  constructor(code: Why401ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** A failure the user can fix: the CLI prints it as one line, exit code 2 (bad usage or unreadable input). */
export class UsageError extends Why401Error {
  override name = 'UsageError';

  constructor(message: string, options?: ErrorOptions, code: Why401ErrorCode = 'USAGE') {
    super(code, message, options);
  }
}

/** An input past its cap: refused, not cut (a cut body or token would be diagnosed wrongly). */
export class InputTooLarge extends UsageError {
  override name = 'InputTooLarge';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options, 'INPUT_TOO_LARGE');
  }
}

/** Whether `e` is an error why401 threw on purpose (input to fix), rather than a bug. */
export function isWhy401Error(e: unknown): e is Why401Error {
  return e instanceof Why401Error;
}
