import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { handleApi } from './api.js';
import { HttpError, oneLine, readJsonBody, sendError, sendJson } from './http.js';
import { KEY_HEADER, keyMatches, refusalOf, SECURITY_HEADERS, setSecurityHeaders } from './security.js';
import { DEFAULT_STATIC_DIR, serveStatic } from './static.js';
import { Tickets } from './tickets.js';

export interface UiServerOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** A loopback address (default 127.0.0.1): the API sends requests with the user's credentials. */
  host?: string;
  /** The built page (default dist/ui/). */
  staticDir?: string;
  /** The launch secret (default: 32 random bytes, base64url). */
  secret?: string;
}

export interface UiServer {
  /** The page's address, without anything secret: `http://127.0.0.1:PORT/`. */
  url: string;
  /**
   * A new one-time link to the page, `http://127.0.0.1:PORT/#ticket=T` (see tickets.ts): it opens
   * the page once, within `ttlMs` when given, and is dead afterwards.
   */
  link(ttlMs?: number): string;
  port: number;
  /** The key every /api/* call carries in X-Why401-Key; it is never put in a URL. */
  secret: string;
  close(): Promise<void>;
}

/** 127.0.0.1 or localhost: the names the Host check accepts (localhost may be ::1). */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** A new per-launch secret. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Where the page trades its one-time ticket for the key (the only /api/* call without the key). */
const KEY_PATH = '/api/key';

/** POST /api/key {"ticket": T} → {"key": KEY}, once per ticket. */
async function exchange(req: IncomingMessage, res: ServerResponse, secret: string, tickets: Tickets) {
  if (req.method !== 'POST') throw new HttpError(405, `${KEY_PATH} takes POST`, { Allow: 'POST' });
  const { ticket } = await readJsonBody(req);
  if (!tickets.redeem(ticket))
    throw new HttpError(
      403,
      'this link was already used or has expired: each link why401 ui prints opens the page once; start why401 ui again for a new one',
    );
  sendJson(res, 200, { key: secret });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  secret: string,
  tickets: Tickets,
  dir: string,
): Promise<void> {
  setSecurityHeaders(res);
  const refusal = refusalOf(req, port);
  if (refusal) throw new HttpError(403, refusal);
  // A preflight is how another origin asks to send X-Why401-Key: never granted.
  if (req.method === 'OPTIONS') throw new HttpError(403, 'cross-origin requests are refused');
  const path = (req.url ?? '/').split('?')[0]!;
  // After the Host, Origin and Sec-Fetch-Site checks, like every other request: another page
  // cannot trade a ticket either (and its JSON body forces a preflight).
  if (path === KEY_PATH) return exchange(req, res, secret, tickets);
  if (path === '/api' || path.startsWith('/api/')) {
    if (!keyMatches(req.headers[KEY_HEADER], secret))
      throw new HttpError(403, 'missing or wrong X-Why401-Key: open a link why401 ui printed');
    return handleApi(req, res, path);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new HttpError(405, 'method not allowed', { Allow: 'GET, HEAD' });
  return serveStatic(req, res, dir);
}

/** A request Node's parser refused (malformed, headers too large) still gets the security headers. */
function refuseMalformed(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({ error: status === 431 ? 'headers too large' : 'bad request' });
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  })
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`);
}

/** The server behind `why401 ui` (docs/UI.md): the built page and its API, on loopback only. */
export async function startUiServer(opts: UiServerOptions = {}): Promise<UiServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`why401 ui listens on loopback only, not on ${host}`);
  const secret = opts.secret ?? newSecret();
  const tickets = new Tickets();
  const dir = opts.staticDir ?? DEFAULT_STATIC_DIR;
  const server = createServer();
  // The port is part of the Host and Origin checks; it is known once listening, and nobody can
  // reach the server before then.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, port, secret, tickets, dir).catch((e: unknown) => {
      if (e instanceof HttpError) return sendError(res, e.status, e.message, e.headers);
      sendError(res, 500, `internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    });
  });
  server.on('clientError', refuseMalformed);
  const url = `http://${host === '127.0.0.1' ? host : 'localhost'}:${port}/`;
  return {
    url,
    link: (ttlMs) => `${url}#ticket=${tickets.issue(ttlMs)}`,
    port,
    secret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
