/**
 * Issue 16's head start, end to end: the built CLI sends the user's request and its anonymous
 * probe, and asks the token's issuer for discovery and the JWKS, before the rest of why401 has
 * loaded (cli/early.ts, probe/prefetch.ts); the run takes those answers instead of asking again
 * (each request received once), with the same diagnosis as a run that declines the head start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

const AUD = 'https://api.why401.test';
let api: TestServer;
let issuer: TestIssuer;
/** What the issuer had been asked (by why401) when the API received each request for /api/me. */
const seenByApi: string[][] = [];
/** Every request the API received: path, and whether it carried an Authorization header. */
const apiReceived: Array<{ path: string; credentials: boolean }> = [];
let cacheHome: string;

const askedByWhy401 = () =>
  issuer.received.filter((q) => String(q.headers['user-agent']).startsWith('why401/')).map((q) => q.path);

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  api = await startServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    apiReceived.push({ path, credentials: req.headers.authorization !== undefined });
    if (path === '/api/me') seenByApi.push(askedByWhy401());
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Content-Type': 'text/plain' });
    res.end('unauthorized');
  });
  cacheHome = await mkdtemp(join(tmpdir(), 'why401-prefetch-e2e-'));
});
afterAll(async () => {
  await api.close();
  await issuer.close();
  await rm(cacheHome, { recursive: true, force: true });
});

async function run(extra: string[]) {
  issuer.received.length = 0;
  seenByApi.length = 0;
  apiReceived.length = 0;
  // A token the issuer's JWKS does not verify: the verification needs both documents.
  const token = await issuer.sign({ aud: AUD, sub: 'u', scope: 'read' }, { foreignKey: true });
  const r = await runCli(
    [`${api.url}/api/me`, '-H', `Authorization: Bearer ${token}`, '--json', '--no-cache', ...extra],
    {
      env: { XDG_CACHE_HOME: cacheHome },
    },
  );
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  return {
    code: r.code,
    outcome: report.outcome,
    causes: report.findings.map((f) => f.id),
  };
}

describe('the identity provider asked at boot', () => {
  const jwksPath = () => new URL(issuer.jwksUri).pathname;

  it('asks each document once, and the API receives each request once', async () => {
    const d = await run([]);
    // Discovery leaves at boot, just after the user's request; the JWKS when its answer is in.
    expect(askedByWhy401()).toEqual(['/.well-known/openid-configuration', jwksPath()]);
    // The resource's RFC 9728 metadata is asked at boot too, once, without credentials; then the
    // user's request and the anonymous probe.
    expect(apiReceived.filter((q) => q.path.startsWith('/.well-known/'))).toEqual([
      { path: '/.well-known/oauth-protected-resource/api/me', credentials: false },
    ]);
    expect(
      apiReceived
        .filter((q) => q.path === '/api/me')
        .map((q) => q.credentials)
        .sort(),
    ).toEqual([false, true]);
    expect(d.causes[0]).toBe('jwt.signature-invalid');
  });

  it('diagnoses exactly as a run that declines the head start (-L: an option it does not read)', async () => {
    const early = await run([]);
    const late = await run(['-L']);
    // Declined: the run asks on its own, after the user's request has left.
    expect(seenByApi[0]).toEqual([]);
    expect(apiReceived.filter((q) => q.path === '/api/me')).toHaveLength(2);
    expect(askedByWhy401()).toEqual(['/.well-known/openid-configuration', jwksPath()]);
    expect(early).toEqual(late);
  });
});
