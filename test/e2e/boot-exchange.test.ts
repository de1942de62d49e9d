/**
 * The user's request sent at boot on node:http (cli/early.ts, probe/boot-get.ts, issue 16) must
 * leave the same evidence as the run's own undici transport: the built CLI against a raw server
 * that answers with the odd bytes real servers send (duplicate and interleaved fields, latin1,
 * white space, an informational answer first, gzip without --compressed, a body past the cap, a
 * body cut short, a connection closed without an answer), once with the head start and once with
 * an option it declines (-m), which changes nothing else. And the server receives each request
 * once: a request is never sent twice because it left at boot.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model/evidence.js';
import { makeTestCerts } from '../support/certs.js';
import { runCli } from '../support/cli.js';

const CRLF = '\r\n';
const head = (status: string, fields: string[]) =>
  Buffer.from(`HTTP/1.1 ${status}${CRLF}${fields.join(CRLF)}${CRLF}${CRLF}`, 'latin1');

/** What each path answers: raw bytes, or 'close' (the socket ends with no answer). */
const ANSWERS: Record<string, () => Buffer | 'close'> = {
  '/fields': () => {
    const body = '{"error":"invalid_token"}';
    return Buffer.concat([
      head('401 Unauthorized', [
        'WWW-Authenticate: Bearer realm="api"',
        'Content-Type: application/json',
        'Set-Cookie: a=1; Path=/',
        'X-Note: caf\u00e9 ol\u00e9',
        'www-authenticate: Basic realm="legacy"',
        'X-Pad:   spaced value',
        'Set-Cookie: b=2; Path=/',
        `Content-Length: ${body.length}`,
        'Connection: close',
      ]),
      Buffer.from(body),
    ]);
  },
  '/early-hints': () =>
    Buffer.concat([
      head('103 Early Hints', ['Link: </style.css>; rel=preload']),
      head('401 Unauthorized', ['WWW-Authenticate: Bearer', 'Content-Length: 0', 'Connection: close']),
    ]),
  '/gzip': () => {
    const gz = gzipSync(Buffer.from('{"message":"Unauthorized"}'));
    const chunk = `${gz.length.toString(16)}${CRLF}`;
    return Buffer.concat([
      head('401 ', ['Content-Encoding: gzip', 'Transfer-Encoding: chunked', 'Connection: close']),
      Buffer.from(chunk),
      gz,
      Buffer.from(`${CRLF}0${CRLF}${CRLF}`),
    ]);
  },
  '/big': () => {
    const body = Buffer.alloc(1024 * 1024 + 4096, 'a');
    return Buffer.concat([
      head('403 Forbidden', [`Content-Length: ${body.length}`, 'Connection: close']),
      body,
    ]);
  },
  '/cut': () =>
    Buffer.concat([
      head('401 Unauthorized', ['Content-Length: 100', 'Connection: close']),
      Buffer.from('only ten b'),
    ]),
  '/closed': () => 'close',
};

let server: Server;
let base: string;
let cacheHome: string;
/** Request heads received, by path: [Authorization present?] per request. */
const received = new Map<string, boolean[]>();

