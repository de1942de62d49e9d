import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDispatcher, send } from '../../src/probe/transport.js';

/** The body reader through the real transport: raw sockets on 127.0.0.1, whatever bytes a test needs. */
const open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(answer: (socket: Socket) => void): Promise<{ url: string; closed: Promise<void> }> {
  let closed!: () => void;
  const done = new Promise<void>((r) => (closed = r));
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('close', () => closed());
    socket.once('data', () => answer(socket));
  });
  open.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, closed: done };
}

async function get(url: string) {
  const d = makeDispatcher({});
  try {
    return await send({ method: 'GET', url, headers: [] }, d, AbortSignal.timeout(10_000));
  } finally {
    await d.destroy();
  }
}

const HEAD = 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n';

describe('readBody through send()', () => {
  it('a connection closed mid-body: the 401 and its headers kept, the error says how far it got', async () => {
    const s = await serve((k) => {
      k.write(`${HEAD}Content-Length: 100\r\n\r\nabcde`);
      setTimeout(() => k.destroy(), 30);
    });
    const r = await get(s.url);
    expect(r.response).toMatchObject({ status: 401, body: 'abcde', bodyBytes: 5, bodyTruncated: true });
    expect(r.error).toEqual({
      phase: 'body',
      code: 'BODY_CLOSED',
      message: 'the server closed the connection mid-body after 5 bytes',
    });
  });

  it('the count is of bytes on the wire, before decoding', async () => {
    const gz = gzipSync(Buffer.from('x'.repeat(1000)));
    const part = gz.subarray(0, 12);
    const s = await serve((k) => {
      k.write(`${HEAD}Content-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`);
      k.write(part);
      setTimeout(() => k.destroy(), 30);
    });
    const r = await get(s.url);
    expect(r.error?.message).toBe('the server closed the connection mid-body after 12 bytes');
  });

  it('a body that arrived whole but does not decode is not a transport error', async () => {
    const s = await serve((k) =>
      k.end(`${HEAD}Content-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!`),
    );
    const r = await get(s.url);
    expect(r.error).toBeUndefined();
    expect(r.response).toMatchObject({ status: 401, bodyTruncated: true });
  });

  it('a body that does not decode while more is still coming is a decoding problem, not a closed connection', async () => {
    const s = await serve((k) => {
      k.write(`${HEAD}Content-Encoding: gzip\r\nContent-Length: 1000000\r\n\r\n`);
      k.write(Buffer.alloc(64 * 1024, 'x'));
    });
    const r = await get(s.url);
    expect(r.error).toBeUndefined();
    expect(r.response).toMatchObject({ status: 401, bodyTruncated: true });
  });

  it.each([
    ['gzip', gzipSync(Buffer.alloc(10 * 1024 * 1024))],
    ['br', brotliCompressSync(Buffer.alloc(10 * 1024 * 1024))],
    ['gzip, br', brotliCompressSync(gzipSync(Buffer.alloc(20 * 1024 * 1024)))],
  ])('a %s bomb stops at 1 MiB decoded and the socket is closed', async (coding, bomb) => {
    // Content-Length one byte longer than sent: only the client's close ends this connection.
    const s = await serve((k) => {
      k.write(`${HEAD}Content-Encoding: ${coding}\r\nContent-Length: ${bomb.length + 1}\r\n\r\n`);
      k.write(bomb);
    });
    const d = makeDispatcher({});
    try {
      const t0 = Date.now();
      const r = await send({ method: 'GET', url: s.url, headers: [] }, d, AbortSignal.timeout(10_000));
      expect(r.error).toBeUndefined();
      expect(r.response).toMatchObject({ bodyBytes: 1024 * 1024, bodyTruncated: true });
      // Closed by the reader at the cap, with the dispatcher still open.
      const closed = await Promise.race([
        s.closed.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 2_000)),
      ]);
      expect(closed).toBe(true);
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      await d.destroy();
    }
  });

  it('a complete body is read whole, with no error', async () => {
    const s = await serve((k) => k.end(`${HEAD}Content-Length: 2\r\n\r\nok`));
    const r = await get(s.url);
    expect(r.error).toBeUndefined();
    expect(r.response).toMatchObject({ body: 'ok', bodyBytes: 2, bodyTruncated: false });
  });
});
