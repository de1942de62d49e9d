import type { CheckMeta } from '../checks/index.js';
import type { Confidence, Finding, FindingKind } from '../model/finding.js';

/**
 * Ranking by explanation. The answer is the one cause that accounts for what the server said and
 * what the probes showed:
 *
 * 1. `corroborate`: the server's own words (`server.says`) and a fresh token that works confirm
 *    the causes their check meta lists (`confirmedBy`, `freshConfirms`).
 * 2. `absorb`: a specific cause folds in the generic causes it explains (`absorbs`) as supporting
 *    evidence, so one explanation is listed once.
 * 3. `rank`: kind, then confidence, then how directly the cause explains the status (`directness`);
 *    every cause after the first says why it ranks lower.
 *
 * What the evidence contradicts never gets this far (analyze.ts drops it with the check's
 * `contradictedBy`). Everything here reads the checks' metas: no table of ids of its own.
 */

export type MetaLookup = (id: string) => CheckMeta | undefined;

const KIND: Record<FindingKind, number> = { cause: 0, warning: 1, info: 2 };
const CONFIDENCE: Record<Confidence, number> = { confirmed: 0, likely: 1, possible: 2 };
const DEFAULT_DIRECTNESS = 3;

/** The findings that only report what a server said: the cause their words name explains them. */
const REPORTS_WORDS = new Set(['credentials.rejected', 'server.gateway-rejected']);

/** What the generic refusal says when it names nothing more specific than itself. */
const GENERIC_WORDS = 'credentials.rejected';

function serverSays(f: Finding): string[] {
  return f.evidence.filter((e) => e.where === 'server.says').map((e) => e.value);
}

/** Does a finding with this id stand for what the server's words name? */
function standsFor(meta: MetaLookup, id: string, says: string): boolean {
  return id === says || (meta(id)?.confirmedBy ?? []).includes(says);
}

function pushOnce(f: Finding, items: Finding['evidence']): void {
  for (const e of items)
    if (!f.evidence.some((x) => x.probe === e.probe && x.where === e.where && x.value === e.value))
      f.evidence.push(e);
}

export function corroborate(findings: Finding[], meta: MetaLookup): Finding[] {
  const out = findings.map((f) => ({ ...f, evidence: [...f.evidence] }));
  const fresh = out.find((f) => f.id === 'token.fresh-token-works' && f.kind === 'cause');
  if (fresh) {
    for (const f of out) {
      if (f === fresh || f.kind !== 'cause' || !meta(f.id)?.freshConfirms) continue;
      f.confidence = 'confirmed';
      pushOnce(
        f,
        fresh.evidence.filter((e) => e.probe === 'fresh'),
      );
    }
  }
  // The server's words come from the application (credentials.rejected) or from the layer in front of it.
  for (const r of out.filter((f) => f.id === 'credentials.rejected' || f.id === 'server.gateway-rejected')) {
    for (const cause of serverSays(r)) {
      for (const f of out) {
        if (f === r || f.kind !== 'cause' || !standsFor(meta, f.id, cause)) continue;
        f.confidence = 'confirmed';
        const quote = r.evidence.find((e) => e.where !== 'server.says');
        if (quote) pushOnce(f, [quote]);
      }
    }
  }
  return out;
}

/**
 * When the request succeeded, nothing failed it: its "causes" are worth knowing, as warnings.
 * CORS causes stay causes: curl's request succeeding is exactly what a browser's does not.
 */
export function settleForOutcome(findings: Finding[], succeeded: boolean): Finding[] {
  if (!succeeded) return findings;
  return findings.map((f) =>
    f.kind === 'cause' && !f.id.startsWith('cors.') ? { ...f, kind: 'warning' as const } : f,
  );
}

/**
 * May `a` absorb `b`? Only a cause its meta lists, and only when `b`'s server words (if any) name
 * `a` itself or nothing more specific than a refusal: a gateway that says "Jwt issuer is not
 * configured" beside an expired token is a second explanation, not the same one.
 */
