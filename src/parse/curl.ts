/**
 * curl command lines → the request curl would send.
 *
 * Why our own flag table instead of curlconverter (research/deps.md §6): curlconverter is
 * 30 MB with native tree-sitter builds (no linux-arm64 prebuild), imports in 90–150 ms, and its
 * JSON output misreads -k (`insecure: false`). A whole pasted command is read as its shell
 * would read it in curl-paste.ts (our own small bash, cmd and PowerShell readers: shell-quote
 * read `${X}` as `$X`, a mid-word `#` as a comment, and dropped unterminated quotes silently),
 * and its words come here.
 *
 * Platform-neutral: no node: imports, no file system. Files named by `-H @FILE`, `-d @FILE`
 * or `-b FILE` are listed in `request.files`; a caller that can read them passes `readFile`
 * and the parser then builds the request from their contents exactly as curl would.
 */
import type { AwsSigv4Request, HeaderOrigin, JarCookie, RequestSpec } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import { parseAwsSigv4 } from './aws-sigv4.js';
import { jarCookiesForUrl, looksLikeCookieJar, parseCookieJar } from './cookie-jar.js';
import { imfFixdate, curlGetdate } from './curl-date.js';
import {
  appendQuery,
  base64,
  bytesOf,
  concatBytes,
  curlEscape,
  dataUrlencode,
  file2string,
  latin1,
  utf8Text,
} from './curl-encode.js';
import { buildMultipart, encoderProblem, parseFormArg, type FormPart } from './curl-form.js';

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

function flag(short: string | undefined, long: string, takesValue: boolean, help: string): CurlFlag {
  return short === undefined ? { long, takesValue, help } : { short, long, takesValue, help };
}

/** The curl flags that shape the request, or that why401 has something to say about. Shown in the help. */
export const CURL_FLAGS: CurlFlag[] = [
  flag('X', 'request', true, 'request method (default GET, or POST when there is a body)'),
  flag(
    'H',
    'header',
    true,
    '"Name: value" header; "Name;" sends it empty, "Name:" drops one curl adds; @FILE',
  ),
  flag('d', 'data', true, 'body, as in an HTML form (POST); @FILE reads a file; several join with &'),
  flag(undefined, 'data-raw', true, 'body, taken literally (no @FILE)'),
  flag(undefined, 'data-binary', true, 'body; @FILE reads a file byte for byte'),
  flag(undefined, 'data-ascii', true, 'same as -d'),
  flag(
    undefined,
    'data-urlencode',
    true,
    'body part, URL-encoded: content, =content, name=content, @FILE, name@FILE',
  ),
  flag(undefined, 'json', true, 'JSON body, with Content-Type and Accept: application/json'),
  flag('u', 'user', true, 'USER:PASSWORD for Basic authentication'),
  flag(
    undefined,
    'aws-sigv4',
    true,
    'sign with AWS Signature V4: "aws:amz:REGION:SERVICE" and -u KEY_ID:SECRET[:SESSION_TOKEN]',
  ),
  flag(undefined, 'oauth2-bearer', true, 'TOKEN sent as "Authorization: Bearer TOKEN"'),
  flag('b', 'cookie', true, '"name=value; name2=value2" cookies, or a cookie-jar FILE'),
  flag('A', 'user-agent', true, 'User-Agent header'),
  flag('e', 'referer', true, 'Referer header'),
  flag('k', 'insecure', false, 'do not verify the server certificate'),
  flag('L', 'location', false, 'follow redirects, for unsafe methods too'),
  flag(
    undefined,
    'location-trusted',
    false,
    'like -L, and curl sends credentials to other hosts (why401 does not)',
  ),
  flag('x', 'proxy', true, 'proxy URL'),
  flag('U', 'proxy-user', true, 'USER:PASSWORD for the proxy (Proxy-Authorization, to the proxy only)'),
  flag(undefined, 'noproxy', true, 'hosts that bypass the proxy'),
  flag(undefined, 'compressed', false, 'ask for a compressed response'),
  flag('G', 'get', false, 'send the -d data in the query string, with GET'),
  flag('I', 'head', false, 'HEAD request'),
  flag('m', 'max-time', true, 'SECONDS the whole run may take'),
  flag(undefined, 'url', true, 'the URL, as a flag'),
  flag(undefined, 'url-query', true, 'query part, URL-encoded like --data-urlencode (+content: as is)'),
  flag(
    'F',
    'form',
    true,
    'multipart form field: name=value, name=@FILE or name=<FILE (;type=, ;filename=, ;headers=)',
  ),
  flag(undefined, 'form-string', true, 'multipart form field, its value taken literally (no @ or <)'),
  flag('T', 'upload-file', true, 'PUT the FILE (- reads standard input); a URL ending in / gets its name'),
  flag('r', 'range', true, 'RANGE of bytes to get: Range: bytes=RANGE (Content-Range with an upload)'),
  flag('C', 'continue-at', true, 'resume at OFFSET (Range: bytes=OFFSET-); - takes the size of the -o file'),
  flag(
    'z',
    'time-cond',
    true,
    "If-Modified-Since DATE, or a FILE's time; -DATE is If-Unmodified-Since, =DATE Last-Modified",
  ),
  flag(undefined, 'proxy-header', true, '"Name: value" header for the proxy only (-H syntax)'),
  flag(undefined, 'basic', false, 'Basic authentication with -u (the default)'),
  flag(undefined, 'digest', false, 'Digest authentication (not done by why401)'),
  flag(undefined, 'ntlm', false, 'NTLM authentication (not done by why401)'),
  flag(undefined, 'negotiate', false, 'SPNEGO/Kerberos authentication (not done by why401)'),
  flag(undefined, 'anyauth', false, 'let curl pick the scheme from the challenge (not done by why401)'),
  flag('E', 'cert', true, 'client certificate (not sent by why401)'),
  flag(
    undefined,
    'cacert',
    true,
    "CA certificate FILE (PEM) to trust, added to Node's CA list (curl uses only this file)",
  ),
  flag(undefined, 'connect-timeout', true, 'accepted, not used'),
  flag(undefined, 'http1.1', false, 'accepted, not used'),
  flag(undefined, 'http2', false, 'accepted, not used'),
  flag('s', 'silent', false, 'accepted, not used'),
  flag('S', 'show-error', false, 'accepted, not used'),
  flag('v', 'verbose', false, 'accepted, not used'),
  flag('i', 'include', false, 'accepted, not used'),
  flag('o', 'output', true, 'accepted, not used'),
  flag('w', 'write-out', true, 'accepted, not used'),
];

