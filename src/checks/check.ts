import type { Confidence, EvidenceItem, Finding, FindingKind, Step } from '../model/finding.js';
import type { Facts } from './facts.js';

/** What a check declares about itself, beside its code (as an ESLint rule's `meta`). */
export interface CheckMeta {
  /** The cause id from shared/spec/causes.md. */
  id: string;
  step: Step;
  kind: FindingKind;
  /** Default title; a check may give a more specific one per finding. */
  title: string;
  /** Default fix. */
  fix: string;
  /** The spec or source that backs the rule (RFC section, server documentation). */
  ref?: string;
}

/** What a check returns per finding: the rest comes from its meta. */
export interface Draft {
  confidence: Confidence;
  evidence: EvidenceItem[];
  title?: string;
  detail?: string;
  fix?: string;
  kind?: FindingKind;
}

export interface Check {
  meta: CheckMeta;
  /** Pure: reads facts, returns zero or more findings. No I/O, no clock, no globals. */
  run(facts: Facts): Draft[];
}

export function defineCheck(meta: CheckMeta, run: (facts: Facts) => Draft[] | Draft | undefined): Check {
  return {
    meta,
    run: (facts) => {
      const out = run(facts);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    },
  };
}

export function toFinding(meta: CheckMeta, d: Draft): Finding {
  const f: Finding = {
    id: meta.id,
    kind: d.kind ?? meta.kind,
    step: meta.step,
    confidence: d.confidence,
    title: d.title ?? meta.title,
    fix: d.fix ?? meta.fix,
    evidence: d.evidence,
  };
  if (d.detail !== undefined) f.detail = d.detail;
  return f;
}

/** Runs every check in isolation: one broken check becomes a warning, never a crashed run. */
export function runChecks(facts: Facts, checks: readonly Check[]): { findings: Finding[]; errors: string[] } {
  const findings: Finding[] = [];
  const errors: string[] = [];
  for (const c of checks) {
    try {
      for (const d of c.run(facts)) findings.push(toFinding(c.meta, d));
    } catch (e) {
      errors.push(`check ${c.meta.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { findings, errors };
}
