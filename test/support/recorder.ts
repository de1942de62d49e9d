import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/**
 * One request exactly as it arrived: the method, the request-target as sent (origin-form, or
 * absolute-form through a proxy, or the authority of a CONNECT), every header line in the order
 * it came with the name as written (a space before the colon included), and the body's bytes
 * (a chunked body de-chunked, and said so).
 */
export interface Recorded {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body: Buffer;
  chunked: boolean;
}

export interface Recorder {
  /** 127.0.0.1:port of the plain-HTTP side (also an HTTP proxy: absolute-form and CONNECT). */
  http: string;
  /** 127.0.0.1:port of the HTTPS side (the certificate given to startRecorder). */
  https?: string;
  /** Every request, in order of arrival (a CONNECT is recorded, then refused with 403). */
  requests: Recorded[];
  close(): Promise<void>;
}

/** A request head or a chunk line larger than this is not a request: the connection is closed. */
const MAX_HEAD = 256 * 1024;

/**
 * Reads HTTP/1.1 requests off one connection, byte by byte as they came. Written on a raw socket
 * rather than node:http, whose parser (llhttp) refuses what curl does send as written: a
 * lower-case method (`-X wHat`), a space before a header's colon, a line break inside a value.
 */
function serve(sock: Socket, requests: Recorded[]): void {
  let buf = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  let ended = false;
  let first = true;
  sock.on('data', (c: Buffer) => {
    // A request starts with a method; anything else (a SOCKS greeting) gets the connection closed
    // at once, so the client fails now rather than after its own timeout.
    if (first && !/^[A-Za-z]/.test(c.toString('latin1', 0, 1))) {
      sock.destroy();
      return;
    }
    first = false;
    buf = Buffer.concat([buf, c]);
    waiting?.();
  });
  const finish = () => {
    ended = true;
    waiting?.();
  };
  sock.on('end', finish);
  sock.on('close', finish);
  sock.on('error', finish);
  const more = () =>
    new Promise<boolean>((resolve) => {
      if (ended) return resolve(false);
      waiting = () => {
        waiting = undefined;
        resolve(!ended || buf.length > 0);
      };
    });
  /** The bytes up to (not including) `sep`, consumed with it; undefined at the end of input. */
  const until = async (sep: string): Promise<Buffer | undefined> => {
    for (;;) {
      const at = buf.indexOf(sep);
      if (at >= 0) {
        const out = buf.subarray(0, at);
        buf = buf.subarray(at + sep.length);
        return out;
      }
      if (buf.length > MAX_HEAD || !(await more())) return undefined;
    }
  };
  const take = async (n: number): Promise<Buffer | undefined> => {
    while (buf.length < n) if (!(await more())) return undefined;
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };

  void (async () => {
    for (;;) {
      const head = await until('\r\n\r\n');
      if (head === undefined) break;
      const [line = '', ...rest] = head.toString('latin1').split('\r\n');
      const m = /^(\S+) (\S+) HTTP\/1\.[01]$/.exec(line);
      if (!m) break; // not HTTP (a SOCKS handshake, TLS to the plain side): nothing to record
      const headers: Array<[string, string]> = rest.map((h) => {
        const colon = h.indexOf(':');
        return colon < 0 ? [h, ''] : [h.slice(0, colon), h.slice(colon + 1).replace(/^[ \t]+/, '')];
      });
      const get = (name: string) => headers.find(([n]) => n.trim().toLowerCase() === name)?.[1];
      const method = m[1]!;
      if (method === 'CONNECT') {
        requests.push({ method, target: m[2]!, headers, body: Buffer.alloc(0), chunked: false });
        sock.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (/^100-continue$/i.test(get('expect') ?? '')) sock.write('HTTP/1.1 100 Continue\r\n\r\n');
      const chunked = /chunked/i.test(get('transfer-encoding') ?? '');
      const parts: Buffer[] = [];
      if (chunked) {
        for (;;) {
          const size = await until('\r\n');
          if (size === undefined) return;
          const n = parseInt(size.toString('latin1'), 16);
          if (!Number.isFinite(n)) return;
          if (n === 0) {
            await until('\r\n');
            break;
          }
          const data = await take(n + 2);
          if (data === undefined) return;
          parts.push(data.subarray(0, n));
        }
      } else {
        const length = Number(get('content-length') ?? '0');
        const data = await take(Number.isFinite(length) ? length : 0);
        if (data === undefined) return;
        parts.push(data);
      }
      requests.push({ method, target: m[2]!, headers, body: Buffer.concat(parts), chunked });
      const body = method.toUpperCase() === 'HEAD' ? '' : 'ok';
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n${body}`);
    }
    sock.destroy();
  })();
}

/**
 * A recorder for the curl differential test: records what a client sent and answers 200 "ok".
 * `Expect: 100-continue` is answered `100 Continue`, so curl sends a -T body at once instead of
 * waiting a second for it.
 */
export async function startRecorder(tls?: { cert: string; key: string }): Promise<Recorder> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const listen = async (s: Server): Promise<string> => {
    s.on('error', () => undefined);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return `127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  const accept = (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    serve(sock, requests);
  };
  const http = await listen(createServer(accept));
  let https: string | undefined;
  if (tls) {
    const secure = createTlsServer({ cert: tls.cert, key: tls.key }, accept);
    // A handshake that sends no request (why401's certificate inspection) is no error.
    secure.on('tlsClientError', () => undefined);
    https = await listen(secure);
  }
  return {
    http,
    ...(https ? { https } : {}),
    requests,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              for (const sock of sockets) sock.destroy();
              s.close(() => r());
            }),
        ),
      ).then(() => undefined),
  };
}