// The rest of curl's options (curl 8.x), so that their values are not read as URLs and the
// argv splitter never mistakes one for a why401 option. Accepted without effect, except the
// few `applyFlag` has a note for. Not shown in the help.
const OTHER_VALUE_FLAGS: Record<string, string | undefined> = {
  'cookie-jar': 'c',
  'dump-header': 'D',
  config: 'K',
  'ftp-port': 'P',
  quote: 'Q',
  'telnet-option': 't',
  'speed-time': 'y',
  'speed-limit': 'Y',
};
const OTHER_VALUE_LONG =
  'abstract-unix-socket alt-svc capath cert-type ciphers connect-to create-file-mode crlfile ' +
  'curves delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url ech egd-file engine ' +
  'etag-compare etag-save expect100-timeout ftp-account ftp-alternative-to-user ftp-method ' +
  'ftp-ssl-ccc-mode happy-eyeballs-timeout-ms haproxy-clientip hostpubmd5 hostpubsha256 hsts interface ' +
  'ip-tos ipfs-gateway keepalive-cnt keepalive-time key key-type krb libcurl limit-rate local-port ' +
  'login-options mail-auth mail-from mail-rcpt max-filesize max-redirs netrc-file output-dir parallel-max ' +
  'pass pinnedpubkey preproxy proto proto-default proto-redir proxy-cacert proxy-capath proxy-cert ' +
  'proxy-cert-type proxy-ciphers proxy-crlfile proxy-key proxy-key-type proxy-pass ' +
  'proxy-pinnedpubkey proxy-service-name proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword ' +
  'proxy-tlsuser random-file rate request-target resolve retry retry-delay retry-max-time sasl-authzid ' +
  'service-name socks4 socks4a socks5 socks5-gssapi-service socks5-hostname stderr tftp-blksize tls-max ' +
  'tls13-ciphers tlsauthtype tlspassword tlsuser trace trace-ascii trace-config unix-socket variable ' +
  'vlan-priority';
const OTHER_BOOL_FLAGS: Record<string, string | undefined> = {
  'http1.0': '0',
  tlsv1: '1',
  sslv2: '2',
  sslv3: '3',
  ipv4: '4',
  ipv6: '6',
  append: 'a',
  'use-ascii': 'B',
  fail: 'f',
  globoff: 'g',
  help: 'h',
  'junk-session-cookies': 'j',
  'remote-header-name': 'J',
  'list-only': 'l',
  manual: 'M',
  netrc: 'n',
  'no-buffer': 'N',
  'remote-name': 'O',
  proxytunnel: 'p',
  disable: 'q',
  'remote-time': 'R',
  version: 'V',
  parallel: 'Z',
  'progress-bar': '#',
  next: ':',
};
const OTHER_BOOL_LONG =
  'ca-native cert-status clobber compressed-ssh create-dirs crlf disable-eprt disable-epsv ' +
  'disallow-username-in-url doh-cert-status doh-insecure fail-early fail-with-body false-start ' +
  'ftp-create-dirs ftp-pasv ftp-pret ftp-skip-pasv-ip ftp-ssl-ccc ftp-ssl-control http0.9 ' +
  'http2-prior-knowledge http3 http3-only ignore-content-length keepalive mptcp netrc-optional no-alpn ' +
  'no-clobber no-keepalive no-npn no-progress-meter no-sessionid ntlm-wb parallel-immediate path-as-is ' +
  'post301 post302 post303 proxy-anyauth proxy-basic proxy-ca-native proxy-digest proxy-http2 ' +
  'proxy-insecure proxy-negotiate proxy-ntlm proxy-ssl-allow-beast proxy-ssl-auto-client-cert proxy1.0 ' +
  'raw remote-name-all remove-on-error retry-all-errors retry-connrefused sasl-ir show-headers ' +
  'skip-existing socks5-basic socks5-gssapi socks5-gssapi-nec ssl ssl-allow-beast ssl-auto-client-cert ' +
  'ssl-no-revoke ssl-reqd ssl-revoke-best-effort styled-output suppress-connect-headers tcp-fastopen ' +
  'tcp-nodelay tftp-no-options tlsv1.0 tlsv1.1 tlsv1.2 tlsv1.3 tr-encoding trace-ids trace-time xattr';

const OTHER_HELP = 'curl option that does not change the request';

/** curl's other options: accepted, mostly without effect. Not shown in the help. */
export const CURL_OTHER_FLAGS: CurlFlag[] = [
  ...Object.entries(OTHER_VALUE_FLAGS).map(([long, short]) => flag(short, long, true, OTHER_HELP)),
  ...OTHER_VALUE_LONG.split(' ').map((long) => flag(undefined, long, true, OTHER_HELP)),
  ...Object.entries(OTHER_BOOL_FLAGS).map(([long, short]) => flag(short, long, false, OTHER_HELP)),
  ...OTHER_BOOL_LONG.split(' ').map((long) => flag(undefined, long, false, OTHER_HELP)),
];

const BY_LONG = new Map<string, CurlFlag>();
const BY_SHORT = new Map<string, CurlFlag>();
for (const f of [...CURL_FLAGS, ...CURL_OTHER_FLAGS]) {
  BY_LONG.set(f.long, f);
  if (f.short !== undefined) BY_SHORT.set(f.short, f);
}

/** The flag a name stands for: `-H`, `--header`, `header` or `H`. */
export function lookupCurlFlag(name: string): CurlFlag | undefined {
  if (name.startsWith('--')) return BY_LONG.get(name.slice(2));
  if (name.startsWith('-')) return BY_SHORT.get(name.slice(1));
  return name.length === 1 ? BY_SHORT.get(name) : BY_LONG.get(name);
}

// The whole pasted command (prompts, shells, continuations) is read in curl-paste.ts.
export { parseCurlCommand } from './curl-paste.js';

// ---------------------------------------------------------------------------------------------
// Arguments → request
// ---------------------------------------------------------------------------------------------

type DataFlag = 'data' | 'data-ascii' | 'data-binary' | 'data-raw' | 'data-urlencode' | 'json';
type AuthScheme = 'basic' | 'digest' | 'ntlm' | 'negotiate' | 'bearer';
const ANY_AUTH: AuthScheme[] = ['basic', 'digest', 'ntlm', 'negotiate', 'bearer'];

