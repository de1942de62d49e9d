import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startFastifyApi, type FastifyApi } from '../support/fastify-rs.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { startOidcProvider, type OidcProvider } from '../support/oidc-provider.js';
import { schemaErrors } from '../support/schema.js';

/**
 * Issue 3 end to end: real issuers (a jose-based one and oidc-provider), real resource servers
 * (Express + express-oauth2-jwt-bearer, Fastify + @fastify/jwt), the built CLI. Each cause is
 * reproduced for real and asserted by id and evidence; a healthy setup yields no cause at all.
 */
const AUD = 'https://api.why401.test';
let issuer: TestIssuer;
let express: ExpressApi;
let fastify: FastifyApi;
beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  express = await startExpressApi({ issuer: issuer.issuer, audience: AUD });
  fastify = await startFastifyApi({ issuer: issuer.issuer, audience: AUD });
});
afterAll(async () => {
  await Promise.all([express?.close(), fastify?.close()]);
  await issuer?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const first = (r: Report) => r.findings.find((f) => f.kind === 'cause');

async function run(args: string[], input?: string) {
  const r = await runCli([...args, '--json'], input === undefined ? {} : { input });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(schemaErrors(report)).toBe('');
  return { report, code: r.code, stdout: r.stdout };
}

/** No request to the issuer carries the user's access token (introspection excepted: that is its job). */
function issuerNeverSaw(token: string, received: Array<{ path: string; headers: object; body: string }>) {
  for (const q of received) {
    if (q.path.startsWith('/introspect')) continue;
    const seen = JSON.stringify(q.headers) + q.body + q.path;
    for (const part of [token, ...token.split('.')]) expect(seen, q.path).not.toContain(part);
  }
}

describe('token causes against Express + express-oauth2-jwt-bearer', () => {
  it('wrong audience: jwt.audience-mismatch, confirmed by the server words', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api', scope: 'read' });
    const { report, code } = await run([`${express.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    const c = first(report)!;
    expect(c.id).toBe('jwt.audience-mismatch');
    expect(c.confidence).toBe('confirmed');
    expect(`${c.title} ${c.detail}`).toContain('https://other.api');
    expect(code).toBe(1);
  });

  it('--expect-audience names the expected audience', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api' });
    const { report } = await run([
      `${express.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--expect-audience',
      AUD,
    ]);
    const c = first(report)!;
    expect(c.id).toBe('jwt.audience-mismatch');
    expect(c.evidence).toContainEqual(expect.objectContaining({ where: 'expect.audience', value: AUD }));
  });

  it('issuer with a trailing slash: jwt.issuer-mismatch names it', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iss: `${issuer.issuer}/` });
    const { report } = await run([`${express.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    const c = first(report)!;
    expect(c.id).toBe('jwt.issuer-mismatch');
    expect(`${c.title} ${c.detail}`).toMatch(/trailing slash/);
  });

  it('a token signed by another key: jwt.signature-invalid', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD }, { foreignKey: true });
    const { report } = await run([`${express.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(first(report)?.id).toBe('jwt.signature-invalid');
  });

  it('HS256 with the issuer publishing RSA keys: jwt.alg-confusion', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD }, { alg: 'HS256' });
    const { report } = await run([`${express.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(first(report)?.id).toBe('jwt.alg-confusion');
  });

  it('an expired token and a fresh one that works: token.expired confirmed by the fresh probe', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iat: now() - 7200, exp: now() - 3600 });
    issuer.received.length = 0;
    const { report, stdout } = await run([
      `${express.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--issuer',
      issuer.issuer,
      '--client-id',
      'why401-cli',
      '--client-secret',
      'test-secret',
    ]);
    const c = first(report)!;
    expect(c.id).toBe('token.expired');
    expect(c.evidence.some((e) => e.probe === 'fresh')).toBe(true);
    // The fresh token's success is the proof of the expiry: folded in, not a second cause.
    expect(c.absorbed).toContain('token.fresh-token-works');
    expect(report.findings.map((f) => f.id)).not.toContain('token.fresh-token-works');
    expect(report.probes.find((p) => p.name === 'fresh')?.status).toBe(200);
    expect(stdout).not.toContain('test-secret');
    issuerNeverSaw(token, issuer.received);
  });

  it('a fresh token refused the same way rules staleness out', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' });
    const { report } = await run([
      `${express.url}/api/admin`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--token-url',
      issuer.tokenEndpoint,
      '--client-id',
      'why401-cli',
      '--client-secret',
      'test-secret',
      '--scope',
      'read',
    ]);
    const fresh = report.findings.find((f) => f.id === 'token.fresh-token-works')!;
    expect(fresh.kind).toBe('info');
    expect(first(report)?.id).toBe('jwt.scope-insufficient');
  });

  it('a refresh grant that fails: token.refresh-rejected with the server error', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iat: now() - 7200, exp: now() - 3600 });
    const { report, stdout } = await run([
      `${express.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--token-url',
      issuer.tokenEndpoint,
      '--client-id',
      'why401-cli',
      '--client-secret',
      'test-secret',
      '--refresh-token',
      'not-a-real-refresh-token-0123',
    ]);
    const f = report.findings.find((x) => x.id === 'token.refresh-rejected')!;
    expect(`${f.title} ${f.detail}`).toContain('invalid_grant');
    expect(stdout).not.toContain('not-a-real-refresh-token-0123');
  });

  it('a revoked token: token.inactive from introspection', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    issuer.revoke(token);
    const { report } = await run([
      `${express.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--introspect-url',
      issuer.introspectionEndpoint,
      '--client-id',
      'why401-cli',
      '--client-secret',
      'test-secret',
      '--no-color',
    ]);
    expect(report.findings.find((f) => f.id === 'token.inactive')?.confidence).toBe('confirmed');
  });

  it('a healthy setup yields no cause at all', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' });
    const { report, code } = await run([`${express.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(report.findings.filter((f) => f.kind === 'cause')).toEqual([]);
    expect(report.findings.filter((f) => f.kind === 'warning')).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('key rotation (its own issuer and API: the rotation must not leak into other tests)', () => {
  let rot: TestIssuer;
  let rotApi: ExpressApi;
  beforeAll(async () => {
    rot = await startIssuer({ audience: AUD });
    rotApi = await startExpressApi({ issuer: rot.issuer, audience: AUD });
  });
  afterAll(async () => {
    await rotApi?.close();
    await rot?.close();
  });

  it('keys rotated between issuing and calling: jwt.kid-unknown listing the kids the JWKS holds', async () => {
    const token = await rot.sign({ sub: 'u1', aud: AUD });
    const oldKid = rot.kid;
    await rot.rotateKeys();
    const { report } = await run([`${rotApi.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    const c = first(report)!;
    expect(c.id).toBe('jwt.kid-unknown');
    expect(c.confidence).toBe('confirmed');
    expect(`${c.title} ${c.detail}`).toContain(oldKid);
    expect(`${c.title} ${c.detail}`).toContain(rot.kid);
  });
});

