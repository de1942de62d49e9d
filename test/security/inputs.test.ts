import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { api, exchange, keyOf, LINK } from '../ui-server/raw.js';

/**
 * Issue 13, "Bounded inputs" and "Safe files": every whole input read by the CLI is capped,
 * stdin and devices too; the page reads no local file whatever the flag; `har --sanitize`
 * never destroys its input; the page's key is on no command line. The built CLI, real files,
 * real servers on 127.0.0.1.
 */

const dir = mkdtempSync(join(tmpdir(), 'why401-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAP_LINE = 'why401 reads at most 16 MiB from one input';
const MAX_RSS_KB = 300 * 1024;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The child's peak resident set (VmHWM), sampled until it exited. */
  peakRssKb: number;
}

/** The built CLI as a child process, stdin from `stdin` (a file descriptor), stopped after 20 s. */
function run(args: string[], o: { stdin?: number; nodeArgs?: string[] } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child: ChildProcess = spawn(process.execPath, [...(o.nodeArgs ?? []), CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: [o.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakRssKb = 0;
    const sample = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakRssKb = Math.max(peakRssKb, Number(m[1]));
      } catch {
        // gone already
      }
    }, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('close', (code) => {
      clearInterval(sample);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, peakRssKb });
    });
  });
}

function expectCapped(r: Run, line: string): void {
  expect(r.stderr).toBe(`why401: ${line}\n`);
  expect(r.code).toBe(2);
  expect(r.ms).toBeLessThan(20_000);
  expect(r.peakRssKb).toBeLessThan(MAX_RSS_KB);
}

describe.runIf(process.platform === 'linux')(
  'The 16 MiB input cap holds for files but not for stdin or devices',
  () => {
    const STDIN = `standard input is larger than 16 MiB; ${CAP_LINE}`;
    const ZERO = `file /dev/zero is larger than 16 MiB; ${CAP_LINE}`;
    const withZero = async (args: string[]) => {
      const fd = openSync('/dev/zero', 'r');
      try {
        return await run(args, { stdin: fd });
      } finally {
        closeSync(fd);
      }
    };

    it('why401 curl - < /dev/zero', async () => {
      expectCapped(await withZero(['curl', '-']), STDIN);
    });

    it('why401 token - < /dev/zero', async () => {
      expectCapped(await withZero(['token', '-']), STDIN);
    });

    it('--data @/dev/zero, -H @/dev/zero, --data-urlencode name@/dev/zero, --url-query @/dev/zero', async () => {
      for (const flags of [
        ['--data', '@/dev/zero'],
        ['-H', '@/dev/zero'],
        ['--data-urlencode', 'name@/dev/zero'],
        ['--url-query', '@/dev/zero'],
        ['-b', '/dev/zero'],
        ['--cacert', '/dev/zero'],
      ])
        expectCapped(await run(['http://127.0.0.1:9/', ...flags]), ZERO);
    });

    it('-d @- with /dev/zero on stdin, and --from /dev/zero', async () => {
      expectCapped(await withZero(['http://127.0.0.1:9/', '-d', '@-']), STDIN);
      expectCapped(
        await run(['--from', '/dev/zero']),
        `evidence file /dev/zero is larger than 16 MiB; ${CAP_LINE}`,
      );
    });

    it('why401 guide reads its answers from /dev/zero: one line, exit 2', async () => {
      // readline buffers a line until its newline: without a cap the answers grew to a RangeError.
      const server = createServer((_req, res) => {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as AddressInfo).port;
        const r = await withZero(['guide', `http://127.0.0.1:${port}/`, '-H', 'Authorization: Bearer abc']);
        expect(r.stderr).toMatch(
          /\nwhy401: an answer on standard input is longer than 4096 bytes: answer y, n or an empty line\n$/,
        );
        expect(r.code).toBe(2);
        expect(r.ms).toBeLessThan(20_000);
        expect(r.peakRssKb).toBeLessThan(MAX_RSS_KB);
      } finally {
        server.close();
      }
    });

    it('a FIFO that never ends', async () => {
      const fifo = join(dir, 'endless.fifo');
      await new Promise<void>((resolve, reject) =>
        spawn('mkfifo', [fifo]).once('exit', (c) => (c === 0 ? resolve() : reject(new Error('mkfifo')))),
      );
      // A writer that goes on until the reader closes its end (then SIGPIPE ends it).
      const writer = spawn('sh', ['-c', `exec yes why401 > '${fifo}'`], { stdio: 'ignore' });
      try {
        expectCapped(
          await run(['http://127.0.0.1:9/', '--data-binary', `@${fifo}`]),
          `file ${fifo} is larger than 16 MiB; ${CAP_LINE}`,
        );
      } finally {
        writer.kill('SIGKILL');
      }
    });

    it('a regular file past the cap is refused before it is read', async () => {
      const big = join(dir, 'big.bin');
      const fd = openSync(big, 'w');
      closeSync(fd);
      // Sparse: 17 MiB that take no disk space.
      const { truncateSync } = await import('node:fs');
      truncateSync(big, 17 * 1024 * 1024);
      expectCapped(
        await run(['token', `@${big}`]),
        `token file ${big} is larger than 16 MiB (17825792 bytes); ${CAP_LINE}`,
      );
    });
  },
);

