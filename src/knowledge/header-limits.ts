import { bodyLines } from './body-text.js';
import type { HeaderList } from '../model/http.js';
import { headerValue, headerValues } from '../model/http.js';

/**
 * Request-header limits: how much header a server takes before it refuses, and how each one says
 * that it refused. Platform-neutral data plus pure matchers.
 *
 * A 40 KB JWT (a long `groups` claim) or a pile of cookies never reaches the code that checks it:
 * the web server, proxy or runtime in front refuses the request while reading its head, with its
 * own page (nginx's 400 "Request Header Or Cookie Too Large") or a bare RFC 6585 §5 431 (Node.js).
 * The application never says 401 or 403 at all.
 *
 * Every number and message was read in the product's documentation or source, or seen on the wire
 * (source per entry). Products whose numbers could not be confirmed (Cloudflare, Google Cloud Load
 * Balancing, Akamai) are left out rather than guessed.
 */

/** RFC 6585 §5: "the server is unwilling to process the request because its header fields are too large". */
export const STATUS_431 = 431;
export const RFC_6585 = 'RFC 6585 §5 (431 Request Header Fields Too Large)';

export interface HeaderLimit {
  /** Short id: `nginx`, `node`, `apache`, `iis`, `tomcat`, `envoy`, `aws-alb`. */
  id: string;
  /** The product as a person names it. */
  product: string;
  /**
   * The most bytes one header line may take (name, `: `, value), by default; undefined when the
   * product only limits the whole header block.
   */
  perHeader?: number;
  /** The most bytes the request line and all header lines together may take, by default. */
  total?: number;
  /** The limit in words, with the setting that holds it: "one header line must fit one 8 KiB buffer (`large_client_header_buffers 4 8k`)". */
  limitWords: string;
  /** The exact setting that raises it, ready to paste. */
  raise: string;
  /** Where that setting goes, in words. */
  raiseWhere: string;
  /** The statuses it answers with when a header is too large. */
  statuses: number[];
  /** Its own words, tested against the body as text (tags stripped); the first group is the quote. */
  words?: RegExp;
  /** Names it in the Server header. */
  server?: RegExp;
  /** Where the numbers and words were read. */
  source: string;
}

