import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, createGzip, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { terminalSafe } from '../../src/render/terminal-safe.js';
import { startUiServer, type UiServer } from '../../src/ui-server/server.js';
import { runCli, type CliResult } from '../support/cli.js';
import { api } from '../ui-server/raw.js';

/**
 * Issue 13, "Honest verdicts for odd transport" and "Bounded inputs": hostile or broken servers
 * (real sockets on 127.0.0.1) through the built CLI and the page's API. Every run ends in time,
 * with its exit code and one clear line, and nothing a server sends drives the terminal.
 */

// ---------------------------------------------------------------------------------------------
// Servers

interface RawServer {
  url: string;
  /** Sockets closed by the client, and when (ms since the server saw the request). */
  closedAfterMs: number[];
  close(): Promise<void>;
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/**
 * A node:net server: `answer` gets each connection once its request head has arrived. Closed
 * after each test, unless `own` (a concurrent test closes its own: another's afterEach must not).
 */
async function rawServer(answer: (socket: Socket, head: string) => void, own = false): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const closedAfterMs: number[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let head = '';
    let t0 = 0;
    socket.on('close', () => {
      sockets.delete(socket);
      if (t0) closedAfterMs.push(Date.now() - t0);
    });
    socket.on('data', (d: Buffer) => {
      if (t0) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      t0 = Date.now();
      answer(socket, head);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const s: RawServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closedAfterMs,
    close: () =>
      new Promise<void>((r) => {
        for (const k of sockets) k.destroy();
        server.close(() => r());
      }),
  };
  if (!own) open.push(s);
  return s;
}

/** A node:http server (for what node:http can send), closed after each test. */
async function httpServer(handler: Parameters<typeof createHttpServer>[1]): Promise<string> {
  const server: HttpServer = createHttpServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.push({
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const CHALLENGE = 'WWW-Authenticate: Bearer realm="api", error="invalid_token"';

/** A 401 that announces 100 bytes and sends 3, then does `then` with the connection. */
function brokenBody(then: 'stall' | 'close' | 'chunked-close') {
  return (socket: Socket) => {
    if (then === 'chunked-close') {
      socket.write(
        `HTTP/1.1 401 Unauthorized\r\n${CHALLENGE}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`,
      );
    } else {
      socket.write(`HTTP/1.1 401 Unauthorized\r\n${CHALLENGE}\r\nContent-Length: 100\r\n\r\nabc`);
    }
    if (then !== 'stall') setTimeout(() => socket.destroy(), 50);
  };
}

async function timed(args: string[], input?: string): Promise<CliResult & { ms: number }> {
  const t0 = Date.now();
  const r = await runCli(args, { timeoutMs: 25_000, ...(input !== undefined ? { input } : {}) });
  return { ...r, ms: Date.now() - t0 };
}

const json = (stdout: string) => JSON.parse(stdout) as Report;
const TOKEN = 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345';

/** What must never reach a terminal raw: C0 but \n and \t, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let ui: UiServer;
beforeAll(async () => {
  // The API loads the diagnosis on its first call; loaded here, so the timings below are the probe's.
  [ui] = await Promise.all([startUiServer(), import('../../src/diagnose/request.js')]);
});
afterAll(async () => {
  await ui?.close();
});

// ---------------------------------------------------------------------------------------------

describe('a response whose body stalls or whose connection closes mid-body', () => {
  it('closed mid-body (Content-Length 100, 3 bytes sent): a report with that line, exit 3', async () => {
    const s = await rawServer(brokenBody('close'));
    const r = await timed([`${s.url}/me`, '-H', TOKEN]);
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.stdout).toContain('→ 401 Unauthorized');
    // The probes table, one line per probe, never wrapped.
    expect(r.stdout).toMatch(
      new RegExp(
        `\\n  main +GET ${s.url}/me → BODY_CLOSED: the server closed the connection mid-body after 3 bytes \\d+ ms\\n`,
      ),
    );
    expect(r.stderr).toBe('');
  });

  it('a chunked body without its last chunk, as --json: the 401 and its challenge stay evidence', async () => {
    const s = await rawServer(brokenBody('chunked-close'));
    const r = await timed([`${s.url}/me`, '-H', TOKEN, '--json']);
    expect(r.code).toBe(3);
    const rep = json(r.stdout);
    expect(rep.outcome).toBe('unreachable');
    expect(rep.status).toBe(401);
    expect(rep.findings[0]).toMatchObject({
      id: 'network.unreachable',
      title: 'The response broke off: the server closed the connection mid-body after 3 bytes',
    });
    expect(rep.probes.find((p) => p.name === 'main')?.error).toBe(
      'BODY_CLOSED: the server closed the connection mid-body after 3 bytes',
    );
    // The headers arrived whole: the challenge is read (its error code names the token).
    expect(rep.findings.some((f) => f.evidence.some((e) => /invalid_token/.test(e.value)))).toBe(true);
  });

  it.concurrent(
    'a body that stops (headers, 3 bytes, then nothing) on every path: exit 3 within 20 s',
    async () => {
      const s = await rawServer(brokenBody('stall'), true);
      try {
        const r = await timed([`${s.url}/me`, '-H', TOKEN]);
        expect(r.code).toBe(3);
        expect(r.ms).toBeLessThan(20_000);
        expect(r.stdout).toMatch(
          new RegExp(
            `\\n  main +GET ${s.url}/me → BODY_STALLED: the body stopped arriving: no data for 10 s after 3 bytes \\d+ ms\\n`,
          ),
        );
      } finally {
        await s.close();
      }
    },
    25_000,
  );

  it.concurrent(
    "the page's API answers a stalled body with the same error, within 20 s",
    async () => {
      const s = await rawServer(brokenBody('stall'), true);
      try {
        const t0 = Date.now();
        const a = await api(ui.port, ui.secret, '/api/diagnose', { input: `${s.url}/me\n${TOKEN}` });
        expect(Date.now() - t0).toBeLessThan(20_000);
        expect(a.status).toBe(200);
        const rep = (JSON.parse(a.body) as { report: Report }).report;
        expect(rep.outcome).toBe('unreachable');
        expect(rep.probes.find((p) => p.name === 'main')?.error).toBe(
          'BODY_STALLED: the body stopped arriving: no data for 10 s after 3 bytes',
        );
      } finally {
        await s.close();
      }
    },
    25_000,
  );

  it("the page's API answers a mid-body close with the same error", async () => {
    const s = await rawServer(brokenBody('close'));
    const a = await api(ui.port, ui.secret, '/api/diagnose', { input: `${s.url}/me\n${TOKEN}` });
    expect(a.status).toBe(200);
    const rep = (JSON.parse(a.body) as { report: Report }).report;
    expect(rep.findings[0]?.title).toBe(
      'The response broke off: the server closed the connection mid-body after 3 bytes',
    );
  });
});

describe('compression bombs are bounded but take about 16 s to give up', () => {
  it('an endless gzip stream: read to the cap, the socket closed at once', async () => {
    let sent = 0;
    const s = await rawServer((socket) => {
      socket.write(
        `HTTP/1.1 401 Unauthorized\r\n${CHALLENGE}\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const gz = createGzip();
      gz.on('data', (c: Buffer) => {
        if (socket.destroyed) return;
        sent += c.length;
        socket.write(`${c.length.toString(16)}\r\n`);
        socket.write(c);
        socket.write('\r\n');
      });
      const zeros = Buffer.alloc(1 << 20);
      const pump = () => {
        // Zeros for as long as the client reads: a bomb with no end.
        while (!socket.destroyed && gz.write(zeros));
        if (!socket.destroyed) gz.once('drain', pump);
      };
      socket.on('close', () => gz.destroy());
      pump();
    });
    const r = await timed([`${s.url}/bomb`, '--json', '--no-probes']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).status).toBe(401);
    expect(r.ms).toBeLessThan(5_000);
    // Stopped at 1 MiB of output: about a kilobyte of gzip, far below the 8 MiB wire cap.
    expect(sent).toBeLessThan(8 * 1024 * 1024);
    expect(s.closedAfterMs.length).toBeGreaterThan(0);
  });

  it('a brotli bomb (10 MiB of zeros in a few bytes)', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(10 * 1024 * 1024), {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 },
    });
    const url = await httpServer((_q, res) => {
      res.writeHead(401, {
        'Content-Encoding': 'br',
        'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
      });
      res.end(bomb);
    });
    const r = await timed([`${url}/bomb`, '--json']);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('a gzip bomb (10 MiB of zeros)', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    const url = await httpServer((_q, res) => {
      res.writeHead(401, { 'Content-Encoding': 'gzip', 'WWW-Authenticate': 'Bearer realm="api"' });
      res.end(bomb);
    });
    const r = await timed([`${url}/bomb`, '--json']);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5_000);
  });
});

describe('a redirect loop, a file:// Location or status 999 end in "no auth problem found", exit 0', () => {
  it.each([
    ['999', 'The server answered with status 999, which HTTP does not define'],
    ['000', 'The server answered with a status line HTTP does not allow'],
    ['1000', 'The server answered with a status line HTTP does not allow'],
  ])('status %s: server.status-invalid, exit 1', async (status, title) => {
    const s = await rawServer((socket) =>
      socket.end(`HTTP/1.1 ${status} Odd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`),
    );
    const r = await timed([`${s.url}/me`, '--json']);
    expect(r.code).toBe(1);
    const rep = json(r.stdout);
    expect(rep.findings[0]).toMatchObject({ id: 'server.status-invalid', kind: 'cause', title });
    expect(rep.findings.map((f) => f.id)).not.toContain('network.unreachable');
  });

  it('Location: file:///etc/passwd is a finding, and nothing is read from the file', async () => {
    const url = await httpServer((_q, res) => {
      res.writeHead(302, { Location: 'file:///etc/passwd' });
      res.end();
    });
    const r = await timed([`${url}/me`, '-L']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ The server redirects to a file: URL, which no HTTP client follows');
    expect(r.stdout).not.toContain('root:');
  });

  it('a redirect loop with -L: url.redirect-loop, exit 1', async () => {
    const url = await httpServer((q, res) => {
      res.writeHead(302, { Location: q.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const r = await timed([`${url}/a`, '-L', '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings[0]).toMatchObject({
      id: 'url.redirect-loop',
      title: `The redirects loop: ${url}/b sends the request back to ${url}/a`,
    });
  });

  it('a redirect to the request URL itself, without -L: url.redirect-loop, exit 1', async () => {
    const url = await httpServer((_q, res) => {
      res.writeHead(307, { Location: '/self' });
      res.end();
    });
    const r = await timed([`${url}/self`, '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings[0]).toMatchObject({
      id: 'url.redirect-loop',
      title: `${url}/self redirects to itself`,
    });
  });
});

describe('-H "Authorization : Bearer …" (a space before the colon) sends no credentials at all', () => {
  const SPACED = 'Authorization : Bearer sekrit-token-1234567890';
  const LINE =
    'why401: -H: the header "Authorization" has a space before the colon, so it cannot be sent as written (RFC 9112 §5.1): remove the space before the colon: -H \'Authorization: Bearer …\'\n';

  it('why401 URL -H …: a usage error that names the header and the fix, and nothing is sent', async () => {
    let hits = 0;
    const url = await httpServer((_q, res) => {
      hits++;
      res.end();
    });
    const r = await timed([`${url}/me`, '-H', SPACED]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(LINE);
    expect(r.stdout).toBe('');
    expect(hits).toBe(0);
  });

  it('why401 curl "curl …": the same line', async () => {
    const r = await timed(['curl', `curl https://api.example.test/me -H '${SPACED}'`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(LINE);
  });

  it('another invalid field name (RFC 9110 §5.1 token) is refused too', async () => {
    const r = await timed(['https://api.example.test/me', '-H', 'X(Api)Key: k-1234567890']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^why401: -H: the header name "X\(Api\)Key" is not a valid HTTP field name/);
    expect(r.stderr).not.toContain('k-1234567890');
  });

  it('the page: a pasted command and a header line both answer 400 with the fix', async () => {
    const pasted = await api(ui.port, ui.secret, '/api/diagnose', {
      input: `curl https://api.example.test/me -H '${SPACED}'`,
    });
    expect(pasted.status).toBe(400);
    expect(JSON.parse(pasted.body)).toEqual({ error: LINE.slice('why401: '.length, -1) });
    const lines = await api(ui.port, ui.secret, '/api/diagnose', {
      input: `https://api.example.test/me\n${SPACED}`,
    });
    expect(lines.status).toBe(400);
    const error = (JSON.parse(lines.body) as { error: string }).error;
    expect(error).toContain('line 2: the header "Authorization" has a space before the colon');
    expect(error).toContain("remove the space before the colon: -H 'Authorization: Bearer …'");
    expect(error).not.toContain('sekrit');
  });
});

describe('claims, server headers and HAR strings reach the terminal with control characters intact', () => {
  const ESC = '\x1b[2J';
  const CSI = '\u009b';
  const RLO = '\u202e';
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (sub: string) =>
    `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iss: `https://issuer${RLO}.test`, exp: 1 })}.c2ln`;
  const HOSTILE_JWT = jwt(`user${ESC}${CSI}31m${RLO}x`);

  /** A 401 whose challenge carries a raw C1 CSI byte and U+202E, and whose body all three. */
  async function hostile401(): Promise<RawServer> {
    const body = Buffer.from(
      JSON.stringify({ error: 'invalid_token', error_description: `expired${ESC}${CSI}2J${RLO}evil` }),
    );
    return rawServer((socket) =>
      socket.end(
        Buffer.concat([
          Buffer.from('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="a', 'latin1'),
          // undici refuses a raw ESC in a header (llhttp), but lets 0x80–0xFF through.
          Buffer.from([0x9b]),
          Buffer.from(`31mb${RLO}c", error="invalid_token"\r\nX-Request-Id: id`, 'utf8'),
          Buffer.from([0x9b]),
          Buffer.from(
            `7\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
            'latin1',
          ),
          body,
        ]),
      ),
    );
  }

  function expectNoRawControls(r: CliResult) {
    expect(RAW_CONTROL.exec(r.stdout)?.[0]).toBeUndefined();
    expect(RAW_CONTROL.exec(r.stderr)?.[0]).toBeUndefined();
  }

  it('the report (text and Markdown): header, body and claim controls shown as escapes', async () => {
    const s = await hostile401();
    for (const format of [[], ['--markdown']]) {
      const r = await timed([`${s.url}/me`, '-H', `Authorization: Bearer ${HOSTILE_JWT}`, ...format]);
      expect(r.code).toBe(1);
      expectNoRawControls(r);
      expect(r.stdout).toContain('\\u009b');
    }
    const text = await timed([`${s.url}/me`, '-H', `Authorization: Bearer ${HOSTILE_JWT}`]);
    expect(text.stdout).toContain('user\\x1b[2J\\u009b31m\\u202ex');
  });

  it('JSON stays data: the claim as the token holds it', async () => {
    const s = await hostile401();
    const r = await timed([`${s.url}/me`, '-H', `Authorization: Bearer ${HOSTILE_JWT}`, '--json']);
    expect(JSON.stringify(json(r.stdout))).toContain('user\\u001b[2J\u009b31m\u202ex');
  });

  it('why401 token and why401 guide', async () => {
    const token = await timed(['token', HOSTILE_JWT, '--offline']);
    expectNoRawControls(token);
    expect(token.stdout).toContain('user\\x1b[2J\\u009b31m\\u202ex');
    const s = await hostile401();
    const guide = await timed([
      'guide',
      '--no-questions',
      `${s.url}/me`,
      '-H',
      `Authorization: Bearer ${HOSTILE_JWT}`,
    ]);
    expectNoRawControls(guide);
  });

  it('why401 har and why401 diff', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'why401-ctl-'));
    try {
      const har = join(dir, 'ctl.har');
      const entry = {
        startedDateTime: '2026-12-01T10:00:00.000Z',
        time: 10,
        request: {
          method: 'GET',
          url: 'https://api.example.test/me',
          httpVersion: 'HTTP/1.1',
          headers: [{ name: 'Authorization', value: `Bearer ${HOSTILE_JWT}` }],
          queryString: [],
          cookies: [],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: 401,
          statusText: `Unauthorized${ESC}`,
          httpVersion: 'HTTP/1.1',
          headers: [
            { name: 'WWW-Authenticate', value: `Bearer realm="x${ESC}${CSI}${RLO}", error="invalid_token"` },
          ],
          cookies: [],
          content: { size: 0, mimeType: 'text/plain', text: `no${ESC}` },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
        },
        cache: {},
        timings: { send: 0, wait: 10, receive: 0 },
      };
      writeFileSync(
        har,
        JSON.stringify({
          log: { version: '1.2', creator: { name: `x${ESC}`, version: '1' }, entries: [entry] },
        }),
      );
      const r = await timed(['har', har]);
      expect(r.code).toBe(1);
      expectNoRawControls(r);
      const diff = await timed([
        'diff',
        `curl https://api.example.test/me -H 'Authorization: Bearer ${jwt('alice')}'`,
        `curl https://api.example.test/me -H 'Authorization: Bearer ${HOSTILE_JWT}'`,
      ]);
      expect(diff.code).toBe(1);
      expectNoRawControls(diff);
      expect(diff.stdout).toContain('\\u202e');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('control characters are shown, never obeyed', () => {
  it.each([
    ['ESC[2J', '\x1b[2J', '\\x1b[2J'],
    ['CR (overwrites the line)', 'a\rb', 'a\\x0db'],
    ['BEL and NUL', '\x07\x00', '\\x07\\x00'],
    ['DEL', '\x7f', '\\x7f'],
    ['C1 CSI', '\u009b31m', '\\u009b31m'],
    ['C1 NEL and OSC', '\u0085\u009d', '\\u0085\\u009d'],
    [
      'bidi overrides and isolates',
      '\u202a\u202e\u2066\u2069\u200e\u200f',
      '\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f',
    ],
    ['line feed and tab stay (the renderers lay them out)', 'a\n\tb', 'a\n\tb'],
    ['text, accents and emoji stay', 'Grüße ✓ 😀', 'Grüße ✓ 😀'],
  ])('%s', (_name, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });
});
