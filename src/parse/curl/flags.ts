/**
 * curl's options as why401 knows them: the flags that shape the request (shown in the help) and
 * the rest of curl 8.x's options (accepted, so their values are never read as URLs). The table
 * drives the parser, why401's argv splitter (src/cli/argv.ts) and the help text. Platform-neutral.
 */

/** One curl flag that why401 understands. The table drives the parser, the argv splitter and the help text. */
export interface CurlFlag {
  short?: string;
  long: string;
  takesValue: boolean;
  help: string;
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

/** curl's flags by long name (`header`) and by letter (`H`). */
export const CURL_FLAGS_BY_LONG: ReadonlyMap<string, CurlFlag> = BY_LONG;
export const CURL_FLAGS_BY_SHORT: ReadonlyMap<string, CurlFlag> = BY_SHORT;

/** The flag a name stands for: `-H`, `--header`, `header` or `H`. */
export function lookupCurlFlag(name: string): CurlFlag | undefined {
  if (name.startsWith('--')) return BY_LONG.get(name.slice(2));
  if (name.startsWith('-')) return BY_SHORT.get(name.slice(1));
  return name.length === 1 ? BY_SHORT.get(name) : BY_LONG.get(name);
}
