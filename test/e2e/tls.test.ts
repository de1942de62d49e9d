import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { makeTestCerts, type KeyPair, type TestCerts } from '../support/certs.js';

/** TLS end to end: real https servers presenting an interception product's chain, or a broken certificate. */
const certs: TestCerts | undefined = makeTestCerts();
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  certs?.cleanup();
});

async function httpsServer(pair: KeyPair, chain: string[] = []): Promise<string> {
  const s = createServer({ cert: [pair.cert, ...chain].join('\n'), key: pair.key }, (req, res) => {
    res.writeHead(req.headers.authorization ? 200 : 401, { 'WWW-Authenticate': 'Bearer realm="api"' });
    res.end('{}');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
  return `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe.skipIf(!certs)('TLS', () => {
  let intercepted: string;
  beforeAll(async () => {
    intercepted = await httpsServer(certs!.leaf, [certs!.root.cert]);
  });

  it('a chain re-signed by an interception product: network.tls-intercepted names it (with -k)', async () => {
    const r = await runCli([
      `${intercepted}/me`,
      '-k',
      '-H',
      'Authorization: Bearer tok-abcdefghijklmnop',
      '--json',
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    const f = rep.findings.find((x) => x.id === 'network.tls-intercepted')!;
    expect(f.title).toMatch(/Zscaler/);
    expect(f.kind).toBe('warning');
  });

  it('without -k the handshake fails: the cause names the product', async () => {
    const r = await runCli([
      `${intercepted}/me`,
      '-H',
      'Authorization: Bearer tok-abcdefghijklmnop',
      '--json',
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(3);
    expect(rep.findings[0]?.id).toBe('network.tls-intercepted');
    expect(rep.findings.some((x) => x.id === 'network.unreachable')).toBe(true);
  });

  it('--cacert with the root makes the chain trusted', async () => {
    const file = join(certs!.dir, 'root.pem');
    writeFileSync(file, certs!.root.cert);
    const r = await runCli([
      `${intercepted}/me`,
      '--cacert',
      file,
      '-H',
      'Authorization: Bearer tok-abcdefghijklmnop',
      '--json',
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.status).toBe(200);
  });

  it('an expired certificate is explained with its dates', async () => {
    const url = await httpsServer(certs!.expired, [certs!.root.cert]);
    const r = await runCli([`${url}/me`, '--json']);
    const rep = JSON.parse(r.stdout) as Report;
    const f = rep.findings.find((x) => x.id === 'network.unreachable')!;
    expect(`${f.title} ${f.detail}`).toMatch(/expired/i);
    expect(`${f.title} ${f.detail}`).toMatch(/2020/);
  });
});
