import type { IncomingMessage, ServerResponse } from 'node:http';
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startFastifyApi, type FastifyApi } from '../support/fastify-rs.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

/**
 * Issue 11: one answer that explains the evidence, proven by a repaired request. Each case is one
 * run of the built CLI against a real resource server (express-oauth2-jwt-bearer, @fastify/jwt, an
 * RFC 9728 resource verifying with jose, node:http), asserting the first cause, the absence of the
 * causes the evidence contradicts, no id twice, and, where a repair applies, what the server
 * received and that the report says "Verified".
 */
const AUD = 'https://api.why401.test';

let issuer: TestIssuer;
let express: ExpressApi;
let fastify: FastifyApi;
let rfc9728: TestServer;
let routed: TestServer;
let other: TestServer;
let good: string;

const json = (stdout: string) => JSON.parse(stdout) as Report;
const causes = (r: Report) => r.findings.filter((f) => f.kind === 'cause');
const first = (r: Report): Finding | undefined => causes(r)[0];

function noIdTwice(r: Report): void {
  const ids = r.findings.map((f) => f.id);
  expect(new Set(ids).size, `ids: ${ids.join(', ')}`).toBe(ids.length);
}

async function why(args: string[]): Promise<{ report: Report; code: number; text: string }> {
  const r = await runCli([...args, '--json']);
  const t = await runCli(args);
  return { report: json(r.stdout), code: r.code, text: t.stdout };
}

/**
 * An RFC 9728 protected resource: its metadata names the resource, and every refusal says only
 * `error="invalid_token"` with a `resource_metadata` pointer (RFC 9728 §5.1), as a terse server does.
 */
function resourceServer(jwks: ReturnType<typeof jose.createRemoteJWKSet>, iss: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const base = `http://${req.headers.host}`;
    if (req.url === '/.well-known/oauth-protected-resource/api/me') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ resource: `${base}/api/me`, authorization_servers: [iss] }));
      return;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const challenge = `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/api/me"`;
    if (!token) {
      res.writeHead(401, { 'WWW-Authenticate': challenge });
      res.end();
      return;
    }
    try {
      await jose.jwtVerify(token, jwks, { issuer: iss, audience: `${base}/api/me` });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    } catch {
      res.writeHead(401, { 'WWW-Authenticate': `${challenge}, error="invalid_token"` });
      res.end();
    }
  };
}

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  express = await startExpressApi({ issuer: issuer.issuer, audience: AUD });
  fastify = await startFastifyApi({ issuer: issuer.issuer, audience: AUD });
  const jwks = jose.createRemoteJWKSet(new URL(issuer.jwksUri));
  const rs = resourceServer(jwks, issuer.issuer);
  rfc9728 = await startServer((req, res) => void rs(req, res));
  good = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' });
  // A gateway-style router: an exact route table, and a 401 for every path it does not know
  // (as API gateways answer unknown routes), so `//api/me` is refused although the token is good.
  routed = await startServer((req, res) => {
    const ok = req.headers.authorization === `Bearer ${good}`;
    if (req.url === '/api/me' && ok) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    if (req.url === '/go') {
      res.writeHead(302, { Location: `${other.url}/api/me` });
      res.end();
      return;
    }
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"', 'Content-Type': 'application/json' });
    res.end('{"message":"Unauthorized"}');
  });
  other = await startServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="other"' });
    res.end();
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([express?.close(), fastify?.close(), rfc9728?.close(), routed?.close(), other?.close()]);
  await issuer?.close();
});

describe('one explanation for all the evidence', () => {
  it('invalid_token from express-oauth2-jwt-bearer: the server named the token, so nothing is "not received"', async () => {
    const expired = await issuer.sign({ sub: 'u1', aud: AUD, exp: Math.floor(Date.now() / 1000) - 3600 });
    const { report, code } = await why([`${express.url}/api/me`, '-H', `Authorization: Bearer ${expired}`]);
    expect(code).toBe(1);
    expect(first(report)?.id).toBe('token.expired');
    const ids = report.findings.map((f) => f.id);
    expect(ids).not.toContain('credentials.not-received');
    expect(ids).not.toContain('credentials.rejected');
    expect(first(report)?.absorbed).toContain('credentials.rejected');
    noIdTwice(report);
    const notReceived = report.checks.find((c) => c.id === 'credentials.not-received');
    expect(notReceived?.status).not.toBe('found');
  });

  it("RFC 9728: the metadata's resource explains the bare invalid_token; the generic refusal folds in", async () => {
    const { report, code } = await why([`${rfc9728.url}/api/me`, '-H', `Authorization: Bearer ${good}`]);
    expect(code).toBe(1);
    const c = first(report)!;
    expect(c.id).toBe('jwt.audience-mismatch');
    expect(c.confidence).toBe('confirmed');
    expect(c.title).toContain(`${rfc9728.url}/api/me`);
    expect(causes(report).map((f) => f.id)).not.toContain('credentials.rejected');
    expect(c.absorbed).toContain('credentials.rejected');
    noIdTwice(report);
  });

  it('every other cause says why it ranks lower', async () => {
    // Two real problems: the token expired, and (by --expect-audience) it is for another API.
    const token = await issuer.sign({
      sub: 'u1',
      aud: 'https://other.api',
      exp: Math.floor(Date.now() / 1000) - 600,
    });
    const { report } = await why([
      `${express.url}/api/me`,
      '-H',
      `Authorization: Bearer ${token}`,
      '--expect-audience',
      AUD,
    ]);
    const rest = causes(report).slice(1);
    expect(rest.length).toBeGreaterThan(0);
    for (const f of rest) expect(f.whyLower, f.id).toMatch(/\w/);
    expect(first(report)?.whyLower).toBeUndefined();
    noIdTwice(report);
  });
});

