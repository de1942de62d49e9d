import type { Agent as HttpAgent, ClientRequest, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import type { HeaderList } from '../model/http.js';
import { LIMITS } from './limits.js';

/**
 * One GET sent at boot on node:http (issue 16), before undici and the rest of why401 have loaded:
 * the transport of prefetch.ts, for the identity provider's documents and for the user's own
 * request and its anonymous probe. It keeps the run's limits (connect and header timeouts, the
 * response header cap) and follows no redirect; what the answer becomes is the caller's to say.
 */

/**
 * node:http or node:https, loaded when first asked (Node ≥ 20.16): an http URL does not wait for
 * node:https and the TLS and crypto modules under it (~5 ms at boot on Node 20).
 */
export function builtin<N extends 'http' | 'https'>(
  name: N,
): N extends 'http' ? typeof import('node:http') : typeof import('node:https') {
  return process.getBuiltinModule(`node:${name}`) as never;
}

export interface BootGetOptions {
  agents: { http: HttpAgent; https: HttpsAgent };
  /** The guard's connection-time lookup (fetch-guard.ts) for what why401 asks on its own. */
  lookup?: LookupFunction;
  /** Every request made, for the caller to end those nobody took. */
  track(req: ClientRequest): void;
  /** The request has been written to its socket. */
  onSent?: () => void;
}

/**
 * How a boot GET ended: an answer, or a failure and its phase. The answer's body must be read in
 * the same turn as the answer comes (no `await` of anything else first): Node drops what a
 * response had buffered, and its error, once its connection closes mid-body with nobody reading,
 * and a body cut short would then read as an empty body, complete.
 */
export type BootAnswer =
  | { res: IncomingMessage; startedAt: number; t0: number }
  | {
      failure: unknown;
      phase: 'connect-timeout' | 'headers-timeout' | 'other';
      startedAt: number;
      t0: number;
    };

/**
 * undici's own words for its timeouts (lib/core/errors.js, lib/core/util.js onConnectTimeout),
 * so that classifyError reads a boot request's timeout as it reads the run's: a host that does
 * not answer is not asked a second time, and the report cannot tell which stack waited.
 */
function undiciTimeout(name: string, code: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  (e as Error & { code: string }).code = code;
  return e;
}

function connectTimeout(socket: Socket | undefined, url: URL): Error {
  const attempted = (socket as { autoSelectFamilyAttemptedAddresses?: string[] } | undefined)
    ?.autoSelectFamilyAttemptedAddresses;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const where = Array.isArray(attempted)
    ? `attempted addresses: ${attempted.join(', ')}`
    : `attempted address: ${url.hostname}:${port}`;
  return undiciTimeout(
    'ConnectTimeoutError',
    'UND_ERR_CONNECT_TIMEOUT',
    `Connect Timeout Error (${where}, timeout: ${LIMITS.connectTimeoutMs}ms)`,
  );
}

export const bodyTimeout = (): Error =>
  undiciTimeout('BodyTimeoutError', 'UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');

export function bootGet(url: string, headers: HeaderList, o: BootGetOptions): Promise<BootAnswer> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const target = new URL(url);
  const https = target.protocol === 'https:';
  return new Promise((resolve) => {
    let done = false;
    const end = (a: BootAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    const fail = (failure: unknown, phase: 'connect-timeout' | 'headers-timeout' | 'other') =>
      end({ failure, phase, startedAt, t0 });
    // Header names and values as given, in order, duplicates kept (a flat list, as undici takes
    // it). Given a list, Node adds no Host; host and connection go first, as undici writes them
    // (lib/dispatcher/client-h1.js writeH1), so the server reads the same request head.
    const flat: string[] = ['host', target.host, 'connection', 'keep-alive'];
    for (const [n, v] of headers) flat.push(n, v);
    const req = builtin(https ? 'https' : 'http').request(url, {
      method: 'GET',
      headers: flat as unknown as Record<string, string>,
      agent: https ? o.agents.https : o.agents.http,
      maxHeaderSize: LIMITS.maxHeaderSize,
      ...(o.lookup ? { lookup: o.lookup } : {}),
      // The TLS hello undici sends (lib/core/connect.js, no HTTP/2): the server sees one client.
      ...(https ? { ALPNProtocols: ['http/1.1'] } : {}),
    });
    o.track(req);
    let socket: Socket | undefined;
    let timer = setTimeout(() => {
      const e = connectTimeout(socket, target);
      req.destroy(e);
      fail(e, 'connect-timeout');
    }, LIMITS.connectTimeoutMs);
    // Connected (and for https, the handshake done, as undici's connect timeout counts it): the
    // header timeout runs from here.
    const connected = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const e = undiciTimeout('HeadersTimeoutError', 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error');
        req.destroy(e);
        fail(e, 'headers-timeout');
      }, LIMITS.headersTimeoutMs);
    };
    req.on('socket', (s: Socket) => {
      socket = s;
      if (s.connecting) s.once(https ? 'secureConnect' : 'connect', connected);
      else connected();
    });
    req.on('finish', () => o.onSent?.());
    // Closed before any answer (ended by the caller, or the connection ended): no answer.
    req.on('close', () => fail(new Error('closed before an answer'), 'other'));
    req.on('error', (e) => fail(e, 'other'));
    req.on('response', (res) => end({ res, startedAt, t0 }));
    req.end();
  });
}

/**
 * Response headers as undici gives them to transport.ts (lib/core/util.js parseHeaders, then
 * toHeaderList): names in lower case, every value of a name beside its first, latin1 as on the wire.
 */
export function undiciHeaderList(raw: readonly string[]): HeaderList {
  const byName = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const values = byName.get(name);
    if (values) values.push(raw[i + 1]!);
    else byName.set(name, [raw[i + 1]!]);
  }
  const out: HeaderList = [];
  for (const [name, values] of byName) for (const v of values) out.push([name, v]);
  return out;
}
