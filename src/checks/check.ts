import type { Confidence, EvidenceItem, Finding, FindingKind, Step } from '../model/finding.js';
import type { CheckResult } from '../model/report.js';
import type { HeaderList } from '../model/http.js';
import type { Facts } from '../facts/request.js';

/**
 * What a check declares about itself, beside its code (as an ESLint rule's `meta`). Everything the
 * ranking knows about a cause lives here, so a new check brings its own place in the answer and
 * the catalogue (docs/causes.md) is generated from these.
 */
export interface CheckMeta<Id extends string = string> {
  /** The cause id (docs/causes.md). Never renamed once shipped. */
  id: Id;
  step: Step;
  kind: FindingKind;
  /** Default title; a check may give a more specific one per finding. */
  title: string;
  /** Default fix. */
  fix: string;
  /** The spec or source that backs the rule (RFC section, server documentation). */
  ref?: string;
  /** What it means for someone who has never heard of a bearer token (the guide and the page). */
  plain: string;
  /**
   * How directly this cause explains a refusal, among findings of equal kind and confidence:
   * lower comes first. A placeholder token explains a rejection better than the rejection itself
   * does. Default 3.
   */
  directness?: number;
  /**
   * The more generic causes this one explains. When both are found, the generic one folds into
   * this one as supporting evidence and is not listed again (`token.expired` absorbs the bare
   * `credentials.rejected`; `jwt.scope-insufficient` absorbs `authz.forbidden`).
   */
  absorbs?: readonly string[];
  /**
   * The causes a server's own words may name (`server.says`) that prove this one: "jwt expired"
   * confirms `token.expired` and `clock.skew`. The id itself always counts.
   */
  confirmedBy?: readonly string[];
  /** A freshly issued token that succeeds where the sent one failed confirms this cause. */
  freshConfirms?: boolean;
  /**
   * Evidence that rules this cause out, in words ("the server named the token invalid, so it
   * arrived"). A contradicted finding is never shown; its check reports `clear` with the reason.
   */
  contradictedBy?: (facts: Facts) => string | undefined;
  /**
   * When the check cannot say anything about this request, why (its `checks[]` status is then
   * `not-applicable`): "no token was sent", "no JWKS was fetched".
   */
  applies?: (facts: Facts) => string | undefined;
  /**
   * The repair decides: when the repaired request fails the same way, the suspicion is dropped
   * (a double slash that, removed, still gets 401 was not the cause).
   */
  repairDecides?: boolean;
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

/**
 * The fix, tried: the user's request with one correctable mistake repaired. The probe engine sends
 * it beside the other probes (safe methods, the origin the user targeted, at most a few), and a
 * success confirms the cause that proposed it.
 */
export interface RepairProposal {
  /** What was changed, in words and with the header or path named: "`Authorization: Bearer …` instead of `X-Auth-Token`". */
  change: string;
  /** The whole repaired request: the user's request with only this change. */
  request: { method: string; url: string; headers: HeaderList };
}

export interface Check<Id extends string = string> {
  meta: CheckMeta<Id>;
  /** Pure: reads facts, returns zero or more findings. No I/O, no clock, no globals. */
  run(facts: Facts): Draft[];
  /** Pure: the repaired requests this check would try for the request in `facts`. */
  repair?: (facts: Facts) => RepairProposal[];
}

export function defineCheck<const Id extends string>(
  meta: CheckMeta<Id>,
  run: (facts: Facts) => Draft[] | Draft | undefined,
  repair?: (facts: Facts) => RepairProposal[] | RepairProposal | undefined,
): Check<Id> {
  const c: Check<Id> = {
    meta,
    run: (facts) => {
      const out = run(facts);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    },
  };
  if (repair) {
    c.repair = (facts) => {
      const out = repair(facts);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    };
  }
  return c;
}

export function toFinding(meta: CheckMeta, d: Draft): Finding {
  const f: Finding = {
    id: meta.id,
    kind: d.kind ?? meta.kind,
    step: meta.step,
    confidence: d.confidence,
    title: d.title ?? meta.title,
    plain: meta.plain,
    fix: d.fix ?? meta.fix,
    evidence: d.evidence,
  };
  if (d.detail !== undefined) f.detail = d.detail;
  return f;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs every check in isolation: one broken check becomes a warning and an `error` result, never
 * a crashed run. Every check reports what it made of this request (Lighthouse's audit results):
 * found, clear, not applicable (and why), or error.
 */
export function runChecks(
  facts: Facts,
  checks: readonly Check[],
): { findings: Finding[]; errors: string[]; results: CheckResult[] } {
  const findings: Finding[] = [];
  const errors: string[] = [];
  const results: CheckResult[] = [];
  for (const c of checks) {
    const id = c.meta.id;
    try {
      const na = c.meta.applies?.(facts);
      const drafts = c.run(facts);
      if (drafts.length > 0) {
        for (const d of drafts) findings.push(toFinding(c.meta, d));
        results.push({ id, status: 'found' });
      } else if (na !== undefined) results.push({ id, status: 'not-applicable', reason: na });
      else results.push({ id, status: 'clear' });
    } catch (e) {
      errors.push(`check ${id} failed: ${message(e)}`);
      results.push({ id, status: 'error', reason: message(e) });
    }
  }
  return { findings, errors, results };
}

/** Every repair the checks propose for this request, each tagged with the cause it would prove. */
export function proposeRepairs(
  facts: Facts,
  checks: readonly Check[],
): Array<RepairProposal & { cause: string }> {
  const out: Array<RepairProposal & { cause: string }> = [];
  for (const c of checks) {
    if (!c.repair) continue;
    try {
      for (const p of c.repair(facts)) out.push({ ...p, cause: c.meta.id });
    } catch {
      // A repair is an extra probe: a check that cannot propose one simply proposes none.
    }
  }
  return out;
}
