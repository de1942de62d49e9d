/**
 * The collected flags → the request curl would send: one kind of body, the URL, the method and
 * the headers in curl's order (lib/http.c Curl_http, 7.88.1). Platform-neutral.
 */
import type { HeaderOrigin, RequestSpec } from '../../model/evidence.js';
import type { HeaderList } from '../../model/http.js';
import { jarCookiesForUrl } from '../cookie-jar.js';
import { formFiles } from './apply.js';
import type { AuthScheme, Collected, DataFlag, Readers } from './collected.js';
import { imfFixdate } from './date.js';
import {
  appendQuery,
  base64,
  bytesOf,
  concatBytes,
  dataUrlencode,
  file2string,
  latin1,
  utf8Text,
} from './encode.js';
import { buildMultipart, encoderProblem } from './form.js';
import { awsSigv4Of, proxyUserOf } from './credentials.js';
import {
  DEFAULT_HEADERS,
  headerLineProblem,
  proxyHeaderLines,
  readCustomHeader,
  unsendableHeader,
} from './headers.js';
import { CurlParseError, type CurlParseOptions } from './types.js';
import { curlUrl, safeDecode, withFileName, withScheme } from './url.js';

/** The request the collected flags make; warnings are added to `warnings`. */
export function build(
  c: Collected,
  warnings: string[],
  readers: Readers,
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
  // -u (or --oauth2-bearer) given, nothing sent, because curl would wait for a challenge in a
  // scheme why401 does not answer (the warning above says so): the checks must know it was given.
  const sentAuth = origins.includes('user') || origins.includes('oauth2-bearer');
  const given = (credentials ?? '') !== '' || c.bearer !== undefined;
  const held = [...schemes].filter((s) => s !== 'basic' && s !== 'bearer');
  if (c.awsSigv4 === undefined && given && !sentAuth && held.length > 0) request.credentialsHeldFor = held;
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
