import { Readable } from 'node:stream';
import type * as Undici from 'undici';
import { request, undici, type Dispatcher } from './undici.js';
import type { ExchangeError, ResponseData } from '../model/evidence.js';
import type { HeaderList } from '../model/http.js';
import { readBody, type BodyRead } from './body.js';
import { classifyBodyError, classifyError } from './errors.js';
import { LIMITS } from './limits.js';
import { caOptions } from './tls.js';

export interface WireRequest {
  method: string;
  url: string;
  headers: HeaderList;
  /** Text goes out as UTF-8; bytes as they are (a -T file, a multipart form with a binary file). */
  body?: string | Uint8Array;
  /** Send the body chunked, without a Content-Length (curl -T - sends standard input so). */
  chunked?: boolean;
}

export interface WireResult {
  response?: ResponseData;
  error?: ExchangeError;
  startedAt: number;
  ms: number;
}

export interface TransportOptions {
  insecure?: boolean;
  /** --cacert: PEM text of extra roots to trust. */
  ca?: string;
}

/** A direct (no proxy) dispatcher with the run's limits; proxies are proxy.ts's makeProxyDispatcher. */
export function makeDispatcher(o: TransportOptions): Dispatcher {
  // --cacert adds to the trusted roots (see caOptions in tls.ts for why it does not replace them).
  const connect = { timeout: LIMITS.connectTimeoutMs, rejectUnauthorized: !o.insecure, ...caOptions(o.ca) };
  return new (undici().Agent)({
    connect,
    maxHeaderSize: LIMITS.maxHeaderSize,
    headersTimeout: LIMITS.headersTimeoutMs,
    bodyTimeout: LIMITS.bodyTimeoutMs,
  });
}

/**
 * HTTP cannot carry CR, LF or NUL in a field value (RFC 9110 §5.5), and undici would throw on
 * them. Returns the first such problem so the probe can refuse with evidence instead of crashing.
 */
export function unsendableHeader(headers: HeaderList): string | undefined {
  for (const [name, value] of headers) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      return `header name ${JSON.stringify(name)} is not a valid HTTP token`;
    const bad = /[\r\n\0]/.exec(value);
    if (bad) {
      const cp = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      return `header ${name} holds U+${cp} at position ${bad.index + 1}, which HTTP forbids in a field value`;
    }
  }
  return undefined;
}

/**
 * Non-ASCII characters go on the wire as their UTF-8 bytes, as curl sends them; undici writes
 * header strings as latin1, so each byte becomes one char here.
 */
function wireValue(v: string): string {
  return /[^\x00-\x7f]/.test(v) ? Buffer.from(v, 'utf8').toString('latin1') : v;
}

function toHeaderList(h: Record<string, string | string[] | undefined>): HeaderList {
  const out: HeaderList = [];
  for (const [name, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([name, one]);
  }
  return out;
}

/**
 * Origins whose body stalled, per run: later requests of the run to the same origin get the short
 * body timeout (LIMITS.bodyTimeoutAfterStallMs). Keyed by the run's abort signal, which every probe
 * of a run shares, and not by dispatcher: the identity-provider probes go through a guarded
 * dispatcher of their own (fetch-guard.ts), and the RFC 9728 metadata probe to a server that just
 * stalled would otherwise wait the whole body timeout again.
 */
const stalledOrigins = new WeakMap<AbortSignal, Set<string>>();

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The run of `signal` met a stalled body at `url`'s origin: its later requests there get the short
 * body timeout. send() notes its own; walk.ts notes those of a request sent at boot.
 */
export function noteStalled(url: string, signal: AbortSignal): void {
  const origin = originOf(url);
  if (!origin) return;
  const set = stalledOrigins.get(signal) ?? new Set<string>();
  set.add(origin);
  stalledOrigins.set(signal, set);
}

/** A body as a stream of one chunk: undici sends a stream of unknown length with Transfer-Encoding: chunked. */
function chunks(body: string | Uint8Array): Readable {
  return Readable.from([typeof body === 'string' ? Buffer.from(body, 'utf8') : body], { objectMode: false });
}

/** Sends one request, never following redirects, and reads a capped, decoded body. */
export async function send(
  req: WireRequest,
  dispatcher: Dispatcher,
  signal: AbortSignal,
): Promise<WireResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const problem = unsendableHeader(req.headers);
  if (problem) {
    return {
      startedAt,
      ms: 0,
      error: { phase: 'refused-by-tool', code: 'INVALID_HEADER_VALUE', message: `not sent: ${problem}` },
    };
  }
  try {
    const headers: string[] = [];
    for (const [n, v] of req.headers) headers.push(n, wireValue(v));
    const opts: Parameters<typeof request>[1] = {
      method: req.method as Undici.Dispatcher.HttpMethod,
      headers,
      dispatcher,
      signal,
    };
    if (req.body !== undefined) opts.body = req.chunked ? chunks(req.body) : req.body;
    const origin = originOf(req.url);
    const bodyTimeout =
      origin && stalledOrigins.get(signal)?.has(origin)
        ? LIMITS.bodyTimeoutAfterStallMs
        : LIMITS.bodyTimeoutMs;
    opts.bodyTimeout = bodyTimeout;
    const res = await request(req.url, opts);
    const headerList = toHeaderList(res.headers);
    const enc = res.headers['content-encoding'];
    const body: BodyRead =
      req.method.toUpperCase() === 'HEAD'
        ? { text: '', bytes: 0, wireBytes: 0, truncated: false }
        : await readBody(res.body, Array.isArray(enc) ? enc.join(',') : enc);
    const response: ResponseData = {
      status: res.statusCode,
      headers: headerList,
      body: body.text,
      bodyBytes: body.bytes,
      bodyTruncated: body.truncated,
    };
    if (res.statusText) response.statusText = res.statusText;
    const result: WireResult = { startedAt, ms: Math.round(performance.now() - t0), response };
    // The status line and headers came whole (undici parses the header block before any body):
    // they stay evidence, and the error says what is missing after them.
    if (body.broken !== undefined) {
      const cause = signal.aborted ? (signal.reason ?? body.broken) : body.broken;
      result.error = classifyBodyError(cause, body.wireBytes, bodyTimeout);
      if (result.error.code === 'BODY_STALLED') noteStalled(req.url, signal);
    }
    return result;
  } catch (e) {
    return {
      startedAt,
      ms: Math.round(performance.now() - t0),
      error: classifyError(signal.aborted ? (signal.reason ?? e) : e, req.url),
    };
  }
}
