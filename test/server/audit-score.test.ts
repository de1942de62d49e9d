import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { startAuditIssuer, type AuditIssuer } from '../audit/support/issuer.js';
import { expressOauth2JwtBearer, fastifyJwtApi, honoJwtApi, type Api, type ApiOptions } from './servers.js';

/**
 * Issue 18 item 3: `why401 audit` scores a server built with why401/server's helpers 100. The
 * servers of servers.ts (the adapters installed as their docs say), described by their own
 * OpenAPI document, audited by the built CLI with a token that may do everything and one without
 * the `admin` scope. Their RFC 9728 metadata is why401/server's protectedResourceMetadata().
 * (Build first: `npm run build`.)
 */
const AUD = 'https://api.why401.test';
const DOC = fileURLToPath(new URL('../fixtures/openapi/server-helpers.yaml', import.meta.url));
let issuer: AuditIssuer;
let token: string;
let low: string;
const apis: Api[] = [];

beforeAll(async () => {
  // The audit's issuer: a JWKS with a cache lifetime and a key published ahead of rotation, and
  // RFC 9068 access tokens (typ at+jwt, client_id, jti): what the whole-API rules ask of an issuer.
  issuer = await startAuditIssuer();
  const o: ApiOptions = { issuer: issuer.issuer, jwksUri: `${issuer.issuer}/jwks.json`, audience: AUD };
  apis.push(await expressOauth2JwtBearer(o), await fastifyJwtApi(o), await honoJwtApi(o));
  token = await issuer.sign({ audience: AUD, scope: 'admin' });
  low = await issuer.sign({ audience: AUD, scope: 'profile' });
});
afterAll(async () => {
  for (const a of apis) await a.close();
  await issuer?.close();
});

interface AuditJson {
  score: number;
  findings: Array<{ id: string; severity: string; title: string }>;
  rules: Array<{ id: string; judged: number; passed: number }>;
}

describe.skipIf(!existsSync(CLI))('why401 audit of the why401/server adapters (issue 18 item 3)', () => {
  for (const name of ['Express + express-oauth2-jwt-bearer', 'Fastify + @fastify/jwt', 'Hono + hono/jwt']) {
    it(`scores ${name} 100`, async () => {
      const api = apis.find((a) => a.name === name)!;
      const r = await runCli(
        ['audit', api.url, '--openapi', DOC, '--token', token, '--token-low', low, '--format', 'json'],
        { timeoutMs: 60_000 },
      );
      const report = JSON.parse(r.stdout) as AuditJson;
      expect(report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}: ${f.title}`)).toEqual(
        [],
      );
      expect(report.score).toBe(100);
      // The RFC 9728 rules judged the document protectedResourceMetadata() serves, and it passed.
      const rfc9728 = report.rules.filter((x) => x.id.startsWith('audit.resource-metadata-'));
      expect(rfc9728.map((x) => [x.id, x.judged, x.passed]).sort()).toEqual([
        ['audit.resource-metadata-mismatch', 1, 1],
        ['audit.resource-metadata-missing', 1, 1],
      ]);
      expect(r.code).toBe(0);
    }, 60_000);
  }
});