describe('Fastify + @fastify/jwt (no challenge; the words are in the JSON body)', () => {
  it('wrong audience', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api' });
    const { report } = await run([`${fastify.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    const c = first(report)!;
    expect(c.id).toBe('jwt.audience-mismatch');
    expect(c.evidence.some((e) => /aud claim value is not allowed/.test(e.value))).toBe(true);
  });

  it('expired', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iat: now() - 7200, exp: now() - 3600 });
    const { report } = await run([`${fastify.url}/api/me`, '-H', `Authorization: Bearer ${token}`]);
    expect(first(report)?.id).toBe('token.expired');
    expect(first(report)?.confidence).toBe('confirmed');
  });
});

describe('a real OpenID provider (oidc-provider)', () => {
  let op: OidcProvider;
  let api: ExpressApi;
  beforeAll(async () => {
    op = await startOidcProvider({ audience: AUD });
    api = await startExpressApi({ issuer: op.issuer, audience: AUD });
  });
  afterAll(async () => {
    await api?.close();
    await op?.close();
  });

  it('a fresh client-credentials token from the provider works where a foreign token fails', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iss: op.issuer }, { foreignKey: true });
    op.received.length = 0;
    const { report } = await run([
      `${api.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--issuer',
      op.issuer,
      '--client-id',
      op.clientId,
      '--client-secret',
      op.clientSecret,
    ]);
    expect(report.probes.find((p) => p.name === 'fresh')?.status).toBe(200);
    expect(first(report)?.id).toBe('jwt.kid-unknown');
    expect(first(report)?.absorbed).toContain('token.fresh-token-works');
    expect(first(report)?.confidence).toBe('confirmed');
    issuerNeverSaw(token, op.received);
  });
});

describe('why401 token', () => {
  it('offline: claims in plain words and what is wrong', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: AUD, iat: now() - 4 * 3600, exp: now() - 3 * 3600 });
    const r = await runCli(['token', token, '--offline']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expired 3 hours ago/);
    expect(r.stdout).toMatch(/alice/);
    expect(r.stdout).not.toContain(token);
  });

  it('online: verified against the issuer keys, from a file and from stdin', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: AUD }, { foreignKey: true });
    const dir = mkdtempSync(join(tmpdir(), 'why401-token-'));
    writeFileSync(join(dir, 't.txt'), `${token}\n`);
    const fromFile = await run(['token', `@${join(dir, 't.txt')}`]);
    expect(first(fromFile.report)?.id).toBe('jwt.signature-invalid');
    expect(fromFile.report.probes.map((p) => p.name)).toEqual(['discovery', 'jwks']);
    const fromStdin = await run(['token', '-'], token);
    expect(first(fromStdin.report)?.id).toBe('jwt.signature-invalid');
  });

  it('a good token: exit 0', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: AUD });
    const { report, code } = await run(['token', token]);
    expect(report.outcome).toBe('ok');
    expect(code).toBe(0);
  });

  it('garbage: a clear finding, no stack trace', async () => {
    const r = await runCli(['token', 'eyJhbGciOi.broken']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/token\.malformed/);
  });
});
