import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, startForeground, versionOf, type Foreground } from './foreground.js';

/**
 * A real container registry (Debian's docker-registry: CNCF distribution 2.8) with token
 * authentication, from a config.yml written into a temporary folder:
 *
 *   docker-registry serve DIR/config.yml
 *
 * storage `filesystem` in DIR/data, `http.addr` 127.0.0.1 on a free port, and
 *
 *   auth: { token: { realm, service, issuer, rootcertbundle: DIR/root.crt } }
 *
 * The registry accepts a JWT whose header's `x5c` chain ends in a certificate of the bundle,
 * whose `iss` is `issuer`, whose `aud` is `service`, and whose `access` claim
 * (`[{type: 'repository', name, actions}]`) grants the action; else it answers 401
 * `WWW-Authenticate: Bearer realm="…",service="…",scope="repository:NAME:pull"` (with
 * `error="invalid_token"` or `error="insufficient_scope"` when a token was sent).
 */

export interface RegistryOptions {
  /** The token server's URL, as the challenge's `realm`. */
  realm: string;
  service: string;
  issuer: string;
  /** The PEM certificate(s) trusted to sign tokens. */
  rootCertBundle: string;
}

export type RunningRegistry = Foreground;

export function registryBinary(): string | undefined {
  return findBinary(['/usr/bin/docker-registry', '/usr/local/bin/registry'], 'docker-registry', [
    '--version',
  ]);
}

export function registryVersion(bin = registryBinary()): string | undefined {
  return versionOf(bin, ['--version']);
}

export interface TokenSigningKey {
  alg: 'ES256' | 'RS256';
  /** PKCS#8 PEM private key. */
  keyPem: string;
  certPem: string;
  /** The certificate as the JWT header's `x5c` (base64 DER). */
  x5c: string[];
}

/** A self-signed certificate and its key made by openssl (P-256 for ES256, RSA 2048 for RS256). */
export async function makeTokenSigningKey(alg: 'ES256' | 'RS256' = 'ES256'): Promise<TokenSigningKey> {
  const dir = await mkdtemp(join(tmpdir(), 'why401-tokenkey-'));
  try {
    const newkey =
      alg === 'ES256' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
    const r = spawnSync(
      'openssl',
      ['req', '-x509', ...newkey, '-nodes', '-days', '2', '-subj', '/CN=why401 token signer'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
    const keyPem = await readFile(join(dir, 'key.pem'), 'utf8');
    const certPem = await readFile(join(dir, 'cert.pem'), 'utf8');
    const der = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    return { alg, keyPem, certPem, x5c: [der] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startRegistry(opts: RegistryOptions): Promise<RunningRegistry> {
  const bin = registryBinary();
  if (!bin) throw new Error('docker-registry is not installed (apt-get install -y docker-registry)');
  const dir = await mkdtemp(join(tmpdir(), 'why401-registry-'));
  const port = await freePort();
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'root.crt'), opts.rootCertBundle);
  const q = (s: string) => JSON.stringify(s);
  const conf = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(join(dir, 'data'))}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: why401-test-secret',
    'auth:',
    '  token:',
    `    realm: ${q(opts.realm)}`,
    `    service: ${q(opts.service)}`,
    `    issuer: ${q(opts.issuer)}`,
    `    rootcertbundle: ${q(join(dir, 'root.crt'))}`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'config.yml'), conf);
  return startForeground({
    name: 'docker-registry',
    bin,
    args: ['serve', join(dir, 'config.yml')],
    dir,
    port,
    readyPath: '/v2/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
  });
}
