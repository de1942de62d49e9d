import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';

/**
 * What the real-server launchers (apache, haproxy, lighttpd, caddy, squid, registry) share: a free
 * port on 127.0.0.1, a binary looked up in the usual places, and a server run in the foreground
 * as a child process whose folder `close()` removes.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The first of `paths` that exists, else `name` when `name versionArgs` runs, else undefined. */
export function findBinary(paths: string[], name: string, versionArgs: string[]): string | undefined {
  for (const p of paths) if (existsSync(p)) return p;
  const r = spawnSync(name, versionArgs, { encoding: 'utf8' });
  return r.status === 0 ? name : undefined;
}

/** `bin args` output (stdout then stderr), trimmed; undefined when it does not run. */
export function versionOf(bin: string | undefined, args: string[]): string | undefined {
  if (!bin) return undefined;
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] || undefined;
}

/** `openssl passwd -apr1 PASSWORD`, the hash htpasswd files of Apache, nginx and lighttpd take. */
export function apr1(password: string): string {
  const r = spawnSync('openssl', ['passwd', '-apr1', password], { encoding: 'utf8' });
  const out = r.status === 0 ? r.stdout.trim() : '';
  if (!out.startsWith('$apr1$')) throw new Error(`openssl passwd -apr1 failed: ${r.stderr}`);
  return out;
}

/** Servers still running, killed when the test process exits without closing them (they run detached). */
const live = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  live.add(child);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

export interface Foreground {
  url: string;
  port: number;
  dir: string;
  /** What the server wrote on stdout and stderr so far. */
  output(): string;
  /** A log file inside the folder, '' when absent. */
  log(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface ForegroundOptions {
  /** For messages: `apache2`, `haproxy`, … */
  name: string;
  bin: string;
  args: string[];
  dir: string;
  port: number;
  env?: NodeJS.ProcessEnv;
  /** Log files (inside dir) to show when the server does not come up. */
  logs?: string[];
  /** The path fetched until any HTTP answer comes back (default `/__why401_ready`). */
  readyPath?: string;
  /** Ready when this returns true for the answer (default: any answer). */
  ready?: (status: number, headers: Headers) => boolean;
  timeoutMs?: number;
  /** The signal that stops the server gracefully (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

/** Spawns the server, waits until it answers HTTP on 127.0.0.1:port (or dies, or times out). */
export async function startForeground(o: ForegroundOptions): Promise<Foreground> {
  const child: ChildProcess = spawn(o.bin, o.args, {
    cwd: o.dir,
    // Its own process group: apache2's prefork master signals its whole group when it stops
    // (SIGTERM to getpgrp()), which would otherwise reach vitest itself.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: o.env ?? process.env,
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  track(child);
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      gone = true;
      resolve();
    });
    child.once('error', (e) => {
      out += String(e);
      gone = true;
      resolve();
    });
  });
  const readLog = (name: string) => readFile(`${o.dir}/${name}`, 'utf8').catch(() => '');
  const url = `http://127.0.0.1:${o.port}`;
  const close = async () => {
    if (!gone) {
      child.kill(o.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(o.dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (o.timeoutMs ?? 15_000);
  for (;;) {
    if (gone || Date.now() > deadline) {
      const logs = (await Promise.all((o.logs ?? []).map(readLog))).join('\n');
      const why = gone ? 'exited at startup' : `did not answer on ${url}`;
      await close();
      throw new Error(`${o.name} ${why}: ${out}\n${logs}`);
    }
    try {
      const r = await fetch(`${url}${o.readyPath ?? '/__why401_ready'}`, {
        signal: AbortSignal.timeout(1000),
      });
      await r.arrayBuffer().catch(() => undefined);
      if (!o.ready || o.ready(r.status, r.headers)) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port: o.port, dir: o.dir, output: () => out, log: readLog, close };
}