function mayAbsorb(meta: MetaLookup, a: Finding, b: Finding): boolean {
  if (a === b || a.kind !== 'cause' || b.kind !== 'cause' || a.id === b.id) return false;
  const says = serverSays(b);
  // The server's words (an application's or a gateway's) name exactly this cause: one explanation.
  if (REPORTS_WORDS.has(b.id) && says.some((s) => s !== GENERIC_WORDS && standsFor(meta, a.id, s)))
    return true;
  if (!(meta(a.id)?.absorbs ?? []).includes(b.id)) return false;
  return says.every((s) => s === GENERIC_WORDS || s === b.id || standsFor(meta, a.id, s));
}

/**
 * One explanation, listed once: a generic cause that a specific one explains folds into it. The
 * specific cause keeps the generic one's quotes as its own evidence; a confirmed generic refusal
 * ("the server rejected the token") lifts a likely specific cause to confirmed, since the
 * specific cause is what that refusal was about.
 */
export function absorb(findings: Finding[], meta: MetaLookup): Finding[] {
  const out = findings.map((f) => ({ ...f, evidence: [...f.evidence] }));
  const gone = new Set<Finding>();
  // Most specific absorbers first: one that is itself absorbed by another passes its catch on.
  for (const a of out) {
    if (gone.has(a)) continue;
    for (const b of out) {
      if (gone.has(b) || !mayAbsorb(meta, a, b)) continue;
      gone.add(b);
      pushOnce(
        a,
        b.evidence.filter((e) => e.where !== 'server.says' && e.where !== 'response.status'),
      );
      if (b.confidence === 'confirmed' && a.confidence === 'likely') a.confidence = 'confirmed';
      // Who answered stays in the story: the layer a gateway finding names is worth a sentence.
      if (b.id === 'server.gateway-rejected') a.detail = [a.detail, `${b.title}.`].filter(Boolean).join(' ');
      a.absorbed = [...new Set([...(a.absorbed ?? []), b.id, ...(b.absorbed ?? [])])];
    }
  }
  // An absorber that was itself absorbed hands its catch to whoever took it.
  return out.filter((f) => !gone.has(f));
}

function directness(meta: MetaLookup, f: Finding): number {
  return meta(f.id)?.directness ?? DEFAULT_DIRECTNESS;
}

function order(meta: MetaLookup, f: Finding): number[] {
  // A verified repair is the strongest evidence there is: the fix, tried, worked.
  return [KIND[f.kind], f.verified ? -1 : 0, CONFIDENCE[f.confidence], directness(meta, f)];
}

/** Why `f` ranks below `first`, in one sentence a reader can weigh. */
function whyLower(meta: MetaLookup, f: Finding, first: Finding): string {
  if (first.verified) return `The repaired request for the first cause succeeded; this one was not proven.`;
  if (CONFIDENCE[f.confidence] > CONFIDENCE[first.confidence])
    return f.confidence === 'possible'
      ? 'Only possible: nothing the server said or the probes showed points to it directly.'
      : `Likely, but not proven, where the first cause is ${first.confidence}.`;
  if (directness(meta, f) > directness(meta, first))
    return 'It would explain the refusal less directly than the first cause; fix that first, then retry.';
  return 'An independent problem the evidence also shows; fix the first cause, then retry.';
}

export function rank(findings: Finding[], meta: MetaLookup): Finding[] {
  const sorted = findings
    .map((f, i) => ({ f, i, o: order(meta, f) }))
    .sort((a, b) => {
      for (let k = 0; k < a.o.length; k++) if (a.o[k] !== b.o[k]) return a.o[k]! - b.o[k]!;
      return a.i - b.i;
    })
    .map((e) => e.f);
  const first = sorted.find((f) => f.kind === 'cause');
  return sorted.map((f) =>
    f.kind === 'cause' && first && f !== first ? { ...f, whyLower: whyLower(meta, f, first) } : f,
  );
}

/** A lookup over the metas of the given checks (per-request and session-level alike). */
export function metaLookup(checks: ReadonlyArray<{ meta: CheckMeta }>): MetaLookup {
  const byId = new Map<string, CheckMeta>();
  for (const c of checks) if (!byId.has(c.meta.id)) byId.set(c.meta.id, c.meta);
  return (id) => byId.get(id);
}
