import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { classifyError } from '../../src/probe/errors.js';
import { makeProxyDispatcher, resolveProxy } from '../../src/probe/proxy.js';
import { send, type WireRequest } from '../../src/probe/transport.js';
import type { ProxyInfo } from '../../src/model/evidence.js';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js';
import { startServer, type TestServer } from '../support/http-server.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm94eS10ZXN0In0.c2lnbmF0dXJl';

/** The origin: 200 when Authorization arrived, 401 with an error-less Bearer challenge when not. */
function originHandler(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  if (req.headers.authorization) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  } else {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
    res.end();
  }
}

async function through(dispatcher: Dispatcher, req: WireRequest): Promise<Awaited<ReturnType<typeof send>>> {
  try {
    return await send(req, dispatcher, AbortSignal.timeout(10_000));
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}

const info = (url: string, extra: Partial<ProxyInfo> = {}): ProxyInfo => ({
  url,
  source: '-x',
  bypassed: false,
  ...extra,
});

describe('makeProxyDispatcher with an http:// target (absolute-form, as curl sends it)', () => {
  let origin: TestServer;
  beforeAll(async () => {
    origin = await startServer((req, res) => originHandler(req, res));
  });
  afterAll(() => origin.close());

  const get = (): WireRequest => ({
    method: 'GET',
    url: `${origin.url}/v1/me?x=1`,
    headers: [
      ['Authorization', `Bearer ${TOKEN}`],
      ['X-Dup', 'one'],
      ['X-Dup', 'two'],
    ],
  });

  it('a proxy that forwards Authorization: the origin sees it and answers 200', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: false });
    try {
      const before = origin.received.length;
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false }), get());
      expect(r.error).toBeUndefined();
      expect(r.response?.status).toBe(200);
      expect(proxy.received).toHaveLength(1);
      expect(proxy.received[0]!.method).toBe('GET');
      expect(proxy.received[0]!.url).toBe(`${origin.url}/v1/me?x=1`);
      const seen = origin.received.slice(before);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(seen[0]!.headers.host).toBe(new URL(origin.url).host);
      // Duplicated headers stay duplicated (undici's ProxyAgent would fold them into one).
      expect(seen[0]!.headers['x-dup']).toBe('one, two');
      expect(seen[0]!.headers.via).toBe('1.1 why401-test-proxy');
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that strips Authorization: the origin never sees it and answers 401', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: true });
    try {
      const before = origin.received.length;
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false }), get());
      expect(r.response?.status).toBe(401);
      expect(proxy.received[0]!.url).toBe(`${origin.url}/v1/me?x=1`);
      expect(proxy.received[0]!.headers.map(([n]) => n.toLowerCase())).toContain('authorization');
      const seen = origin.received.slice(before);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.authorization).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('the same request with a plain Agent (the direct probe) reaches the origin with Authorization', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: true });
    try {
      const r = await through(makeProxyDispatcher(undefined, { insecure: false }), get());
      expect(r.response?.status).toBe(200);
      expect(proxy.received).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('NO_PROXY exempts the target: a plain Agent, the proxy sees nothing', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: true });
    try {
      const p = resolveProxy(get().url, { env: { http_proxy: proxy.url, NO_PROXY: '127.0.0.1' } });
      expect(p).toEqual({ url: proxy.url, source: 'http_proxy', bypassed: true, bypassRule: '127.0.0.1' });
      const r = await through(makeProxyDispatcher(p, { insecure: false }), get());
      expect(r.response?.status).toBe(200);
      expect(proxy.received).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('credentials in the proxy URL become Proxy-Authorization for the proxy only', async () => {
    const proxy = await startForwardProxy({ requireAuth: { user: 'alice', password: 'p@ss:word' } });
    try {
      const before = origin.received.length;
      const url = proxy.url.replace('http://', 'http://alice:p%40ss%3Aword@');
      const r = await through(makeProxyDispatcher(info(url), { insecure: false }), get());
      expect(r.response?.status).toBe(200);
      const pa = proxy.received[0]!.headers.find(([n]) => n.toLowerCase() === 'proxy-authorization');
      expect(pa?.[1]).toBe(`Basic ${Buffer.from('alice:p@ss:word').toString('base64')}`);
      expect(origin.received.slice(before)[0]!.headers['proxy-authorization']).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it("a proxy's 407 stays a response the checks can read", async () => {
    const proxy = await startForwardProxy({ requireAuth: { user: 'alice', password: 'secret' } });
    try {
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false }), get());
      expect(r.error).toBeUndefined();
      expect(r.response?.status).toBe(407);
      expect(r.response?.headers).toContainEqual(['proxy-authenticate', 'Basic realm="proxy"']);
    } finally {
      await proxy.close();
    }
  });

  it('a proxy nobody listens on: a connect error that names the proxy', async () => {
    const proxy = await startForwardProxy();
    const url = proxy.url;
    await proxy.close();
    const r = await through(makeProxyDispatcher(info(url), { insecure: false }), get());
    expect(r.error?.phase).toBe('connect');
    expect(r.error?.code).toBe('ECONNREFUSED');
    expect(r.error?.message).toContain(`proxy ${url}`);
  });

  it('with a route, each origin goes the way curl would send it (NO_PROXY per host)', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: true });
    const other = await startServer((req, res) => originHandler(req, res));
    try {
      // The API host is 127.0.0.1, the other origin is addressed as localhost: NO_PROXY exempts only it.
      const env = { http_proxy: proxy.url, no_proxy: 'localhost' };
      const route = (o: string) => resolveProxy(o, { env });
      const d = makeProxyDispatcher(resolveProxy(get().url, { env }), { insecure: false }, route);
      const otherUrl = `http://localhost:${other.port}/v1/me`;
      const viaProxy = await send(get(), d, AbortSignal.timeout(10_000));
      const direct = await send({ ...get(), url: otherUrl }, d, AbortSignal.timeout(10_000));
      await d.destroy();
      expect(viaProxy.response?.status).toBe(401);
      expect(direct.response?.status).toBe(200);
      expect(proxy.received.map((r) => r.url)).toEqual([`${origin.url}/v1/me?x=1`]);
    } finally {
      await other.close();
      await proxy.close();
    }
  });

  it('a SOCKS proxy is refused with a clear error, not a crash', async () => {
    const r = await through(
      makeProxyDispatcher(info('socks5://127.0.0.1:1', { source: 'ALL_PROXY' }), { insecure: false }),
      get(),
    );
    expect(r.error?.code).toBe('ERR_PROXY_UNSUPPORTED');
    expect(r.error?.message).toContain('socks5:// proxy');
    expect(r.error?.message).toContain('ALL_PROXY');
  });

  it('never puts the proxy password in an error', async () => {
    const r = await through(
      makeProxyDispatcher(info('http://bob:hunter2-secret@127.0.0.1:1'), { insecure: false }),
      get(),
    );
    expect(r.error).toBeDefined();
    expect(JSON.stringify(r)).not.toContain('hunter2-secret');
  });
});

