import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import {
  connect as netConnect,
  createServer as createNetServer,
  type AddressInfo,
  type Socket,
} from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchInterceptor } from '../../src/knowledge/tls-interceptors.js';
import type { TlsInfo } from '../../src/model/evidence.js';
import { caOptions, formatDn, inspectTls } from '../../src/probe/tls.js';
import { makeTestCerts, opensslVersion, type KeyPair, type TestCerts } from '../support/certs.js';

const hasOpenssl = opensslVersion() !== undefined;

interface Tls {
  url: string;
  port: number;
  /** Server-side sockets still open. */
  open: () => number;
  close: () => Promise<void>;
}

/** An https server on 127.0.0.1 presenting `cert` (plus `extra` certificates in the chain). */
async function serve(pair: KeyPair, extra: string[] = [], alpn = ['http/1.1']): Promise<Tls> {
  const sockets = new Set<Socket>();
  const server: HttpsServer = createHttpsServer(
    { key: pair.key, cert: [pair.cert, ...extra].join(''), ALPNProtocols: alpn },
    (_q, res) => res.end('ok'),
  );
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/v1/me`,
    port,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function info(r: TlsInfo | { error: unknown }): TlsInfo {
  if ('error' in r) throw new Error(`expected a TLS session, got ${JSON.stringify(r.error)}`);
  return r;
}

const signal = () => AbortSignal.timeout(10_000);
const settle = () => new Promise((r) => setTimeout(r, 50));

describe.skipIf(!hasOpenssl)('inspectTls against local https servers', () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = makeTestCerts()!;
  });
  afterAll(() => certs?.cleanup());

  it('reads the chain of an interception-like root that Node does not trust, and names the product', async () => {
    const s = await serve(certs.leaf, [certs.root.cert]);
    try {
      const t = info(await inspectTls(s.url, { insecure: false, signal: signal() }));
      expect(t.authorized).toBe(false);
      expect(t.authorizationError).toBe('SELF_SIGNED_CERT_IN_CHAIN');
      expect(t.protocol).toBe('TLSv1.3');
      expect(t.alpn).toBe('http/1.1');
      expect(t.chain).toHaveLength(2);
      const [leaf, root] = t.chain;
      expect(leaf).toMatchObject({
        subject: 'CN=localhost, O=Example API',
        issuer: 'CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US',
        subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
        selfSigned: false,
      });
      expect(leaf!.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(Date.parse(leaf!.validTo) - Date.parse(leaf!.validFrom)).toBe(30 * 86_400_000);
      expect(leaf!.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(root).toMatchObject({ subject: leaf!.issuer, issuer: leaf!.issuer, selfSigned: true });
      expect(matchInterceptor(t.chain, '127.0.0.1')).toMatchObject({
        id: 'zscaler',
        product: 'Zscaler',
        certainty: 'observed',
      });
      await settle();
      expect(s.open()).toBe(0); // the probe closed its connection
    } finally {
      await s.close();
    }
  });

  it('`ca` makes the same chain authorized, by IP address and by name (SNI)', async () => {
    const s = await serve(certs.leaf, [certs.root.cert]);
    try {
      const byIp = info(await inspectTls(s.url, { insecure: false, ca: certs.root.cert, signal: signal() }));
      expect(byIp).toMatchObject({ authorized: true });
      expect(byIp.authorizationError).toBeUndefined();
      const byName = info(
        await inspectTls(`https://localhost:${s.port}/`, {
          insecure: false,
          ca: certs.root.cert,
          signal: signal(),
        }),
      );
      expect(byName.authorized).toBe(true);
      expect(byName.chain[0]!.subject).toBe('CN=localhost, O=Example API');
    } finally {
      await s.close();
    }
  });

  it('offers h2 and reports what the server chose', async () => {
    const s = await serve(certs.leaf, [certs.root.cert], ['h2', 'http/1.1']);
    try {
      expect(info(await inspectTls(s.url, { insecure: false, signal: signal() })).alpn).toBe('h2');
    } finally {
      await s.close();
    }
  });

  it('a server that sends its leaf only: Node completes the chain from `ca`, and cannot without it', async () => {
    const s = await serve(certs.leaf);
    try {
      const bare = info(await inspectTls(s.url, { insecure: false, signal: signal() }));
      expect(bare).toMatchObject({
        authorized: false,
        authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      expect(bare.chain).toHaveLength(1);
      const trusted = info(
        await inspectTls(s.url, { insecure: false, ca: certs.root.cert, signal: signal() }),
      );
      expect(trusted.authorized).toBe(true);
      expect(trusted.chain.map((c) => c.subject)).toEqual([
        'CN=localhost, O=Example API',
        'CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US',
      ]);
    } finally {
      await s.close();
    }
  });

  it('an expired leaf: CERT_HAS_EXPIRED, with its dates', async () => {
    const s = await serve(certs.expired, [certs.root.cert]);
    try {
      const t = info(await inspectTls(s.url, { insecure: false, ca: certs.root.cert, signal: signal() }));
      expect(t).toMatchObject({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED' });
      expect(t.chain[0]).toMatchObject({
        validFrom: '2020-01-01T00:00:00.000Z',
        validTo: '2020-02-01T00:00:00.000Z',
      });
    } finally {
      await s.close();
    }
  });

  it('a leaf not valid yet: CERT_NOT_YET_VALID', async () => {
    const s = await serve(certs.notYetValid, [certs.root.cert]);
    try {
      const t = info(await inspectTls(s.url, { insecure: false, ca: certs.root.cert, signal: signal() }));
      expect(t).toMatchObject({ authorized: false, authorizationError: 'CERT_NOT_YET_VALID' });
      expect(t.chain[0]!.validFrom).toBe('2090-01-01T00:00:00.000Z');
    } finally {
      await s.close();
    }
  });

  it('a certificate for another host: ERR_TLS_CERT_ALTNAME_INVALID, with the names it does carry', async () => {
    const s = await serve(certs.wrongHost, [certs.root.cert]);
    try {
      const t = info(await inspectTls(s.url, { insecure: false, ca: certs.root.cert, signal: signal() }));
      expect(t).toMatchObject({ authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      expect(t.chain[0]!.subjectAltNames).toEqual(['DNS:api.other.example', 'DNS:*.other.example']);
    } finally {
      await s.close();
    }
  });

  it('a self-signed leaf: DEPTH_ZERO_SELF_SIGNED_CERT, a chain of one', async () => {
    const s = await serve(certs.selfSigned);
    try {
      const t = info(await inspectTls(s.url, { insecure: true, signal: signal() }));
      expect(t).toMatchObject({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(t.chain).toHaveLength(1);
      expect(t.chain[0]).toMatchObject({ subject: 'CN=localhost, O=Acme Dev', selfSigned: true });
      expect(matchInterceptor(t.chain)).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('through an http proxy with CONNECT, credentials as Proxy-Authorization', async () => {
    const s = await serve(certs.leaf, [certs.root.cert]);
    const seen: Array<{ url: string; auth: string | undefined }> = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      seen.push({ url: req.url ?? '', auth: req.headers['proxy-authorization'] });
      if (req.headers['proxy-authorization'] === undefined) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
        return;
      }
      const [host, port] = (req.url ?? '').split(':');
      const upstream = netConnect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const proxyUrl = `http://u%40corp:p%3Ass@127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const t = info(await inspectTls(s.url, { insecure: false, proxy: proxyUrl, signal: signal() }));
      expect(t.authorizationError).toBe('SELF_SIGNED_CERT_IN_CHAIN');
      expect(matchInterceptor(t.chain)?.id).toBe('zscaler');
      expect(seen[0]).toEqual({
        url: `127.0.0.1:${s.port}`,
        auth: `Basic ${Buffer.from('u@corp:p:ss').toString('base64')}`,
      });
      const refused = await inspectTls(s.url, {
        insecure: false,
        proxy: proxyUrl.replace('u%40corp:p%3Ass@', ''),
        signal: signal(),
      });
      expect(refused).toMatchObject({ error: { phase: 'connect', code: 'PROXY_CONNECT_REFUSED' } });
      expect((refused as { error: { message: string } }).error.message).toMatch(/407/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      await s.close();
    }
  });

  it('caOptions(pem) is what undici needs: the default roots plus the given CA', async () => {
    expect(caOptions()).toEqual({});
    expect(caOptions('  ')).toEqual({});
    const opts = caOptions(certs.root.cert, {});
    expect(opts.ca).toHaveLength(rootCertificates.length + 1);
    expect(opts.ca!.at(-1)).toBe(certs.root.cert);
    // NODE_EXTRA_CA_CERTS would be lost with an explicit `ca`: it is added back.
    const extraFile = join(certs.dir, 'extra.pem');
    writeFileSync(extraFile, certs.selfSigned.cert);
    const withExtra = caOptions(certs.root.cert, { NODE_EXTRA_CA_CERTS: extraFile });
    expect(withExtra.ca).toHaveLength(rootCertificates.length + 2);
    expect(withExtra.ca).toContain(certs.selfSigned.cert);

    const s = await serve(certs.leaf, [certs.root.cert]);
    const plain = new Agent();
    const trusting = new Agent({ connect: { ...caOptions(certs.root.cert) } });
    try {
      await expect(request(`https://localhost:${s.port}/`, { dispatcher: plain })).rejects.toMatchObject({
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
      });
      const r = await request(`https://localhost:${s.port}/`, { dispatcher: trusting });
      expect(r.statusCode).toBe(200);
      expect(await r.body.text()).toBe('ok');
    } finally {
      await plain.close();
      await trusting.close();
      await s.close();
    }
  });
});

describe('inspectTls failures', () => {
  it('nothing listening: a connect error', async () => {
    const srv = createNetServer();
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const r = await inspectTls(`https://127.0.0.1:${port}/`, { insecure: false, signal: signal() });
    expect(r).toMatchObject({ error: { phase: 'connect', code: 'ECONNREFUSED' } });
  });

  it('a server that never answers the handshake: a timeout, and the socket is closed', async () => {
    const accepted: Socket[] = [];
    const srv = createNetServer((sock) => {
      accepted.push(sock);
      sock.resume(); // read, so that the client's close is seen
    });
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as AddressInfo).port;
    try {
      const t0 = Date.now();
      const r = await inspectTls(`https://127.0.0.1:${port}/`, {
        insecure: false,
        signal: signal(),
        timeoutMs: 300,
      });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r).toMatchObject({ error: { phase: 'timeout', code: 'ETIMEDOUT' } });
      expect(accepted).toHaveLength(1);
      if (!accepted[0]!.closed) await once(accepted[0]!, 'close');
      expect(accepted[0]!.closed).toBe(true);
    } finally {
      for (const a of accepted) a.destroy();
      await new Promise((r) => srv.close(r));
    }
  });

  it('the run is aborted: aborted, promptly', async () => {
    const srv = createNetServer(() => undefined);
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as AddressInfo).port;
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const r = await inspectTls(`https://127.0.0.1:${port}/`, {
        insecure: false,
        signal: ac.signal,
        timeoutMs: 5000,
      });
      expect(r).toMatchObject({ error: { phase: 'aborted' } });
      const already = await inspectTls(`https://127.0.0.1:${port}/`, {
        insecure: false,
        signal: AbortSignal.abort(),
      });
      expect(already).toMatchObject({ error: { phase: 'aborted' } });
    } finally {
      srv.close();
    }
  });

  it('plain HTTP on the port: a TLS error', async () => {
    const srv = createHttpServer((_q, res) => res.end('plain'));
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as AddressInfo).port;
    try {
      const r = await inspectTls(`https://127.0.0.1:${port}/`, { insecure: false, signal: signal() });
      expect(r).toHaveProperty('error');
      expect(r).toMatchObject({ error: { phase: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER' } });
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
    }
  });

  it('not https, or not a URL: refused without a connection', async () => {
    expect(await inspectTls('http://example.com/', { insecure: false, signal: signal() })).toMatchObject({
      error: { phase: 'refused-by-tool', code: 'NOT_HTTPS' },
    });
    expect(await inspectTls('::nope', { insecure: false, signal: signal() })).toMatchObject({
      error: { phase: 'refused-by-tool', code: 'INVALID_URL' },
    });
  });
});

describe('formatDn', () => {
  it('writes CN first, then OU, O, L, ST, C, then the rest; repeated attributes repeat; values escaped', () => {
    expect(
      formatDn({
        C: 'SK',
        O: 'ESET, spol. s r. o.',
        CN: 'ESET SSL Filter CA',
        emailAddress: 'a@b.c',
        OU: ['x', 'y'],
      }),
    ).toBe('CN=ESET SSL Filter CA, OU=x, OU=y, O=ESET\\, spol. s r. o., C=SK, emailAddress=a@b.c');
    expect(formatDn(undefined)).toBe('');
  });
});
