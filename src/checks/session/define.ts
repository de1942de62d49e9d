import type { SessionFacts } from '../../facts/session.js';
import type { SessionFinding } from '../../model/har-report.js';
import { toFinding, type CheckMeta, type Draft } from '../check.js';

/**
 * Session-level checks: like the per-request checks (one pure module per cause id, with its meta),
 * but they read the whole HAR (`SessionFacts`) and name the entries each finding is about.
 */

export interface SessionDraft extends Draft {
  /** HAR indices of the entries the finding is about, in time order. */
  entries: number[];
}

export interface SessionCheck<Id extends string = string> {
  meta: CheckMeta<Id>;
  /** Pure: reads the session facts, returns zero or more findings. No I/O, no clock. */
  run(facts: SessionFacts): SessionDraft[];
}

export type { SessionFinding };

export function defineSessionCheck<const Id extends string>(
  meta: CheckMeta<Id>,
  run: (facts: SessionFacts) => SessionDraft[] | SessionDraft | undefined,
): SessionCheck<Id> {
  return {
    meta,
    run: (facts) => {
      const out = run(facts);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    },
  };
}

/** Sentences that open with "entry 7 (…)" start with a capital. */
function sentences(text: string): string {
  return text.replace(/(^|[.!?]\s+)entry /g, '$1Entry ').replace(/(^|[.!?]\s+)entries /g, '$1Entries ');
}

export function toSessionFinding(meta: CheckMeta, d: SessionDraft): SessionFinding {
  const f = { ...toFinding(meta, d), entries: [...new Set(d.entries)].sort((a, b) => a - b) };
  if (f.detail !== undefined) f.detail = sentences(f.detail);
  return f;
}

/** Runs every session check in isolation: a broken check becomes a warning, never a crashed run. */
export function runSessionChecks(
  facts: SessionFacts,
  checks: readonly SessionCheck[],
): { findings: SessionFinding[]; errors: string[] } {
  const findings: SessionFinding[] = [];
  const errors: string[] = [];
  for (const c of checks) {
    try {
      for (const d of c.run(facts)) findings.push(toSessionFinding(c.meta, d));
    } catch (e) {
      errors.push(`session check ${c.meta.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { findings, errors };
}
