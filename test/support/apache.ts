import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apr1, findBinary, freePort, startForeground, versionOf, type Foreground } from './foreground.js';

/**
 * A real Apache httpd (Debian's apache2) from a configuration written into a temporary folder:
 *
 *   apache2 -d DIR -f DIR/httpd.conf -DFOREGROUND
 *
 * mpm_prefork and mod_cgi, listening on 127.0.0.1 on a free port, every pid, lock, log and
 * runtime path inside DIR. Run as root, the master hands the children to `www-data` (Apache
 * refuses `User root`), so DIR and the scripts are world-readable. Locations:
 * - `/cgi/api`: a CGI script that answers 401 `WWW-Authenticate: Bearer realm="api"` with
 *   `{"error":"No Authorization was found in request.headers"}` when `HTTP_AUTHORIZATION` is not
 *   in its environment, and 200 when it is. Apache does not pass `Authorization` to CGI by default;
 * - `/cgi-pass/api`: the same script with `CGIPassAuth On` (it answers 200 to a token);
 * - `/denied/`: `Require all denied` (a 403 for everyone);
 * - `/basic/`: mod_auth_basic, `AuthUserFile` made with `openssl passwd -apr1`.
 */

export interface ApacheOptions {
  /** The one user of `/basic/` (default bob / s3cret) and its realm (default `restricted`). */
  user?: { name: string; password: string };
  realm?: string;
  /**
   * More modules (`auth_digest`, `rewrite`, `headers` …) and lines appended to httpd.conf, for a
   * setup the locations above do not cover; `DIR` in a line is replaced by the server's folder.
   */
  modules?: string[];
  lines?: string[];
  /** Files written into DIR before start (path relative to DIR → content; scripts are made executable). */
  files?: Record<string, string>;
}

export type RunningApache = Foreground;

export function apacheBinary(): string | undefined {
  return findBinary(['/usr/sbin/apache2', '/usr/sbin/httpd', '/usr/local/apache2/bin/httpd'], 'apache2', [
    '-v',
  ]);
}

export function apacheVersion(bin = apacheBinary()): string | undefined {
  return versionOf(bin, ['-v']);
}

function modulesDir(): string {
  for (const d of ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/local/apache2/modules']) {
    if (findBinary([`${d}/mod_cgi.so`], '/nonexistent', [])) return d;
  }
  return '/usr/lib/apache2/modules';
}

const CGI_SCRIPT = `#!/bin/sh
if [ -n "$HTTP_AUTHORIZATION" ]; then
  printf 'Content-Type: application/json\\r\\n\\r\\n{"ok":true}'
else
  printf 'Status: 401 Unauthorized\\r\\nWWW-Authenticate: Bearer realm="api"\\r\\nContent-Type: application/json\\r\\n\\r\\n{"error":"No Authorization was found in request.headers"}'
fi
`;

export async function startApache(opts: ApacheOptions = {}): Promise<RunningApache> {
  const bin = apacheBinary();
  if (!bin) throw new Error('apache2 is not installed (apt-get install -y apache2)');
  const dir = await mkdtemp(join(tmpdir(), 'why401-apache-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const user = opts.user ?? { name: 'bob', password: 's3cret' };
  const mods = modulesDir();
  await mkdir(join(dir, 'cgi-bin'), { mode: 0o755 });
  await mkdir(join(dir, 'www'), { mode: 0o755 });
  await writeFile(join(dir, 'cgi-bin', 'api'), CGI_SCRIPT, { mode: 0o755 });
  await writeFile(join(dir, 'www', 'index.html'), '<p>ok</p>\n', { mode: 0o644 });
  await writeFile(join(dir, 'htpasswd'), `${user.name}:${apr1(user.password)}\n`, { mode: 0o644 });
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    await mkdir(join(dir, rel, '..'), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, rel), content, { mode: 0o755 });
  }
  const module = (name: string) => `LoadModule ${name}_module ${mods}/mod_${name}.so`;
  const conf = [
    module('mpm_prefork'),
    ...[
      'authz_core',
      'authz_host',
      'authz_user',
      'authn_core',
      'authn_file',
      'auth_basic',
      'alias',
      'cgi',
      ...(opts.modules ?? []),
    ].map(module),
    `ServerRoot ${dir}`,
    `DefaultRuntimeDir ${dir}`,
    `PidFile ${dir}/httpd.pid`,
    `Mutex file:${dir} default`,
    `ErrorLog ${dir}/error.log`,
    'LogLevel info',
    'User www-data',
    'Group www-data',
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    'StartServers 1',
    'MinSpareServers 1',
    'MaxSpareServers 2',
    `DocumentRoot ${dir}/www`,
    `<Directory ${dir}/www>`,
    '  Require all granted',
    '</Directory>',
    `ScriptAlias /cgi/ ${dir}/cgi-bin/`,
    `ScriptAlias /cgi-pass/ ${dir}/cgi-bin/`,
    `<Directory ${dir}/cgi-bin>`,
    '  Options +ExecCGI',
    '  Require all granted',
    '</Directory>',
    '<Location /cgi-pass/>',
    '  CGIPassAuth On',
    '</Location>',
    `Alias /denied/ ${dir}/www/`,
    '<Location /denied/>',
    '  Require all denied',
    '</Location>',
    `Alias /basic/ ${dir}/www/`,
    '<Location /basic/>',
    '  AuthType Basic',
    `  AuthName "${opts.realm ?? 'restricted'}"`,
    `  AuthUserFile ${dir}/htpasswd`,
    '  Require valid-user',
    '</Location>',
    ...(opts.lines ?? []).map((l) => l.replaceAll('DIR', dir)),
    '',
  ].join('\n');
  await writeFile(join(dir, 'httpd.conf'), conf, { mode: 0o644 });
  return startForeground({
    name: 'apache2',
    bin,
    args: ['-d', dir, '-f', join(dir, 'httpd.conf'), '-DFOREGROUND'],
    dir,
    port,
    logs: ['error.log'],
    // apache2 stops gracefully on SIGTERM (SIGWINCH is the graceful-stop of the children only).
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
  });
}