export const HEADER_LIMITS: readonly HeaderLimit[] = [
  {
    id: 'nginx',
    product: 'nginx',
    perHeader: 8192,
    total: 4 * 8192,
    limitWords:
      'one header line must fit one buffer of `large_client_header_buffers` (default `4 8k`: 8 KiB per line, 4 buffers for the whole head)',
    raise: 'large_client_header_buffers 4 64k;',
    raiseWhere: 'in the http or server block, then `nginx -s reload`',
    // 494 is nginx's internal code for it; the client sees 400 with the 494 page's words.
    statuses: [400, 494],
    words: /(Request Header Or Cookie Too Large)/i,
    server: /^nginx\b/i,
    source:
      'https://nginx.org/en/docs/http/ngx_http_core_module.html#large_client_header_buffers; nginx/nginx:src/http/ngx_http_special_response.c (ngx_http_error_494_page); seen on the wire from nginx 1.22.1 (test/e2e/header-too-large.test.ts)',
  },
  {
    id: 'node',
    product: 'Node.js',
    total: 16384,
    limitWords:
      'the request line and all headers together may take 16 KiB (`--max-http-header-size`, default 16 KiB since v13.13.0, 8 KiB before)',
    raise: 'node --max-http-header-size=65536 server.js',
    raiseWhere:
      'on the command line, in NODE_OPTIONS, or per server as `http.createServer({ maxHeaderSize: 65536 }, …)`',
    statuses: [431],
    source:
      'https://nodejs.org/api/cli.html#--max-http-header-sizesize; nodejs/node:lib/_http_server.js (requestHeaderFieldsTooLargeResponse: "HTTP/1.1 431 Request Header Fields Too Large\\r\\nConnection: close\\r\\n\\r\\n"); seen on the wire from Node.js 20',
  },
  {
    id: 'apache',
    product: 'Apache httpd',
    perHeader: 8190,
    limitWords: 'one header line may take 8190 bytes (`LimitRequestFieldSize`, default 8190)',
    raise: 'LimitRequestFieldSize 65536',
    raiseWhere: 'in the server config or virtual host, then reload Apache',
    statuses: [400],
    words: /(Size of a request header field exceeds server limit\.?)/i,
    server: /^Apache\b/i,
    source:
      'https://httpd.apache.org/docs/2.4/mod/core.html#limitrequestfieldsize; apache/httpd:server/protocol.c (ap_get_mime_headers_core)',
  },
  {
    id: 'iis',
    product: 'IIS / HTTP.sys',
    perHeader: 16384,
    total: 16384,
    limitWords:
      'HTTP.sys takes 16 KiB per header (`MaxFieldLength`, default 16384, at most 65534) and 16 KiB for the request line and headers together (`MaxRequestBytes`, default 16384)',
    raise: 'MaxFieldLength = 65534, MaxRequestBytes = 65536',
    raiseWhere:
      'as DWORDs under HKLM\\System\\CurrentControlSet\\Services\\HTTP\\Parameters (Microsoft: 4/3 × the token size + 200), then restart the HTTP service',
    statuses: [400],
    words: /(The size of the request headers is too long\.?|Request Header too long|Header Field Too Long)/i,
    server: /^Microsoft-(?:HTTPAPI|IIS)\//i,
    source:
      'https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/iisadmin-service-inetinfo/httpsys-registry-windows; https://learn.microsoft.com/en-US/troubleshoot/developer/webapps/iis/www-administration-management/http-bad-request-response-kerberos',
  },
  {
    id: 'tomcat',
    product: 'Apache Tomcat',
    total: 8192,
    limitWords:
      'the request line and headers together may take 8 KiB (`maxHttpHeaderSize` of the Connector, default 8192)',
    raise: 'maxHttpHeaderSize="65536"',
    raiseWhere: "on the HTTP <Connector> in conf/server.xml (or the embedded server's equivalent setting)",
    statuses: [400],
    words: /(Request header is too large)/i,
    source:
      'https://tomcat.apache.org/tomcat-9.0-doc/config/http.html (maxHttpHeaderSize); the error page "HTTP Status 400 – Bad Request … Message Request header is too large" as recorded in Maurice Lambert\'s WebServerIdentifier.py (server fingerprints by error page)',
  },
  {
    id: 'envoy',
    product: 'Envoy',
    total: 60 * 1024,
    limitWords:
      'all request headers together may take 60 KiB (`max_request_headers_kb` of the HTTP connection manager, default 60)',
    raise: 'max_request_headers_kb: 96',
    raiseWhere:
      'in the HttpConnectionManager config (Istio: an EnvoyFilter that merges it into envoy.filters.network.http_connection_manager)',
    statuses: [431],
    server: /^(?:istio-)?envoy$/i,
    source:
      'https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto (max_request_headers_kb); envoyproxy/envoy#34231 (431 Request Header Fields Too Large)',
  },
  {
    id: 'aws-alb',
    product: 'AWS Application Load Balancer',
    perHeader: 16 * 1024,
    total: 64 * 1024,
    limitWords: 'one header may take 16 KiB and the whole request head 64 KiB (fixed quotas, not adjustable)',
    raise: '',
    raiseWhere: 'nothing to raise: these ALB quotas are fixed, so the headers must get smaller',
    statuses: [400],
    server: /^awselb\//i,
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html#http-headers-quotas; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html (HTTP 400)',
  },
];

/** Words of servers not in the table that still say a header is too large (413 from some, 400 from others). */
const GENERIC_WORDS =
  /(request header(?: fields?)?(?: or cookie)? (?:is |are )?too (?:large|long)|headers? (?:fields? )?too (?:large|long)|size of (?:a )?request header field exceeds(?: server limit)?|request headers? (?:size )?exceed(?:s|ed|ing)[^.\n]{0,40})/i;

export interface LimitResponse {
  status: number;
  headers: HeaderList;
  body: string;
}

export interface LimitMatch {
  /** The product that answered, when the answer or its headers name it. */
  entry?: HeaderLimit;
  /** How it said the header was too large. */
  how: 'words' | 'status-431' | 'status-494';
  /** Its own words (or the status line) to quote. */
  quote: string;
  /** What named the product: "Server: nginx/1.22.1", "its page", "Node's bare 431". */
  namedBy?: string;
}

