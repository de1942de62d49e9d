import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, startForeground, versionOf, type Foreground } from './foreground.js';

/**
 * A real Caddy (Debian's caddy 2.6) from a Caddyfile written into a temporary folder:
 *
 *   caddy run --config DIR/Caddyfile --adapter caddyfile
 *
 * with HOME, XDG_DATA_HOME and XDG_CONFIG_HOME set to DIR (Caddy keeps its storage and autosave
 * there), `admin off` and `auto_https off`, one site `http://127.0.0.1:PORT`:
 * - `/pass/*`: `reverse_proxy` to the upstream;
 * - `/strip/*`: `reverse_proxy` with `header_up -Authorization`;
 * - `/basic/*`: `basicauth` (Caddy 2.6's name for `basic_auth`) with a bcrypt hash, then 200 "ok".
 * Caddy adds `Server: Caddy` to every answer.
 */

export type RunningCaddy = Foreground;

export function caddyBinary(): string | undefined {
  return findBinary(['/usr/bin/caddy', '/usr/local/bin/caddy'], 'caddy', ['version']);
}

export function caddyVersion(bin = caddyBinary()): string | undefined {
  return versionOf(bin, ['version']);
}

/** A bcrypt hash: `htpasswd -nbB -C 4` (fast), else `caddy hash-password` (cost 14, slow). */
function bcrypt(bin: string, user: string, password: string): string {
  const h = spawnSync('htpasswd', ['-nbB', '-C', '4', user, password], { encoding: 'utf8' });
  if (h.status === 0) return h.stdout.trim().slice(user.length + 1);
  const c = spawnSync(bin, ['hash-password', '--plaintext', password], { encoding: 'utf8' });
  if (c.status !== 0) throw new Error(`caddy hash-password failed: ${c.stderr}`);
  return c.stdout.trim();
}

export async function startCaddy(opts: {
  upstream: string;
  user?: { name: string; password: string };
}): Promise<RunningCaddy> {
  const bin = caddyBinary();
  if (!bin) throw new Error('caddy is not installed (apt-get install -y caddy)');
  const dir = await mkdtemp(join(tmpdir(), 'why401-caddy-'));
  const port = await freePort();
  const up = new URL(opts.upstream);
  const user = opts.user ?? { name: 'bob', password: 's3cret' };
  const conf = [
    '{',
    '  admin off',
    '  auto_https off',
    `  storage file_system ${dir}/data`,
    '}',
    `http://127.0.0.1:${port} {`,
    '  handle /pass/* {',
    `    reverse_proxy ${up.host}`,
    '  }',
    '  handle /strip/* {',
    `    reverse_proxy ${up.host} {`,
    '      header_up -Authorization',
    '    }',
    '  }',
    '  handle /basic/* {',
    '    basicauth {',
    `      ${user.name} ${bcrypt(bin, user.name, user.password)}`,
    '    }',
    '    respond "ok" 200',
    '  }',
    '}',
    '',
  ].join('\n');
  await writeFile(join(dir, 'Caddyfile'), conf);
  return startForeground({
    name: 'caddy',
    bin,
    args: ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
    dir,
    port,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
}