/** The real `why401 ui --no-open`, its port and key (the printed link's ticket traded for it). */
async function startUi(): Promise<{ port: number; key: string; stop(): void }> {
  const child = spawn(process.execPath, [CLI, 'ui', '--no-open'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
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

describe('The page refuses local files in pasted commands, but `--url-query @FILE` (and other `@file` forms) still read them', () => {
  const MARKER = 'WHY401-LOCAL-FILE-MARKER-6f1c';
  let ui: Awaited<ReturnType<typeof startUi>>;
  let target: Server;
  let targetUrl: string;
  const received: string[] = [];
  let file: string;

  beforeAll(async () => {
    file = join(dir, 'local.txt');
    writeFileSync(file, `${MARKER}\n`);
    target = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/api`;
    ui = await startUi();
  });
  afterAll(async () => {
    ui?.stop();
    target?.closeAllConnections();
    await new Promise((r) => target?.close(r));
  });

  const forms = (f: string): string[] => [
    `--url-query @${f}`,
    `--url-query name@${f}`,
    `--data-urlencode @${f}`,
    `--data-urlencode name@${f}`,
    `-d @${f}`,
    `--data-ascii @${f}`,
    `--data-binary @${f}`,
    `--json @${f}`,
    `--expand-data @${f}`,
    `-H @${f}`,
    `-b ${f}`,
    `--cookie=${f}`,
    `--cacert ${f}`,
    `-G -d @${f}`,
    '-d @-',
  ];

  it('the page API refuses every form, and no request carries the file', async () => {
    for (const form of forms(file)) {
      const r = await api(ui.port, ui.key, '/api/diagnose', { input: `curl '${targetUrl}' ${form}` });
      expect(r.status, form).toBe(400);
      expect((JSON.parse(r.body) as { error: string }).error, form).toMatch(
        /^the web page does not read local files/,
      );
    }
    // Every refusal comes before anything is sent: the test server saw nothing at all.
    expect(received.filter((x) => x.includes(MARKER))).toEqual([]);
    expect(received).toEqual([]);
  }, 60_000);

  it('the same commands still read the file in a terminal (the CLI has a reader)', async () => {
    const r = await runCli(['--json', `${targetUrl}`, '--url-query', `q@${file}`]);
    expect(r.code).toBe(1);
    expect(received.some((x) => x.includes(MARKER))).toBe(true);
  });
});

describe('`why401 har --sanitize c.har c.har` destroys the input; a directory as output ends in an `EISDIR` stack trace', () => {
  const HAR = JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'test', version: '1' },
      entries: [
        {
          startedDateTime: '2024-01-01T00:00:00.000Z',
          time: 1,
          request: {
            method: 'GET',
            url: 'https://api.example.com/me',
            httpVersion: 'HTTP/1.1',
            headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-t0ken-value' }],
            queryString: [],
            cookies: [],
            headersSize: -1,
            bodySize: 0,
          },
          response: {
            status: 401,
            statusText: 'Unauthorized',
            httpVersion: 'HTTP/1.1',
            headers: [],
            cookies: [],
            content: { size: 0, mimeType: 'text/plain' },
            redirectURL: '',
            headersSize: -1,
            bodySize: 0,
          },
          cache: {},
          timings: { send: 0, wait: 1, receive: 0 },
        },
      ],
    },
  });
  const fresh = (name: string) => {
    const d = join(dir, name);
    mkdirSync(d);
    const input = join(d, 'c.har');
    writeFileSync(input, HAR);
    return { d, input };
  };
  const oneLine = (stderr: string) => {
    expect(stderr).toMatch(/^why401: [^\n]+\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('refuses the same file as output, and leaves it as it was', async () => {
    const { input } = fresh('same');
    const r = await runCli(['har', '--sanitize', input, input]);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/is the same file as/);
    expect(readFileSync(input, 'utf8')).toBe(HAR);
  });

  it('refuses it through a symbolic link and a hard link too', async () => {
    const { d, input } = fresh('links');
    symlinkSync(input, join(d, 'sym.har'));
    linkSync(input, join(d, 'hard.har'));
    for (const out of [join(d, 'sym.har'), join(d, 'hard.har'), join(d, '.', '..', 'links', 'c.har')]) {
      const r = await runCli(['har', '--sanitize', input, out]);
      expect(r.code, out).toBe(2);
      oneLine(r.stderr);
      expect(readFileSync(input, 'utf8')).toBe(HAR);
    }
  });

  it('a directory as output is one line and exit 2', async () => {
    const { d, input } = fresh('dir-out');
    const r = await runCli(['har', '--sanitize', input, d]);
    expect(r.stderr).toBe(`why401: cannot write the sanitized copy ${d}: it is a directory\n`);
    expect(r.code).toBe(2);
  });

  it('an output whose directory is missing or not writable is one line and exit 2', async () => {
    const { d, input } = fresh('unwritable');
    const missing = await runCli(['har', '--sanitize', input, join(d, 'no', 'such', 'out.har')]);
    expect(missing.code).toBe(2);
    oneLine(missing.stderr);
    expect(missing.stderr).toMatch(/its directory does not exist/);
    if (process.getuid?.() !== 0) {
      const locked = join(d, 'locked');
      mkdirSync(locked, 0o500);
      const r = await runCli(['har', '--sanitize', input, join(locked, 'out.har')]);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/permission denied/);
      chmodSync(locked, 0o700);
    }
  });

  it('writes through a temporary file, owner-only, and replaces an existing output whole', async () => {
    const { d, input } = fresh('ok');
    const out = join(d, 'out.har');
    writeFileSync(out, 'old', { mode: 0o644 });
    const r = await runCli(['har', '--sanitize', input, out]);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const copy = readFileSync(out, 'utf8');
    expect(JSON.parse(copy)).toMatchObject({ log: { entries: [{ request: { method: 'GET' } }] } });
    expect(copy).not.toContain('s3cr3t-t0ken-value');
    expect(readdirSync(d).sort()).toEqual(['c.har', 'out.har']);
  });
});

describe('A crash of `har --sanitize` exits 1, the code that means "auth problem diagnosed"', () => {
  it('a bug in the sanitizer is one line and exit 4, and leaves no output behind', async () => {
    const d = join(dir, 'crash');
    mkdirSync(d);
    const input = join(d, 'in.har');
    writeFileSync(
      input,
      JSON.stringify({
        log: {
          version: '1.2',
          entries: [
            {
              request: { method: 'GET', url: 'https://api.example.com/WHY401-SIMULATED-BUG', headers: [] },
              response: { status: 401, headers: [], content: { size: 0 } },
            },
          ],
        },
      }),
    );
    // A stand-in for a bug of ours: JSON.stringify throws on the entry the sanitizer writes.
    const preload = join(d, 'bug.mjs');
    writeFileSync(
      preload,
      `const s = JSON.stringify;
JSON.stringify = function (...a) {
  const out = s.apply(this, a);
  if (typeof out === 'string' && out.includes('WHY401-SIMULATED-BUG')) throw new TypeError('simulated bug');
  return out;
};
`,
    );
    const out = join(d, 'out.har');
    const r = await run(['har', '--sanitize', input, out], { nodeArgs: ['--import', preload] });
    expect(r.stderr).toBe('why401: internal error: simulated bug (set WHY401_DEBUG=1 for details)\n');
    expect(r.code).toBe(4);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['bug.mjs', 'in.har']);
  });
});

describe.runIf(process.platform === 'linux')(
  "The page's access key is passed on the browser's command line, where every local user's process list shows it",
  () => {
    it('the browser opener gets a one-time link that holds no key and is dead once used', async () => {
      const bin = join(dir, 'opener-bin');
      const log = join(dir, 'opener-argv.txt');
      mkdirSync(bin);
      // A stand-in xdg-open: records its argv, what `ps` would show to every local user.
      writeFileSync(
        join(bin, 'xdg-open'),
        `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}.part'\nmv '${log}.part' '${log}'\n`,
      );
      chmodSync(join(bin, 'xdg-open'), 0o755);
      const child = spawn(process.execPath, [CLI, 'ui'], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      try {
        for (let i = 0; i < 200 && !(existsSync(log) && stdout.includes('\n')); i++)
          await new Promise((r) => setTimeout(r, 50));
        const argv = readFileSync(log, 'utf8');
        const opened = argv.trim();
        expect(opened).toMatch(LINK);
        const printed = /^why401 ui: (\S+)$/m.exec(stdout)![1]!;
        // The printed link is the person's: trading it gives the key, which the opener never saw.
        const { port, key } = await keyOf(printed);
        expect(argv).not.toContain(key);
        // The opener's ticket works once (the page trades it as it loads) …
        const ticket = LINK.exec(opened)![2]!;
        const first = await exchange(port, ticket);
        expect(first.status).toBe(200);
        expect(JSON.parse(first.body)).toEqual({ key });
        // … and read from `ps` afterwards, it gives nothing.
        const again = await exchange(port, ticket);
        expect(again.status).toBe(403);
        expect(again.body).not.toContain(key);
        expect((await exchange(port, LINK.exec(printed)![2]!)).status).toBe(403);
        // The key is not taken from a URL either.
        expect((await api(port, '', `/api/hello?key=${key}`)).status).toBe(403);
      } finally {
        child.kill('SIGINT');
      }
    });
  },
);
