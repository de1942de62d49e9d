import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { startOidcProvider, type OidcProvider } from '../support/oidc-provider.js';
import { schemaErrors } from '../support/schema.js';

/**
 * Options are never silently unused: --issuer/--client-id/--client-secret or --token-url that
 * cannot give a fresh token are listed as a skipped `fresh` probe with the reason, and only an
 * OAuth error answer from a real token endpoint (RFC 6749 §5.2) is token.refresh-rejected.
 */
const AUD = 'https://api.why401.test';
let issuer: TestIssuer;
let noTokenEndpoint: TestIssuer;
let api: ExpressApi;
let op: OidcProvider;
let notOAuth: Server;
let notOAuthUrl: string;

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  noTokenEndpoint = await startIssuer({ audience: AUD, discovery: { token_endpoint: undefined } });
  api = await startExpressApi({ issuer: issuer.issuer, audience: AUD });
  op = await startOidcProvider({ audience: AUD });
  // Anything but a token endpoint: a 404 page, a 500, an HTML sign-in page with 200.
  notOAuth = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      } else if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
      } else if (req.url === '/spring') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"timestamp":"2026-01-01T00:00:00Z","status":404,"error":"Not Found","path":"/oauth/token"}');
      } else {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      }
    });
  });
  await new Promise<void>((r) => notOAuth.listen(0, '127.0.0.1', r));
  notOAuthUrl = `http://127.0.0.1:${(notOAuth.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api?.close();
  await Promise.all([issuer?.close(), noTokenEndpoint?.close(), op?.close()]);
  await new Promise((r) => notOAuth?.close(r));
});

const now = () => Math.floor(Date.now() / 1000);

async function run(args: string[]) {
  const r = await runCli([...args, '--json']);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(schemaErrors(report)).toBe('');
  const text = await runCli([...args, '--no-color']);
  // The report wraps to 80 columns when piped: compare the words, not the line breaks.
  return { report, text: text.stdout.replace(/\s+/g, ' ') };
}

const expired = () => issuer.sign({ sub: 'u1', aud: AUD, iat: now() - 7200, exp: now() - 3600 });
const ids = (r: Report) => r.findings.map((f) => f.id);

describe('the fresh-token probe, skipped with its reason', () => {
  it('--issuer whose discovery document has no token_endpoint', async () => {
    const { report, text } = await run([
      `${api.url}/api/me`,
      '-H',
      `Authorization: Bearer ${await expired()}`,
      '--issuer',
      noTokenEndpoint.issuer,
      '--client-id',
      'why401-cli',
      '--client-secret',
      'test-secret',
    ]);
    const reason = `the discovery document of ${noTokenEndpoint.issuer} has no token_endpoint`;
    expect(report.skippedProbes).toContainEqual({ probe: 'fresh', reason: expect.stringContaining(reason) });
    expect(text).toContain(reason);
    expect(ids(report)).not.toContain('token.refresh-rejected');
    expect(report.findings.find((f) => f.kind === 'cause')?.id).toBe('token.expired');
  });

  it.each([
    ['/404', 'answered 404 Not Found (text/html): it is not a token endpoint'],
    ['/spring', 'answered 404 Not Found without an OAuth error (RFC 6749 §5.2): it is not a token endpoint'],
    ['/500', 'answered 500 Internal Server Error: a server error, not an answer about the credentials'],
    [
      '/html',
      'answered 200 OK with text/html, not a token response (RFC 6749 §5.1): it is not a token endpoint',
    ],
  ])('--token-url %s', async (path, words) => {
    const { report, text } = await run([
      `${api.url}/api/me`,
      '-H',
      `Authorization: Bearer ${await expired()}`,
      '--token-url',
      `${notOAuthUrl}${path}`,
      '--client-id',
      'why401-cli',
      '--client-secret',
      'test-secret',
      '--refresh-token',
      'not-a-real-refresh-token-0123',
    ]);
    const reason = `the token URL ${notOAuthUrl}${path} ${words}`;
    expect(report.skippedProbes).toContainEqual({ probe: 'fresh', reason: expect.stringContaining(reason) });
    expect(text).toContain(reason);
    expect(ids(report)).not.toContain('token.refresh-rejected');
    expect(report.checks).toContainEqual(
      expect.objectContaining({ id: 'token.refresh-rejected', status: 'not-applicable' }),
    );
    expect(report.findings.find((f) => f.kind === 'cause')?.id).toBe('token.expired');
    expect(text).not.toContain('not-a-real-refresh-token-0123');
  });
});

describe('token.refresh-rejected: an OAuth error from a real token endpoint, advice to fit', () => {
  it('oidc-provider refuses a wrong client secret: invalid_client, about the client id and secret', async () => {
    const { report } = await run([
      `${api.url}/api/me`,
      '-H',
      `Authorization: Bearer ${await expired()}`,
      '--token-url',
      op.tokenEndpoint,
      '--client-id',
      op.clientId,
      '--client-secret',
      'not-the-secret',
    ]);
    const f = report.findings.find((x) => x.id === 'token.refresh-rejected')!;
    expect(f.title).toContain('invalid_client');
    expect(f.fix).toContain('--client-id and --client-secret');
    expect(report.skippedProbes.map((s) => s.probe)).not.toContain('fresh');
  });

  it('the jose issuer refuses an unknown refresh token: invalid_grant, sign in again', async () => {
    const { report } = await run([
      `${api.url}/api/me`,
      '-H',
      `Authorization: Bearer ${await expired()}`,
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
    expect(f.title).toContain('invalid_grant');
    expect(f.fix).toContain('Sign in again');
  });
});
