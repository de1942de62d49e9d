import { UsageError } from '../model/errors.js';
import {
  CurlParseError,
  type CurlParseOptions,
  headerLineProblem,
  isCurlPaste,
  parseCurlArgs,
  parseCurlCommand,
} from '../parse/curl/index.js';

/** What the page's "Request" box holds, turned into what `diagnoseRequest` takes. */
export interface CurlInput {
  mode: 'direct' | 'curl';
  args: string[];
}

/** An HTTP header line: a token, a colon, a value (RFC 9110 §5.1). */
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):(.*)$/;
const METHOD = /^[A-Za-z]{1,32}$/;

/**
 * A pasted curl command goes through the CLI's own `why401 curl "curl …"` path, unchanged, and is
 * recognised as the CLI recognises one (isCurlPaste: prompts, comments, curl.exe, paths, a
 * pipeline, cmd and PowerShell forms): its own -X and body decide the method, so `method` is not
 * applied to it (a page that always sends a method would otherwise turn a POST into a GET). Its
 * `$VAR`s are never expanded here: the server's environment is not the person's.
 * Otherwise: the URL on the first line, `Name: value` header lines, an optional blank line and a body.
 */
export function curlInput(input: string, method?: string): CurlInput {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (text === '')
    throw new UsageError('nothing to diagnose: paste a curl command, or a URL and header lines');
  if (text === 'curl') throw new UsageError('no URL found in the curl command');
  const parsed = isCurlPaste(text) ? { mode: 'curl' as const, args: [text] } : urlForm(text, method);
  refuseLocalFiles(parsed);
  return parsed;
}

function urlForm(text: string, method: string | undefined): CurlInput {
  const lines = text.split(/\r?\n/);
  const url = lines[0]!.trim();
  // --url: a first line starting with '-' is a URL to curl's parser, never one of its flags.
  const args = ['--url', url];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') break;
    const m = HEADER_LINE.exec(line);
    // "Authorization : Bearer …": said as the CLI says it, with the fix (never silently dropped).
    const colon = line.indexOf(':');
    const problem =
      !m && colon > 0 ? headerLineProblem(line.slice(0, colon), line.slice(colon + 1).trim()) : undefined;
    if (problem) throw new UsageError(`line ${i + 1}: ${problem}`);
    if (!m)
      throw new UsageError(
        `line ${i + 1} is not a header line ("Name: value"); put a blank line before a body`,
      );
    args.push('-H', `${m[1]}: ${m[2]!.trim()}`);
  }
  const body = lines.slice(i + 1).join('\n');
  if (body.trim() !== '') args.push('--data-raw', body);
  if (method !== undefined) {
    if (!METHOD.test(method)) throw new UsageError(`${JSON.stringify(method)} is not an HTTP method`);
    args.push('-X', method.toUpperCase());
  }
  return { mode: 'direct', args };
}

/** The one answer to every file a pasted command would have the server read. */
export const NO_LOCAL_FILES =
  'the web page does not read local files (@FILE, -F name=@FILE, -T FILE, -b FILE, --cacert FILE, @- for standard input): paste their contents, or run why401 curl in a terminal';

/**
 * A web page must not make the server read local files (or standard input, which would stall it)
 * and send them somewhere. The command is parsed here with a `readFile` that refuses every read:
 * the parser asks it for each file any flag names (-d @FILE, --data-urlencode name@FILE,
 * --url-query name@FILE, -H @FILE, -b FILE, --cacert FILE, …), so no list of patterns can fall
 * behind the flag table. The refusal is a CurlParseError, which the parser passes on (a plain
 * Error would become a warning and the request would go out without the file) and the API
 * answers with 400 and this line.
 */
function refuseLocalFiles(p: CurlInput): void {
  const refuse = (): never => {
    throw new CurlParseError(NO_LOCAL_FILES);
  };
  // statFile and readFileBytes too: -z FILE and -C - -o FILE would send a local file's time or
  // size, -F name=@FILE and -T FILE its bytes.
  const options: CurlParseOptions = { readFile: refuse, readFileBytes: refuse, statFile: refuse };
  if (p.mode === 'curl') parseCurlCommand(p.args[0]!, options);
  else parseCurlArgs(p.args, options);
}