beforeAll(async () => {
  server = createServer((socket: Socket) => {
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf(`${CRLF}${CRLF}`);
      if (end < 0) return;
      const [line, ...fields] = buf.slice(0, end).split(CRLF);
      const path = line!.split(' ')[1]!.split('?')[0]!;
      const auth = fields.some((f) => /^authorization:/i.test(f));
      received.set(path, [...(received.get(path) ?? []), auth]);
      const answer = ANSWERS[path]?.() ?? head('404 Not Found', ['Content-Length: 0', 'Connection: close']);
      if (answer === 'close') socket.destroy();
      else socket.end(answer);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  cacheHome = await mkdtemp(join(tmpdir(), 'why401-boot-exchange-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(cacheHome, { recursive: true, force: true });
});

/** The user's request and the anonymous probe as the evidence file keeps them, timings left out. */
function exchanges(path: string, extra: string[]): Promise<unknown[]> {
  return exchangesAt(`${base}${path}`, extra);
}

let saved = 0;
async function exchangesAt(
  url: string,
  extra: string[],
  env: Record<string, string> = {},
): Promise<unknown[]> {
  const file = join(cacheHome, `ev-${(saved += 1)}.json`);
  const r = await runCli(
    [url, '-H', 'Authorization: Bearer not-a-jwt', '--json', '--save-evidence', file, ...extra],
    { env: { XDG_CACHE_HOME: cacheHome, ...env } },
  );
  expect(r.code, r.stderr).toBeGreaterThanOrEqual(0);
  const ev = JSON.parse(await readFile(file, 'utf8')) as { exchanges: Exchange[] };
  return ev.exchanges
    .filter((x) => x.probe === 'main' || x.probe === 'anonymous')
    .map(({ startedAt: _s, ms: _m, ...x }) => x)
    .sort((a, b) => a.probe.localeCompare(b.probe));
}

describe('a request sent at boot leaves the evidence undici would', () => {
  it.each(Object.keys(ANSWERS))('%s', async (path) => {
    received.delete(path);
    const boot = await exchanges(path, []);
    const once = received.get(path) ?? [];
    received.delete(path);
    const run = await exchanges(path, ['-m', '60']);
    expect(boot).toEqual(run);
    expect(boot).toHaveLength(2);
    // Each request once (with, and without, credentials), whichever stack sent it; a connection
    // closed without an answer is the one case the run asks again (nothing was answered).
    if (path === '/closed') expect(once.filter((a) => a).length).toBeGreaterThanOrEqual(1);
    else expect(once.sort()).toEqual([false, true]);
  });

  it('keeps the answer as sent: both challenges, the latin1 value, the gzip body decoded', async () => {
    const [, main] = (await exchanges('/fields', [])) as Exchange[];
    expect(main!.response!.headers).toContainEqual(['www-authenticate', 'Basic realm="legacy"']);
    expect(main!.response!.headers).toContainEqual(['x-note', 'caf\u00e9 ol\u00e9']);
    const [, gz] = (await exchanges('/gzip', [])) as Exchange[];
    expect(gz!.response!.body).toBe('{"message":"Unauthorized"}');
  });
});

describe('a diagnosis whose requests all left at boot', () => {
  it('loads no HTTP client of its own the second time (documents cached), and sends each request once', async () => {
    const { startIssuer } = await import('../support/issuer.js');
    const { startServer } = await import('../support/http-server.js');
    const issuer = await startIssuer({ audience: 'https://api.why401.test' });
    const api = await startServer((req, res) => {
      if ((req.url ?? '').startsWith('/.well-known/')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(401, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
        'Content-Type': 'text/plain',
      });
      res.end('unauthorized');
    });
    const home = await mkdtemp(join(tmpdir(), 'why401-boot-warm-'));
    const preload = fileURLToPath(new URL('../fixtures/preload/undici-modules.mjs', import.meta.url));
    try {
      const token = await issuer.sign({ aud: 'https://api.why401.test', sub: 'u' }, { foreignKey: true });
      const run = async () => {
        api.received.length = 0;
        issuer.received.length = 0;
        const r = await runCli([`${api.url}/api/me`, '-H', `Authorization: Bearer ${token}`, '--json'], {
          env: { XDG_CACHE_HOME: home, NODE_OPTIONS: `--import ${preload}` },
        });
        const report = JSON.parse(r.stdout) as { findings: Array<{ id: string }> };
        return {
          first: report.findings[0]?.id,
          undici: Number(/undici-modules (\d+)/.exec(r.stderr)?.[1]),
          me: api.received
            .filter((q) => q.url === '/api/me')
            .map((q) => q.headers.authorization !== undefined),
          issuer: issuer.received.length,
        };
      };
      const cold = await run();
      const warm = await run();
      expect(cold.first).toBe('jwt.signature-invalid');
      expect(warm.first).toBe('jwt.signature-invalid');
      expect(cold.me.sort()).toEqual([false, true]);
      expect(warm.me.sort()).toEqual([false, true]);
      expect(warm.issuer).toBe(0);
      expect(warm.undici).toBe(0);
    } finally {
      await api.close();
      await issuer.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('over https', () => {
  const certs = makeTestCerts();
  afterAll(() => certs?.cleanup());

  /**
   * `server` asked with the head start and without (-m), the test root trusted as a user trusts a
   * company CA (NODE_EXTRA_CA_CERTS); `between`: what `seen` returns after the first run.
   */
  async function bothWays<T>(server: TlsServer, seen: () => T[]) {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://localhost:${(server.address() as { port: number }).port}/me`;
    const rootFile = join(certs!.dir, 'boot-root.pem');
    await writeFile(rootFile, certs!.root.cert);
    try {
      const env = { NODE_EXTRA_CA_CERTS: rootFile };
      const boot = (await exchangesAt(url, [], env)) as Exchange[];
      const between = seen();
      const run = (await exchangesAt(url, ['-m', '60'], env)) as Exchange[];
      return { boot, run, between };
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it.skipIf(!certs)(
    'a trusted server: the same evidence, the TLS hello undici sends (ALPN http/1.1)',
    async () => {
      const alpn: Array<string | false> = [];
      const server = createTlsServer(
        { key: certs!.leaf.key, cert: certs!.leaf.cert, ALPNProtocols: ['http/1.1'] },
        (socket) => {
          alpn.push(socket.alpnProtocol ?? false);
          socket.once('data', () =>
            socket.end(
              head('401 Unauthorized', [
                'WWW-Authenticate: Bearer',
                'Content-Length: 0',
                'Connection: close',
              ]),
            ),
          );
          socket.on('error', () => undefined);
        },
      );
      const { boot, run, between } = await bothWays(server, () => alpn.splice(0));
      expect(boot).toEqual(run);
      expect(boot[1]!.response?.status).toBe(401);
      // Two connections at boot (the request, its twin), then one TLS inspection by the run.
      expect(between.filter((p) => p === 'http/1.1').length).toBeGreaterThanOrEqual(2);
    },
  );

  it.skipIf(!certs)(
    "an expired certificate: the run reports it in undici's words, as without the head start",
    async () => {
      const server = createTlsServer({ key: certs!.expired.key, cert: certs!.expired.cert }, (s) =>
        s.on('error', () => undefined),
      );
      const { boot, run } = await bothWays(server, () => []);
      expect(boot).toEqual(run);
      expect(boot[1]?.error?.code).toBe('CERT_HAS_EXPIRED');
    },
  );
});
