import type { RequestSpec } from '../model/evidence.js';

/** A curl command line turned into the request it would send. */
export interface CurlParse {
  request: RequestSpec;
  /** One line each: unknown flags ignored, flags that do not matter here, values that look wrong. */
  warnings: string[];
}

/** An input that cannot be understood at all (no URL, unterminated quote). The message is one line for the user. */
export class CurlParseError extends Error {
  override name = 'CurlParseError';
}

/** One curl flag that why401 understands. The table drives the parser, the argv splitter and the help text. */
export interface CurlFlag {
  short?: string;
  long: string;
  takesValue: boolean;
  help: string;
}

export const CURL_FLAGS: CurlFlag[] = [];

/** A whole pasted command ("curl 'https://…' -H …"), from Chrome, Firefox, Safari or Postman. */
export function parseCurlCommand(_text: string): CurlParse {
  throw new Error('not implemented');
}

/** Already-split arguments (argv after `curl`, or the direct `why401 <url> -H …` form). */
export function parseCurlArgs(_args: string[]): CurlParse {
  throw new Error('not implemented');
}
