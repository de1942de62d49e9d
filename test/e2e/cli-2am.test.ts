import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import type { Report } from '../../src/model/report.js';
import { CLI, runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/**
 * Issue 12 (items 4, 9, 10, 12): the built CLI as a person runs it at 2 am. Every failure is one
 * line on stderr with its own exit code, and nothing is sent for a usage error.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NO_STACK = /\bat .+:\d+:\d+/;

let s: TestServer;
let demo: DemoServer;
let dir: string;
beforeAll(async () => {
  s = await startServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
    res.end();
  });
  demo = await startDemoServer();
  dir = mkdtempSync(join(tmpdir(), 'why401-2am-'));
});
afterAll(async () => {
  await s.close();
  await demo.close();
});

function oneLine(r: { stderr: string }): string {
  expect(r.stderr).not.toMatch(NO_STACK);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('item 4: bad input is not a network failure', () => {
  it.each([
    [['not a url'], 'why401: URL rejected: malformed URL "not a url" (a space in a URL is written %20)'],
    [['ftp://x/y'], 'why401: Protocol "ftp" not supported: why401 diagnoses http:// and https:// requests'],
    [
      ['http://x/api -H Authorization: Bearer abc.def.ghi-secret'],
      `why401: "http://x/api …" looks like a whole command in one argument; use why401 curl '…' with the whole command as its only argument, or quote each part on its own (why401 URL -H 'Name: value')`,
    ],
  ])('%j: one line, exit 2', async (args, line) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r)).toBe(line);
  });

  it('a whole curl command in one argument is read as the paste it is, and the warning says so', async () => {
    s.received.length = 0;
    const r = await runCli([
      '--json',
      `curl '${s.url}/v1/me' -H 'Authorization: Bearer tok-0123456789abcdef'`,
    ]);
    expect(r.code).toBe(1);
    expect(s.received[0]?.headers.authorization).toBe('Bearer tok-0123456789abcdef');
    expect(r.stderr).toContain(
      "why401: warning: the argument holds a whole curl command: it was read as a pasted command (the same as why401 curl '…')",
    );
    expect((JSON.parse(r.stdout) as Report).status).toBe(401);
  });

  it('https:// to a port that speaks plain HTTP says so (exit 3, phase tls)', async () => {
    const r = await runCli([`https://127.0.0.1:${s.port}/v1/me`, '--json', '--no-probes']);
    expect(r.code).toBe(3);
    const rep = JSON.parse(r.stdout) as Report;
    const f = rep.findings[0]!;
    expect(f.id).toBe('network.unreachable');
    expect(f.evidence.some((e) => e.where === 'error.tls')).toBe(true);
    expect(f.detail).toContain(
      `the server at 127.0.0.1:${s.port} answered in plain HTTP, not TLS: use http://`,
    );
    expect(JSON.stringify(rep)).not.toMatch(/wrong version number/i);
  });
});

describe("item 9: why401's own flags", () => {
  it.each([[['--jsno', 'URL']], [['URL', '-H', 'Authorization: Bearer x', '--jsno']], [['URL', '--jsno=1']]])(
    '%j: did you mean --json? (exit 2, nothing sent)',
    async (args) => {
      s.received.length = 0;
      const r = await runCli(args.map((a) => (a === 'URL' ? `${s.url}/v1/me` : a)));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneLine(r)).toBe('why401: unknown option --jsno; did you mean --json?');
      expect(s.received).toHaveLength(0);
    },
  );

  it('before the URL, a flag neither ours nor curl’s is a usage error; a curl flag there is curl’s', async () => {
    const r = await runCli(['--frobnicate', `${s.url}/v1/me`]);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(
      "why401: unknown option --frobnicate (not one of why401's options, nor a curl flag: see why401 --help)",
    );
    const curlFirst = await runCli([
      '--compressed',
      '-H',
      'Authorization: Bearer x',
      `${s.url}/v1/me`,
      '--json',
    ]);
    expect(curlFirst.code).toBe(1);
  });

  it('after the URL an unknown flag is curl’s: a warning on stderr with --json too, and the request goes', async () => {
    const r = await runCli([`${s.url}/v1/me`, '--frobnicate', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('why401: warning: unknown curl flag --frobnicate ignored');
    // curl flags near ours (--json's neighbours) stay curl's: --data-raw, --proto, --quote.
    const c = await runCli([`${s.url}/v1/me`, '--proto', '=https', '--json']);
    expect(c.stderr).not.toMatch(/unknown option/);
  });

  it.each(['har', 'diff', 'guide', 'demo', 'token', 'echo', 'ui', 'curl'])(
    'why401 %s --help: its own help, with examples',
    async (cmd) => {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^why401 ${cmd}: `));
      expect(r.stdout).toMatch(/\nExamples\n {2}why401 /);
    },
  );

  it('why401 --help lists exit code 4, --origin, --issuer, --no-repairs, --save-evidence and the token command', async () => {
    const r = await runCli(['--help']);
    for (const s of [
      '  4  a bug in why401 itself',
      '--origin <url>',
      '--issuer <url>',
      '--no-repairs',
      '--save-evidence <file>',
      'why401 token <jwt|@file|->',
    ])
      expect(r.stdout).toContain(s);
  });

  it.runIf(spawnSync('script', ['--version']).status === 0)(
    'why401 curl - on a terminal says how to end the paste',
    () => {
      const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI} --offline curl -`, '/dev/null'], {
        input: `curl ${s.url}/v1/me\n\x04`,
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      });
      expect(r.stdout).toContain('Paste the command, then Ctrl-D');
    },
  );
});

describe('item 10: why401 demo --serve prints commands that run as printed', () => {
  it('the first printed command, run in a shell from the clone, diagnoses its endpoint', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--serve'], {
      cwd: ROOT,
      env: { PATH: '/usr/bin:/bin', NO_COLOR: '1' },
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no command printed: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/\n(node|why401) .*\n/.test(out)) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const cmd = /\n((?:node|why401) .*)\n/.exec(out)![1]!;
      expect(cmd).toMatch(/^node dist\/bin\/main\.js http:\/\/127\.0\.0\.1:\d+\/api\//);
      const run = spawnSync('sh', ['-c', `${cmd} --json`], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: `${process.execPath.replace(/\/node$/, '')}:/usr/bin:/bin`, NO_COLOR: '1' },
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      expect((JSON.parse(run.stdout) as Report).findings[0]?.id).toBe('token.expired');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('item 12: --save-evidence, then --from', () => {
  it.each(['/api/expired', '/api/redirect', '/app/dashboard', '/api/basic', '/api/id-token', '/api/dpop'])(
    '%s: the same first cause, no secret in the file',
    async (path) => {
      const e = demo.endpoints.find((x) => x.path === path);
      if (!e) return;
      const file = join(dir, `${path.replace(/\W/g, '_')}.json`);
      const args = [
        e.request.url,
        ...(e.request.follow ? ['-L'] : []),
        '-X',
        e.request.method,
        ...e.request.headers.flatMap(([n, v]) => ['-H', `${n}: ${v}`]),
      ];
      const first = await runCli(['--save-evidence', file, '--json', ...args]);
      expect(first.stderr).toContain(`why401: wrote the evidence to ${file}`);
      const again = await runCli(['--from', file, '--json']);
      expect(again.code).toBe(first.code);
      const cause = (r: string) => (JSON.parse(r) as Report).findings.find((f) => f.kind === 'cause')?.id;
      expect(cause(again.stdout)).toBe(cause(first.stdout));
      expect(cause(again.stdout)).toBe(e.expect || undefined);
      const saved = readFileSync(file, 'utf8');
      expect((JSON.parse(saved) as { version: number }).version).toBe(1);
      for (const [name, value] of e.request.headers) {
        const creds = /^cookie$/i.test(name)
          ? value.split(';').map((c) => c.slice(c.indexOf('=') + 1).trim())
          : /^(authorization|dpop)$/i.test(name)
            ? [value.replace(/^\s*\S+\s+/, '')]
            : [];
        for (const cred of creds) {
          // A JWT keeps its header and claims: its signature is the secret.
          const secret = cred.split('.').length === 3 ? cred.split('.')[2]! : cred;
          if (secret.length >= 8 && !secret.startsWith('$')) expect(saved).not.toContain(secret);
        }
      }
    },
  );

  it('--from on a --json report names the file it expected', async () => {
    const report = join(dir, 'report.json');
    writeFileSync(report, (await runCli([`${s.url}/v1/me`, '--json'])).stdout);
    const r = await runCli(['--from', report]);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(
      `why401: ${report} is a why401 report (--json), not saved evidence: write evidence with --save-evidence FILE`,
    );
  });
});
