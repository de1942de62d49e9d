import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_MESSAGES } from '../../src/knowledge/server-messages.js';
import type { Report } from '../../src/model/report.js';
import { parseWwwAuthenticate } from '../../src/parse/challenge.js';
import { runCli } from '../support/cli.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import {
  expressOauth2JwtBearer,
  expressPassport,
  fastifyJwtApi,
  honoJwtApi,
  type Api,
  type ApiOptions,
} from './servers.js';

/**
 * Each adapter turns its middleware's real errors into the right status, challenge and body; and
 * the built CLI, given nothing but the URL and the token, names the cause of each refusal. (Build
 * first: `npm run build`.)
 */
const AUD = 'https://api.why401.test';
let issuer: TestIssuer;
const apis: Api[] = [];
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUD });
  const o: ApiOptions = { issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: AUD };
  apis.push(
    await expressOauth2JwtBearer(o),
    await expressPassport(o),
    await fastifyJwtApi(o),
    await honoJwtApi(o),
  );
});
afterAll(async () => {
  for (const a of apis) await a.close();
  await issuer?.close();
});

interface Case {
  name: string;
  path: string;
  token: () => Promise<string | undefined>;
  status: number;
  error: string | undefined;
  description?: string;
  scope?: string;
  cause: string;
}

const CASES: Case[] = [
  {
    name: 'no token',
    path: '/me',
    token: async () => undefined,
    status: 401,
    error: undefined,
    cause: 'credentials.missing',
  },
  {
    name: 'a malformed token',
    path: '/me',
    token: async () => 'eyJub3Q.eyJzdWIiOiJ1In0.c2ln',
    status: 401,
    error: 'invalid_token',
    description: 'The token is malformed',
    cause: 'token.malformed',
  },
  {
    name: 'an expired token',
    path: '/me',
    token: () => issuer.sign({ sub: 'u1', aud: AUD, scope: 'read', iat: now() - 7200, exp: now() - 3600 }),
    status: 401,
    error: 'invalid_token',
    description: 'The token is expired',
    cause: 'token.expired',
  },
  {
    name: 'a token for another audience',
    path: '/me',
    token: () => issuer.sign({ sub: 'u1', aud: 'https://other.api', scope: 'read' }),
    status: 401,
    error: 'invalid_token',
    description: 'The audience is invalid',
    cause: 'jwt.audience-mismatch',
  },
  {
    name: 'a token without the scope',
    path: '/admin',
    token: () => issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' }),
    status: 403,
    error: 'insufficient_scope',
    scope: 'admin',
    cause: 'jwt.scope-insufficient',
  },
];

const firstCause = (r: Report) => r.findings.find((f) => f.kind === 'cause');

/**
 * Every product why401 can credit with a server's words. why401/server writes ASP.NET Core
 * JwtBearer's descriptions on purpose, in a problem+json body and without `Server: Kestrel`: the
 * report quotes the words and names the cause, and names no product.
 */
const PRODUCERS = [...new Set(SERVER_MESSAGES.map((e) => e.producer))];
const creditedIn = (r: Report) => {
  const text = JSON.stringify(r.findings);
  return PRODUCERS.filter((p) => text.includes(`${p} answered`) || text.includes(`${p}:`));
};

const NAMES = [
  'Express + express-oauth2-jwt-bearer',
  'Express + passport-http-bearer',
  'Fastify + @fastify/jwt',
  'Hono + hono/jwt',
];

describe.each(NAMES.map((name, i) => [name, i] as const))('%s', (_name, i) => {
  const api = () => apis[i]!;

  it('a valid token still passes', async () => {
    const token = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read admin' });
    const res = await fetch(`${api().url}/admin`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status, api().name).toBe(200);
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.status} ${c.error ?? '(no error code)'}, problem+json, request id, no-store; why401 says ${c.cause}`, async () => {
      const token = await c.token();
      const headers: Record<string, string> = { 'X-Request-Id': `req-${i}-${c.path.slice(1)}` };
      if (token) headers['Authorization'] = `Bearer ${token}`;
      const res = await fetch(`${api().url}${c.path}`, { headers });
      const label = `${api().name}: ${c.name}`;
      expect(res.status, label).toBe(c.status);
      expect(res.headers.get('cache-control'), label).toBe('no-store');
      expect(res.headers.get('x-request-id'), label).toBe(headers['X-Request-Id']);
      expect(res.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);

      const parsed = parseWwwAuthenticate([res.headers.get('www-authenticate') ?? '']);
      expect(parsed.problems, label).toEqual([]);
      expect(parsed.challenges, label).toHaveLength(1);
      const params = parsed.challenges[0]!.params;
      expect(parsed.challenges[0]!.scheme).toBe('Bearer');
      expect(params['realm'], label).toBe('api');
      expect(params['error'], label).toBe(c.error);
      if (c.error === undefined) expect(params['error_description'], label).toBeUndefined();
      if (c.description) expect(params['error_description'], label).toBe(c.description);
      expect(params['scope'], label).toBe(c.scope);

      const body = (await res.json()) as Record<string, unknown>;
      expect(body, label).toMatchObject({
        type: 'about:blank',
        status: c.status,
        request_id: headers['X-Request-Id'],
      });
      expect(body['error'], label).toBe(c.error);
      if (token) expect(JSON.stringify(body), label).not.toContain(token);

      const cli = await runCli([
        `${api().url}${c.path}`,
        ...(token ? ['-H', `Authorization: Bearer ${token}`] : []),
        '--json',
      ]);
      expect(cli.stderr, label).toBe('');
      const report = JSON.parse(cli.stdout) as Report;
      expect(firstCause(report)?.id, label).toBe(c.cause);
      expect(creditedIn(report), label).toEqual([]);
      expect(cli.code, label).toBe(1);
    });
  }
});

describe('errors that are not about auth', () => {
  it('pass through to the framework (Fastify 500, Hono fallback)', async () => {
    expect((await fetch(`${apis[2]!.url}/boom`)).status).toBe(500);
    expect((await fetch(`${apis[3]!.url}/boom`)).status).toBe(500);
  });
});
