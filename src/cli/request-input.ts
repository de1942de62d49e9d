import { homedir } from 'node:os';
import { parseCurlArgs, parseCurlCommand, type CurlParse, type CurlParseOptions } from '../parse/curl.js';
import { UsageError } from './errors.js';
import { readInput } from './io.js';

/**
 * curl reads -H @file, -d @file and -b FILE itself; the platform-neutral parser asks the CLI
 * for them, in order, so body parts keep their places. `~/` is the shell's, so we expand it.
 */
function curlOptions(now: number): CurlParseOptions {
  return { now, readFile: (path) => readInput(path.replace(/^~(?=\/)/, homedir()), 'file') };
}

/** The request to diagnose, from the direct form's arguments or a pasted curl command. */
export function requestFromArgs(mode: 'direct' | 'curl', rest: string[], now: number): CurlParse {
  if (rest.length === 0) {
    throw new UsageError(
      mode === 'curl'
        ? 'no curl command after `curl` (paste it, or use `curl -` to read it from stdin)'
        : 'no URL given (try why401 --help)',
    );
  }
  const opts = curlOptions(now);
  if (mode === 'curl' && rest.length === 1 && rest[0] === '-') {
    return parseCurlCommand(readInput('-', 'standard input'), opts);
  }
  // A whole paste given as one argument: `why401 curl "curl 'https://…' -H …"`.
  if (mode === 'curl' && rest.length === 1 && /^\s*curl\s/.test(rest[0]!))
    return parseCurlCommand(rest[0]!, opts);
  return parseCurlArgs(rest, opts);
}
