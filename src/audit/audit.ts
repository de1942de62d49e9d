import { PROBE_ORDER } from './plan.js';
import { RULES } from './rules/index.js';
import type { Verdict } from './rules/rule.js';
import { categoryScores, cost, overallScore, ruleResult } from './score.js';
import type { AuditFinding, AuditReport, ApiEvidence, FindingItem, ProbeKind } from './types.js';
import { opLabel } from './rules/util.js';

/**
 * Evidence → report: every rule over every operation (or the whole API), the scores, the findings
 * that cost points. Pure; the caller redacts the report before any renderer sees it.
 */

export interface AuditMeta {
  version: string;
  startedAt: string;
  durationMs: number;
  documentSource?: string;
  requests: number;
  maxInFlight: number;
  notes: string[];
}

export function evaluate(ev: ApiEvidence, meta: AuditMeta): AuditReport {
  const findings: AuditFinding[] = [];
  const results = RULES.map((rule) => {
    const items: FindingItem[] = [];
    let verdicts: Verdict[];
    if (rule.scope === 'operation') {
      verdicts = ev.operations.map((op) => {
        if (op.skipped) return undefined;
        const v = rule.check(op, ev);
        if (v && 'fail' in v) items.push({ operation: opLabel(op), evidence: v.fail });
        return v;
      });
    } else {
      const v = rule.check(ev);
      if (v && 'fail' in v) items.push({ evidence: v.fail });
      verdicts = [v];
    }
    return { rule, result: ruleResult(rule, verdicts), items };
  });
  const all = results.map((r) => r.result);
  for (const { rule, result, items } of results) {
    if (items.length === 0) continue;
    const m = rule.meta;
    findings.push({
      id: m.id,
      category: m.category,
      severity: m.severity,
      title: m.title,
      description: m.description,
      cites: m.cites,
      fixes: m.fixes,
      items,
      cost: cost(result, all),
    });
  }
  const categories = categoryScores(all);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  findings.sort((a, b) => rank[a.severity] - rank[b.severity] || b.cost - a.cost);
  const d = ev.description;
  const report: AuditReport = {
    tool: 'why401',
    kind: 'audit',
    version: meta.version,
    target: ev.baseUrl,
    startedAt: meta.startedAt,
    durationMs: meta.durationMs,
    operations: ev.operations.map((op) => {
      const statuses: Partial<Record<ProbeKind, number | string>> = {};
      for (const k of PROBE_ORDER) {
        const ex = op.exchanges[k];
        if (ex) statuses[k] = ex.status ?? 'no answer';
      }
      const row: AuditReport['operations'][number] = {
        operation: opLabel(op),
        url: `${ev.baseUrl.replace(/\/+$/, '')}${op.operation.target}`,
        statuses,
      };
      if (op.skipped) row.skipped = op.skipped;
      return row;
    }),
    score: overallScore(categories),
    categories,
    findings,
    rules: all,
    notes: meta.notes,
    requests: meta.requests,
    maxInFlight: meta.maxInFlight,
  };
  if (meta.documentSource) {
    report.document = { source: meta.documentSource, operations: d.operations.length };
    if (d.title) report.document.title = d.title;
    if (d.version) report.document.version = d.version;
  }
  return report;
}

/** Whether the run fails: a finding above info, or a score below --fail-under. */
export function failed(r: AuditReport, failUnder?: number): boolean {
  return r.findings.some((f) => f.severity !== 'info') || (failUnder !== undefined && r.score < failUnder);
}