describe('makeProxyDispatcher with an https:// target (CONNECT tunnel)', () => {
  let dir: string;
  let cert: string;
  let server: Server;
  let origin: string;
  const seen: Array<Record<string, string | string[] | undefined>> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'why401-proxy-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      seen.push(req.headers);
      originHandler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (): WireRequest => ({
    method: 'GET',
    url: `${origin}/v1/me`,
    headers: [['Authorization', `Bearer ${TOKEN}`]],
  });

  it('the proxy only sees CONNECT host:port; Authorization travels inside TLS, out of its reach', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: true });
    try {
      const before = seen.length;
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false, ca: cert }), get());
      expect(r.error).toBeUndefined();
      expect(r.response?.status).toBe(200);
      expect(proxy.received).toHaveLength(1);
      expect(proxy.received[0]!.method).toBe('CONNECT');
      expect(proxy.received[0]!.url).toBe(new URL(origin).host);
      expect(proxy.received[0]!.headers.map(([n]) => n.toLowerCase())).not.toContain('authorization');
      expect(seen.slice(before)[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    } finally {
      await proxy.close();
    }
  });

  it('the target certificate is verified inside the tunnel (no CA given: refused; -k: accepted)', async () => {
    const proxy = await startForwardProxy();
    try {
      const strict = await through(makeProxyDispatcher(info(proxy.url), { insecure: false }), get());
      expect(strict.error?.phase).toBe('tls');
      const loose = await through(makeProxyDispatcher(info(proxy.url), { insecure: true }), get());
      expect(loose.response?.status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  it('a CA list that extends the default roots (tls.ts caOptions) verifies too', async () => {
    const proxy = await startForwardProxy();
    try {
      const ca = [...rootCertificates, cert];
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false, ca }), get());
      expect(r.response?.status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  it('a refused CONNECT (407) fails with the status line of the proxy', async () => {
    const proxy = await startForwardProxy({ requireAuth: { user: 'alice', password: 'secret' } });
    try {
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false, ca: cert }), get());
      expect(r.error?.code).toBe('ERR_PROXY_TUNNEL');
      expect(r.error?.phase).toBe('connect');
      expect(r.error?.message).toContain('407 Proxy Authentication Required');
      expect(r.error?.message).toContain(`CONNECT ${new URL(origin).host}`);
    } finally {
      await proxy.close();
    }
  });

  it('with the proxy credentials, CONNECT carries Proxy-Authorization and the request succeeds', async () => {
    const proxy = await startForwardProxy({ requireAuth: { user: 'alice', password: 'secret' } });
    try {
      const url = proxy.url.replace('http://', 'http://alice:secret@');
      const r = await through(makeProxyDispatcher(info(url), { insecure: false, ca: cert }), get());
      expect(r.response?.status).toBe(200);
      expect(proxy.received[0]!.headers).toContainEqual([
        'Proxy-Authorization',
        `Basic ${Buffer.from('alice:secret').toString('base64')}`,
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('a CONNECT refused with 403 is classified as a connect failure, not a timeout', async () => {
    const proxy = await startForwardProxy({ refuseConnect: 403 });
    try {
      const r = await through(makeProxyDispatcher(info(proxy.url), { insecure: false, ca: cert }), get());
      expect(r.error?.code).toBe('ERR_PROXY_TUNNEL');
      expect(classifyError(Object.assign(new Error('x'), { code: 'ERR_PROXY_TUNNEL' })).phase).toBe(
        'connect',
      );
      expect(r.error?.message).toContain('403');
    } finally {
      await proxy.close();
    }
  });
});

describe('the forward proxy of the tests itself', () => {
  let proxy: ForwardProxy;
  beforeAll(async () => {
    proxy = await startForwardProxy();
  });
  afterAll(() => proxy.close());
  it('answers 400 to an origin-form request (it is a proxy, not a server)', async () => {
    const r = await through(makeProxyDispatcher(undefined, { insecure: false }), {
      method: 'GET',
      url: `${proxy.url}/`,
      headers: [],
    });
    expect(r.response?.status).toBe(400);
  });
});
