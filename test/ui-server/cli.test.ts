import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseUiArgs, runUi, UI_HELP } from '../../src/cli/ui.js';
import type { UiServer } from '../../src/ui-server/server.js';
import { CLI, runCli } from '../support/cli.js';
import { api, keyOf } from './raw.js';

const URL_LINE = /^why401 ui: (http:\/\/127\.0\.0\.1:\d+\/#ticket=[A-Za-z0-9_-]{43})\n$/;

describe('why401 ui, the built CLI', () => {
  it('prints the URL line, answers with the key, stops on SIGINT with exit code 0', async () => {
    const child = spawn(process.execPath, [CLI, 'ui', '--no-open'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('\n')) resolve();
        });
        child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
      });
      const m = URL_LINE.exec(stdout);
      expect(m, stdout).not.toBeNull();
      const { port, key } = await keyOf(m![1]!);
      const hello = await api(port, key, '/api/hello');
      expect(hello.status).toBe(200);
      expect(JSON.parse(hello.body)).toMatchObject({ tool: 'why401' });
      expect((await api(port, 'x'.repeat(43), '/api/hello')).status).toBe(403);
      await new Promise((r) => setTimeout(r, 50)); // stderr's line may arrive just after stdout's
      expect(stderr).toBe('Press Ctrl+C to stop.\n');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(URL_LINE); // one line, nothing more
  });

  it('Ctrl+C stops it at once, even with a diagnosis waiting on a server that never answers', async () => {
    // A server that accepts connections and never answers: the diagnosis would wait for its timeout.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as AddressInfo).port;
    const child = spawn(process.execPath, [CLI, 'ui', '--no-open'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const stdout = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out);
        });
      });
      const { port, key } = await keyOf(URL_LINE.exec(stdout)![1]!);
      const pending = api(port, key, '/api/diagnose', {
        input: `http://127.0.0.1:${silentPort}/never`,
      }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300)); // the request is in flight
      const t0 = Date.now();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5_000);
      await pending;
    } finally {
      child.kill('SIGKILL');
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('a usage error is one line and exit code 2', async () => {
    const r = await runCli(['ui', '--port', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('why401: --port needs a port number 0-65535, not "abc"\n');
    const unknown = await runCli(['ui', '--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^why401: unknown option --nope for why401 ui[^\n]*\n$/);
  });
});

describe('runUi in process', () => {
  it('--help prints the ui help', async () => {
    let out = '';
    const code = await runUi(['--help'], {
      stdout: { write: (s) => (out += s) },
      stderr: { write: () => 0 },
    });
    expect(code).toBe(0);
    expect(out).toBe(UI_HELP);
    expect(out).toContain('--no-open');
  });

  it('parses its options', () => {
    expect(parseUiArgs([])).toEqual({ port: 0, open: true, help: false });
    expect(parseUiArgs(['--no-open', '--port', '8080'])).toEqual({ port: 8080, open: false, help: false });
    expect(parseUiArgs(['--port=0', '--no-color']).port).toBe(0);
    expect(() => parseUiArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseUiArgs(['--port', '70000'])).toThrow(/0-65535/);
    expect(() => parseUiArgs(['--no-open=1'])).toThrow(/takes no value/);
    expect(() => parseUiArgs(['http://x'])).toThrow(/unexpected argument/);
  });

  it('starts on the given port, says so, refuses a port in use', async () => {
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
    let server: UiServer | undefined;
    const running = runUi(['--no-open'], { ...io, until, onListening: (s) => (server = s) });
    await expect.poll(() => server).toBeDefined();
    expect(out).toMatch(/^why401 ui: http:\/\/127\.0\.0\.1:\d+\/#ticket=[A-Za-z0-9_-]{43}\n$/);
    expect(out).toContain(server!.url);
    expect(err).toBe('Press Ctrl+C to stop.\n');
    await expect(runUi(['--no-open', '--port', String(server!.port)], { ...io, until })).rejects.toThrow(
      /already in use/,
    );
    stop();
    expect(await running).toBe(0);
    // Closed: the port no longer answers.
    await expect(api(server!.port, server!.secret, '/api/hello')).rejects.toThrow();
  });
});
