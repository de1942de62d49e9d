import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { api, keyOf } from '../ui-server/raw.js';

/**
 * Issue 14: "`-F`/`--form` (multipart) and `-T`/`--upload-file` are not reproduced". Now that
 * they are, the files they name are inputs like any other: the CLI reads them through its one
 * capped reader, and the page reads none of them (nor the time of a -z FILE, nor the size of
 * a -C - output file). The built CLI and `why401 ui`, real files, real servers on 127.0.0.1.
 */

const dir = mkdtempSync(join(tmpdir(), 'why401-uploads-'));
const MARKER = 'WHY401-UPLOAD-MARKER-3d9a';
const received: string[] = [];
let target: Server;
let targetUrl: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'local.txt'), `${MARKER}\n`);
  target = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('latin1')));
    req.on('end', () => {
      received.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    });
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/up/`;
});
afterAll(async () => {
  target?.closeAllConnections();
  await new Promise((r) => target?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('`-F`/`--form` (multipart) and `-T`/`--upload-file` are not reproduced: now they are, through the 16 MiB cap', () => {
  const CAP = 'why401 reads at most 16 MiB from one input';

  it('-T and -F of a file past the cap are refused before anything is sent (exit 2, one line)', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, 17 * 1024 * 1024);
    received.length = 0;
    for (const flags of [
      ['-T', big],
      ['-F', `f=@${big}`],
      ['-F', `f=<${big}`],
    ]) {
      const r = await runCli(['--no-probes', targetUrl, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr, flags.join(' ')).toBe(
        `why401: file ${big} is larger than 16 MiB (17825792 bytes); ${CAP}\n`,
      );
    }
    expect(received).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('-T /dev/zero and -T - < /dev/zero stop at the cap', async () => {
    const r = await runCli(['--no-probes', targetUrl, '-T', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`why401: file /dev/zero is larger than 16 MiB; ${CAP}\n`);
    const fd = openSync('/dev/zero', 'r');
    try {
      const child = spawn(process.execPath, [CLI, '--no-probes', targetUrl, '-T', '-'], {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        stdio: [fd, 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('close', r));
      expect(code).toBe(2);
      expect(stderr).toBe(`why401: standard input is larger than 16 MiB; ${CAP}\n`);
    } finally {
      closeSync(fd);
    }
    expect(received).toEqual([]);
  });

  it('a file under the cap is sent as curl sends it: -T as the PUT body, -F as a part', async () => {
    received.length = 0;
    const file = join(dir, 'local.txt');
    await runCli(['--no-probes', targetUrl, '-T', file]);
    await runCli(['--no-probes', targetUrl, '-F', `f=@${file}`]);
    expect(received[0]).toMatch(new RegExp(`^PUT /up/local.txt\\n[^]*\\n${MARKER}\\n$`));
    expect(received[1]).toMatch(/^POST \/up\/\n/);
    expect(received[1]).toContain(`filename="local.txt"\r\nContent-Type: text/plain\r\n\r\n${MARKER}\n`);
  });

  it('a -F field named like a secret is sent, and hidden in the report and in --save-evidence', async () => {
    received.length = 0;
    const saved = join(dir, 'evidence.json');
    const r = await runCli([
      '--no-probes',
      '--save-evidence',
      saved,
      targetUrl,
      '-F',
      'client_secret=WHY401-FORM-SECRET-77c1',
      '-F',
      'password=WHY401-FORM-PASSWORD-19be',
      '-F',
      'note=plain words',
    ]);
    expect(received[0]).toContain('WHY401-FORM-SECRET-77c1');
    expect(received[0]).toContain('WHY401-FORM-PASSWORD-19be');
    const evidence = readFileSync(saved, 'utf8');
    for (const out of [r.stdout, r.stderr, evidence]) {
      expect(out).not.toContain('WHY401-FORM-SECRET-77c1');
      expect(out).not.toContain('WHY401-FORM-PASSWORD-19be');
    }
    expect(evidence).toContain('plain words');
  });
});

describe('The page refuses local files in pasted commands: -F, -T, -z FILE and -C - too', () => {
  let ui: { port: number; key: string; stop(): void };

  beforeAll(async () => {
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
    ui = { port, key, stop: () => child.kill('SIGINT') };
  });
  afterAll(() => ui?.stop());

  it('every upload form is refused with the one answer, before anything is sent', async () => {
    const file = join(dir, 'local.txt');
    received.length = 0;
    for (const form of [
      `-F f=@${file}`,
      `-F 'f=<${file}'`,
      `-F 'f=x;headers=@${file}'`,
      `-T ${file}`,
      '-T -',
      '-F f=@-',
    ]) {
      const r = await api(ui.port, ui.key, '/api/diagnose', { input: `curl '${targetUrl}' ${form}` });
      expect(r.status, form).toBe(400);
      expect((JSON.parse(r.body) as { error: string }).error, form).toMatch(
        /^the web page does not read local files/,
      );
    }
    expect(received).toEqual([]);
  }, 60_000);

  it("-z FILE and -C - -o FILE are refused too (a file's time or size is the file's); -z DATE is not", async () => {
    const file = join(dir, 'local.txt');
    received.length = 0;
    for (const form of [`-z ${file}`, `-z -${file}`, `-C - -o ${file}`]) {
      const r = await api(ui.port, ui.key, '/api/diagnose', { input: `curl '${targetUrl}' ${form}` });
      expect(r.status, form).toBe(400);
      expect((JSON.parse(r.body) as { error: string }).error, form).toMatch(
        /^the web page does not read local files/,
      );
    }
    expect(received).toEqual([]);
    const r = await api(ui.port, ui.key, '/api/diagnose', { input: `curl '${targetUrl}' -z 'Jan 12 2012'` });
    expect(r.status).toBe(200);
    expect(received[0]).toContain('"if-modified-since":"Thu, 12 Jan 2012 00:00:00 GMT"');
  }, 60_000);
});
