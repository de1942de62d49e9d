import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apr1, findBinary, freePort, startForeground, versionOf, type Foreground } from './foreground.js';

/**
 * A real lighttpd (Debian's 1.4.69) from a configuration written into a temporary folder:
 *
 *   lighttpd -D -f DIR/lighttpd.conf
 *
 * `-D`: foreground. No `server.username`, so as root it stays root; error log, document root
 * and upload dir inside DIR. On 127.0.0.1 on a free port:
 * - `/pass/…`: mod_proxy to the upstream (lighttpd forwards `Authorization` as it came);
 * - `/strip/…`: mod_proxy behind mod_setenv `setenv.set-request-header = ("Authorization" => "")`,
 *   which removes the header (an empty value unsets it);
 * - `/basic/…`: mod_auth basic with mod_authn_file's htpasswd backend (`openssl passwd -apr1`).
 */

export type RunningLighttpd = Foreground;

export function lighttpdBinary(): string | undefined {
  return findBinary(['/usr/sbin/lighttpd', '/usr/local/sbin/lighttpd'], 'lighttpd', ['-v']);
}

export function lighttpdVersion(bin = lighttpdBinary()): string | undefined {
  return versionOf(bin, ['-v']);
}

export async function startLighttpd(opts: {
  upstream: string;
  user?: { name: string; password: string };
  realm?: string;
  /** More `auth.require` entries beside `/basic/`, e.g. `"/alice/" => ( … "require" => "user=alice" )`. */
  authRequire?: string[];
  /** Lines appended to lighttpd.conf. */
  lines?: string[];
}): Promise<RunningLighttpd> {
  const bin = lighttpdBinary();
  if (!bin) throw new Error('lighttpd is not installed (apt-get install -y lighttpd)');
  const dir = await mkdtemp(join(tmpdir(), 'why401-lighttpd-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const up = new URL(opts.upstream);
  const user = opts.user ?? { name: 'bob', password: 's3cret' };
  await mkdir(join(dir, 'www', 'basic'), { recursive: true });
  await writeFile(join(dir, 'www', 'basic', 'index.html'), '<p>ok</p>\n');
  await writeFile(join(dir, 'htpasswd'), `${user.name}:${apr1(user.password)}\n`);
  const proxy = `proxy.server = ( "" => ( ( "host" => "${up.hostname}", "port" => ${up.port} ) ) )`;
  const conf = [
    'server.modules = ( "mod_setenv", "mod_auth", "mod_authn_file", "mod_proxy" )',
    `server.document-root = "${dir}/www"`,
    'server.bind = "127.0.0.1"',
    `server.port = ${port}`,
    `server.errorlog = "${dir}/error.log"`,
    `server.upload-dirs = ( "${dir}" )`,
    'auth.backend = "htpasswd"',
    `auth.backend.htpasswd.userfile = "${dir}/htpasswd"`,
    `auth.require = ( ${[
      `"/basic/" => ( "method" => "basic", "realm" => "${opts.realm ?? 'restricted'}", "require" => "valid-user" )`,
      ...(opts.authRequire ?? []),
    ].join(', ')} )`,
    '$HTTP["url"] =~ "^/pass/" {',
    `  ${proxy}`,
    '}',
    '$HTTP["url"] =~ "^/strip/" {',
    '  setenv.set-request-header = ( "Authorization" => "" )',
    `  ${proxy}`,
    '}',
    ...(opts.lines ?? []),
    '',
  ].join('\n');
  await writeFile(join(dir, 'lighttpd.conf'), conf);
  return startForeground({
    name: 'lighttpd',
    bin,
    args: ['-D', '-f', join(dir, 'lighttpd.conf')],
    dir,
    port,
    logs: ['error.log'],
  });
}