/** The product the Server header names, among those with a known header limit. */
export function limitByServer(headers: HeaderList): { entry: HeaderLimit; server: string } | undefined {
  for (const server of headerValues(headers, 'server')) {
    const entry = HEADER_LIMITS.find((e) => e.server?.test(server.trim()));
    if (entry) return { entry, server };
  }
  return undefined;
}

export function limitById(id: string): HeaderLimit | undefined {
  return HEADER_LIMITS.find((e) => e.id === id);
}

/**
 * Node's canned answer (lib/_http_server.js): exactly `431` with `Connection: close`, no Date,
 * no Server, no body. An application's own 431 would carry a Date (node:http adds one).
 */
export function looksLikeNodeCanned431(r: LimitResponse): boolean {
  if (r.status !== STATUS_431 || r.body.trim() !== '') return false;
  const names = new Set(r.headers.map(([n]) => n.toLowerCase()));
  return (
    !names.has('date') &&
    !names.has('server') &&
    headerValue(r.headers, 'connection')?.toLowerCase() === 'close'
  );
}

/**
 * Did this answer say a request header was too large? A 431 always does (RFC 6585 §5); 494 is
 * nginx's own code; a 400 or 413 only with a product's words for it.
 */
export function matchHeaderTooLarge(r: LimitResponse): LimitMatch | undefined {
  const byServer = limitByServer(r.headers);
  const text = (): string => bodyLines(r.body).join('\n');
  // A product's own words on a status it uses for them.
  for (const e of HEADER_LIMITS) {
    if (!e.words || !e.statuses.includes(r.status)) continue;
    const m = e.words.exec(r.body) ?? e.words.exec(text());
    if (m) return { entry: e, how: 'words', quote: (m[1] ?? m[0]).trim(), namedBy: 'its own error page' };
  }
  if (r.status === STATUS_431) {
    const words = GENERIC_WORDS.exec(text());
    const quote = words ? (words[1] ?? words[0]).trim() : '431 Request Header Fields Too Large';
    if (byServer?.entry.statuses.includes(STATUS_431))
      return { entry: byServer.entry, how: 'status-431', quote, namedBy: `Server: ${byServer.server}` };
    if (looksLikeNodeCanned431(r))
      return {
        entry: limitById('node')!,
        how: 'status-431',
        quote,
        namedBy: "Node's canned 431 (Connection: close, no Date, no Server, no body)",
      };
    return { how: 'status-431', quote };
  }
  if (r.status === 494) {
    return {
      entry: limitById('nginx')!,
      how: 'status-494',
      quote: '494 Request Header Too Large',
      namedBy: "494, nginx's own status",
    };
  }
  if (r.status === 400 || r.status === 413) {
    const words = GENERIC_WORDS.exec(text());
    if (!words) return undefined;
    const m: LimitMatch = { how: 'words', quote: (words[1] ?? words[0]).trim() };
    if (byServer?.entry.statuses.includes(r.status)) {
      m.entry = byServer.entry;
      m.namedBy = `Server: ${byServer.server}`;
    }
    return m;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Sizes of what was sent.

/** UTF-8 length of a string, without TextEncoder or Buffer. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Bytes one header line takes on the wire: `Name: value\r\n`. */
export function headerLineBytes(name: string, value: string): number {
  return utf8Length(name) + 2 + utf8Length(value) + 2;
}

/** The smallest common limit a request head of this size (or a header line of this size) exceeds, for the "likely" case. */
export function commonLimitExceeded(
  largestLine: number,
  total: number,
): { entry: HeaderLimit; what: 'per-header' | 'total'; limit: number } | undefined {
  const hits: Array<{ entry: HeaderLimit; what: 'per-header' | 'total'; limit: number }> = [];
  for (const e of HEADER_LIMITS) {
    if (e.perHeader !== undefined && largestLine > e.perHeader)
      hits.push({ entry: e, what: 'per-header', limit: e.perHeader });
    if (e.total !== undefined && total > e.total) hits.push({ entry: e, what: 'total', limit: e.total });
  }
  // The highest limit exceeded is the strongest statement: even generous servers refuse this.
  return hits.sort((a, b) => b.limit - a.limit)[0];
}
