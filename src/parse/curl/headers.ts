/**
 * -H and --proxy-header lines as curl reads them, and the header lines that cannot be sent as
 * written. Platform-neutral.
 */
import type { HeaderList } from '../../model/http.js';
import { CurlParseError } from './types.js';

/** One -H argument as curl sends it. */
export type CustomHeader =
  | { kind: 'send'; name: string; value: string }
  | { kind: 'remove'; name: string }
  | { kind: 'ignored'; reason: string };

/** curl's rules (lib/http.c, Curl_add_custom_headers). */
export function readCustomHeader(raw: string): CustomHeader {
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

/** The headers curl adds to every request by itself, which a -H 'Name:' removes. */
export const DEFAULT_HEADERS = ['user-agent', 'accept', 'accept-encoding'];

/**
 * Headers undici (why401's HTTP client) refuses to send (lib/core/request.js processHeader): the
 * request would not leave at all. Each is left out with a warning; what it does is said.
 */
export function unsendableHeader(lower: string, value: string): string | undefined {
  if (lower === 'expect')
    return "why401's HTTP client cannot send Expect; the body goes out without waiting for 100 Continue";
  if (lower === 'transfer-encoding' || lower === 'keep-alive' || lower === 'upgrade')
    return `why401's HTTP client does not let a request set ${lower}`;
  if (lower === 'connection' && !/^(keep-alive|close)$/i.test(value.trim()))
    return "why401's HTTP client takes only Connection: keep-alive or close";
  return undefined;
}

/** --proxy-header lines, checked like -H ones; curl's syntax is kept (the proxy side reads it). */
export function proxyHeaderLines(lines: string[], warnings: string[]): string[] {
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
