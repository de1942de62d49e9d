/**
 * Issue 16's disk cache end to end: the built CLI run twice against the real test issuer
 * (test/support/issuer.ts, which records every request) with the cache folder in a temporary
 * XDG_CACHE_HOME. The second run asks the issuer nothing; keys rotated between the runs are seen;
 * a damaged or planted cache file never changes the diagnosis.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { entryName } from '../../src/probe/http-cache.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { schemaErrors } from '../support/schema.js';

const AUD = 'https://api.why401.test';
/** A resource server that refuses every token as invalid: the diagnosis rests on the token and the issuer's documents. */
let api: TestServer;
let issuer: TestIssuer;
let cacheHome: string;

beforeAll(async () => {
  api = await startServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Content-Type': 'text/plain' });
    res.end('unauthorized');
  });
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  issuer = await startIssuer({ audience: AUD });
  cacheHome = await mkdtemp(join(tmpdir(), 'why401-cache-e2e-'));
});
afterEach(async () => {
  await issuer.close();
  await rm(cacheHome, { recursive: true, force: true });
});

const cacheDir = () => join(cacheHome, 'why401');
/** What why401 asked the issuer (its User-Agent says so), by path. */
const askedByWhy401 = (i: TestIssuer) =>
  i.received.filter((q) => String(q.headers['user-agent']).startsWith('why401/')).map((q) => q.path);

async function run(token: string, extra: string[] = [], home = cacheHome) {
  const r = await runCli([`${api.url}/api/me`, '-H', `Authorization: Bearer ${token}`, '--json', ...extra], {
    env: { XDG_CACHE_HOME: home },
  });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(schemaErrors(report)).toBe('');
  return { report, code: r.code };
}

/** What a person is told: the outcome, the exit code and every finding's id, confidence and title. */
const diagnosisOf = ({ report, code }: { report: Report; code: number }) => ({
  code,
  outcome: report.outcome,
  findings: report.findings.map((f) => `${f.id} ${f.confidence} ${f.title}`),
});

describe('a second run is served from the cache', () => {
  it('makes no discovery or JWKS request, and says the documents were cached', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api' });
    const first = await run(token);
    expect(askedByWhy401(issuer)).toEqual(['/.well-known/openid-configuration', '/jwks']);
    expect(first.report.probes.find((p) => p.name === 'jwks')?.cached).toBeUndefined();
    issuer.received.length = 0;

    const second = await run(token);
    expect(askedByWhy401(issuer)).toEqual([]);
    expect(diagnosisOf(second)).toEqual(diagnosisOf(first));
    for (const name of ['discovery', 'jwks'])
      expect(second.report.probes.find((p) => p.name === name)?.cached).toMatchObject({ revalidated: false });

    // The text report's probe table says so.
    const text = await runCli([`${api.url}/api/me`, '-H', `Authorization: Bearer ${token}`], {
      env: { XDG_CACHE_HOME: cacheHome },
    });
    expect(text.stdout).toMatch(/jwks\s+GET \S+\/jwks → 200 cached \(age \d+ s\)/);
    expect(askedByWhy401(issuer)).toEqual([]);
  });

  it('--no-cache asks the issuer again', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    await run(token);
    issuer.received.length = 0;
    const { report } = await run(token, ['--no-cache']);
    expect(askedByWhy401(issuer)).toEqual(['/.well-known/openid-configuration', '/jwks']);
    expect(report.probes.some((p) => p.cached)).toBe(false);
  });
});

describe('keys rotated between two runs', () => {
  it('a token signed with the new key refetches the JWKS and is not reported as an unknown kid', async () => {
    await run(await issuer.sign({ sub: 'u1', aud: AUD }));
    const oldKid = issuer.kid;
    await issuer.rotateKeys();
    issuer.received.length = 0;
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    const second = await run(token);
    // Discovery still came from the cache; the JWKS, whose stored set lacks the new kid, did not.
    expect(askedByWhy401(issuer)).toEqual(['/jwks']);
    expect(second.report.findings.map((f) => f.id)).not.toContain('jwt.kid-unknown');
    const jwks = second.report.probes.find((p) => p.name === 'jwks')!;
    expect(jwks.cached).toBeUndefined();
    expect(JSON.stringify(second.report)).not.toContain(`"${oldKid}"`);
    // The same diagnosis as a run that never had a cache.
    const fresh = await run(token, ['--no-cache']);
    expect(diagnosisOf(second)).toEqual(diagnosisOf(fresh));
  });
});

describe('a poisoned cache file never changes the diagnosis', () => {
  const discoveryFile = (i: TestIssuer, dir = cacheDir()) =>
    join(dir, entryName(`${i.issuer}/.well-known/openid-configuration`, `oidc-discovery ${i.issuer}`));

  it('wrong JSON in every file: ignored, the documents fetched again, the files replaced', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api' });
    const baseline = await run(token);
    const files = await readdir(cacheDir());
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) await writeFile(join(cacheDir(), f), '{"v":1,"url": not json');
    issuer.received.length = 0;
    const again = await run(token);
    expect(diagnosisOf(again)).toEqual(diagnosisOf(baseline));
    expect(askedByWhy401(issuer)).toEqual(['/.well-known/openid-configuration', '/jwks']);
    // Replaced by whole entries, and nothing else left in the folder (no temporary file).
    expect((await readdir(cacheDir())).sort()).toEqual([...files].sort());
    for (const f of files)
      expect(JSON.parse(await readFile(join(cacheDir(), f), 'utf8'))).toMatchObject({ v: 1, status: 200 });
  });

  it("another issuer's discovery document at this issuer's file: copied whole, or planted under this URL", async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api' });
    const baseline = await run(token);
    const other = await startIssuer({ audience: AUD });
    const otherHome = await mkdtemp(join(tmpdir(), 'why401-cache-e2e-other-'));
    try {
      await run(await other.sign({ sub: 'u2', aud: AUD }), [], otherHome);
      const otherFile = discoveryFile(other, join(otherHome, 'why401'));

      // Copied whole: the entry names the other issuer's URL inside.
      await copyFile(otherFile, discoveryFile(issuer));
      expect(diagnosisOf(await run(token))).toEqual(diagnosisOf(baseline));

      // Planted: this URL and issuer on the label, the other issuer's document inside.
      const planted = JSON.parse(await readFile(otherFile, 'utf8')) as { url: string; scope: string };
      planted.url = `${issuer.issuer}/.well-known/openid-configuration`;
      planted.scope = `oidc-discovery ${issuer.issuer}`;
      await writeFile(discoveryFile(issuer), JSON.stringify(planted));
      issuer.received.length = 0;
      const again = await run(token);
      expect(diagnosisOf(again)).toEqual(diagnosisOf(baseline));
      expect(askedByWhy401(issuer)).toContain('/.well-known/openid-configuration');
      expect(JSON.stringify(again.report)).not.toContain(other.issuer);
    } finally {
      await other.close();
      await rm(otherHome, { recursive: true, force: true });
    }
  });
});
