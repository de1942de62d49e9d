import type { ExchangeError, FailurePhase } from '../model/evidence.js';
import { LIMITS } from './limits.js';

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CONNECT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const PROTOCOL = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'HPE_HEADER_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'HPE_INVALID_CONSTANT',
  'UND_ERR_INFO',
  // undici's llhttp errors carry no code: the class name stands for it (see classifyError).
  'HTTPParserError',
]);

const HINTS: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'DNS lookup timed out or no DNS server answered',
  ECONNREFUSED: 'nothing is listening on that host and port',
  ECONNRESET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'the TCP connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server accepted the connection but sent no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending the response body',
  UND_ERR_HEADERS_OVERFLOW: 'the response headers are larger than 16 KiB',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed (use -k to accept it for a test)',
  SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate is in the chain: often a TLS-intercepting proxy',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain is incomplete or issued by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'the certificate issuer is not trusted here: often a TLS-intercepting proxy',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not valid for this host name',
  EPROTO: 'the TLS handshake failed',
};

function codeOf(e: unknown): string | undefined {
  if (e && typeof e === 'object') {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    const cause = (e as { cause?: unknown }).cause;
    if (cause) return codeOf(cause);
  }
  return undefined;
}

function phaseOf(code: string, e: unknown): FailurePhase {
  if (DNS.has(code)) return 'dns';
  if (CONNECT.has(code)) return 'connect';
  if (TIMEOUT.has(code)) return 'timeout';
  if (PROTOCOL.has(code)) return 'protocol';
  if (/CERT|TLS|SSL|EPROTO|SELF_SIGNED|VERIFY/.test(code)) return 'tls';
  const name = e instanceof Error ? e.name : '';
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return 'aborted';
  return 'connect';
}

/**
 * OpenSSL's words when the first bytes back are not a TLS record: an https:// URL sent to a
 * port that speaks plain HTTP ("HTTP/1.1 400 …" read as a record header).
 */
const NOT_TLS = /wrong version number|packet length too long|WRONG_VERSION_NUMBER/i;

/** `host:port` of a URL, the port always written (443 for https). */
function hostPort(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

/**
 * A status line undici will not read: llhttp refuses a status of more than three digits or not
 * digits at all ("Invalid response status", "Invalid status code"), and undici asserts
 * `statusCode >= 100` on what llhttp lets through (000–099), which surfaced as a raw
 * ERR_ASSERTION with its source line. 600–999 pass through as a response; the
 * server.status-invalid check reads those from the status itself.
 */
function invalidStatus(e: unknown, raw: string): ExchangeError | undefined {
  const name = e instanceof Error ? e.name : '';
  if (name === 'AssertionError' && /statusCode/.test(raw))
    return {
      phase: 'protocol',
      // The code the server.status-invalid check reads.
      code: 'INVALID_STATUS',
      message: 'the server answered with a status below 100, outside the 100–599 that HTTP allows',
    };
  if (name === 'HTTPParserError' && /Invalid (response )?status/i.test(raw))
    return {
      phase: 'protocol',
      code: 'INVALID_STATUS',
      message: 'the server answered with a status line that has no three-digit status code',
    };
  return undefined;
}

/**
 * Turns whatever undici, node:net or node:tls threw into plain evidence with a sentence for people.
 * `url` is the request's, to name the server in the sentence.
 */
export function classifyError(e: unknown, url?: string): ExchangeError {
  const raw = e instanceof Error ? e.message : String(e);
  const bad = invalidStatus(e, raw);
  if (bad) return bad;
  const name = e instanceof Error ? e.name : '';
  const code = codeOf(e) ?? (name === 'TimeoutError' ? 'TIMEOUT' : name || 'ERROR');
  const phase = phaseOf(code, e);
  if (phase === 'tls' && (NOT_TLS.test(code) || NOT_TLS.test(raw)) && url?.startsWith('https:')) {
    const at = hostPort(url);
    return {
      phase,
      code,
      message: `the server${at ? ` at ${at}` : ''} answered in plain HTTP, not TLS: use http://`,
    };
  }
  const hint = HINTS[code] ?? (phase === 'timeout' ? 'the time limit ran out' : undefined);
  return { phase, code, message: hint ? `${hint} (${raw})` : raw };
}

function bytesWord(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/**
 * A body that broke off after the status line and headers had arrived: the connection closed
 * before the body's end (a Content-Length larger than what came, a chunked body without its last
 * chunk: undici's "other side closed"), or no data came for the body timeout. `wireBytes` counts
 * what arrived, before any decoding. The phase is `body`: the server did answer, so the headers
 * stay evidence; only the rest of its answer is missing.
 */
export function classifyBodyError(
  e: unknown,
  wireBytes: number,
  bodyTimeoutMs: number = LIMITS.bodyTimeoutMs,
): ExchangeError {
  const after = bytesWord(wireBytes);
  // Codes of our own, not undici's UND_ERR_SOCKET: the checks that read a reset before any answer
  // (a request head too large) must not take a body cut after the answer for one.
  if (codeOf(e) === 'UND_ERR_BODY_TIMEOUT')
    return {
      phase: 'body',
      code: 'BODY_STALLED',
      message: `the body stopped arriving: no data for ${bodyTimeoutMs / 1000} s after ${after}`,
    };
  const c = classifyError(e);
  // The run's time limit (-m) cut it: the limit's doing, said as such; still a body that broke off.
  if (c.phase === 'aborted' || c.phase === 'timeout')
    return { phase: 'body', code: c.code, message: `the run's time limit ran out mid-body after ${after}` };
  return {
    phase: 'body',
    code: 'BODY_CLOSED',
    message: `the server closed the connection mid-body after ${after}`,
  };
}
