/**
 * curl command lines → the request curl would send.
 *
 * Why our own flag table instead of curlconverter (research/deps.md §6): curlconverter is
 * 30 MB with native tree-sitter builds (no linux-arm64 prebuild), imports in 90–150 ms, and its
 * JSON output misreads -k (`insecure: false`). A whole pasted command is read as its shell
 * would read it in paste.ts (our own small bash, cmd and PowerShell readers: shell-quote
 * read `${X}` as `$X`, a mid-word `#` as a comment, and dropped unterminated quotes silently),
 * and its words come here.
 *
 * Platform-neutral: no node: imports, no file system. Files named by `-H @FILE`, `-d @FILE`
 * or `-b FILE` are listed in `request.files`; a caller that can read them passes `readFile`
 * and the parser then builds the request from their contents exactly as curl would.
 *
 * The folder's public face; other code imports only this file. By job: flags.ts (curl's options),
 * args.ts (argv walked), apply.ts (one flag recorded), build.ts (the request made), headers.ts,
 * url.ts, credentials.ts; paste*.ts (a whole pasted command read as bash, cmd.exe or PowerShell
 * would); encode.ts, form.ts, date.ts (curl's encodings, -F multipart, -z dates).
 */
export { parseCurlArgs } from './args.js';
export { CURL_FLAGS, CURL_OTHER_FLAGS, lookupCurlFlag, type CurlFlag } from './flags.js';
export { headerLineProblem, proxyHeaderList } from './headers.js';
export { curlPasteWords, isCurlPaste, parseCurlCommand, type PasteEnv, type PastedCurl } from './paste.js';
export { CurlParseError, type CurlParse, type CurlParseOptions } from './types.js';