describe('repairs: the fix, tried', () => {
  it('GET //api/me: the normalised path gets 200, so url.double-slash is Verified and nothing else is claimed', async () => {
    const before = routed.received.length;
    const { report, code, text } = await why([
      `${routed.url}//api/me`,
      '-H',
      `Authorization: Bearer ${good}`,
    ]);
    expect(code).toBe(1);
    const c = first(report)!;
    expect(c.id).toBe('url.double-slash');
    expect(c.confidence).toBe('confirmed');
    expect(c.verified?.status).toBe(200);
    expect(causes(report)).toHaveLength(1);
    expect(report.findings.map((f) => f.id)).not.toContain('credentials.not-received');
    expect(report.repairs).toContainEqual(
      expect.objectContaining({
        causes: ['url.double-slash'],
        url: `${routed.url}/api/me`,
        status: 200,
        succeeded: true,
      }),
    );
    // What the server received: the repaired request, with the user's token, on the normalised path.
    const got = routed.received.slice(before);
    expect(got.some((q) => q.url === '/api/me' && q.headers.authorization === `Bearer ${good}`)).toBe(true);
    // The report wraps to 80 columns when piped: compare the words, not the line breaks.
    expect(text.replace(/\s+/g, ' ')).toContain(
      '✔ Verified: the same request with the path /api/me without the double slash got 200 OK',
    );
    expect(text).toMatch(
      /curl http:\/\/127\.0\.0\.1:\d+\/api\/me -H 'Authorization: Bearer eyJ[^']*\(sha256:/,
    );
    expect(text).not.toContain(good);
  });

  it('a token in X-Auth-Token to @fastify/jwt ("No Authorization was found"): apikey.wrong-place, Verified', async () => {
    const before = fastify.received.length;
    const { report, code, text } = await why([`${fastify.url}/api/me`, '-H', `X-Auth-Token: ${good}`]);
    expect(code).toBe(1);
    const c = first(report)!;
    expect(c.id).toBe('apikey.wrong-place');
    expect(c.verified?.change).toContain('Authorization: Bearer');
    expect(c.verified?.status).toBe(200);
    const ids = report.findings.map((f) => f.id);
    expect(ids).not.toContain('credentials.rejected');
    expect(ids).not.toContain('credentials.not-received');
    const got = fastify.received.slice(before);
    expect(got.some((q) => q.headers.authorization === `Bearer ${good}` && !q.headers['x-auth-token'])).toBe(
      true,
    );
    expect(text).toContain('✔ Verified:');
    expect(text).not.toContain(good);
    noIdTwice(report);
  });

  it('--no-probes sends no repair', async () => {
    const before = routed.received.length;
    const { report } = await why([
      `${routed.url}//api/me`,
      '-H',
      `Authorization: Bearer ${good}`,
      '--no-probes',
    ]);
    expect(report.repairs).toEqual([]);
    expect(routed.received.slice(before).every((q) => q.url === '//api/me')).toBe(true);
  });

  it('an unsafe method is never repaired without --allow-replay, and is with it', async () => {
    let before = routed.received.length;
    const args = [`${routed.url}//api/me`, '-X', 'POST', '-H', `Authorization: Bearer ${good}`, '-d', 'x=1'];
    const { report } = await why(args);
    // Two runs (JSON and text), each sending the user's POST once and nothing more (the only
    // other requests are the GETs for the RFC 9728 metadata, which carry no credentials).
    const sent = routed.received.slice(before);
    expect(sent.filter((q) => q.method !== 'GET').map((q) => `${q.method} ${q.url}`)).toEqual([
      'POST //api/me',
      'POST //api/me',
    ]);
    for (const q of sent.filter((q) => q.method === 'GET')) expect(q.headers.authorization).toBeUndefined();
    expect(report.repairs).toEqual([]);
    expect(report.skippedProbes.some((s) => s.probe === 'repair' && /--allow-replay/.test(s.reason))).toBe(
      true,
    );
    before = routed.received.length;
    const replay = await why([...args, '--allow-replay']);
    expect(replay.report.repairs.map((r) => r.method)).toEqual(['POST']);
    expect(routed.received.slice(before).filter((q) => q.url === '/api/me' && q.body === 'x=1')).toHaveLength(
      2,
    );
  });

  it('no credential reaches another origin: a repair never follows a redirect there', async () => {
    const before = other.received.length;
    await why([`${routed.url}//go`, '-H', `Authorization: Bearer ${good}`, '-H', `X-Auth-Token: ${good}`]);
    for (const q of other.received.slice(before)) {
      expect(q.headers.authorization).toBeUndefined();
      expect(JSON.stringify(q.headers)).not.toContain(good);
    }
  });
});
