import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HeaderList } from '../model/http.js';
import { echoJson, echoReport, echoText, type Arrival, type EchoReport } from './format.js';

/**
 * The `why401 echo` server: answers every request with what arrived (method, target, HTTP
 * version, every header in arrival order, body size), credentials fingerprinted, as text or JSON
 * (`Accept: application/json` or `?format=json`). Placed behind a suspected proxy, CDN or gateway,
 * it shows whether Authorization gets through. Node only (node:http).
 */

export interface EchoServerOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  /** 127.0.0.1 unless told otherwise: what arrives may be someone's credentials. */
  host?: string;
  /** The answer's format when the request does not ask for one. */
  defaultFormat?: 'text' | 'json';
  /** Called with every request, redacted (for the terminal log). */
  onRequest?: (report: EchoReport) => void;
}

export interface EchoServer {
  /** Where to send requests: `http://127.0.0.1:PORT` (a wildcard address is shown as loopback). */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

function pairs(raw: string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function wantsJson(req: IncomingMessage, fallback: 'text' | 'json'): boolean {
  const format = /[?&]format=(json|text)\b/i.exec(req.url ?? '')?.[1]?.toLowerCase();
  if (format) return format === 'json';
  const accept = req.headers.accept ?? '';
  if (/application\/(?:[\w.+-]*\+)?json/i.test(accept)) return true;
  if (/text\/plain/i.test(accept)) return false;
  return fallback === 'json';
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  report: EchoReport,
  fallback: 'text' | 'json',
): void {
  const json = wantsJson(req, fallback);
  const body = json ? echoJson(report) : echoText(report);
  res.writeHead(200, {
    'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    // An echo behind a CDN must never be cached: the next visitor would see this request.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '::0') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startEchoServer(o: EchoServerOptions = {}): Promise<EchoServer> {
  const host = o.host ?? '127.0.0.1';
  const fallback = o.defaultFormat ?? 'text';
  let origin = '';
  const arrival = (req: IncomingMessage, bodyBytes: number): Arrival => {
    const a: Arrival = {
      method: req.method ?? '',
      target: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: pairs(req.rawHeaders),
      bodyBytes,
      at: Date.now(),
      origin,
    };
    const s = req.socket;
    if (s.remoteAddress) a.remote = `${s.remoteAddress}:${s.remotePort ?? ''}`;
    return a;
  };
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      const report = echoReport(arrival(req, bytes));
      o.onRequest?.(report);
      answer(req, res, report, fallback);
    });
    req.on('error', () => res.destroy());
  });
  // A client that takes the echo server for a proxy sends CONNECT: say what it is instead.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const report = echoReport(arrival(req, 0));
    o.onRequest?.(report);
    const text =
      'why401 echo is not a proxy: point the proxy, CDN or gateway at this server as its upstream (origin).\n';
    socket.on('error', () => undefined);
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${urlHost(host)}:${port}`;
  return {
    url: origin,
    host,
    port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
