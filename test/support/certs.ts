import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test certificates, made at test time with the `openssl` CLI in a temporary folder: a root CA
 * named like an interception product (the real Zscaler root's distinguished name, see
 * src/knowledge/tls-interceptors.ts), leaves signed by it, and a self-signed leaf.
 *
 * Nothing is checked in: keys are generated per run (P-256, fast). When `openssl` is missing,
 * `makeTestCerts()` returns undefined and the TLS tests skip (CI installs Debian's openssl).
 */

export interface KeyPair {
  /** PEM certificate. */
  cert: string;
  /** PEM private key. */
  key: string;
}

export interface TestCerts {
  dir: string;
  /** Self-signed root: C=US, ST=California, L=San Jose, O=Zscaler Inc., OU=Zscaler Inc., CN=Zscaler Root CA. */
  root: KeyPair;
  /** Signed by the root, valid now, for localhost and 127.0.0.1. */
  leaf: KeyPair;
  /** Signed by the root, for localhost and 127.0.0.1, expired on 2020-02-01. */
  expired: KeyPair;
  /** Signed by the root, valid from 2090-01-01. */
  notYetValid: KeyPair;
  /** Signed by the root, valid now, for api.other.example and *.other.example only. */
  wrongHost: KeyPair;
  /** Self-signed, valid now, for localhost and 127.0.0.1, O=Acme Dev. */
  selfSigned: KeyPair;
  /** Removes the folder. */
  cleanup(): void;
}

export const ROOT_SUBJECT =
  '/C=US/ST=California/L=San Jose/O=Zscaler Inc./OU=Zscaler Inc./CN=Zscaler Root CA';

/** The `openssl version` line, or undefined when the CLI is not there. */
export function opensslVersion(): string | undefined {
  try {
    return execFileSync('openssl', ['version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

const CONFIG = (dir: string) => `
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused

[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/issued
serial = ${dir}/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
email_in_dn = no
preserve = yes
[ any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional

[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ leaf_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost, IP:127.0.0.1

[ wrong_host_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = DNS:api.other.example, DNS:*.other.example

[ self_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
`;

/** Generates the set in a fresh temporary folder, or returns undefined without `openssl`. */
export function makeTestCerts(): TestCerts | undefined {
  if (!opensslVersion()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'why401-certs-'));
  mkdirSync(join(dir, 'issued'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const cnf = join(dir, 'openssl.cnf');
  writeFileSync(cnf, CONFIG(dir));
  const run = (...args: string[]) =>
    execFileSync('openssl', args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENSSL_CONF: cnf },
    });
  const p = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const read = (name: string): KeyPair => ({
    cert: readFileSync(p(`${name}.pem`), 'utf8'),
    key: readFileSync(p(`${name}.key`), 'utf8'),
  });

  // Root CA, self-signed, ten years, starting yesterday so that clock rounding never bites.
  run(
    'req',
    '-x509',
    '-config',
    cnf,
    ...ec,
    '-keyout',
    p('root.key'),
    '-out',
    p('root.pem'),
    '-days',
    '3650',
    '-subj',
    ROOT_SUBJECT,
    '-extensions',
    'root_ext',
  );

  // Leaves: a CSR each, signed by the root with `openssl ca`, which (unlike `x509 -req` in
  // OpenSSL 3.0) takes explicit start and end dates.
  const leaf = (name: string, subject: string, ext: string, dates: string[]) => {
    run(
      'req',
      '-new',
      '-config',
      cnf,
      ...ec,
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(`${name}.csr`),
      '-subj',
      subject,
    );
    run(
      'ca',
      '-batch',
      '-config',
      cnf,
      '-cert',
      p('root.pem'),
      '-keyfile',
      p('root.key'),
      '-in',
      p(`${name}.csr`),
      '-out',
      p(`${name}.pem`),
      '-notext',
      '-extensions',
      ext,
      ...dates,
    );
  };
  leaf('leaf', '/O=Example API/CN=localhost', 'leaf_ext', ['-days', '30']);
  leaf('expired', '/CN=localhost', 'leaf_ext', [
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
  ]);
  leaf('notyet', '/CN=localhost', 'leaf_ext', [
    '-startdate',
    '20900101000000Z',
    '-enddate',
    '20910101000000Z',
  ]);
  leaf('wronghost', '/CN=api.other.example', 'wrong_host_ext', ['-days', '30']);

  run(
    'req',
    '-x509',
    '-config',
    cnf,
    ...ec,
    '-keyout',
    p('self.key'),
    '-out',
    p('self.pem'),
    '-days',
    '30',
    '-subj',
    '/O=Acme Dev/CN=localhost',
    '-extensions',
    'self_ext',
  );

  return {
    dir,
    root: read('root'),
    leaf: read('leaf'),
    expired: read('expired'),
    notYetValid: read('notyet'),
    wrongHost: read('wronghost'),
    selfSigned: read('self'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
