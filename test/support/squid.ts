import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apr1, findBinary, freePort, startForeground, versionOf, type Foreground } from './foreground.js';

/**
 * A real squid (Debian's squid 5.7) from a squid.conf written into a temporary folder:
 *
 *   squid -N -f DIR/squid.conf
 *
 * `-N`: no daemon (foreground, no SMP workers). Started as root, squid switches to
 * `cache_effective_user proxy` (Debian's), so DIR is world-writable; pid, logs, coredumps inside
 * it, no disk cache, no ICP/HTCP, `shutdown_lifetime 0`. Two ports on 127.0.0.1:
 * - `url` (`accelPort`): an accelerator, `http_port … accel defaultsite=app` and
 *   `cache_peer UPSTREAM parent PORT 0 no-query originserver name=app` WITHOUT `login=PASSTHRU`:
 *   squid does not forward the client's `Authorization` to an origin-server peer unless the peer's
 *   `login=` says PASS/PASSTHRU (squid's cache_peer documentation; http.cc only copies the header
 *   for an originpeer when `peer_login` is PASS, PASSTHRU or PROXYPASS);
 * - `forwardUrl` (`forwardPort`): a forward proxy that wants Basic proxy authentication
 *   (`auth_param basic program basic_ncsa_auth DIR/passwd`, `acl authed proxy_auth REQUIRED`),
 *   answering 407 without it.
 */

export interface RunningSquid extends Foreground {
  forwardPort: number;
  forwardUrl: string;
}

export function squidBinary(): string | undefined {
  return findBinary(['/usr/sbin/squid', '/usr/local/squid/sbin/squid'], 'squid', ['-v']);
}

export function squidVersion(bin = squidBinary()): string | undefined {
  return versionOf(bin, ['-v']);
}

function ncsaHelper(): string | undefined {
  return findBinary(
    [
      '/usr/lib/squid/basic_ncsa_auth',
      '/usr/lib64/squid/basic_ncsa_auth',
      '/usr/libexec/squid/basic_ncsa_auth',
    ],
    '/nonexistent',
    [],
  );
}

export async function startSquid(opts: {
  upstream: string;
  proxyUser?: { name: string; password: string };
}): Promise<RunningSquid> {
  const bin = squidBinary();
  if (!bin) throw new Error('squid is not installed (apt-get install -y squid)');
  const helper = ncsaHelper();
  if (!helper) throw new Error('basic_ncsa_auth (squid) is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'why401-squid-'));
  await chmod(dir, 0o777);
  const [port, forwardPort] = await Promise.all([freePort(), freePort()]);
  const up = new URL(opts.upstream);
  const user = opts.proxyUser ?? { name: 'carol', password: 'pr0xy' };
  await writeFile(join(dir, 'passwd'), `${user.name}:${apr1(user.password)}\n`, { mode: 0o644 });
  const conf = [
    `http_port 127.0.0.1:${port} accel defaultsite=app name=accel`,
    `http_port 127.0.0.1:${forwardPort} name=forward`,
    `cache_peer ${up.hostname} parent ${up.port} 0 no-query originserver name=app`,
    `auth_param basic program ${helper} ${dir}/passwd`,
    'auth_param basic realm why401 test proxy',
    'acl accel_port myportname accel',
    'acl authed proxy_auth REQUIRED',
    'http_access allow accel_port',
    'http_access allow authed',
    'http_access deny all',
    'cache_peer_access app allow accel_port',
    'cache_peer_access app deny all',
    'never_direct allow accel_port',
    'cache deny all',
    'visible_hostname why401-squid',
    'cache_effective_user proxy',
    `pid_filename ${dir}/squid.pid`,
    `cache_log ${dir}/cache.log`,
    `access_log stdio:${dir}/access.log`,
    `coredump_dir ${dir}`,
    'netdb_filename none',
    'icp_port 0',
    'htcp_port 0',
    'shutdown_lifetime 0 seconds',
    '',
  ].join('\n');
  await writeFile(join(dir, 'squid.conf'), conf, { mode: 0o644 });
  const fg = await startForeground({
    name: 'squid',
    bin,
    args: ['-N', '-f', join(dir, 'squid.conf')],
    dir,
    port,
    logs: ['cache.log'],
    timeoutMs: 20_000,
    // Squid, not whoever holds the port: squid logs a port it cannot bind and runs on, so a test
    // server that took the port freePort() found would otherwise answer for it (seen once in a
    // full run). Its error pages say Server: squid, what it forwards says Via: … (squid/…).
    ready: (_status, headers) => /squid/i.test(`${headers.get('server') ?? ''} ${headers.get('via') ?? ''}`),
  });
  return { ...fg, forwardPort, forwardUrl: `http://127.0.0.1:${forwardPort}` };
}
