import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyReceived {
  /** `GET`, `CONNECT` … */
  method: string;
  /** As it arrived: an absolute URI (`http://host/path`) or, for CONNECT, `host:port`. */
  url: string;
  /** Raw header pairs in arrival order. */
  headers: Array<[string, string]>;
}

export interface ForwardProxyOptions {
  /** Remove Authorization from forwarded absolute-form requests (as a misconfigured proxy does). */
  stripAuthorization?: boolean;
  /** Demand `Proxy-Authorization: Basic base64(user:password)`, answering 407 otherwise. */
  requireAuth?: { user: string; password: string };
  /** Refuse CONNECT to every target with this status. */
  refuseConnect?: number;
}

export interface ForwardProxy {
  url: string;
  port: number;
  received: ProxyReceived[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function authorized(req: IncomingMessage, o: ForwardProxyOptions): boolean {
  if (!o.requireAuth) return true;
  const want = `Basic ${Buffer.from(`${o.requireAuth.user}:${o.requireAuth.password}`).toString('base64')}`;
  return req.headers['proxy-authorization'] === want;
}

/**
 * A real forward proxy on 127.0.0.1 (ephemeral port): absolute-form requests are forwarded with
 * node:http (keeping header order and duplicates), CONNECT opens a node:net tunnel. Every request
 * it receives is logged in `received`.
 */
export async function startForwardProxy(o: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const received: ProxyReceived[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: pairs(req.rawHeaders) });
    if (!authorized(req, o)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="proxy"', 'Content-Type': 'text/plain' });
      res.end('proxy authentication required\n');
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not http');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('this proxy wants absolute-form http:// requests\n');
      return;
    }
    const headers: Array<[string, string]> = pairs(req.rawHeaders).filter(([n]) => {
      const l = n.toLowerCase();
      if (HOP_BY_HOP.has(l)) return false;
      return !(o.stripAuthorization && l === 'authorization');
    });
    headers.push(['Via', '1.1 why401-test-proxy']);
    const up = httpRequest(
      {
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: headers.flat(),
      },
      (upRes) => {
        const back = pairs(upRes.rawHeaders).filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()));
        res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, back.flat());
        upRes.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`bad gateway: ${e.message}\n`);
    });
    req.pipe(up);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    received.push({ method: 'CONNECT', url: req.url ?? '', headers: pairs(req.rawHeaders) });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!authorized(req, o)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n',
      );
      return;
    }
    if (o.refuseConnect) {
      client.end(`HTTP/1.1 ${o.refuseConnect} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = (() => {
      const u = new URL(`http://${req.url ?? ''}`);
      return [u.hostname.replace(/^\[(.*)\]$/, '$1'), Number(u.port || 443)] as const;
    })();
    const up = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    up.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
