import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { schemaErrors } from '../support/schema.js';

/**
 * The built CLI against a real resource server: Express 5 + express-oauth2-jwt-bearer, verifying
 * tokens from a real issuer (discovery + JWKS). Each case asserts the first cause, the exit code,
 * what the API received, and that the raw token is in no output.
 */
const AUD = 'https://api.why401.test';
let issuer: TestIssuer;
let api: ExpressApi;
beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  api = await startExpressApi({ issuer: issuer.issuer, audience: AUD });
});
afterAll(async () => {
  await api?.close();
  await issuer?.close();
});

const now = () => Math.floor(Date.now() / 1000);

async function diagnose(
  path: string,
  headers: string[],
): Promise<{ report: Report; code: number; outputs: string[] }> {
  const args = [`${api.url}${path}`, ...headers.flatMap((h) => ['-H', h])];
  const json = await runCli([...args, '--json']);
  const text = await runCli(args);
  const md = await runCli([...args, '--markdown']);
  expect(json.stderr).toBe('');
  const report = JSON.parse(json.stdout) as Report;
  expect(schemaErrors(report)).toBe('');
  expect(text.code).toBe(json.code);
  return {
    report,
    code: json.code,
    outputs: [json.stdout, text.stdout, md.stdout, json.stderr, text.stderr, md.stderr],
  };
}

const firstCause = (r: Report) => r.findings.find((f) => f.kind === 'cause');

describe('Express 5 + express-oauth2-jwt-bearer', () => {
  it('a valid token: no cause, exit 0, the API received it', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' });
    const before = api.received.length;
    const { report, code, outputs } = await diagnose('/api/me', [`Authorization: Bearer ${token}`]);
    expect(report.outcome).toBe('ok');
    expect(firstCause(report)).toBeUndefined();
    expect(code).toBe(0);
    expect(api.received.slice(before).some((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    for (const o of outputs) expect(o).not.toContain(token);
  });

  it('an expired token: token.expired, confirmed by the server words', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iat: now() - 7200, exp: now() - 3600 });
    const { report, code, outputs } = await diagnose('/api/me', [`Authorization: Bearer ${token}`]);
    const c = firstCause(report)!;
    expect(c.id).toBe('token.expired');
    expect(c.confidence).toBe('confirmed');
    expect(c.title).toMatch(/60 minutes ago|1 hour ago/);
    expect(
      c.evidence.some((e) => e.where === 'response.header.www-authenticate' && /exp/.test(e.value)),
    ).toBe(true);
    expect(code).toBe(1);
    for (const o of outputs) expect(o).not.toContain(token);
  });

  it('no token: credentials.missing', async () => {
    const { report, code } = await diagnose('/api/me', []);
    expect(firstCause(report)?.id).toBe('credentials.missing');
    expect(report.status).toBe(401);
    expect(code).toBe(1);
  });

  it('a Basic header where Bearer is expected: 400 + challenge, header.scheme-mismatch', async () => {
    const { report, code } = await diagnose('/api/me', ['Authorization: Basic YWxpY2U6czNjcmV0']);
    expect(report.status).toBe(400);
    expect(report.outcome).toBe('unauthorized');
    expect(firstCause(report)?.id).toBe('header.scheme-mismatch');
    expect(code).toBe(1);
  });

  it('insufficient scope: jwt.scope-insufficient naming the scope, authz.forbidden folded into it', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' });
    const { report } = await diagnose('/api/admin', [`Authorization: Bearer ${token}`]);
    const c = firstCause(report)!;
    expect(report.status).toBe(403);
    expect(c.id).toBe('jwt.scope-insufficient');
    expect(report.findings.some((f) => f.id === 'authz.forbidden')).toBe(false);
    expect(c.absorbed).toContain('authz.forbidden');
    expect(c.title).toContain('admin');
  });

  it('a doubled scheme: header.scheme-repeated', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD });
    const { report, outputs } = await diagnose('/api/me', [`Authorization: Bearer Bearer ${token}`]);
    expect(firstCause(report)?.id).toBe('header.scheme-repeated');
    for (const o of outputs) expect(o).not.toContain(token);
  });

  it('an ID token: jwt.id-token-used, corroborated by the aud rejection', async () => {
    const token = await issuer.sign({
      sub: 'u1',
      aud: 'web-client',
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
      azp: 'web-client',
    });
    const { report } = await diagnose('/api/me', [`Authorization: Bearer ${token}`]);
    const c = firstCause(report)!;
    expect(c.id).toBe('jwt.id-token-used');
    expect(c.confidence).toBe('confirmed');
  });

  it('a token of the wrong audience: one cause, the server words quoted in it', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api', scope: 'read' });
    const { report } = await diagnose('/api/me', [`Authorization: Bearer ${token}`]);
    const c = firstCause(report)!;
    expect(c.id).toBe('jwt.audience-mismatch');
    expect(c.confidence).toBe('confirmed');
    // The generic refusal folds into the specific cause: its words are kept, its id is not listed again.
    expect(c.absorbed).toContain('credentials.rejected');
    expect(report.findings.map((f) => f.id)).not.toContain('credentials.rejected');
    expect(
      c.evidence.some((e) => e.where === 'response.header.www-authenticate' && /aud/.test(e.value)),
    ).toBe(true);
  });
});
