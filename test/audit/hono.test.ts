import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startHonoAuditApi, type HonoDefect } from './support/hono-api.js';
import { above, auditApi, category, ids } from './support/audit.js';

/** Hono 4 + hono/jwt on @hono/node-server, audited for real (OpenAPI 3.1, JSON, an http bearer scheme). */
let issuer: AuditIssuer;
let token: string;
let low: string;
const AUD = 'https://notes.example.test';

beforeAll(async () => {
  issuer = await startAuditIssuer();
  token = await issuer.sign({ audience: AUD, scope: 'notes:read admin' });
  low = await issuer.sign({ audience: AUD, scope: 'notes:read' });
});
afterAll(() => issuer.close());

async function auditWith(defects: HonoDefect[]) {
  const api = await startHonoAuditApi({ issuer: issuer.issuer, audience: AUD, defects });
  try {
    return await auditApi(api.url, 'hono-3.1.json', { token, tokenLow: low });
  } finally {
    await api.close();
  }
}

describe('Hono + hono/jwt configured well', () => {
  it('scores at least 95 with no finding above info (OpenAPI 3.1, JSON, http bearer)', async () => {
    const r = await auditWith([]);
    expect(above(r), JSON.stringify(r.findings, null, 2)).toEqual([]);
    expect(ids(r)).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(95);
    expect(r.score).toBe(100);
    expect(r.operations.map((o) => o.operation)).toEqual([
      'GET /ping',
      'GET /notes',
      'GET /notes/{noteId}',
      'GET /admin/audit-log',
    ]);
    // The low token has notes:read: only the audit log is out of its reach, and it gets 403 there.
    expect(r.operations.find((o) => o.operation === 'GET /admin/audit-log')?.statuses.low).toBe(403);
    expect(r.operations.find((o) => o.operation === 'GET /notes')?.statuses.low).toBe(200);
  });
});

describe('Hono with a known defect', () => {
  // [defect, the finding it must raise, its severity, its category, that category's score, the overall score]
  const cases: Array<[HonoDefect, string, 'error' | 'warning', string, number, number]> = [
    ['anonymous-open', 'audit.anonymous-not-refused', 'error', 'access', 43, 91],
    ['forbidden-without-challenge', 'audit.anonymous-status', 'error', 'challenges', 26, 86],
    ['scope-401', 'audit.scope-status', 'error', 'challenges', 82, 97],
    ['cacheable-401', 'audit.refusal-cacheable', 'error', 'errors', 74, 96],
    ['html-errors', 'audit.error-body-html', 'error', 'errors', 67, 89],
    ['gated-preflight', 'audit.preflight-gated', 'error', 'browsers', 0, 83],
    ['query-token', 'audit.query-token-accepted', 'error', 'transport', 25, 88],
    ['low-token-bypass', 'audit.low-token-accepted', 'error', 'access', 71, 95],
    // hono/jwt's own refusal, kept by Hono's default error handler: the challenge is right, the body
    // is the text "Unauthorized" and nothing says no-store.
    ['default-errors', 'audit.error-body-unstructured', 'warning', 'errors', 81, 97],
  ];
  for (const [defect, id, severity, cat, catScore, score] of cases) {
    it(`${defect}: ${id}, ${cat} ${catScore}, overall ${score}`, async () => {
      const r = await auditWith([defect]);
      expect(ids(r)).toContain(id);
      const f = r.findings.find((x) => x.id === id)!;
      expect(f.severity).toBe(severity);
      expect(f.cost).toBeGreaterThan(0);
      expect(f.items.length).toBeGreaterThan(0);
      expect(category(r, cat)).toBe(catScore);
      expect(r.score).toBe(score);
    });
  }

  it("default-errors: hono/jwt's own 401 is read as it is sent (challenge kept, text body, no Cache-Control)", async () => {
    const r = await auditWith(['default-errors']);
    expect(ids(r).sort()).toEqual([
      'audit.anonymous-challenge-error',
      'audit.error-body-unstructured',
      'audit.refusal-no-store',
    ]);
    // Its challenge to a request without a token, as node_modules/hono/dist/middleware/jwt/jwt.js
    // writes it: an error code RFC 6750 §3.1 says to leave out (informs, costs nothing).
    const code = r.findings.find((f) => f.id === 'audit.anonymous-challenge-error')!;
    expect(code.severity).toBe('info');
    expect(code.items[0]!.evidence).toEqual([
      'no credentials: GET /v1/notes → 401 Unauthorized; WWW-Authenticate: Bearer realm="api",error="invalid_request",error_description="no authorization included in request"',
    ]);
    const body = r.findings.find((f) => f.id === 'audit.error-body-unstructured')!;
    expect(body.items[0]!.evidence).toContain(
      'no credentials: GET /v1/notes → 401 Unauthorized; Content-Type: text/plain;charset=UTF-8',
    );
  });

  it('an onError that drops the challenge: 401s without WWW-Authenticate (audit.challenge-missing)', async () => {
    const r = await auditWith(['html-errors']);
    expect(ids(r)).toContain('audit.challenge-missing');
  });
});
