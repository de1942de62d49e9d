import type { AuditRule, Verdict } from './rules/rule.js';
import type { CategoryId, CategoryScore, RuleResult } from './types.js';

/**
 * Scores as Lighthouse computes a category's: the weighted mean of its audits' scores, each 0–1,
 * audits that do not apply left out (https://developer.chrome.com/docs/lighthouse/performance/performance-scoring,
 * "the category score is a weighted average of the audit scores"). A rule of severity error is
 * scored as Lighthouse's binary audits: one failing operation makes it 0 (one open operation is
 * an open API). A warning scores the share of operations that pass.
 */

export const CATEGORY_TITLES: Record<CategoryId, string> = {
  access: 'Access control',
  challenges: 'Status codes and challenges',
  errors: 'Error responses',
  browsers: 'Browser callers',
  transport: 'Transport',
  discovery: 'Discovery and keys',
};

export function ruleResult(rule: AuditRule, verdicts: Verdict[]): RuleResult {
  const judged = verdicts.filter((v) => v !== undefined);
  const passed = judged.filter((v) => 'pass' in v!).length;
  const r: RuleResult = {
    id: rule.meta.id,
    category: rule.meta.category,
    severity: rule.meta.severity,
    weight: rule.meta.weight,
    judged: judged.length,
    passed,
  };
  if (judged.length === 0) r.notApplicable = 'nothing to judge';
  else r.score = rule.meta.severity === 'error' ? (passed === judged.length ? 1 : 0) : passed / judged.length;
  return r;
}

function weightedMean(rs: RuleResult[]): number | undefined {
  const scored = rs.filter((r) => r.score !== undefined && r.weight > 0);
  const total = scored.reduce((s, r) => s + r.weight, 0);
  if (total === 0) return undefined;
  return Math.round((100 * scored.reduce((s, r) => s + r.weight * r.score!, 0)) / total);
}

export function categoryScores(rs: RuleResult[]): CategoryScore[] {
  return (Object.keys(CATEGORY_TITLES) as CategoryId[]).map((id) => {
    const c: CategoryScore = { id, title: CATEGORY_TITLES[id] };
    const s = weightedMean(rs.filter((r) => r.category === id));
    if (s !== undefined) c.score = s;
    return c;
  });
}

/**
 * The whole API's score: the mean of the categories that were judged, each counting the same (as
 * Lighthouse's categories stand side by side, none outweighing another), 100 when none was.
 */
export function overallScore(categories: CategoryScore[]): number {
  const judged = categories.filter((c) => c.score !== undefined);
  return judged.length ? Math.round(judged.reduce((s, c) => s + c.score!, 0) / judged.length) : 100;
}

/** The points a rule costs its category: its weight times what it lost, over the category's weights. */
export function cost(r: RuleResult, all: RuleResult[]): number {
  if (r.score === undefined || r.weight === 0) return 0;
  const total = all
    .filter((x) => x.category === r.category && x.score !== undefined)
    .reduce((s, x) => s + x.weight, 0);
  return total ? Math.round((100 * r.weight * (1 - r.score)) / total) : 0;
}
