import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startExpressAuditApi, type ExpressDefect } from './support/express-api.js';
import { above, auditApi, category, ids } from './support/audit.js';

/**
 * Express 5 + express-oauth2-jwt-bearer, audited for real: one API set up well, then one defect at
 * a time, each asserted by its finding's id and by the score it costs.
 */
let issuer: AuditIssuer;
let token: string;
let low: string;
const AUD = 'https://api.example.test';

beforeAll(async () => {
  issuer = await startAuditIssuer();
  token = await issuer.sign({ audience: AUD, scope: 'read:items admin' });
  low = await issuer.sign({ audience: AUD, scope: 'profile' });
});
afterAll(() => issuer.close());

async function auditWith(defects: ExpressDefect[], doc = 'express-3.1.yaml') {
  const api = await startExpressAuditApi({ issuer: issuer.issuer, defects });
  try {
    return await auditApi(api.url, doc, { token, tokenLow: low });
  } finally {
    await api.close();
  }
}

describe('Express + express-oauth2-jwt-bearer configured well', () => {
  it('scores at least 95 with no finding above info (OpenAPI 3.1, YAML)', async () => {
    const r = await auditWith([]);
    expect(above(r), JSON.stringify(r.findings, null, 2)).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(95);
    expect(r.score).toBe(100);
    expect(r.operations.map((o) => o.operation)).toEqual([
      'GET /health',
      'GET /items',
      'GET /items/{itemId}',
      'GET /admin/stats',
      'DELETE /admin/stats',
    ]);
    expect(r.operations[4]!.skipped).toMatch(/--allow-unsafe/);
    expect(r.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('reads the Swagger 2.0 description of the same API alike', async () => {
    const r = await auditWith([], 'swagger-2.0.json');
    expect(above(r)).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(95);
    expect(r.operations.map((o) => o.operation)).toContain('GET /items/{itemId}');
  });
});

describe('Express with a known defect', () => {
  // [defect, the finding it must raise, its category, that category's score, the overall score]:
  // pinned, so a change of weights is a visible decision, not a drift.
  const cases: Array<[ExpressDefect, string, string, number, number]> = [
    ['anonymous-open', 'audit.anonymous-not-refused', 'access', 14, 86],
    ['forbidden-without-challenge', 'audit.anonymous-status', 'challenges', 39, 88],
    ['scope-401', 'audit.scope-status', 'challenges', 82, 95],
    ['cacheable-401', 'audit.refusal-cacheable', 'errors', 74, 96],
    ['html-errors', 'audit.error-body-html', 'errors', 43, 91],
    ['gated-preflight', 'audit.preflight-gated', 'browsers', 0, 83],
    ['query-token', 'audit.query-token-accepted', 'transport', 25, 88],
    ['low-token-bypass', 'audit.low-token-accepted', 'access', 71, 95],
  ];
  for (const [defect, id, cat, catScore, score] of cases) {
    it(`${defect}: ${id}, ${cat} ${catScore}, overall ${score}`, async () => {
      const r = await auditWith([defect]);
      expect(ids(r)).toContain(id);
      const f = r.findings.find((x) => x.id === id)!;
      expect(f.severity).toBe('error');
      expect(f.cost).toBeGreaterThan(0);
      expect(f.items.length).toBeGreaterThan(0);
      expect(category(r, cat)).toBe(catScore);
      expect(r.score).toBe(score);
    });
  }

  it("the HTML page of Express's default error handler also shows its stack trace", async () => {
    const r = await auditWith(['html-errors']);
    expect(ids(r)).toContain('audit.error-body-stack-trace');
  });
});
