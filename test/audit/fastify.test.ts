import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startFastifyAuditApi, type FastifyDefect } from './support/fastify-api.js';
import { above, auditApi, category, ids } from './support/audit.js';

/** Fastify 5 + @fastify/jwt, audited for real (OpenAPI 3.0, JSON; its server URL is another host's). */
let issuer: AuditIssuer;
let token: string;
let low: string;
const AUD = 'https://orders.example.test';

beforeAll(async () => {
  issuer = await startAuditIssuer();
  token = await issuer.sign({ audience: AUD, scope: 'orders:read reports:read' });
  low = await issuer.sign({ audience: AUD, scope: 'orders:read' });
});
afterAll(() => issuer.close());

async function auditWith(defects: FastifyDefect[]) {
  const api = await startFastifyAuditApi({ issuer: issuer.issuer, audience: AUD, defects });
  try {
    return await auditApi(api.url, 'fastify-3.0.json', { token, tokenLow: low });
  } finally {
    await api.close();
  }
}

describe('Fastify + @fastify/jwt configured well', () => {
  it('scores at least 95 with no finding above info (OpenAPI 3.0, JSON)', async () => {
    const r = await auditWith([]);
    expect(above(r), JSON.stringify(r.findings, null, 2)).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(95);
    // The low token has orders:read: only /reports is out of its reach, and it gets 403 there.
    expect(r.operations.find((o) => o.operation === 'GET /reports')?.statuses.low).toBe(403);
    expect(r.operations.find((o) => o.operation === 'GET /orders')?.statuses.low).toBe(200);
    expect(r.operations.find((o) => o.operation === 'GET /orders')?.url).toMatch(/\/v1\/orders\?limit=10$/);
  });
});

describe('Fastify with a known defect', () => {
  it("default-errors: @fastify/jwt's 401 carries no challenge (audit.challenge-missing), the 403 no insufficient_scope", async () => {
    const r = await auditWith(['default-errors']);
    expect(ids(r)).toEqual(
      expect.arrayContaining([
        'audit.challenge-missing',
        'audit.scope-challenge',
        'audit.request-id-missing',
        'audit.refusal-no-store',
        'audit.resource-metadata-missing',
      ]),
    );
    // Found by the audit itself: fast-jwt's error for a token signed with an algorithm outside
    // `algorithms` has no statusCode, so Fastify's default handler answers 500.
    const status = r.findings.find((f) => f.id === 'audit.invalid-token-status');
    expect(status?.items[0]?.evidence[0]).toMatch(/expired-looking token: .* → 500 Internal Server Error/);
    expect(category(r, 'challenges')).toBe(45);
    expect(r.score).toBe(86);
  });

  it('query-token: an extractor reading ?access_token= (audit.query-token-accepted)', async () => {
    const r = await auditWith(['query-token']);
    expect(ids(r)).toContain('audit.query-token-accepted');
    // Without a token anywhere, this extractor makes @fastify/jwt answer 400, not 401.
    expect(ids(r)).toContain('audit.anonymous-status');
    expect(category(r, 'transport')).toBe(25);
    expect(r.score).toBe(84);
  });
});
