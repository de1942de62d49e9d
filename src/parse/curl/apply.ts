/**
 * One curl flag recorded in the collected state, as curl's option parser records it
 * (src/tool_getparam.c, 7.88.1); build.ts turns the state into the request. Platform-neutral.
 */
import { looksLikeCookieJar, parseCookieJar } from '../cookie-jar.js';
import { ANY_AUTH, type Collected, type DataFlag, type Readers } from './collected.js';
import { curlGetdate } from './date.js';
import type { CurlFlag } from './flags.js';
import { parseFormArg, type FormPart } from './form.js';
import { CurlParseError } from './types.js';

/**
 * Records one flag. Returns true when parsing must stop (`--next`: the rest is another request).
 * Flags that do not change the request but do change what curl would get back get a note.
 */
export function applyFlag(
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

/** The file a data flag reads, if it reads one (curl's rules per flag). */
function dataFilePath(flag: DataFlag, value: string): string | undefined {
  if (flag === 'data-raw') return undefined;
  if (flag === 'data-urlencode') {
    const at = value.search(/[=@]/);
    return at >= 0 && value.charAt(at) === '@' ? value.slice(at + 1) : undefined;
  }
  return value.startsWith('@') ? value.slice(1) : undefined;
}

/** The files a -F part reads (standard input aside). */
export function formFiles(p: FormPart): string[] {
  if (p.kind === 'files') return p.files.map((f) => f.value).filter((v) => v !== '-');
  return p.kind !== 'data' && p.value !== '-' ? [p.value] : [];
}
