import { argumentSecrets, commandSecrets } from '../core/argument-secrets.js';
import { Redactor } from '../core/redact.js';
import type { Evidence, Expectations, OpenApiSummary } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import { isCurlPaste, type PasteEnv } from '../parse/curl/index.js';
import type { FreshCredentials } from '../probe/plan-idp.js';
import type { Prefetch } from '../probe/prefetch.js';
import { diagnoseSpec, type DiagnoseOptions as SpecOptions } from './evidence.js';
import { requestFromArgs, type RequestIo } from './request-input.js';

/**
 * One request diagnosed from what a person gives: curl's arguments (the direct form's), a pasted
 * curl command, a URL, or a plain request object. The CLI, the guide, the web page's server and
 * the library's `diagnose` all go through `diagnoseArgs`; none of them probes, ranks or assembles
 * a report itself. Every option is a plain value: the environment and argv are the CLI's to map.
 */

/** The identity provider's parts of a diagnosis (the CLI's --issuer, --token-url, --client-id …). */
export type IdentityProviderOptions = FreshCredentials;

/** How a request is diagnosed. Every field is optional; the defaults are the CLI's. */
export interface DiagnoseOptions {
  /** The probes beside the request (anonymous, preflight, identity provider, TLS …). Default true. */
  probes?: boolean;
  /** Repaired requests (each proposed fix, tried). Default true; off when probes are off. */
  repairs?: boolean;
  /** Send nothing: the report says what the request alone shows. Default false. */
  offline?: boolean;
  /** Allow resending a request that is not safe to repeat (POST, PUT …) for the probes. Default false. */
  allowReplay?: boolean;
  /** Keep secrets in the report instead of their fingerprints. Default false. */
  showSecrets?: boolean;
  /** What the API expects of the token (the CLI's --expect-issuer, --expect-audience, --expect-scope). */
  expect?: Expectations;
  /** The page origin a browser would send the request from (the CORS probes). */
  origin?: string;
  /**
   * The API's OpenAPI document, summarised (the CLI's --openapi: diagnose/openapi-summary.ts, read by the CLI in cli/openapi-summary.ts): the request's
   * method and path, where its key goes and the operation's scopes are compared with it.
   */
  openapi?: OpenApiSummary;
  /** The identity provider to check the token against, and credentials for a fresh token. */
  idp?: IdentityProviderOptions;
  /**
   * The environment curl would read: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (any case) and
   * NODE_EXTRA_CA_CERTS. Default: none. Pass `process.env` to behave as the CLI does.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Read the local files a curl command names (-d @FILE, -H @FILE, --cacert FILE, -F name=@FILE …).
   * Default false: a command from elsewhere must not make this process send its files; such a
   * command is refused with a CurlParseError (code CURL_PARSE).
   */
  localFiles?: boolean;
  /** Where `$VAR` in a pasted command expands from. Default: nowhere (the text stays as written). */
  pasteEnv?: PasteEnv;
  /**
   * A folder for the disk cache of discovery documents, JWKS and RFC 9728 metadata (RFC 9111 rules,
   * public documents only). Default: none, nothing cached. The CLI passes the platform's cache folder.
   */
  cacheDir?: string;
  /** Progress lines while the probes run (origin and path only, never a secret). */
  onProgress?: (message: string) => void;
}

/** What `diagnoseArgs` takes besides the public options: the CLI's own ways to its inputs. */
export interface ArgsOptions extends DiagnoseOptions {
  /** `curl -`: the command, read from standard input by the CLI. */
  readPaste?: () => string;
  /** The local clock (tests). */
  now?: number;
  /** Discovery and JWKS the CLI asked for at boot (probe/prefetch.ts). */
  prefetch?: Prefetch;
}

/** A request as plain data: `headers` as a record or as [name, value] pairs (order kept). */
export interface RequestObject {
  url: string;
  /** Default GET, or POST when there is a body (as curl decides). */
  method?: string;
  headers?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  /** Sent as curl's --data-raw sends it (form-encoded Content-Type unless `headers` name one). */
  body?: string;
}

/** What `diagnose` takes: a URL, a pasted curl command, or a request object. */
export type DiagnoseRequest = string | RequestObject;

/** A usage error about the input, its message with the input's secrets hidden (the page shows it too). */
function redactedError(e: unknown, secrets: readonly string[], show: boolean): unknown {
  if (show || !(e instanceof Error)) return e;
  const r = new Redactor(true);
  for (const s of secrets) r.add(s);
  e.message = r.text(e.message);
  return e;
}

