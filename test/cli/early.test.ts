/**
 * What the CLI reads from argv at boot to ask the token's issuer early (cli/early.ts, issue 16):
 * a plan only when the run is sure to ask the same, and none whenever an option might change
 * where or how the issuer is reached.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { earlyPlan, startEarly } from '../../src/cli/early.js';
import { entryName } from '../../src/probe/cache-key.js';
import { prefetchTargets } from '../../src/probe/prefetch-targets.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: object) => `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}.c2ln`;
const ISS = 'https://id.example.com/realms/r';
const TOKEN = jwt({ iss: ISS, sub: 'u' });
const URL_ = 'https://api.example.com/me';
const AUTH = `Authorization: Bearer ${TOKEN}`;
const plan = (argv: string[], env: Record<string, string | undefined> = {}) => {
  const p = earlyPlan(argv, env, 'why401/0');
  // The user's request built here is early-exchanges.test.ts's subject.
  if (p) delete p.exchanges;
  return p;
};

describe('a plan for the direct form with a Bearer JWT', () => {
  it.each([
    ['-H', [URL_, '-H', AUTH]],
    ['--header, URL last', ['--header', AUTH, URL_]],
    ['--oauth2-bearer', [URL_, '--oauth2-bearer', TOKEN]],
    ['--url', ['--url', URL_, '-H', AUTH]],
    ['our own output options', [URL_, '-H', AUTH, '--json', '--quiet', '--save-evidence', 'e.json']],
    ['harmless curl options', [URL_, '-H', AUTH, '-X', 'POST', '-d', '{}', '-s', '-v', '-A', 'x']],
    ['a lower-case header name', [URL_, '-H', `authorization: bearer ${TOKEN}`]],
  ])('%s', (_name, argv) => {
    expect(plan(argv)).toEqual({
      issuer: ISS,
      target: URL_,
      allowPrivate: false,
      userAgent: 'why401/0',
      cache: true,
    });
  });

  it('--allow-private-fetch and --no-cache are carried over', () => {
    expect(plan([URL_, '-H', AUTH, '--allow-private-fetch', '--no-cache'])).toEqual({
      issuer: ISS,
      target: URL_,
      allowPrivate: true,
      userAgent: 'why401/0',
      cache: false,
    });
  });
});

describe('no plan when the run might ask otherwise', () => {
  it.each([
    ['a proxy option', [URL_, '-H', AUTH, '-x', 'http://proxy:3128']],
    ['-k', [URL_, '-H', AUTH, '-k']],
    ['--cacert', [URL_, '-H', AUTH, '--cacert', 'ca.pem']],
    ['--resolve', [URL_, '-H', AUTH, '--resolve', 'id.example.com:443:10.0.0.1']],
    ['--issuer', [URL_, '-H', AUTH, '--issuer', 'https://other.example']],
    ['--no-probes', [URL_, '-H', AUTH, '--no-probes']],
    ['--offline', [URL_, '-H', AUTH, '--offline']],
    ['-m', [URL_, '-H', AUTH, '-m', '5']],
    ['a fresh-token grant', [URL_, '-H', AUTH, '--client-id', 'c']],
    ['two URLs', [URL_, 'https://b.example/', '-H', AUTH]],
    ['a subcommand', ['har', 'x.har']],
    ['the curl form', ['curl', URL_, '-H', AUTH]],
    ['a pasted command', [`curl ${URL_} -H '${AUTH}'`]],
    ['a value missing', [URL_, '-H']],
    ['two different tokens', [URL_, '-H', AUTH, '--oauth2-bearer', jwt({ iss: 'https://x.example' })]],
    ['a URL without a scheme', ['api.example.com/me', '-H', AUTH]],
  ])('%s', (_name, argv) => {
    expect(plan(argv)).toBeUndefined();
  });

  it.each([
    ['an opaque token', [URL_, '-H', 'Authorization: Bearer abc123']],
    ['a JWT without iss', [URL_, '-H', `Authorization: Bearer ${jwt({ sub: 'u' })}`]],
    ['an iss that is not a URL', [URL_, '-H', `Authorization: Bearer ${jwt({ iss: 'issuer-1' })}`]],
    [
      'an iss that is not http(s)',
      [URL_, '-H', `Authorization: Bearer ${jwt({ iss: 'file:///etc/passwd' })}`],
    ],
    ['Basic credentials', [URL_, '-H', 'Authorization: Basic dTpw']],
  ])('%s: the request itself, no issuer to ask', (_name, argv) => {
    const p = earlyPlan(argv, {}, 'why401/0');
    expect(p?.issuer).toBeUndefined();
    expect(p?.exchanges?.map((w) => w.url)).toEqual([URL_]);
  });

  it.each([
    ['a body', [URL_, '-H', 'Authorization: Basic dTpw', '-d', 'x']],
    ['-A', [URL_, '-H', 'Authorization: Basic dTpw', '-A', 'x']],
    ['--origin', [URL_, '-H', 'Authorization: Basic dTpw', '--origin', 'https://app.example']],
  ])('%s with no issuer: nothing at boot', (_name, argv) => {
    expect(earlyPlan(argv, {}, 'why401/0')).toBeUndefined();
  });

  it.each(['HTTPS_PROXY', 'http_proxy', 'ALL_PROXY', 'NO_PROXY'])('%s in the environment', (name) => {
    expect(plan([URL_, '-H', AUTH], { [name]: 'http://proxy:3128' })).toBeUndefined();
    expect(plan([URL_, '-H', AUTH], { [name]: '' })).toBeDefined();
  });
});

describe('the second run: documents the disk cache holds', () => {
  // A request this cannot build (a body), so only the documents are at stake.
  // Loopback and a closed port: a request that does leave is refused at once.
  const iss = 'http://127.0.0.1:9/realms/r';
  const target = 'http://127.0.0.1:9/api/me';
  const argv = [target, '-H', `Authorization: Bearer ${jwt({ iss, sub: 'u' })}`, '-d', 'x'];

  it('starts nothing (nor loads node:http) when discovery and the resource metadata are both stored', async () => {
    const base = await mkdtemp(join(tmpdir(), 'why401-early-'));
    try {
      const dir = join(base, 'why401');
      await mkdir(dir);
      const { discovery, metadata } = prefetchTargets(iss, target);
      await writeFile(join(dir, entryName(discovery.url, discovery.scope)), '{}');
      const env = { XDG_CACHE_HOME: base, HOME: base };
      // Only discovery stored: the metadata is still asked.
      const some = await startEarly(argv, env, 'linux', 'why401/0');
      expect(some).toBeDefined();
      some?.close();
      await writeFile(join(dir, entryName(metadata.url, metadata.scope)), '{}');
      expect(await startEarly(argv, env, 'linux', 'why401/0')).toBeUndefined();
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
