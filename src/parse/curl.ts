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
  flag('F', 'form', true, 'multipart form field (not reproduced: why401 sends no body)'),
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
  'continue-at': 'C',
  'dump-header': 'D',
  config: 'K',
  'ftp-port': 'P',
  quote: 'Q',
  range: 'r',
  'telnet-option': 't',
  'upload-file': 'T',
  'speed-time': 'y',
  'speed-limit': 'Y',
  'time-cond': 'z',
};
const OTHER_VALUE_LONG =
  'abstract-unix-socket alt-svc capath cert-type ciphers connect-to create-file-mode crlfile ' +
  'curves delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url ech egd-file engine ' +
  'etag-compare etag-save expect100-timeout form-string ftp-account ftp-alternative-to-user ftp-method ' +
  'ftp-ssl-ccc-mode happy-eyeballs-timeout-ms haproxy-clientip hostpubmd5 hostpubsha256 hsts interface ' +
  'ip-tos ipfs-gateway keepalive-cnt keepalive-time key key-type krb libcurl limit-rate local-port ' +
  'login-options mail-auth mail-from mail-rcpt max-filesize max-redirs netrc-file output-dir parallel-max ' +
  'pass pinnedpubkey preproxy proto proto-default proto-redir proxy-cacert proxy-capath proxy-cert ' +
  'proxy-cert-type proxy-ciphers proxy-crlfile proxy-header proxy-key proxy-key-type proxy-pass ' +
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
type AuthScheme = 'basic' | 'digest' | 'ntlm' | 'negotiate' | 'anyauth';

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
  auth: AuthScheme;
  get: boolean;
  head: boolean;
  insecure: boolean;
  follow: boolean;
  compressed: boolean;
  multipart: boolean;
  upload?: string;
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
    auth: 'basic',
    get: false,
    head: false,
    insecure: false,
    follow: false,
    compressed: false,
    multipart: false,
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
      stop = applyFlag(f, value, negated, c, warnings, read);
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
          stop = applyFlag(f, undefined, false, c, warnings, read);
          continue;
        }
        const value = j + 1 < arg.length ? arg.slice(j + 1) : valueAfter(`-${letter}`);
        if (value !== undefined) stop = applyFlag(f, value, false, c, warnings, read);
        break;
      }
    }
    if (stop) break;
  }
  const request = build(c, warnings, read, options);
  return { request, warnings: dedupe(warnings) };
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
  read: (path: string, what: string) => string | undefined,
): boolean {
  const v = value ?? '';
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
    case 'form-string':
      c.multipart = true;
      warnings.push(`-F: multipart form bodies are not reproduced; the request is sent without a body`);
      break;
    case 'basic':
    case 'digest':
    case 'ntlm':
    case 'negotiate':
    case 'anyauth':
      c.auth = negated ? 'basic' : f.long;
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
      warnings.push(`-T ${v}: the uploaded file is not sent; the request is sent without a body`);
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

function build(
  c: Collected,
  warnings: string[],
  read: (path: string, what: string) => string | undefined,
  options: CurlParseOptions,
): RequestSpec {
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

  // Body ---------------------------------------------------------------------------------------
  const pieces: Array<{ text: string; json: boolean }> = [];
  for (const part of c.data) {
    const text = dataText(part.flag, part.value, read);
    if (text !== undefined) pieces.push({ text, json: part.flag === 'json' });
  }
  // Several data flags join with & (--json pieces are simply concatenated, as in curl).
  let body: string | undefined =
    c.data.length === 0
      ? undefined
      : pieces.reduce((acc, p, index) => (index === 0 ? p.text : acc + (p.json ? '' : '&') + p.text), '');
  const json = c.data.some((d) => d.flag === 'json');
  if (c.get && body !== undefined) {
    url = appendQuery(url, body);
    body = undefined;
  }
  for (const q of c.urlQueries)
    url = appendQuery(url, q.startsWith('+') ? q.slice(1) : urlEncodePart(q, read));

  // Method -------------------------------------------------------------------------------------
  let method: string;
  if (c.method !== undefined) method = c.method;
  else if (c.head) method = 'HEAD';
  else if (c.get) method = 'GET';
  else if (body !== undefined || c.multipart) method = 'POST';
  else if (c.upload !== undefined) method = 'PUT';
  else method = 'GET';
  if (c.head && body !== undefined) {
    warnings.push('-I with a body: curl refuses to run this; why401 sends HEAD without the body');
    body = undefined;
  }
  if (c.method !== undefined && /^(GET|HEAD)$/i.test(c.method) && body !== undefined) {
    warnings.push(
      `-X ${c.method} with a body: curl sends it, and many servers ignore or refuse it (-G puts the data in the URL)`,
    );
  }

  // Headers ------------------------------------------------------------------------------------
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
  if (c.awsSigv4 !== undefined) {
    // Signed when sent (src/probe/sigv4.ts): -u's secret keys the signature and is never sent.
  } else if (c.bearer !== undefined) {
    internal('Authorization', `Bearer ${c.bearer}`, 'oauth2-bearer', '--oauth2-bearer');
    if (credentials !== undefined)
      warnings.push(`${userFlag} is not sent: --oauth2-bearer takes its place, as in curl`);
  } else if (credentials !== undefined && credentials !== '' && c.auth === 'basic') {
    if (credentials.includes(':')) {
      if (c.user === undefined)
        warnings.push('the user:password in the URL is sent as Basic credentials, as curl does');
      internal('Authorization', `Basic ${base64Utf8(credentials)}`, 'user', userFlag);
    } else {
      warnings.push(
        `${userFlag} gives no password: curl would prompt for it; why401 sends no Authorization (give USER:PASSWORD)`,
      );
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

  for (const { raw, h } of custom) {
    if (h.kind === 'ignored') {
      warnings.push(`-H '${raw}' ${h.reason}`);
    } else if (h.kind === 'send') {
      // Never dropped in silence, never sent mangled: a usage error that says how to write it.
      const problem = headerLineProblem(h.name, h.value);
      if (problem) throw new CurlParseError(`-H: ${problem}`);
      headers.push([h.name, h.value]);
      origins.push('header');
    }
  }
  // The headers curl adds for a body. HeaderOrigin has no 'data'/'json' value: 'header' is the
  // closest (they are dropped by a -H of the same name, like any header curl adds).
  const defaults: Array<[string, string]> = [];
  if (json) defaults.push(['Content-Type', 'application/json'], ['Accept', 'application/json']);
  else if (body !== undefined) defaults.push(['Content-Type', 'application/x-www-form-urlencoded']);
  for (const [name, value] of defaults) {
    if (customNames.has(name.toLowerCase())) continue;
    headers.push([name, value]);
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
  if (body !== undefined) request.body = body;
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

/** Adds a query part before any #fragment (-G, --url-query), with & when there is a query already. */
function appendQuery(url: string, part: string): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  return `${base}${base.includes('?') ? '&' : '?'}${part}${fragment}`;
}

/** The bytes one data flag adds to the body, or undefined when they are in a file nobody read. */
function dataText(
  flag: DataFlag,
  value: string,
  read: (path: string, what: string) => string | undefined,
): string | undefined {
  switch (flag) {
    case 'data-raw':
      return value;
    case 'data-urlencode':
      return urlEncodePart(value, read);
    case 'data':
    case 'data-ascii':
      if (!value.startsWith('@')) return value;
      // -d @FILE drops carriage returns and newlines; --data-binary keeps them.
      return read(value.slice(1), `-d`)?.replace(/[\r\n]/g, '');
    case 'data-binary':
    case 'json':
      return value.startsWith('@') ? read(value.slice(1), `--${flag}`) : value;
  }
}

/** --data-urlencode's forms: content, =content, name=content, @file, name@file. */
function urlEncodePart(value: string, read: (path: string, what: string) => string | undefined): string {
  const at = value.search(/[=@]/);
  if (at < 0) return curlEscape(value);
  const name = value.slice(0, at);
  const rest = value.slice(at + 1);
  const content = value.charAt(at) === '@' ? read(rest, '--data-urlencode') : rest;
  if (content === undefined) return name === '' ? '' : `${name}=`;
  return name === '' ? curlEscape(content) : `${name}=${curlEscape(content)}`;
}

/** curl_easy_escape: every byte but A–Z a–z 0–9 - . _ ~ as %XX (space is %20, not +). */
function curlEscape(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function base64Utf8(s: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(s)) binary += String.fromCharCode(byte);
  return btoa(binary);
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
