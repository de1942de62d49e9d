/**
 * What curl's flags say before curl's rules combine it into a request (apply.ts fills it, build.ts
 * reads it), and how the flags read files through the caller's readers. Platform-neutral.
 */
import type { JarCookie } from '../../model/evidence.js';
import type { FormPart } from './form.js';
import { bytesOf } from './encode.js';
import { CurlParseError, type CurlParseOptions } from './types.js';

export type DataFlag = 'data' | 'data-ascii' | 'data-binary' | 'data-raw' | 'data-urlencode' | 'json';
export type AuthScheme = 'basic' | 'digest' | 'ntlm' | 'negotiate' | 'bearer';
export const ANY_AUTH: AuthScheme[] = ['basic', 'digest', 'ntlm', 'negotiate', 'bearer'];

/** What the flags said, before curl's rules combine it into a request. */
export interface Collected {
  urls: string[];
  method?: string;
  /** -H arguments in order, those read from `-H @FILE` in place. */
  headers: string[];
  data: Array<{ flag: DataFlag; value: string }>;
  urlQueries: string[];
  user?: string;
  bearer?: string;
  cookieStrings: string[];
  jar: JarCookie[];
  headerFiles: string[];
  cookieFiles: string[];
  dataFiles: string[];
  userAgent?: string;
  referer?: string;
  /**
   * The schemes curl may use (its CURLOPT_HTTPAUTH bits): --basic, --digest, --ntlm, --negotiate
   * and --oauth2-bearer add one, --no-… remove it, --anyauth sets them all. None means Basic.
   */
  auth: Set<AuthScheme>;
  get: boolean;
  head: boolean;
  insecure: boolean;
  follow: boolean;
  compressed: boolean;
  /** -F and --form-string parts, in order. */
  form: FormPart[];
  /** -T FILE, as given. */
  upload?: string;
  /** -g: no {…} or […] patterns in URLs and -T names. */
  globoff: boolean;
  /** -r RANGE, as curl keeps it ("600" becomes "600-"). */
  range?: string;
  /** -C OFFSET in bytes, or "-" (the size of the -o file). */
  resume?: number | '-';
  /** -o FILE (only -C - looks at it). */
  output?: string;
  /** -z: the header curl makes and the time it carries (seconds), once read. */
  timeCond?: { header: 'If-Modified-Since' | 'If-Unmodified-Since' | 'Last-Modified'; seconds: number };
  /** --proxy-header lines, as given. */
  proxyHeaders: string[];
  /** --socks4, --socks5 … or --preproxy: a SOCKS proxy curl would use. */
  socks?: string;
  proxy?: string;
  noproxy?: string;
  /** -U USER:PASSWORD, as given. */
  proxyUser?: string;
  /** --aws-sigv4 PROVIDER…, as given. */
  awsSigv4?: string;
  maxTimeMs?: number;
  /** --cacert FILE, and its PEM text when it could be read. */
  cacert?: { file: string; pem?: string };
}

/** A Collected with nothing said yet. */
export function emptyCollected(): Collected {
  return {
    urls: [],
    headers: [],
    data: [],
    urlQueries: [],
    cookieStrings: [],
    jar: [],
    headerFiles: [],
    cookieFiles: [],
    dataFiles: [],
    auth: new Set(),
    get: false,
    head: false,
    insecure: false,
    follow: false,
    compressed: false,
    form: [],
    proxyHeaders: [],
    globoff: false,
  };
}

/** How the flags read files: text, bytes (null: unreadable, curl goes on), bytes curl cannot do without. */
export interface Readers {
  text: (path: string, what: string) => string | undefined;
  /** undefined: files cannot be read here (listed instead); null: this one could not be read (warned). */
  bytes: (path: string, what: string) => Uint8Array | null | undefined;
  /** Throws a CurlParseError when the file cannot be read (-F, -T: curl sends nothing then). */
  needed: (path: string, what: string) => Uint8Array | undefined;
  stat: (path: string) => { mtimeMs: number; size: number } | undefined;
  canStat: boolean;
  canRead: boolean;
}

/**
 * The readers of one parse: a file that cannot be read is a warning (curl goes on without it),
 * except a CurlParseError (a refusal, an input past the caller's cap) and a file curl cannot do
 * without, which end the parse.
 */
export function readersFor(options: CurlParseOptions, warnings: string[]): Readers {
  const read = (path: string, what: string): string | undefined => {
    if (!options.readFile) return undefined;
    try {
      return options.readFile(path);
    } catch (e) {
      if (e instanceof CurlParseError) throw e;
      warnings.push(`cannot read ${what} file ${path}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
  return {
    text: read,
    bytes: (path, what) => {
      const r = bytesReader(options);
      if (!r) return undefined;
      try {
        return r(path);
      } catch (e) {
        if (e instanceof CurlParseError) throw e;
        warnings.push(`cannot read ${what} file ${path}: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }
    },
    needed: (path, what) => {
      const r = bytesReader(options);
      if (!r) return undefined;
      try {
        return r(path);
      } catch (e) {
        if (e instanceof CurlParseError) throw e;
        // curl stops here (exit 26, "Failed to open/read local data"): no request is sent.
        throw new CurlParseError(
          `cannot read ${what} file ${path}: ${e instanceof Error ? e.message : String(e)} (curl stops here too)`,
        );
      }
    },
    stat: (path) => {
      try {
        return options.statFile?.(path);
      } catch (e) {
        // A refusal (the web page looks at no local file, not even its time) ends the parse.
        if (e instanceof CurlParseError) throw e;
        return undefined;
      }
    },
    canStat: options.statFile !== undefined,
    canRead: bytesReader(options) !== undefined,
  };
}

/** The caller's byte reader, or its text reader's UTF-8, or nothing. */
function bytesReader(o: CurlParseOptions): ((path: string) => Uint8Array) | undefined {
  if (o.readFileBytes) return o.readFileBytes;
  const text = o.readFile;
  return text ? (path) => bytesOf(text(path)) : undefined;
}
