import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/render/html.js';
import { runCli } from '../support/cli.js';
import { FAKE_SECRETS } from '../support/har-scenarios.js';
import { startServer, type TestServer } from '../support/http-server.js';

/**
 * `--html FILE` with the built CLI: the file is written beside the normal output, holds the
 * diagnosis, and carries no raw secret (a canary token sent by the test, the HAR's fake tokens).
 */
const CANARY = 'CANARYhtml5e1d7c03b9aa42';
// An expired JWT (exp 1) whose signature is the canary.
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.${CANARY}`;

let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startServer((req, res) => {
    res.writeHead(401, {
      'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
      'Set-Cookie': `sid=${CANARY}; HttpOnly`,
      'X-Request-Id': 'req-html-1',
      'Content-Type': 'application/json',
    });
    // A hostile server echoing the credentials back.
    res.end(JSON.stringify({ echoed: req.headers.authorization, note: '<script>alert(1)</script>' }));
  });
  dir = mkdtempSync(join(tmpdir(), 'why401-html-'));
});
afterAll(() => s.close());

function firstCauseTitle(json: string): string {
  const r = JSON.parse(json) as { findings: Array<{ kind: string; title: string }> };
  return r.findings.find((f) => f.kind === 'cause')!.title;
}

describe('--html FILE', () => {
  it('writes the diagnosis of a request as a self-contained page, and still prints the report', async () => {
    const out = join(dir, 'report.html');
    const args = [`${s.url}/v1/me`, '-H', `Authorization: Bearer ${JWT}`, '-b', `sid=${CANARY}`];
    const r = await runCli(['--html', out, ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Why \[/m);
    expect(r.stderr).toContain(`wrote ${out}`);
    expect(existsSync(out)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o644 & ~process.umask());
    const html = readFileSync(out, 'utf8');
    const json = await runCli(['--json', ...args]);
    expect(html).toContain(escapeHtml(firstCauseTitle(json.stdout)));
    expect(html).toContain('req-html-1');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toContain('<script');
    for (const secret of [CANARY, JWT]) expect(html).not.toContain(secret);
  });

  it('writes the report of why401 token', async () => {
    const out = join(dir, 'token.html');
    const r = await runCli(['token', JWT, '--offline', '--html', out]);
    expect(r.stderr).toContain(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('why401 token');
    expect(html).not.toContain(CANARY);
  });

  it('writes the HAR report of why401 har', async () => {
    const out = join(dir, 'har.html');
    const file = 'test/fixtures/har/refresh-loop.har';
    const r = await runCli(['har', file, '--html', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Session diagnosis');
    expect(r.stderr).toContain(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    const json = await runCli(['har', file, '--json']);
    expect(html).toContain(escapeHtml(firstCauseTitle(json.stdout)));
    expect(html).toContain('session.refresh-loop');
    const secrets = FAKE_SECRETS.flatMap((x) => (x.split('.').length === 3 ? [x, x.split('.')[2]!] : [x]));
    for (const secret of secrets) expect(html).not.toContain(secret);
  });

  it('a file that cannot be written is one line of usage error', async () => {
    const r = await runCli([
      'har',
      'test/fixtures/har/refresh-loop.har',
      '--html',
      join(dir, 'no-such-dir', 'x.html'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot write the HTML report');
  });
});
