import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real nginx (Debian's package) started from a configuration written into a temporary folder,
 * as shared/research/deps.md §10 measured it:
 *
 *   nginx -p DIR/ -c nginx.conf -e DIR/error.log -g 'daemon off;'
 *
 * listening on 127.0.0.1 on a free port, with every temp path inside DIR. `close()` stops it
 * and removes the folder.
 *
 * Each location mode gets its own prefix, `/<mode>/`, proxied to `upstream` with the path kept:
 * - `pass`: a plain reverse proxy;
 * - `strip`: `proxy_set_header Authorization "";` (the classic "the proxy ate my token");
 * - `basic`: `auth_basic` with an htpasswd made by `openssl passwd -apr1` (or a fixed apr1 hash);
 * - `auth_request`: `auth_request` to `authUpstream` (the auth service sees the original URI in
 *   `X-Original-URI` and the client's headers); nginx answers 401/403 itself when it says so.
 */

export type NginxMode = 'pass' | 'strip' | 'basic' | 'auth_request';

export interface NginxOptions {
  /** Base URL of the application behind nginx, e.g. `http://127.0.0.1:4000`. */
  upstream: string;
  /** The locations to configure, each at `/<mode>/`. */
  locations: NginxMode | NginxMode[];
  /** For `auth_request`: the base URL of the auth service (its `/auth` path is called). */
  authUpstream?: string;
  /** For `basic`: the realm (default `restricted`) and the one user (default alice / s3cret). */
  realm?: string;
  user?: { name: string; password: string };
  /**
   * Lines written into the `server` block after the locations: a whole site's configuration when
   * the modes above do not fit (the audit's nginx, its error pages and CORS); `http://app` and
   * `http://auth` name the upstream and the auth service.
   */
  serverLines?: string[];
}

export interface RunningNginx {
  url: string;
  port: number;
  dir: string;
  /** nginx's error log so far (auth_basic and auth_request write their reasons there). */
  errorLog(): Promise<string>;
  close(): Promise<void>;
}

/** `openssl passwd -apr1 -salt why401ts s3cret`, for machines without openssl. */
const FALLBACK_USER = { name: 'alice', password: 's3cret', hash: '$apr1$why401ts$NR/CHXltm5z7ZiZe18FfG/' };

/** The nginx binary, or undefined when it is not installed (tests then skip with a message). */
export function nginxBinary(): string | undefined {
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx', '/usr/local/bin/nginx']) {
    if (existsSync(p)) return p;
  }
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  return r.status === 0 ? 'nginx' : undefined;
}

/** nginx's version line (`nginx version: nginx/1.22.1`), for test names and messages. */
export function nginxVersion(bin = nginxBinary()): string | undefined {
  if (!bin) return undefined;
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return `${r.stderr ?? ''}${r.stdout ?? ''}`.trim() || undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function apr1(password: string): string | undefined {
  const r = spawnSync('openssl', ['passwd', '-apr1', password], { encoding: 'utf8' });
  const out = r.status === 0 ? r.stdout.trim() : '';
  return out.startsWith('$apr1$') ? out : undefined;
}

function hostPort(base: string): string {
  const u = new URL(base);
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

function location(mode: NginxMode, realm: string): string {
  switch (mode) {
    case 'pass':
      return `    location /pass/ { proxy_pass http://app; }`;
    case 'strip':
      return `    location /strip/ { proxy_set_header Authorization ""; proxy_pass http://app; }`;
    case 'basic':
      return `    location /basic/ { auth_basic "${realm}"; auth_basic_user_file htpasswd; proxy_pass http://app; }`;
    case 'auth_request':
      return [
        `    location /auth_request/ { auth_request /_auth; proxy_pass http://app; }`,
        `    location = /_auth {`,
        `      internal;`,
        `      proxy_pass http://auth/auth;`,
        `      proxy_pass_request_body off;`,
        `      proxy_set_header Content-Length "";`,
        `      proxy_set_header X-Original-URI $request_uri;`,
        `    }`,
      ].join('\n');
  }
}

export async function startNginx(opts: NginxOptions): Promise<RunningNginx> {
  const bin = nginxBinary();
  if (!bin) throw new Error('nginx is not installed (apt-get install -y nginx-light)');
  const modes = Array.isArray(opts.locations) ? opts.locations : [opts.locations];
  if (modes.includes('auth_request') && !opts.authUpstream)
    throw new Error('auth_request needs authUpstream (the auth service)');

  const dir = await mkdtemp(join(tmpdir(), 'why401-nginx-'));
  // The worker runs as another user when the master is root: it must read the htpasswd.
  await chmod(dir, 0o755);
  const port = await freePort();
  const realm = opts.realm ?? 'restricted';

  if (modes.includes('basic')) {
    const user = opts.user ?? FALLBACK_USER;
    const hash =
      apr1(user.password) ??
      (user.password === FALLBACK_USER.password ? FALLBACK_USER.hash : undefined) ??
      (() => {
        throw new Error('openssl is needed to hash a custom password');
      })();
    await writeFile(join(dir, 'htpasswd'), `${user.name}:${hash}\n`, { mode: 0o644 });
  }

  const conf = [
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'events { worker_connections 64; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    `  client_body_temp_path ${join(dir, 'tmp_body')};`,
    `  proxy_temp_path ${join(dir, 'tmp_proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'tmp_fcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'tmp_uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'tmp_scgi')};`,
    `  upstream app { server ${hostPort(opts.upstream)}; }`,
    ...(opts.authUpstream ? [`  upstream auth { server ${hostPort(opts.authUpstream)}; }`] : []),
    '  server {',
    `    listen 127.0.0.1:${port};`,
    ...modes.map((m) => location(m, realm)),
    ...(opts.serverLines ?? []).map((l) => `    ${l}`),
    '  }',
    '}',
    '',
  ].join('\n');
  await writeFile(join(dir, 'nginx.conf'), conf, { mode: 0o644 });

  const child: ChildProcess = spawn(
    bin,
    ['-p', `${dir}/`, '-c', 'nginx.conf', '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (gone) {
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`nginx exited at startup: ${stderr}${log}`);
    }
    try {
      // Any HTTP answer (a 404 for /) means nginx is listening.
      await fetch(`${url}/__why401_ready`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
        throw new Error(`nginx did not answer on ${url}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  return {
    url,
    port,
    dir,
    errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
    close: async () => {
      if (!gone) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
