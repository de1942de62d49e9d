import { describe, expect, it } from 'vitest';
import type { HeaderList } from '../../../src/model/http.js';
import type { AuditRule } from '../../../src/audit/rules/rule.js';
import type {
  ApiEvidence,
  Exchange,
  FetchedDoc,
  Operation,
  OperationEvidence,
  ProbeKind,
  SecurityScheme,
} from '../../../src/audit/types.js';

/**
 * The audit rules' case tables, as the checks' are (test/support/check-tester.ts): every rule has
 * cases it passes and cases it fails (with the evidence it must give), and may have cases where
 * it does not apply. A table without both passing and failing cases is refused.
 */

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  error?: string;
  /** Seconds between the answer's Date-reading moment and this machine's clock (for Date tests). */
  receivedAt?: number;
}

export interface RuleCase {
  name: string;
  /** The one operation's answers, by probe. */
  answers?: Partial<Record<ProbeKind, Answer>>;
  operation?: Partial<Operation>;
  schemes?: SecurityScheme[];
  requiredScopes?: string[];
  lowLacksScope?: boolean;
  /** Whole-API evidence. */
  api?: Partial<Omit<ApiEvidence, 'operations' | 'description'>>;
}

export const BEARER: SecurityScheme = { name: 'bearerAuth', type: 'http', httpScheme: 'bearer' };
export const NOW = Date.parse('2026-11-20T10:00:00Z');

const headerList = (h: Record<string, string> = {}): HeaderList => Object.entries(h);

function exchange(kind: ProbeKind, a: Answer): Exchange {
  const ex: Exchange = {
    kind,
    method: kind === 'preflight' ? 'OPTIONS' : 'GET',
    url: `https://api.example.test/v1/items${kind === 'query-token' ? '?access_token=x' : ''}`,
    requestHeaders: [],
    headers: headerList(a.headers),
    body: a.body ?? '',
    receivedAt: a.receivedAt ?? NOW,
    ms: 5,
  };
  if (a.status !== undefined) ex.status = a.status;
  if (a.error) ex.error = a.error;
  return ex;
}

export function build(c: RuleCase): { op: OperationEvidence; api: ApiEvidence } {
  const operation: Operation = {
    method: 'GET',
    path: '/items',
    target: '/items',
    security: [[{ scheme: 'bearerAuth', scopes: c.requiredScopes ?? [] }]],
    documentedOpen: false,
    jsonBody: false,
    source: 'openapi',
    ...c.operation,
  };
  const exchanges: OperationEvidence['exchanges'] = {};
  for (const [k, a] of Object.entries(c.answers ?? {}))
    exchanges[k as ProbeKind] = exchange(k as ProbeKind, a!);
  const op: OperationEvidence = {
    operation,
    schemes: c.schemes ?? [BEARER],
    requiredScopes: c.requiredScopes ?? [],
    exchanges,
  };
  if (c.lowLacksScope !== undefined) op.lowLacksScope = c.lowLacksScope;
  const api: ApiEvidence = {
    baseUrl: 'https://api.example.test/v1',
    description: {
      servers: [],
      schemes: { bearerAuth: BEARER },
      operations: [operation],
      unresolvedRefs: [],
    },
    operations: [op],
    now: NOW,
    ...c.api,
  };
  return { op, api };
}

export function doc(
  url: string,
  status: number,
  json?: unknown,
  headers: Record<string, string> = {},
): FetchedDoc {
  const d: FetchedDoc = { url, status, headers: headerList(headers) };
  if (json !== undefined) d.json = json;
  return d;
}

function verdict(rule: AuditRule, c: RuleCase) {
  const { op, api } = build(c);
  return rule.scope === 'operation' ? rule.check(op, api) : rule.check(api);
}

export function testRule(
  rule: AuditRule,
  table: { valid: RuleCase[]; invalid: Array<RuleCase & { evidence: RegExp }>; notApplicable?: RuleCase[] },
): void {
  describe(rule.meta.id, () => {
    it('has passing and failing cases, and complete metadata', () => {
      expect(table.valid.length).toBeGreaterThan(0);
      expect(table.invalid.length).toBeGreaterThan(0);
      expect(rule.meta.id).toMatch(/^audit\.[a-z0-9-]+$/);
      expect(rule.meta.cites.length).toBeGreaterThan(0);
      expect(rule.meta.fixes.length).toBeGreaterThan(0);
      expect(rule.meta.weight === 0).toBe(rule.meta.severity === 'info');
    });
    for (const c of table.valid)
      it(`passes: ${c.name}`, () => expect(verdict(rule, c)).toEqual({ pass: true }));
    for (const c of table.invalid)
      it(`fails: ${c.name}`, () => {
        const v = verdict(rule, c);
        expect(v && 'fail' in v).toBe(true);
        expect((v as { fail: string[] }).fail.join('\n')).toMatch(c.evidence);
      });
    for (const c of table.notApplicable ?? [])
      it(`does not apply: ${c.name}`, () => expect(verdict(rule, c)).toBeUndefined());
  });
}