/** What the flags said, before curl's rules combine it into a request. */
interface Collected {
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

/** Already-split arguments (argv after `curl`, or the direct `why401 <url> -H …` form). */
export function parseCurlArgs(args: string[], options: CurlParseOptions = {}): CurlParse {
  const warnings: string[] = [];
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
  const readers: Readers = {
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
  const c: Collected = {
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

  let flagsEnded = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (flagsEnded || !arg.startsWith('-') || arg === '-') {
      c.urls.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsEnded = true; // curl's end of options: what follows is URLs, even if it starts with -
      continue;
    }
    const valueAfter = (name: string): string | undefined => {
      if (i + 1 < args.length) {
        i += 1;
        return args[i];
      }
      warnings.push(`${name} needs a value: ignored`);
      return undefined;
    };
    let stop = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      let negated = false;
      let f = BY_LONG.get(name);
      if (!f && name.startsWith('no-') && BY_LONG.get(name.slice(3))?.takesValue === false) {
        // curl's --no-FLAG switches a boolean flag off again.
        negated = true;
        name = name.slice(3);
        f = BY_LONG.get(name);
      }
      if (!f && name.startsWith('expand-') && BY_LONG.get(name.slice(7))?.takesValue) {
        warnings.push(`--${name}: {{variable}} expansion is not done (see --variable)`);
        name = name.slice(7);
        f = BY_LONG.get(name);
      }
      if (!f) {
        warnings.push(`unknown curl flag ${arg} ignored`);
        continue;
      }
      let value: string | undefined;
      if (f.takesValue) {
        value = eq < 0 ? valueAfter(`--${f.long}`) : arg.slice(eq + 1);
        if (value === undefined) continue;
      } else if (eq >= 0) {
        warnings.push(`--${f.long} takes no value: "${arg.slice(eq + 1)}" ignored`);
      }
      stop = applyFlag(f, value, negated, c, warnings, readers);
    } else {
      // A cluster of short flags (-sSL); a flag that takes a value takes the rest of the
      // cluster (-XPOST) or, when nothing is left, the next argument.
      for (let j = 1; j < arg.length && !stop; j += 1) {
        const letter = arg.charAt(j);
        const f = BY_SHORT.get(letter);
        if (!f) {
          warnings.push(`unknown curl flag -${letter} ignored`);
          continue;
        }
        if (!f.takesValue) {
          stop = applyFlag(f, undefined, false, c, warnings, readers);
          continue;
        }
        const value = j + 1 < arg.length ? arg.slice(j + 1) : valueAfter(`-${letter}`);
        if (value !== undefined) stop = applyFlag(f, value, false, c, warnings, readers);
        break;
      }
    }
    if (stop) break;
  }
  const request = build(c, warnings, readers, options);
  return { request, warnings: dedupe(warnings) };
}

/** How the flags read files: text, bytes (null: unreadable, curl goes on), bytes curl cannot do without. */
interface Readers {
  text: (path: string, what: string) => string | undefined;
  /** undefined: files cannot be read here (listed instead); null: this one could not be read (warned). */
  bytes: (path: string, what: string) => Uint8Array | null | undefined;
  /** Throws a CurlParseError when the file cannot be read (-F, -T: curl sends nothing then). */
  needed: (path: string, what: string) => Uint8Array | undefined;
  stat: (path: string) => { mtimeMs: number; size: number } | undefined;
  canStat: boolean;
  canRead: boolean;
}

/** The caller's byte reader, or its text reader's UTF-8, or nothing. */
function bytesReader(o: CurlParseOptions): ((path: string) => Uint8Array) | undefined {
  if (o.readFileBytes) return o.readFileBytes;
  const text = o.readFile;
  return text ? (path) => bytesOf(text(path)) : undefined;
}

/**
 * Records one flag. Returns true when parsing must stop (`--next`: the rest is another request).
 * Flags that do not change the request but do change what curl would get back get a note.
 */
function applyFlag(
  f: CurlFlag,
  value: string | undefined,
  negated: boolean,
  c: Collected,
  warnings: string[],
  readers: Readers,
): boolean {
  const v = value ?? '';
  const read = readers.text;
  switch (f.long) {
    case 'request':
      c.method = v;
      break;
    case 'header':
      if (v.startsWith('@')) {
        const path = v.slice(1);
        c.headerFiles.push(path);
        const text = read(path, '-H');
        // One header a line; blank lines mean nothing.
        if (text !== undefined)
          for (const line of text.split(/\r?\n/)) if (line.trim() !== '') c.headers.push(line);
      } else {
        c.headers.push(v);
      }
      break;
    case 'data':
    case 'data-ascii':
    case 'data-binary':
    case 'data-raw':
    case 'data-urlencode':
    case 'json':
      c.data.push({ flag: f.long, value: v });
      {
        const path = dataFilePath(f.long, v);
        if (path !== undefined) c.dataFiles.push(path);
      }
      break;
    case 'url-query':
      c.urlQueries.push(v);
      break;
    case 'user':
      c.user = v;
      break;
    case 'oauth2-bearer':
      c.bearer = v;
      c.auth.add('bearer');
      break;
    case 'cookie':
      // curl's rule: with an `=` it is a cookie string, otherwise the name of a file to read.
      if (v.startsWith('@') || !v.includes('=')) {
        const path = v.startsWith('@') ? v.slice(1) : v;
        if (path !== '') {
          c.cookieFiles.push(path);
          const text = read(path, '-b');
          if (text !== undefined) {
            if (looksLikeCookieJar(text)) {
              const jar = parseCookieJar(text);
              c.jar.push(...jar.cookies);
              warnings.push(...jar.warnings.map((w) => `-b ${path}: ${w}`));
            } else {
              warnings.push(`-b ${path} is not a Netscape cookie-jar file: no cookies taken from it`);
            }
          }
        }
      } else {
        c.cookieStrings.push(v);
      }
      break;
    case 'user-agent':
      c.userAgent = v;
      break;
    case 'referer':
      c.referer = v.replace(/;auto$/, ''); // ";auto" only asks curl to set it on redirects
      break;
    case 'insecure':
      c.insecure = !negated;
      break;
    case 'location-trusted':
      if (!negated) {
        warnings.push(
          '--location-trusted: curl sends your credentials to every host it is redirected to; why401 follows like -L and drops them across origins',
        );
      }
      c.follow = !negated;
      break;
    case 'location':
      c.follow = !negated;
      break;
    case 'proxy':
      c.proxy = v;
      break;
    case 'noproxy':
      c.noproxy = v;
      break;
    case 'proxy-user':
      c.proxyUser = v;
      break;
    case 'compressed':
      c.compressed = !negated;
      break;
    case 'get':
      c.get = !negated;
      break;
    case 'head':
      c.head = !negated;
      break;
    case 'max-time': {
      const seconds = Number(v);
      if (v.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
        warnings.push(`-m ${v}: not a number of seconds, ignored`);
      } else {
        c.maxTimeMs = seconds === 0 ? undefined : Math.round(seconds * 1000); // 0: no limit, as in curl
      }
      break;
    }
    case 'url':
      c.urls.push(v);
      break;
    case 'form':
    case 'form-string': {
      const part = parseFormArg(v, f.long === 'form-string', warnings, (path) => read(path, '-F ;headers='));
      // curl refuses these with exit 2 (PARAM_BAD_USE): no request leaves.
      if ('problem' in part) throw new CurlParseError(`--${f.long} ${JSON.stringify(v)}: ${part.problem}`);
      c.form.push(part);
      for (const path of formFiles(part)) c.dataFiles.push(path);
      break;
    }
    case 'globoff':
      c.globoff = !negated;
      break;
    case 'range':
      // tool_getparam.c: a range without a dash gets one ("Appending one for you!").
      if (/^\d/.test(v) && !v.includes('-')) {
        warnings.push(`-r ${v}: a range needs a dash; curl appends one (${v}-), and so does why401`);
        c.range = `${v.replace(/^(\d+).*$/, '$1')}-`;
      } else {
        if (/[^\d,-]/.test(v))
          warnings.push(
            `-r ${v}: a range has digits, - and , only; curl sends it anyway, and so does why401`,
          );
        c.range = v;
      }
      break;
    case 'continue-at':
      if (v === '-') c.resume = '-';
      else if (/^\d+$/.test(v.trim())) c.resume = Number(v.trim());
      else throw new CurlParseError(`-C ${v}: not an offset (curl: "expected a proper numerical parameter")`);
      break;
    case 'output':
      c.output = v;
      break;
    case 'time-cond':
      timeCondition(v, c, warnings, readers);
      break;
    case 'proxy-header':
      c.proxyHeaders.push(v);
      break;
    case 'socks4':
    case 'socks4a':
    case 'socks5':
    case 'socks5-hostname':
      c.socks = `--${f.long} ${v}`;
      break;
    case 'preproxy':
      c.socks = `--preproxy ${v}`;
      break;
    case 'http1.0':
    case 'http2':
    case 'http2-prior-knowledge':
    case 'http3':
    case 'http3-only':
      if (!negated)
        warnings.push(
          `--${f.long}: why401 speaks HTTP/1.1 only, so the request goes out as HTTP/1.1${f.long === 'http2' ? ' (without the h2c upgrade curl asks for on http://)' : ''}`,
        );
      break;
    case 'basic':
    case 'digest':
    case 'ntlm':
    case 'negotiate':
    case 'anyauth':
      // src/tool_getparam.c: each flag sets or clears its bit; --anyauth sets them all, and
      // --no-anyauth leaves them as they are.
      if (f.long === 'anyauth') {
        if (!negated) c.auth = new Set(ANY_AUTH);
      } else if (negated) c.auth.delete(f.long);
      else c.auth.add(f.long);
      if (!negated && f.long !== 'basic') {
        warnings.push(
          `--${f.long}: curl answers the server's challenge with -u's credentials; why401 does not do ${f.long === 'anyauth' ? 'that' : f.long}, so it sends no credentials`,
        );
      }
      break;
    case 'cert':
      warnings.push(
        '-E/--cert: why401 sends no client certificate; a server that requires one refuses the request',
      );
      break;
    case 'cacert': {
      // curl REPLACES its CA bundle with this file; why401 ADDS it to Node's CA list (see
      // caOptions in src/probe/tls.ts for why). Read through the caller's readFile, as -b FILE is.
      c.cacert = { file: v };
      const pem = read(v, '--cacert');
      if (pem === undefined) break;
      if (!/-----BEGIN CERTIFICATE-----/.test(pem)) {
        warnings.push(`--cacert ${v} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): not used`);
        break;
      }
      c.cacert.pem = pem;
      break;
    }
    case 'capath':
      warnings.push(
        `--capath is not used: why401 verifies TLS against Node's CA list (give a CA file with --cacert, or -k)`,
      );
      break;
    case 'upload-file':
      c.upload = v;
      if (v !== '-' && v !== '.') c.dataFiles.push(v);
      break;
    case 'netrc':
    case 'netrc-file':
    case 'netrc-optional':
      if (!negated) warnings.push(`--${f.long}: credentials from .netrc are not read; give them with -u`);
      break;
    case 'config':
      warnings.push(`-K ${v}: curl reads more options from this file; why401 does not`);
      break;
    case 'aws-sigv4':
      c.awsSigv4 = v;
      break;
    case 'resolve':
    case 'connect-to':
    case 'unix-socket':
    case 'abstract-unix-socket':
      warnings.push(`--${f.long} is not applied: why401 connects where the URL's host resolves`);
      break;
    case 'request-target':
      warnings.push('--request-target is not applied: the request target comes from the URL');
      break;
    case 'variable':
      warnings.push('--variable: {{variable}} expansion is not done');
      break;
    case 'next':
      warnings.push('--next: only the first request of the command is read');
      return true;
    default:
      break; // output, progress, TLS versions, …: nothing to do with the request
  }
  return false;
}

/**
 * -z/--time-cond (src/tool_getparam.c, 7.88.1): a leading `-` asks If-Unmodified-Since, `=`
 * Last-Modified, `+` or nothing If-Modified-Since; the rest is a date curl_getdate() reads, or
 * else the name of a file whose modification time is sent; neither, and curl sends no condition.
 */
function timeCondition(v: string, c: Collected, warnings: string[], readers: Readers): void {
  const sign = v.charAt(0);
  const header =
    sign === '-' ? 'If-Unmodified-Since' : sign === '=' ? 'Last-Modified' : ('If-Modified-Since' as const);
  const rest = '+-='.includes(sign) && sign !== '' ? v.slice(1) : v;
  delete c.timeCond;
  const seconds = curlGetdate(rest);
  if (seconds !== undefined) {
    c.timeCond = { header, seconds };
    return;
  }
  if (!readers.canStat) {
    warnings.push(`-z ${v}: not a date curl reads, and its file cannot be looked at here: no ${header} sent`);
    return;
  }
  const st = readers.stat(rest);
  if (st) c.timeCond = { header, seconds: Math.floor(st.mtimeMs / 1000) };
  else
    warnings.push(
      `-z ${v}: neither a date curl reads nor a file, so curl sends no ${header}, and neither does why401`,
    );
}

/**
 * The bytes one data flag adds to the body (src/tool_getparam.c, case 'd', 7.88.1), or undefined
 * when they are in a file that cannot be read here. A file that cannot be read adds nothing but
 * its place: curl warns "this makes an empty POST" and goes on.
 */
function dataBytes(flag: DataFlag, value: string, readers: Readers): Uint8Array | undefined {
  if (flag === 'data-raw') return bytesOf(value);
  if (flag === 'data-urlencode') {
    const s = dataUrlencode(value, (path) => readers.bytes(path, '--data-urlencode'));
    return s === undefined ? undefined : bytesOf(s);
  }
  if (!value.startsWith('@')) return bytesOf(value);
  const read = readers.bytes(value.slice(1), flag === 'data' || flag === 'data-ascii' ? '-d' : `--${flag}`);
  if (read === undefined) return undefined;
  if (read === null) return new Uint8Array(0);
  // -d and --data-ascii read a file as text lines (file2string); --data-binary and --json as is.
  return flag === 'data' || flag === 'data-ascii' ? file2string(read) : read;
}

/** The file a data flag reads, if it reads one (curl's rules per flag). */
function dataFilePath(flag: DataFlag, value: string): string | undefined {
  if (flag === 'data-raw') return undefined;
  if (flag === 'data-urlencode') {
    const at = value.search(/[=@]/);
    return at >= 0 && value.charAt(at) === '@' ? value.slice(at + 1) : undefined;
  }
  return value.startsWith('@') ? value.slice(1) : undefined;
}

/** One -H argument as curl sends it. */
type CustomHeader =
  | { kind: 'send'; name: string; value: string }
  | { kind: 'remove'; name: string }
  | { kind: 'ignored'; reason: string };

/** curl's rules (lib/http.c, Curl_add_custom_headers). */
function readCustomHeader(raw: string): CustomHeader {
  const colon = raw.indexOf(':');
  if (colon < 0) {
    // "Name;" is curl's way to send a header with an empty value.
    const semi = raw.indexOf(';');
    if (semi > 0 && semi === raw.length - 1) return { kind: 'send', name: raw.slice(0, semi), value: '' };
    return { kind: 'ignored', reason: 'has no colon, so curl does not send it' };
  }
  if (colon === 0) return { kind: 'ignored', reason: 'has no name, so curl does not send it' };
  const name = raw.slice(0, colon);
  // Leading white space is not part of the value; trailing white space is, byte for byte.
  const value = raw.slice(colon + 1).replace(/^[ \t\n\v\f\r]+/, '');
  return value === '' ? { kind: 'remove', name } : { kind: 'send', name, value };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The first word of a value when it reads as an auth scheme ("Bearer"): shown in a fix, never the rest. */
function schemeWord(value: string): string {
  const m = /^([A-Za-z][A-Za-z0-9._~+-]*)\s/.exec(value);
  return m ? `${m[1]} …` : '…';
}

/**
 * Why a header line cannot be sent as written, and how to write it; undefined when it can. The
 * message names the header, never its value (it may be a credential).
 *
 * curl (7.88.1, checked against a raw socket) sends `-H "Authorization : Bearer x"` byte for byte:
 * `Authorization : Bearer x` on the wire. RFC 9112 §5.1 forbids white space between a field name
 * and its colon and tells servers to answer 400 (Node's http server does); lenient servers drop the
 * field or take "Authorization " as another name. Either way the credentials never count, and
 * why401 used to end in "no auth problem". A name that is not an RFC 9110 §5.1 token (`X(y)`,
 * `Bad Name`) fares the same, and a leading space turns the line into an obsolete line folding
 * (RFC 9112 §5.2) of the header before it. So the command is refused, with the fix. (A line
 * break in a value is not refused here: header.whitespace diagnoses it and its repair proves it.)
 */
export function headerLineProblem(name: string, value: string): string | undefined {
  const shown = JSON.stringify(name.trim() || name);
  const example = `-H '${name.trim()}: ${schemeWord(value)}'`;
  if (name !== name.trim() && TOKEN.test(name.trim())) {
    const where = /\s$/.test(name) ? 'before the colon' : 'before the name';
    return `the header ${shown} has a space ${where}, so it cannot be sent as written (RFC 9112 §5.1): remove the space ${where}: ${example}`;
  }
  if (!TOKEN.test(name))
    return `the header name ${shown} is not a valid HTTP field name (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_\`|~ only), so it cannot be sent as written: correct the name`;
  return undefined;
}

function build(c: Collected, warnings: string[], readers: Readers, options: CurlParseOptions): RequestSpec {
  // URL ----------------------------------------------------------------------------------------
  const urls = c.urls.filter((u) => u !== '');
  if (urls.length < c.urls.length) warnings.push('an empty URL argument was ignored');
  if (urls.length === 0) throw new CurlParseError('no URL found in the curl command');
  if (urls.length > 1) {
    warnings.push(`more than one URL: using the first (${urls[0]}), ignoring ${urls.slice(1).join(', ')}`);
  }
  let url = withScheme(urls[0] as string, warnings);
  // curl turns user:password in the URL into Basic credentials (when -u does not give any).
  let urlUser: string | undefined;
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(url);
  if (userinfo) {
    urlUser = userinfo[2] as string;
    url = (userinfo[1] as string) + url.slice(userinfo[0].length);
  }
  refuseSocks(c);

  // What curl sends (SetHTTPrequest): one kind of body, or curl refuses the command (exit 2).
  const hasData = c.data.length > 0;
  const hasForm = c.form.length > 0;
  const upload = c.upload;
  if (hasForm && hasData) throw oneMethod('-d', '-F');
  if (upload !== undefined && hasData) throw oneMethod('-T', '-d');
  if (upload !== undefined && hasForm) throw oneMethod('-T', '-F');
  if (c.head && hasForm) throw oneMethod('-I', '-F');
  if (c.head && upload !== undefined) throw oneMethod('-I', '-T');

  // Body ---------------------------------------------------------------------------------------
  let body: Uint8Array | undefined;
  let kind: 'get' | 'post' | 'put' | 'mime' = 'get';
  let chunked = false;
  const json = c.data.some((d) => d.flag === 'json');
  if (hasData) {
    // Several data flags join with & (--json pieces are simply concatenated, as in curl).
    const pieces: Uint8Array[] = [];
    c.data.forEach((part, index) => {
      const bytes = dataBytes(part.flag, part.value, readers);
      if (bytes === undefined) return;
      if (index > 0 && pieces.length > 0 && part.flag !== 'json') pieces.push(AMP);
      pieces.push(bytes);
    });
    body = concatBytes(pieces);
    kind = 'post';
  }
  let query: string | undefined;
  if (c.get && body !== undefined) {
    query = utf8Text(body) ?? latin1(body);
    body = undefined;
    kind = 'get';
    // src/tool_operate.c (7.88.1): `q = httpgetfields ? httpgetfields : config->query`.
    if (c.urlQueries.length > 0)
      warnings.push('--url-query is not sent: with -G the data takes its place, as in curl 7.88');
  } else if (c.urlQueries.length > 0) {
    const parts: string[] = [];
    for (const q of c.urlQueries) {
      const p = q.startsWith('+')
        ? q.slice(1)
        : dataUrlencode(q, (path) => readers.bytes(path, '--url-query'));
      if (p !== undefined) parts.push(p);
    }
    query = parts.join('&');
  }
  if (upload !== undefined) {
    const stdin = upload === '-' || upload === '.';
    if (!stdin && !c.globoff && /[{[]/.test(upload))
      throw new CurlParseError(
        `-T ${upload}: curl uploads each file the {…} or […] pattern names, one request each; why401 sends one request: name one file (or add -g to take the name as it is)`,
      );
    // src/tool_operhlp.c add_file_name_to_url(): a URL without a file name gets the local one.
    if (!stdin) url = withFileName(url, upload);
    const bytes = readers.needed(stdin ? '-' : upload, '-T');
    if (bytes !== undefined) body = bytes;
    kind = 'put';
    // curl sends standard input as it comes, chunked (its size is not known beforehand).
    chunked = stdin;
  }
  if (hasForm) {
    kind = 'mime';
    const problem = encoderProblem(c.form);
    if (problem) throw new CurlParseError(`-F: ${problem}`);
  }
  if (query !== undefined) url = appendQuery(url, query);
  url = curlUrl(url);

  // Method -------------------------------------------------------------------------------------
  let method: string;
  if (c.method !== undefined) method = c.method;
  else if (c.head) method = 'HEAD';
  else if (kind === 'post' || kind === 'mime') method = 'POST';
  else if (kind === 'put') method = 'PUT';
  else method = 'GET';
  if (c.head && body !== undefined) {
    warnings.push('-I with a body: curl refuses to run this; why401 sends HEAD without the body');
    body = undefined;
    kind = 'get';
  }
  if (c.method !== undefined && /^(GET|HEAD)$/i.test(c.method) && (body !== undefined || hasForm)) {
    warnings.push(
      `-X ${c.method} with a body: curl sends it, and many servers ignore or refuse it (-G puts the data in the URL)`,
    );
  }

  // Headers, in curl's order (lib/http.c Curl_http): Authorization, Range, User-Agent, (Accept,
  // Accept-Encoding: added when sent), Referer, Cookie, the time condition, the -H headers, then
  // what the body needs. -----------------------------------------------------------------------
  const custom = c.headers.map((raw) => ({ raw, h: readCustomHeader(raw) }));
  const customNames = new Set<string>();
  for (const { h } of custom) if (h.kind !== 'ignored') customNames.add(h.name.toLowerCase());

  const headers: HeaderList = [];
  const origins: HeaderOrigin[] = [];
  /** A header curl makes from a flag: a -H with the same name (even "Name:") takes its place, as in curl. */
  const internal = (name: string, value: string, origin: HeaderOrigin, flagName: string) => {
    if (customNames.has(name.toLowerCase())) {
      warnings.push(`${flagName} is not sent: a ${name} header given with -H takes its place, as in curl`);
      return;
    }
    headers.push([name, value]);
    origins.push(origin);
  };

  const credentials = c.user ?? (urlUser === undefined ? undefined : safeDecode(urlUser));
  const userFlag = c.user !== undefined ? '-u' : 'the user:password in the URL';
  const aws = c.awsSigv4 === undefined ? undefined : awsSigv4Of(c, credentials, url, customNames, warnings);
  // libcurl sends credentials on the first request only when exactly one scheme is allowed
  // (lib/http.c Curl_http_output_auth: "if this is one single bit it'll be used instantly");
  // with several it waits for the server's challenge to pick one.
  const schemes = c.auth.size === 0 ? new Set<AuthScheme>(['basic']) : c.auth;
  const only = schemes.size === 1 ? [...schemes][0] : undefined;
  if (c.awsSigv4 !== undefined) {
    // Signed when sent (src/probe/sigv4.ts): -u's secret keys the signature and is never sent.
  } else if (only === undefined && (c.bearer !== undefined || (credentials ?? '') !== '')) {
    warnings.push(
      `curl sends no credentials on the first request when several schemes are allowed (${[...schemes].join(', ')}): it waits for the server's challenge to pick one; why401 sends none either`,
    );
  } else if (only === 'bearer' && c.bearer !== undefined) {
    internal('Authorization', `Bearer ${c.bearer}`, 'oauth2-bearer', '--oauth2-bearer');
    if (credentials !== undefined)
      warnings.push(`${userFlag} is not sent: --oauth2-bearer takes its place, as in curl`);
  } else if (credentials !== undefined && credentials !== '' && only === 'basic') {
    if (credentials.includes(':')) {
      if (c.user === undefined)
        warnings.push('the user:password in the URL is sent as Basic credentials, as curl does');
      internal('Authorization', `Basic ${base64(bytesOf(credentials))}`, 'user', userFlag);
    } else {
      warnings.push(
        `${userFlag} gives no password: curl would prompt for it; why401 sends no Authorization (give USER:PASSWORD)`,
      );
    }
  }
  const range = rangeHeader(c, kind, body, readers, warnings);
  if (range) {
    if (kind === 'put' && range.skip > 0 && body !== undefined) body = body.subarray(range.skip);
    if (customNames.has(range.name.toLowerCase())) {
      // curl leaves its own out when -H gives one (Curl_checkheaders); the -H one is sent in its place.
    } else {
      headers.push([range.name, range.value]);
      origins.push('range');
    }
  }
  if (c.userAgent) internal('User-Agent', c.userAgent, 'user-agent', '-A');
  if (c.referer) internal('Referer', c.referer, 'referer', '-e');

  // Jar cookies and -b strings go in one Cookie header; a -H Cookie replaces only the strings.
  const jarPart = jarCookiesForUrl(c.jar, url, options.now).map((k) => `${k.name}=${k.value}`);
  let stringPart = c.cookieStrings;
  if (stringPart.length > 0 && customNames.has('cookie')) {
    warnings.push('-b is not sent: a Cookie header given with -H takes its place, as in curl');
    stringPart = [];
  }
  if (jarPart.length + stringPart.length > 0) {
    headers.push(['Cookie', [...jarPart, ...stringPart].join('; ')]);
    origins.push('cookie');
  }
  if (c.timeCond && !customNames.has(c.timeCond.header.toLowerCase())) {
    headers.push([c.timeCond.header, imfFixdate(c.timeCond.seconds)]);
    origins.push('time-cond');
  }

  let formType: string | undefined;
  for (const { raw, h } of custom) {
    if (h.kind === 'ignored') {
      warnings.push(`-H '${raw}' ${h.reason}`);
    } else if (h.kind === 'send') {
      // Never dropped in silence, never sent mangled: a usage error that says how to write it.
      const problem = headerLineProblem(h.name, h.value);
      if (problem) throw new CurlParseError(`-H: ${problem}`);
      const lower = h.name.toLowerCase();
      if (kind === 'mime' && lower === 'content-type') {
        // curl keeps it for the form and appends the boundary to it, after the other headers.
        formType ??= h.value;
        continue;
      }
      const unsendable = unsendableHeader(lower, h.value);
      if (unsendable) {
        warnings.push(`-H '${h.name}: …' is not sent: ${unsendable}`);
        continue;
      }
      headers.push([h.name, h.value]);
      origins.push('header');
    } else if (h.name.toLowerCase() === 'host') {
      warnings.push(
        "-H 'Host:': curl then sends no Host header at all (an HTTP/1.1 server answers 400); why401 always sends one",
      );
    }
  }
  // The headers curl adds for a body. HeaderOrigin has no 'data'/'json' value: 'header' is the
  // closest (they are dropped by a -H of the same name, like any header curl adds).
  const defaults: Array<[string, string]> = [];
  if (json) defaults.push(['Content-Type', 'application/json'], ['Accept', 'application/json']);
  else if (kind === 'post') defaults.push(['Content-Type', 'application/x-www-form-urlencoded']);
  for (const [name, value] of defaults) {
    if (customNames.has(name.toLowerCase())) continue;
    headers.push([name, value]);
    origins.push('header');
  }
  if (kind === 'mime') {
    const canRead = readers.canRead;
    const parts = canRead ? c.form : c.form.filter((p) => formFiles(p).length === 0);
    const built = buildMultipart(parts, (path) => readers.needed(path, '-F') ?? new Uint8Array(0), formType);
    body = built.body;
    headers.push(['Content-Type', built.contentType]);
    origins.push('header');
  }

  const request: RequestSpec = {
    method,
    url,
    headers,
    headerOrigins: origins,
    followRedirects: c.follow,
    insecure: c.insecure,
    compressed: c.compressed,
  };
  if (body !== undefined) {
    const text = utf8Text(body);
    if (text !== undefined) request.body = text;
    else request.bodyBase64 = base64(body);
    if (chunked) request.bodyChunked = true;
  }
  // -H 'Name:' (and -A "") for a header curl adds by itself: curl then sends none.
  const omit = custom
    .filter(({ h }) => h.kind === 'remove')
    .map(({ h }) => (h as { name: string }).name.toLowerCase())
    .filter((n) => DEFAULT_HEADERS.includes(n));
  if (c.userAgent === '' && !customNames.has('user-agent')) omit.push('user-agent');
  if (omit.length > 0) request.omitHeaders = [...new Set(omit)];
  if (c.proxyHeaders.length > 0) request.proxyHeaders = proxyHeaderLines(c.proxyHeaders, warnings);
  if (c.proxy !== undefined) request.proxy = c.proxy;
  if (c.noproxy !== undefined) request.noproxy = c.noproxy;
  const proxyUser = proxyUserOf(c.proxyUser, warnings);
  if (proxyUser !== undefined) request.proxyUser = proxyUser;
  if (aws) request.awsSigv4 = aws;
  if (c.maxTimeMs !== undefined) request.maxTimeMs = c.maxTimeMs;
  if (c.cacert) {
    request.cacert = c.cacert;
    if (!options.readFile)
      warnings.push(
        `--cacert is not used: ${c.cacert.file} cannot be read here, so TLS is verified against the usual CAs only`,
      );
  }
  if (c.jar.length > 0) request.cookieJar = c.jar;
  if (c.headerFiles.length + c.cookieFiles.length + c.dataFiles.length > 0) {
    request.files = { headerFiles: c.headerFiles, cookieFiles: c.cookieFiles, dataFiles: c.dataFiles };
  }
  return request;
}

const AMP = bytesOf('&');

/** The headers curl adds to every request by itself, which a -H 'Name:' removes. */
const DEFAULT_HEADERS = ['user-agent', 'accept', 'accept-encoding'];

function oneMethod(a: string, b: string): CurlParseError {
  return new CurlParseError(
    `${a} and ${b} cannot be used together: curl refuses the command too ("You can only select one HTTP request method!")`,
  );
}

/**
 * curl speaks SOCKS (-x socks5://…, --socks5, --preproxy); why401's HTTP client does not, and
 * sending the request some other way would diagnose a different request. So the command is
 * refused, with the way out, before anything is sent.
 */
function refuseSocks(c: Collected): void {
  const viaProxy =
    c.proxy !== undefined && /^socks[45a-z]*:\/\//i.test(c.proxy.trim()) ? `-x ${c.proxy}` : undefined;
  const what = c.socks ?? viaProxy;
  if (what === undefined) return;
  throw new CurlParseError(
    `SOCKS proxies are not supported (${what.replace(/\/\/[^@/]*@/, '//…@')}): why401 sends requests direct or through an HTTP or HTTPS proxy only; leave the SOCKS proxy out to diagnose the request sent direct`,
  );
}

/**
 * Headers undici (why401's HTTP client) refuses to send (lib/core/request.js processHeader): the
 * request would not leave at all. Each is left out with a warning; what it does is said.
 */
function unsendableHeader(lower: string, value: string): string | undefined {
  if (lower === 'expect')
    return "why401's HTTP client cannot send Expect; the body goes out without waiting for 100 Continue";
  if (lower === 'transfer-encoding' || lower === 'keep-alive' || lower === 'upgrade')
    return `why401's HTTP client does not let a request set ${lower}`;
  if (lower === 'connection' && !/^(keep-alive|close)$/i.test(value.trim()))
    return "why401's HTTP client takes only Connection: keep-alive or close";
  return undefined;
}

/**
 * -r and -C as lib/http.c Curl_http_range() makes them (7.88.1): a GET or HEAD asks `Range:
 * bytes=…` (-C's offset wins over -r); an upload (-d, -T) says what it sends with
 * `Content-Range`, and -T -C OFFSET sends the file from that offset; a -F form gets neither.
 */
function rangeHeader(
  c: Collected,
  kind: 'get' | 'post' | 'put' | 'mime',
  body: Uint8Array | undefined,
  readers: Readers,
  warnings: string[],
): { name: string; value: string; skip: number } | undefined {
  let resume = 0;
  if (c.resume === '-') {
    if (kind === 'put')
      resume = -1; // curl: "upload the whole file (again)"
    else if (c.output !== undefined) {
      if (!readers.canStat)
        warnings.push(`-C -: the size of ${c.output} cannot be looked at here, so no Range is sent`);
      else resume = readers.stat(c.output)?.size ?? 0;
    }
  } else if (c.resume !== undefined) resume = c.resume;
  if (kind === 'mime') return undefined;
  if (kind === 'get') {
    if (resume > 0) return { name: 'Range', value: `bytes=${resume}-`, skip: 0 };
    if (c.range !== undefined) return { name: 'Range', value: `bytes=${c.range}`, skip: 0 };
    return undefined;
  }
  const size = body?.length ?? 0;
  if (kind === 'post' && resume !== 0)
    throw new CurlParseError(
      '-C with a -d body: curl cannot resume a POST, and stops ("File already completely uploaded")',
    );
  if (resume === -1) return { name: 'Content-Range', value: `bytes 0-${size - 1}/${size}`, skip: 0 };
  if (resume > 0) {
    if (resume >= size)
      throw new CurlParseError(
        `-C ${resume}: the file is ${size} bytes, so curl stops ("File already completely uploaded")`,
      );
    return { name: 'Content-Range', value: `bytes ${resume}-${size - 1}/${size}`, skip: resume };
  }
  if (c.range !== undefined) return { name: 'Content-Range', value: `bytes ${c.range}/${size}`, skip: 0 };
  return undefined;
}

/** --proxy-header lines, checked like -H ones; curl's syntax is kept (the proxy side reads it). */
function proxyHeaderLines(lines: string[], warnings: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const h = readCustomHeader(raw);
    if (h.kind === 'ignored') {
      warnings.push(`--proxy-header '${raw}' ${h.reason}`);
      continue;
    }
    if (h.kind === 'send') {
      const problem = headerLineProblem(h.name, h.value);
      if (problem) throw new CurlParseError(`--proxy-header: ${problem}`);
    }
    out.push(raw);
  }
  return out;
}

/**
 * --proxy-header lines as the proxy side sends them: `Name: value` and `Name;` (empty) are sent,
 * `Name:` removes a header the client would write itself (Host, in a CONNECT).
 */
export function proxyHeaderList(lines: string[]): { send: HeaderList; remove: string[] } {
  const send: HeaderList = [];
  const remove: string[] = [];
  for (const raw of lines) {
    const h = readCustomHeader(raw);
    if (h.kind === 'send') send.push([h.name, h.value]);
    else if (h.kind === 'remove') remove.push(h.name.toLowerCase());
  }
  return { send, remove };
}

/** The files a -F part reads (standard input aside). */
function formFiles(p: FormPart): string[] {
  if (p.kind === 'files') return p.files.map((f) => f.value).filter((v) => v !== '-');
  return p.kind !== 'data' && p.value !== '-' ? [p.value] : [];
}

/**
 * src/tool_operhlp.c add_file_name_to_url() (7.88.1): when the URL's path has no file name (it is
 * empty or ends with /), the uploaded file's name is appended, URL-encoded, after the last / or
 * \ of its local path. The path is then set without CURLU_URLENCODE, which lower-cases the %XX.
 */
function withFileName(url: string, file: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(.*)$/is.exec(url);
  if (!m) return url;
  const [, origin, path, rest] = m as unknown as [string, string, string, string];
  const slash = path.lastIndexOf('/');
  if (slash >= 0 && slash < path.length - 1) return url;
  const afterSlash = file.slice(file.lastIndexOf('/') + 1);
  const name = afterSlash.slice(afterSlash.lastIndexOf('\\') + 1);
  const encoded = curlEscape(name).replace(/%[0-9A-F]{2}/g, (x) => x.toLowerCase());
  return `${origin}${slash < 0 ? `${path}/` : path}${encoded}${rest}`;
}

/**
 * The URL as curl puts it on the wire: bytes outside ASCII in the path, query and fragment go
 * out as %xx, lower case (lib/urlapi.c), where a WHATWG URL would write upper case. The host is
 * left alone (curl and the WHATWG parser both turn an IDN into punycode).
 */
function curlUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/is.exec(url);
  if (!m || !/[^\x00-\x7f]/.test(m[2] as string)) return url;
  const rest = (m[2] as string).replace(/[^\x00-\x7f]+/g, (s) =>
    curlEscape(s).replace(/%[0-9A-F]{2}/g, (x) => x.toLowerCase()),
  );
  return `${m[1] as string}${rest}`;
}

/**
 * -U/--proxy-user: curl sends it to the proxy as Basic Proxy-Authorization. Without a password
 * curl prompts for one, and `-U :` asks a Windows curl for the logged-in user's NTLM or Negotiate
 * credentials; why401 can do neither, and says so without repeating the value.
 */
function proxyUserOf(v: string | undefined, warnings: string[]): string | undefined {
  if (v === undefined) return undefined;
  const colon = v.indexOf(':');
  if (colon === 0) {
    warnings.push(
      "-U with no user name (-U :) asks a Windows curl for the logged-in user's proxy credentials; why401 sends no Proxy-Authorization",
    );
    return undefined;
  }
  if (colon < 0) {
    warnings.push(
      '-U gives no password: curl would prompt for it; why401 sends no Proxy-Authorization (give USER:PASSWORD)',
    );
    return undefined;
  }
  return v;
}

/**
 * --aws-sigv4 with -u ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN] (curl 8.x reads the third
 * part as the X-Amz-Security-Token). A request that cannot be signed is refused here, before
 * anything is sent: sending it unsigned, or the secret as Basic, would show nothing true.
 */
function awsSigv4Of(
  c: Collected,
  credentials: string | undefined,
  url: string,
  customNames: Set<string>,
  warnings: string[],
): AwsSigv4Request | undefined {
  // libcurl signs only when the request has no Authorization of its own (Curl_output_aws_sigv4).
  if (customNames.has('authorization')) {
    warnings.push('--aws-sigv4 is not applied: a -H Authorization header takes its place, as in curl');
    return undefined;
  }
  if (c.bearer !== undefined)
    throw new CurlParseError('--aws-sigv4 and --oauth2-bearer both make the Authorization header: give one');
  const colon = credentials === undefined ? -1 : credentials.indexOf(':');
  if (credentials === undefined || colon <= 0 || colon === credentials.length - 1)
    throw new CurlParseError(
      '--aws-sigv4 needs -u ACCESS_KEY_ID:SECRET_ACCESS_KEY (add :SESSION_TOKEN for temporary credentials)',
    );
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // The URL is refused on its own later; the host-derived parts are then not needed.
  }
  const params = parseAwsSigv4(c.awsSigv4 ?? '', host);
  if ('problem' in params)
    throw new CurlParseError(`--aws-sigv4 cannot sign this request: ${params.problem}`);
  const rest = credentials.slice(colon + 1);
  const tokenAt = rest.indexOf(':');
  const aws: AwsSigv4Request = {
    ...params,
    accessKeyId: credentials.slice(0, colon),
    secretAccessKey: tokenAt < 0 ? rest : rest.slice(0, tokenAt),
  };
  if (tokenAt >= 0) aws.sessionToken = rest.slice(tokenAt + 1);
  return aws;
}

/** curl adds http:// to a URL without a scheme. A placeholder is left alone (and said so). */
function withScheme(url: string, warnings: string[]): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (/^(\$|\{\{|%[A-Za-z_])/.test(url)) {
    warnings.push(`the URL "${url}" starts with a placeholder that was never filled in`);
    return url;
  }
  warnings.push(`the URL "${url}" has no scheme: curl uses http://`);
  return `http://${url}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

// ---------------------------------------------------------------------------------------------
// The direct form: why401 [why401 options] <url> [curl flags]
// ---------------------------------------------------------------------------------------------

/**
 * Splits argv between why401's own options and curl's. Left to right: a token that is one of
 * why401's flags (exactly `--name` or `--name=value`) goes to `own`, with the next token when it
 * takes a value; a curl flag that takes a value goes to `curl` together with the next token,
 * which is not looked at (so `-H --json` stays curl's); everything else goes to `curl`. `--`
 * ends why401's options: all that follows is curl's.
 */
export function splitWhy401Args(
  argv: string[],
  ownFlags: { name: string; takesValue: boolean }[],
): { own: string[]; curl: string[] } {
  const own: string[] = [];
  const curl: string[] = [];
  const mine = new Map(ownFlags.map((f) => [f.name.replace(/^-+/, ''), f]));
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      curl.push(...argv.slice(i + 1));
      break;
    }
    const takeNext = (into: string[]) => {
      if (i + 1 < argv.length) {
        i += 1;
        into.push(argv[i] as string);
      }
    };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const ownFlag = mine.get(name);
      if (ownFlag) {
        own.push(arg);
        if (ownFlag.takesValue && eq < 0) takeNext(own);
        continue;
      }
      curl.push(arg);
      if (eq < 0 && BY_LONG.get(name)?.takesValue) takeNext(curl);
      continue;
    }
    curl.push(arg);
    if (arg.startsWith('-') && arg.length > 1 && shortClusterWantsNext(arg)) takeNext(curl);
  }
  return { own, curl };
}

/** Does this cluster of short flags end with one that takes its value from the next argument? */
function shortClusterWantsNext(arg: string): boolean {
  for (let j = 1; j < arg.length; j += 1) {
    if (BY_SHORT.get(arg.charAt(j))?.takesValue) return j === arg.length - 1;
  }
  return false;
}
