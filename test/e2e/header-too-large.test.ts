import { existsSync } from 'node:fs';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { CLI, runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { nginxBinary, nginxVersion, startNginx, type RunningNginx } from '../support/nginx.js';

/**
 * A 40 KB JWT (760 group ids in `groups`) against real servers, the built CLI run as a child
 * process (`npm run build` first): Debian's nginx in front of a node:http application answers 400
 * "Request Header Or Cookie Too Large" (one header line over `large_client_header_buffers 4 8k`),
 * and a bare node:http server answers its canned 431 (over `--max-http-header-size`, 16 KiB). Both
 * must give `header.too-large` first, exit 1, with the sizes and the limit named and the token
 * nowhere in the output.
 */

const BIN = nginxBinary();
const VERSION = nginxVersion(BIN) ?? 'nginx not installed';
if (!BIN)
  console.warn(
    'test/e2e/header-too-large.test.ts: the nginx case is skipped, nginx is not installed (apt-get install -y nginx-light)',
  );

let jwt = '';
let app: TestServer;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
  const { privateKey } = await generateKeyPair('RS256');
  const groups = Array.from(
    { length: 760 },
    (_, i) => `5f3c2a9e-41b7-4c8d-9e0f-${String(i).padStart(12, '0')}`,
  );
  // No `iss`: the run stays on this machine (an issuer would be asked for its discovery document).
  jwt = await new SignJWT({ groups, scope: 'read' })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })
    .setSubject('u1')
    .setAudience('api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  expect(jwt.length).toBeGreaterThan(38_000);
  expect(jwt.length).toBeLessThan(44_000);
  // The application: RFC 6750 without a token it knows. It never sees the big one.
  app = await startServer((_req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="api"', 'content-type': 'application/json' });
    res.end('{"error":"unauthorized"}');
  });
});

afterAll(async () => {
  await app?.close();
});

async function diagnose(url: string): Promise<{ code: number; text: string; report: Report }> {
  const auth = `Authorization: Bearer ${jwt}`;
  const [text, json] = await Promise.all([runCli([url, '-H', auth]), runCli([url, '-H', auth, '--json'])]);
  expect(text.stderr).toBe('');
  expect(json.stderr).toBe('');
  for (const out of [text.stdout, json.stdout]) {
    expect(out).not.toContain(jwt);
    // No piece of the token either: its payload (the groups) or its signature.
    expect(out).not.toContain(jwt.split('.')[1]!.slice(100, 160));
    expect(out).not.toContain(jwt.split('.')[2]!.slice(0, 40));
    expect(out).not.toContain('5f3c2a9e-41b7');
  }
  expect(json.code).toBe(text.code);
  return { code: text.code, text: text.stdout, report: JSON.parse(json.stdout) as Report };
}

const firstCause = (r: Report) => r.findings.find((f) => f.kind === 'cause');

describe.skipIf(!BIN)(`nginx in front of node:http (${VERSION})`, () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx({ upstream: app.url, locations: 'pass' });
  });
  afterAll(async () => {
    await nginx?.close();
  });

  it("400 Request Header Or Cookie Too Large: header.too-large first, with the sizes and nginx's limit", async () => {
    const before = app.received.length;
    const { code, text, report } = await diagnose(`${nginx.url}/pass/me`);
    expect(report.status).toBe(400);
    expect(code).toBe(1);
    const f = firstCause(report)!;
    expect(f).toMatchObject({ id: 'header.too-large', confidence: 'confirmed', step: 3 });
    expect(f.title).toMatch(
      /^nginx refused the request because its headers are too large \(Authorization: 3\d\.\d KiB\)$/,
    );
    expect(f.detail).toContain('"Request Header Or Cookie Too Large"');
    expect(f.detail).toContain('`large_client_header_buffers`');
    expect(f.detail).toContain('8 KiB per header');
    expect(f.detail).toMatch(/`groups` with 760 entries/);
    expect(f.fix).toContain('large_client_header_buffers 4 64k;');
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        where: 'request.header.authorization',
        value: expect.stringMatching(/bytes/) as unknown,
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        where: 'response.header.server',
        value: expect.stringMatching(/^nginx/) as unknown,
      }),
    );
    // The text names it too.
    expect(text).toContain('[header.too-large · confirmed · step 3]');
    // The report wraps to 80 columns when piped: compare the words, not the line breaks.
    expect(text.replace(/\s+/g, ' ')).toMatch(/Authorization at 3\d\.\d KiB \(\d\d,\d\d\d bytes\)/);
    // nginx refused the head itself: the application never saw the big request.
    expect(
      app.received.slice(before).every((r) => !String(r.headers.authorization ?? '').includes(jwt)),
    ).toBe(true);
  });
});

describe('a bare node:http server', () => {
  it('its canned 431: header.too-large first, with the sizes and the 16 KiB of --max-http-header-size', async () => {
    const { code, text, report } = await diagnose(`${app.url}/me`);
    expect(report.status).toBe(431);
    expect(code).toBe(1);
    const f = firstCause(report)!;
    expect(f).toMatchObject({ id: 'header.too-large', confidence: 'confirmed' });
    expect(f.title).toMatch(/^Node\.js refused the request because its headers are too large/);
    expect(f.detail).toContain('431 Request Header Fields Too Large');
    expect(f.detail).toContain('16 KiB');
    expect(f.detail).toMatch(/the whole head \(\d\d,\d\d\d bytes\) is 2\.\d times its 16 KiB/);
    expect(f.fix).toContain('--max-http-header-size=65536');
    expect(f.fix).toContain('`groups` carries 760 entries');
    expect(text).toContain('[header.too-large · confirmed · step 3]');
    expect(text).toMatch(/The request's head was 3\d\.\d KiB/);
  });
});
