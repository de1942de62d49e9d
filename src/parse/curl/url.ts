/**
 * The URL as curl makes it: a scheme added, the upload's file name appended, bytes outside ASCII
 * escaped as curl escapes them. Platform-neutral.
 */
import { curlEscape } from './encode.js';

/**
 * src/tool_operhlp.c add_file_name_to_url() (7.88.1): when the URL's path has no file name (it is
 * empty or ends with /), the uploaded file's name is appended, URL-encoded, after the last / or
 * \ of its local path. The path is then set without CURLU_URLENCODE, which lower-cases the %XX.
 */
export function withFileName(url: string, file: string): string {
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
export function curlUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/is.exec(url);
  if (!m || !/[^\x00-\x7f]/.test(m[2] as string)) return url;
  const rest = (m[2] as string).replace(/[^\x00-\x7f]+/g, (s) =>
    curlEscape(s).replace(/%[0-9A-F]{2}/g, (x) => x.toLowerCase()),
  );
  return `${m[1] as string}${rest}`;
}

/** curl adds http:// to a URL without a scheme. A placeholder is left alone (and said so). */
export function withScheme(url: string, warnings: string[]): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (/^(\$|\{\{|%[A-Za-z_])/.test(url)) {
    warnings.push(`the URL "${url}" starts with a placeholder that was never filled in`);
    return url;
  }
  warnings.push(`the URL "${url}" has no scheme: curl uses http://`);
  return `http://${url}`;
}

/** A percent-decoded URL part, or the part as it is when it does not decode. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