/** The request as curl arguments: the one path every input takes into the parser. */
export function argsOf(request: DiagnoseRequest): { mode: 'direct' | 'curl'; args: string[] } {
  if (typeof request === 'string') {
    const text = request.trim();
    // A command (a prompt, `curl.exe`, a pipeline… isCurlPaste knows them), or a bare URL.
    if (isCurlPaste(text) || /^curl(\.exe)?\s/i.test(text)) return { mode: 'curl', args: [text] };
    return { mode: 'direct', args: ['--url', text] };
  }
  // --url, -H and --data-raw: nothing in a value is read as a flag, a file (@) or a header file.
  const args = ['--url', request.url];
  const headers = Array.isArray(request.headers)
    ? (request.headers as ReadonlyArray<readonly [string, string]>)
    : Object.entries(request.headers ?? {});
  for (const [name, value] of headers) args.push('-H', `${name}: ${value}`);
  if (request.body !== undefined) args.push('--data-raw', request.body);
  if (request.method !== undefined) args.push('-X', request.method);
  return { mode: 'direct', args };
}

/**
 * One request diagnosed from curl's arguments (the direct form's, or a pasted command's) with the
 * evidence the report was made from (the CLI's --save-evidence).
 */
export async function diagnoseArgs(
  mode: 'direct' | 'curl',
  curlArgs: string[],
  o: ArgsOptions,
): Promise<{ evidence: Evidence; report: Report }> {
  const now = o.now ?? Date.now();
  // The command line's secrets, by the credential rule: warnings and errors that quote an
  // argument hide them as the report does (a header that cannot be sent, an unknown flag's value).
  const secrets =
    mode === 'curl' && curlArgs.length === 1 && curlArgs[0] !== '-' && /\s/.test(curlArgs[0]!.trim())
      ? commandSecrets(curlArgs[0]!)
      : argumentSecrets(curlArgs);
  const io: RequestIo = { files: o.localFiles ? 'read' : 'refuse' };
  if (o.readPaste) io.readPaste = o.readPaste;
  let parsed: ReturnType<typeof requestFromArgs>;
  try {
    parsed = requestFromArgs(
      mode,
      curlArgs,
      now,
      (paste) => secrets.push(...commandSecrets(paste)),
      o.pasteEnv,
      io,
    );
  } catch (e) {
    throw redactedError(e, secrets, o.showSecrets ?? false);
  }
  const opts: SpecOptions = {
    source: mode === 'curl' ? 'curl' : 'flags',
    inputWarnings: [...parsed.warnings],
    expect: { ...o.expect },
    probes: o.probes ?? true,
    repairs: o.repairs ?? true,
    offline: o.offline ?? false,
    allowReplay: o.allowReplay ?? false,
    showSecrets: o.showSecrets ?? false,
    env: { ...o.env },
    now,
    fresh: { ...o.idp },
    extraSecrets: secrets,
  };
  if (o.origin) opts.browserOrigin = o.origin;
  if (o.openapi) opts.openapi = o.openapi;
  if (o.onProgress) opts.onProgress = o.onProgress;
  if (o.cacheDir) opts.cacheDir = o.cacheDir;
  if (o.prefetch) opts.prefetch = o.prefetch;
  return diagnoseSpec(parsed.request, opts);
}

/**
 * Diagnoses one HTTP request: sends it (and the probes beside it), then says why it was refused.
 * Resolves with the very report `why401 --json` prints (schema/report.json); rejects only for
 * input that cannot be diagnosed (a Why401Error: USAGE, CURL_PARSE, INPUT_TOO_LARGE). A server
 * that cannot be reached is a report (`outcome: 'unreachable'`), not an error.
 *
 * @example
 * ```ts
 * const report = await diagnose('https://api.example.com/me', { offline: false });
 * const report2 = await diagnose(`curl -H 'Authorization: Bearer ey…' https://api.example.com/me`);
 * const report3 = await diagnose({ url: 'https://api.example.com/me', headers: { 'X-API-Key': key } });
 * ```
 */
export async function diagnose(request: DiagnoseRequest, options: DiagnoseOptions = {}): Promise<Report> {
  const { mode, args } = argsOf(request);
  return (await diagnoseArgs(mode, args, options)).report;
}
