import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/** Pasted curl commands and curl's file inputs, end to end: what the server received is asserted. */
let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startServer((req, res) => {
    const session = /(?:^|; )sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (req.url?.startsWith('/account')) {
      res.writeHead(
        session === 'live' ? 200 : 302,
        session === 'live' ? {} : { Location: '/login?next=/account' },
      );
      res.end();
      return;
    }
    const ok = req.headers.authorization === 'Bearer good-token-0123456789';
    res.writeHead(ok ? 200 : 401, {
      'Content-Encoding': 'gzip',
      'WWW-Authenticate': ok ? '' : 'Bearer realm="api", error="invalid_token"',
    });
    res.end(gzipSync(JSON.stringify({ ok })));
  });
  dir = mkdtempSync(join(tmpdir(), 'why401-curl-'));
});
afterAll(() => s.close());
const last = () => s.received.filter((r) => !r.url.startsWith('/login'))[0]!;

describe('curl input', () => {
  it("a Chrome 'Copy as cURL (bash)' paste on stdin", async () => {
    const paste = `curl '${s.url}/v1/me' \\\n  -H 'accept: application/json' \\\n  -H $'authorization: Bearer good-token-0123456789' \\\n  -H 'user-agent: Mozilla/5.0' \\\n  --compressed`;
    s.received.length = 0;
    const r = await runCli(['--json', 'curl', '-'], { input: paste });
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.outcome).toBe('ok');
    expect(r.code).toBe(0);
    expect(last().headers.authorization).toBe('Bearer good-token-0123456789');
    expect(last().headers['accept-encoding']).toMatch(/gzip/);
    expect(last().headers['user-agent']).toBe('Mozilla/5.0');
  });

  it('the same paste as one argument, with a bad token', async () => {
    const r = await runCli([
      '--json',
      'curl',
      `curl '${s.url}/v1/me' -H 'Authorization: Bearer bad-token-0123456789'`,
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.status).toBe(401);
    expect(rep.findings[0]?.id).toBe('credentials.rejected');
    expect(r.code).toBe(1);
  });

  it('-H @file reads headers from a file', async () => {
    const file = join(dir, 'headers.txt');
    writeFileSync(file, 'Authorization: Bearer good-token-0123456789\nX-Trace: 1\n');
    s.received.length = 0;
    const r = await runCli([`${s.url}/v1/me`, '-H', `@${file}`, '--json']);
    expect(r.code).toBe(0);
    expect(last().headers.authorization).toBe('Bearer good-token-0123456789');
  });

  it('-b with a cookie jar holding an expired session cookie', async () => {
    const jar = join(dir, 'cookies.txt');
    const past = Math.floor(Date.now() / 1000) - 3 * 3600;
    writeFileSync(
      jar,
      `# Netscape HTTP Cookie File\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t${past}\tsid\tstale-session-value\n`,
    );
    s.received.length = 0;
    const r = await runCli([`${s.url}/account`, '-b', jar, '--json']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(last().headers.cookie).toBeUndefined();
    expect(rep.findings[0]?.id).toBe('session.cookie-expired');
    expect(rep.findings[0]?.title).toMatch(/sid.*3 hours/);
    expect(rep.outcome).toBe('login-required');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('stale-session-value');
  });
});
