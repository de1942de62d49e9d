import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_LOCAL_FILES } from '../../src/ui-server/input.js';
import { CLI, runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { api, keyOf } from '../ui-server/raw.js';

/**
 * Issue 14, Deliver 3, what a paste may make why401 do: `$VAR` expands from the environment of
 * the person who runs the CLI, never from the page's server's; `< file`, `cat file |` read files
 * only where the person could (never through the page); a command substitution is never run; a
 * paste that gives curl its input never makes why401 read its own standard input instead. The
 * built CLI and the real `why401 ui`, a recorder on 127.0.0.1.
 */

const dir = mkdtempSync(join(tmpdir(), 'why401-paste-'));
const SECRET = 'server-env-secret-9b1e77';
const MARKER = 'WHY401-PASTE-LOCAL-FILE-3c8d';
let target: TestServer;
let file: string;
let ui: { port: number; key: string; stop(): void };

/** The real `why401 ui --no-open`, with a secret in its own environment. */
async function startUi(): Promise<typeof ui> {
  const child = spawn(process.execPath, [CLI, 'ui', '--no-open'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', WHY401_PASTE_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const link = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no link from why401 ui: ${out}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^why401 ui: (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const { port, key } = await keyOf(link);
  return { port, key, stop: () => child.kill('SIGINT') };
}

beforeAll(async () => {
  file = join(dir, 'local.txt');
  writeFileSync(file, `${MARKER}\n`);
  target = await startServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
  });
  ui = await startUi();
});
afterAll(async () => {
  ui?.stop();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

const diagnoseOnPage = (input: string) => api(ui.port, ui.key, '/api/diagnose', { input });

describe("The page's server expands no variable of its own environment into a request", () => {
  it('$VAR and ${VAR} stay as written, whatever the server has set', async () => {
    target.received.length = 0;
    const r = await diagnoseOnPage(
      `curl '${target.url}/env' -H "Authorization: Bearer $WHY401_PASTE_SECRET" -H "X-Path: \${PATH}"`,
    );
    expect(r.status, r.body.slice(0, 300)).toBe(200);
    const sent = target.received.find((x) => x.url === '/env')!;
    expect(sent.headers.authorization).toBe('Bearer $WHY401_PASTE_SECRET');
    expect(sent.headers['x-path']).toBe('${PATH}');
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain('expanded from the environment');
  });
});

describe("The page reads no local file through a paste's < redirection or a cat pipeline", () => {
  it.each([
    (f: string) => `curl --data-binary @- '${target.url}/in' < ${f}`,
    (f: string) => `curl '${target.url}/in' --json @- 0<${f}`,
    (f: string) => `cat ${f} | curl -d @- '${target.url}/in'`,
    (f: string) => `# a comment\n$ cat ${f} | curl --data-binary @- '${target.url}/in'`,
  ])('%s', async (form) => {
    target.received.length = 0;
    const r = await diagnoseOnPage(form(file));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: NO_LOCAL_FILES });
    expect(target.received).toEqual([]);
    expect(r.body).not.toContain(MARKER);
  });

  it("a heredoc's text is in the paste: the page sends it", async () => {
    target.received.length = 0;
    const r = await diagnoseOnPage(
      `curl --data-binary @- '${target.url}/heredoc' <<'EOF'\nfrom the paste\nEOF`,
    );
    expect(r.status, r.body.slice(0, 300)).toBe(200);
    expect(target.received.find((x) => x.url === '/heredoc')?.body).toBe('from the paste\n');
  });
});

describe('A paste never runs a command', () => {
  it('a header made by $(…) is refused with one line naming it, and nothing runs or is sent', async () => {
    const ran = join(dir, 'ran-header');
    target.received.length = 0;
    const r = await runCli([`curl '${target.url}/sub' -H "X-Request-Id: $(touch ${ran})"`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `why401: the X-Request-Id header is made by $(touch ${ran}), which why401 does not run: run it and paste its output in its place`,
    );
    expect(existsSync(ran)).toBe(false);
    expect(target.received).toEqual([]);
  });

  it('a substitution that does not touch the request is skipped, not run, and named', async () => {
    const ran = join(dir, 'ran-output');
    target.received.length = 0;
    const r = await runCli(['--no-probes', '--no-repairs', `curl -o "\`touch ${ran}\`" '${target.url}/out'`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`touch ${ran}\` is not run (why401 runs no commands)`);
    expect(existsSync(ran)).toBe(false);
    expect(target.received.map((x) => x.url)).toEqual(['/out']);
  });

  it('the same through the page', async () => {
    const ran = join(dir, 'ran-page');
    const r = await diagnoseOnPage(`curl '${target.url}/sub' -H "X-A: $(touch ${ran})"`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(
      /^the X-A header is made by \$\(touch .*\), which why401 does not run/,
    );
    expect(existsSync(ran)).toBe(false);
  });
});

describe('A paste that gives curl its input never makes why401 read its own standard input', () => {
  it.each([
    `curl -d @- '{URL}' <<< 'from-the-paste'`,
    `curl -d @- '{URL}' <<EOF\nfrom-the-paste\nEOF`,
    `echo from-the-paste | curl -d @- '{URL}'`,
  ])('%s', async (paste) => {
    target.received.length = 0;
    const r = await runCli(['--no-probes', '--no-repairs', paste.replace('{URL}', `${target.url}/stdin`)], {
      input: 'STDIN-OF-WHY401',
    });
    expect(r.code).toBe(1);
    expect(target.received.map((x) => x.body)).toEqual(['from-the-paste']);
  });
});
