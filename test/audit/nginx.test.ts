import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxBinary, nginxVersion } from '../support/nginx.js';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startNginxAuditApi, type NginxDefect } from './support/nginx-api.js';
import { above, auditApi, category, ids } from './support/audit.js';

/**
 * Debian's nginx with auth_request in front of a node upstream, the subrequest answered by a node
 * auth service that verifies the JWT with jose, audited for real (OpenAPI 3.0, YAML, oauth2 with
 * per-operation scopes; its server URL is another host's).
 */
const bin = nginxBinary();
let issuer: AuditIssuer;
let token: string;
let low: string;
const AUD = 'https://inventory.example.test';

beforeAll(async () => {
  issuer = await startAuditIssuer();
  token = await issuer.sign({ audience: AUD, scope: 'items:read admin' });
  low = await issuer.sign({ audience: AUD, scope: 'items:read' });
});
afterAll(() => issuer?.close());

async function auditWith(defects: NginxDefect[]) {
  const api = await startNginxAuditApi({ issuer: issuer.issuer, audience: AUD, defects });
  try {
    return await auditApi(api.url, 'nginx-3.0.yaml', { token, tokenLow: low });
  } finally {
    await api.close();
  }
}

describe.skipIf(!bin)(`${nginxVersion(bin) ?? 'nginx'} + auth_request configured well`, () => {
  it('scores at least 95 with no finding above info', async () => {
    const r = await auditWith([]);
    expect(above(r), JSON.stringify(r.findings, null, 2)).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(95);
    expect(r.score).toBe(100);
    const stats = r.operations.find((o) => o.operation === 'GET /admin/stats')!;
    expect(stats.statuses).toMatchObject({
      anonymous: 401,
      malformed: 401,
      expired: 401,
      low: 403,
      valid: 200,
    });
    expect(stats.statuses.preflight).toBe(204);
  });
});

describe.skipIf(!bin)('nginx + auth_request with a known defect', () => {
  // [defect, the findings it must raise, the category that shows it, its score, the overall score]
  const cases: Array<[NginxDefect, string[], string, number, number]> = [
    // nginx's own HTML page; the 401 keeps the auth service's challenge (the module copies it), the
    // 403 loses insufficient_scope (the module copies it for 401 only).
    [
      'default-pages',
      ['audit.error-body-html', 'audit.refusal-no-store', 'audit.scope-challenge'],
      'errors',
      63,
      93,
    ],
    // A bare 401 from the auth service and nginx's page: HTML, no WWW-Authenticate.
    ['challenge-dropped', ['audit.challenge-missing', 'audit.error-body-html'], 'challenges', 65, 88],
    // The subrequest fails: "any other response code … is considered an error", answered 500.
    [
      'auth-unreachable',
      ['audit.anonymous-status', 'audit.invalid-token-status', 'audit.error-body-html'],
      'challenges',
      0,
      74,
    ],
    ['gated-preflight', ['audit.preflight-gated'], 'browsers', 0, 83],
  ];
  for (const [defect, expected, cat, catScore, score] of cases) {
    it(`${defect}: ${expected.join(', ')}; ${cat} ${catScore}, overall ${score}`, async () => {
      const r = await auditWith([defect]);
      expect(ids(r)).toEqual(expect.arrayContaining(expected));
      const first = r.findings.find((x) => x.id === expected[0])!;
      expect(first.severity).toBe('error');
      expect(first.cost).toBeGreaterThan(0);
      expect(category(r, cat)).toBe(catScore);
      expect(r.score).toBe(score);
    });
  }

  it('auth-unreachable: every protected answer is 500 from nginx, never 401 or 403', async () => {
    const r = await auditWith(['auth-unreachable']);
    const items = r.operations.find((o) => o.operation === 'GET /items')!;
    expect(items.statuses).toMatchObject({ anonymous: 500, malformed: 500, valid: 500 });
    const status = r.findings.find((f) => f.id === 'audit.anonymous-status')!;
    expect(status.items[0]!.evidence[0]).toBe(
      'no credentials: GET /v1/items → 500 Internal Server Error; no WWW-Authenticate',
    );
  });

  it('challenge-dropped: the evidence shows the bare 401', async () => {
    const r = await auditWith(['challenge-dropped']);
    const f = r.findings.find((x) => x.id === 'audit.challenge-missing')!;
    expect(f.items[0]!.evidence[0]).toBe(
      'no credentials: GET /v1/items → 401 Unauthorized; no WWW-Authenticate',
    );
  });
});
