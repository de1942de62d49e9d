/**
 * curl 7.88.1's byte-level rules for the data it builds from flags, written from its source
 * (curl/curl tag curl-7_88_1, commit 046209e5) and checked against the real binary by
 * test/e2e/curl-differential.test.ts. Platform-neutral: bytes in, bytes or strings out.
 */

const utf8 = new TextEncoder();

/** The UTF-8 bytes of a string (an argument as the shell handed it to curl). */
export function bytesOf(s: string): Uint8Array {
  return utf8.encode(s);
}

/** Bytes joined into one array. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes as a "binary string", one char per byte (what a header value holding file bytes is). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

/** The text of bytes that are UTF-8, or undefined when they are not (a binary file). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Base64 of bytes, without Buffer. */
export function base64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}

const HEX_UPPER = '0123456789ABCDEF';

/**
 * lib/escape.c curl_easy_escape(): every byte but the unreserved A–Z a–z 0–9 - . _ ~
 * (Curl_isunreserved) becomes %XX with upper-case hex ("0123456789ABCDEF"); a space is %20.
 */
export function curlEscape(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? utf8.encode(input) : input;
  let out = '';
  for (const b of bytes) {
    const unreserved =
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f ||
      b === 0x7e;
    out += unreserved ? String.fromCharCode(b) : `%${HEX_UPPER[b >> 4]}${HEX_UPPER[b & 15]}`;
  }
  return out;
}

/**
 * src/tool_getparam.c data_urlencode() (7.88.1), shared by --data-urlencode and --url-query:
 * the name is everything before the first `=` (or, when there is none, the first `@`) and is
 * copied raw; only the content is escaped, then "%20" becomes "+" (replace_url_encoded_space_by_plus,
 * "according to RFC1866"). `=content` and a bare `content` give the content alone. With `@`, the
 * content is the file's bytes (a trailing newline included); a file that gives no bytes (missing
 * or empty) makes the whole part empty, name and all: `postdata = strdup("")` before the name is
 * ever added.
 *
 * `readBytes` returns the file's bytes, null when it could not be read (curl's empty part), or
 * undefined when files cannot be read here at all (the caller lists the file instead).
 */
export function dataUrlencode(
  value: string,
  readBytes: (path: string) => Uint8Array | null | undefined,
): string | undefined {
  let sep = value.indexOf('=');
  if (sep < 0) sep = value.indexOf('@');
  const name = sep < 0 ? '' : value.slice(0, sep);
  let content: Uint8Array;
  if (sep >= 0 && value.charAt(sep) === '@') {
    const read = readBytes(value.slice(sep + 1));
    if (read === undefined) return undefined;
    if (read === null || read.length === 0) return '';
    content = read;
  } else {
    content = utf8.encode(sep < 0 ? value : value.slice(sep + 1));
  }
  const encoded = curlEscape(content).replace(/%20/g, '+');
  return name === '' ? encoded : `${name}=${encoded}`;
}

/**
 * lib/urlapi.c curl_url_set(CURLUPART_QUERY, part, CURLU_APPENDQUERY) as src/tool_operate.c calls
 * it for -G data and --url-query (7.88.1): without CURLU_URLENCODE every %XX of the part is
 * lower-cased ("make sure percent encoded are lower case"); the part goes after the URL's own
 * query with a `&`, unless that query is empty or already ends with `&`. An empty part adds
 * nothing, not even the `?`. The URL's own query keeps its case, and a #fragment (never sent)
 * stays after the query. (curl 8.21.0, commit 675a9b0, upper-cases instead: 7.88 is what is
 * reproduced.)
 */
export function appendQuery(url: string, part: string): string {
  const lower = part.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => `%${hex.toLowerCase()}`);
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const q = base.indexOf('?');
  const query = q < 0 ? '' : base.slice(q + 1);
  if (lower === '') return url;
  if (q < 0) return `${withPath(base)}?${lower}${fragment}`;
  const amp = query !== '' && !query.endsWith('&') ? '&' : '';
  return `${withPath(base.slice(0, q))}?${query}${amp}${lower}${fragment}`;
}

/** `http://host` → `http://host/`: curl_url_get writes the root path when the URL had none. */
function withPath(base: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*$/i.test(base) ? `${base}/` : base;
}

/**
 * src/tool_paramhlp.c file2string() (7.88.1), how `-d @FILE` and `--data-ascii @FILE` read a file:
 * fgets() chunks of at most 255 bytes (a line, or a piece of a longer one), each cut at its first
 * CR and then at its first LF, and at its first NUL byte (a C string). So CR LF line ends vanish,
 * and so does what follows a bare CR on its line.
 */
export function file2string(bytes: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    let end = at;
    // fgets(buffer, 256): up to 255 bytes, or through the first LF.
    while (end < bytes.length && end - at < 255) {
      end += 1;
      if (bytes[end - 1] === 0x0a) break;
    }
    let chunk = bytes.subarray(at, end);
    const nul = chunk.indexOf(0);
    if (nul >= 0) chunk = chunk.subarray(0, nul);
    const cr = chunk.indexOf(0x0d);
    if (cr >= 0) chunk = chunk.subarray(0, cr);
    const lf = chunk.indexOf(0x0a);
    if (lf >= 0) chunk = chunk.subarray(0, lf);
    out.push(chunk);
    at = end;
  }
  return concatBytes(out);
}
