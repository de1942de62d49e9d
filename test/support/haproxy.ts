import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, startForeground, versionOf, type Foreground } from './foreground.js';

/**
 * A real HAProxy (Debian's haproxy 2.6) from a configuration written into a temporary folder:
 *
 *   haproxy -db -f DIR/haproxy.cfg
 *
 * `-db`: foreground, no daemon, no pid file; no `user`/`chroot` in `global`, so as root it stays
 * root and touches nothing outside DIR. One frontend on 127.0.0.1 on a free port, `mode http`:
 * - `/pass/…`: to the upstream, path kept;
 * - `/strip/…`: `http-request del-header Authorization`, then to the upstream;
 * - `/deny/…`: `http-request deny` (HAProxy's own 403, "Request forbidden by administrative rules.").
 * HAProxy adds no `Server` header of its own.
 */

export type RunningHaproxy = Foreground;

export function haproxyBinary(): string | undefined {
  return findBinary(['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'], 'haproxy', ['-v']);
}

export function haproxyVersion(bin = haproxyBinary()): string | undefined {
  return versionOf(bin, ['-v']);
}

export async function startHaproxy(opts: {
  upstream: string;
  /** Lines added to the frontend before its routing (`http-request auth …`, `acl …`). */
  frontendLines?: string[];
  /** Whole sections appended after the backends (`userlist …`, more backends). */
  sections?: string[];
}): Promise<RunningHaproxy> {
  const bin = haproxyBinary();
  if (!bin) throw new Error('haproxy is not installed (apt-get install -y haproxy)');
  const dir = await mkdtemp(join(tmpdir(), 'why401-haproxy-'));
  const port = await freePort();
  const up = new URL(opts.upstream);
  const conf = [
    'global',
    '  maxconn 64',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 10s',
    '  timeout server 10s',
    'frontend fe',
    `  bind 127.0.0.1:${port}`,
    ...(opts.frontendLines ?? []).map((l) => `  ${l}`),
    '  http-request deny if { path_beg /deny/ }',
    '  use_backend strip if { path_beg /strip/ }',
    '  default_backend app',
    'backend app',
    `  server app ${up.hostname}:${up.port}`,
    'backend strip',
    '  http-request del-header Authorization',
    `  server app ${up.hostname}:${up.port}`,
    ...(opts.sections ?? []),
    '',
  ].join('\n');
  await writeFile(join(dir, 'haproxy.cfg'), conf);
  return startForeground({
    name: 'haproxy',
    bin,
    args: ['-db', '-f', join(dir, 'haproxy.cfg')],
    dir,
    port,
    stopSignal: 'SIGUSR1',
  });
}
