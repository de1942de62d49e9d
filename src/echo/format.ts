import { headerRule } from '../knowledge/credential-rule.js';
import { fingerprint } from '../core/fingerprint.js';
import { Redactor } from '../core/redact.js';
import { collectSecrets } from '../core/secrets.js';
import type { Evidence } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import { parseAuthorization } from '../parse/authorization.js';

/**
 * What `why401 echo` shows about one request: every header in the order it arrived, with every
 * credential fingerprinted by the project's own Redactor (the same fingerprints a why401 report
 * shows, so the two can be compared), and a plain line saying whether Authorization got through.
 * Pure and platform-neutral; src/echo/server.ts feeds it.
 */

export interface Arrival {
  method: string;
  /** The request target as it arrived: origin-form `/path?q`, or absolute-form when sent as to a proxy. */
  target: string;
  httpVersion: string;
  /** Address and port the connection came from: the last hop (a proxy, when one is in between). */
  remote?: string;
  /** Name/value pairs in arrival order, original case, duplicates kept. */
  headers: HeaderList;
  bodyBytes: number;
  /** Epoch milliseconds. */
  at: number;
  /** The echo server's own origin, to read an origin-form target as a URL. */
  origin: string;
}

export interface EchoReport {
  tool: 'why401 echo';
  receivedAt: string;
  method: string;
  target: string;
  httpVersion: string;
  remote?: string;
  authorization: {
    received: boolean;
    /** How many Authorization headers arrived (more than one is a problem in itself). */
    count: number;
    /** Each value, scheme kept and credentials fingerprinted. */
    values: string[];
  };
  /** Other headers that carry credentials (cookies, API keys, tokens a gateway forwards), by name. */
  otherCredentials: string[];
  headers: Array<{ name: string; value: string }>;
  bodyBytes: number;
}

/** Whether a header carries a credential: the one credential rule (knowledge/credential-rule.ts). */
function isCredentialHeader(lower: string): boolean {
  return headerRule(lower) !== 'no';
}

/** Headers holding `scheme credentials`, like Authorization (X-Amzn-Remapped-Authorization too). */
function authLike(lower: string): boolean {
  return headerRule(lower) === 'authorization';
}

function fullUrl(a: Arrival): string {
  try {
    return new URL(a.target, a.origin).toString();
  } catch {
    return a.origin;
  }
}

/** A redactor that knows every credential of the request, the way a why401 report would. */
function redactorFor(a: Arrival): Redactor {
  const r = new Redactor(true);
  const ev: Evidence = {
    now: a.at,
    source: 'flags',
    request: {
      method: a.method,
      url: fullUrl(a),
      headers: a.headers,
      followRedirects: false,
      insecure: false,
      compressed: false,
    },
    inputWarnings: [],
    exchanges: [],
    skippedProbes: [],
    expect: {},
    offline: true,
  };
  collectSecrets(ev, r);
  return r;
}

function secret(r: Redactor, value: string): string {
  const t = value.trim();
  if (!t) return value;
  // Known secrets become fingerprints whatever their length; a placeholder ("undefined") stays readable.
  return r.has(t) ? value.replace(t, fingerprint(t)) : r.text(value);
}

function redactHeader(r: Redactor, name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'cookie') {
    return value
      .split(';')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq <= 0 ? r.text(part) : `${part.slice(0, eq + 1)}${secret(r, part.slice(eq + 1))}`;
      })
      .join(';');
  }
  if (authLike(n)) {
    const p = parseAuthorization(value);
    if (p.scheme === undefined) return secret(r, value);
    if (!p.credentials) return value;
    return `${value.slice(0, value.length - p.credentials.length)}${secret(r, p.credentials)}`;
  }
  if (isCredentialHeader(n)) return secret(r, value);
  return r.text(value);
}

export function echoReport(a: Arrival): EchoReport {
  const r = redactorFor(a);
  const headers = a.headers.map(([name, value]) => ({ name, value: redactHeader(r, name, value) }));
  const auth = headers.filter((h) => h.name.toLowerCase() === 'authorization');
  const others = [
    ...new Set(
      headers
        .filter((h) => h.name.toLowerCase() !== 'authorization' && isCredentialHeader(h.name.toLowerCase()))
        .map((h) => h.name),
    ),
  ];
  const out: EchoReport = {
    tool: 'why401 echo',
    receivedAt: new Date(a.at).toISOString(),
    method: a.method,
    target: r.text(a.target),
    httpVersion: a.httpVersion,
    authorization: { received: auth.length > 0, count: auth.length, values: auth.map((h) => h.value) },
    otherCredentials: others,
    headers,
    bodyBytes: a.bodyBytes,
  };
  if (a.remote) out.remote = a.remote;
  return out;
}

/** The one line that answers the question echo exists for. */
export function authorizationLine(e: EchoReport): string {
  const a = e.authorization;
  if (!a.received)
    return 'Authorization header: NOT received. If the client sent one, something between it and this server removed it.';
  if (a.count > 1)
    return `Authorization header: received ${a.count} times (${a.values.join(' | ')}): servers read one and may refuse the request.`;
  return `Authorization header: received: ${a.values[0]}`;
}

export function echoText(e: EchoReport): string {
  const w = Math.max(0, ...e.headers.map((h) => h.name.length));
  const lines = [
    `why401 echo: what arrived at ${e.receivedAt}`,
    '',
    `${e.method} ${e.target} HTTP/${e.httpVersion}`,
    ...(e.remote ? [`from ${e.remote}`] : []),
    '',
    authorizationLine(e),
    ...(e.otherCredentials.length
      ? [`Other credentials that arrived: ${e.otherCredentials.join(', ')}`]
      : []),
    '',
    `Headers, in the order they arrived (${e.headers.length}):`,
    ...e.headers.map((h) => `  ${`${h.name}:`.padEnd(w + 1)} ${h.value}`),
    '',
    `Body: ${e.bodyBytes} byte${e.bodyBytes === 1 ? '' : 's'}`,
    '',
    'Credentials are shown as fingerprints (eyJhbG…(sha256:1a2b3c)): compare them with the fingerprints why401 shows for what you sent.',
    '',
  ];
  return lines.join('\n');
}

export function echoJson(e: EchoReport): string {
  return `${JSON.stringify(e, null, 2)}\n`;
}

/** One line per request for the terminal running `why401 echo`. */
export function echoLogLine(e: EchoReport): string {
  const a = e.authorization;
  const auth = a.received
    ? `Authorization: received${a.count > 1 ? ` ${a.count} times` : ''} (${a.values.join(' | ')})`
    : 'Authorization: NOT received';
  const time = e.receivedAt.slice(11, 19);
  return `${time} ${e.method} ${e.target}  ${auth}${e.remote ? `  from ${e.remote}` : ''}`;
}
