import { checks, runChecks, type CheckMeta } from '../checks/index.js';
import { deriveFacts, type Facts } from '../facts/request.js';
import type { Evidence, Exchange } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import {
  headerListToRecord,
  type CheckResult,
  type Outcome,
  type ProbeRecord,
  type Report,
} from '../model/report.js';
import { isAuthFailure, outcomeOf } from './outcome.js';
import { absorb, corroborate, metaLookup, rank, settleForOutcome, type MetaLookup } from './rank.js';
import { applyRepairs } from './repairs.js';
import { Redactor } from './redact.js';
import { collectSecrets } from './secrets.js';
import { VERSION } from './version.js';

/**
 * The platform-neutral half of a diagnosis: evidence in, redacted report out. The CLI, the web
 * page and `--from evidence.json` all end here.
 */

export interface AnalyzeOptions {
  showSecrets?: boolean;
  /** Secrets the evidence does not hold but an output might echo (a client secret, a refresh token). */
  extraSecrets?: Array<string | undefined>;
}

function probeRecord(x: Exchange): ProbeRecord {
  const requestHeaders: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headerListToRecord(x.request.headers)))
    requestHeaders[k] = v.length === 1 ? v[0]! : v;
  const p: ProbeRecord = {
    name: x.probe,
    hop: x.hop,
    method: x.request.method,
    url: x.request.url,
    status: x.response?.status ?? null,
    ms: x.ms,
    requestHeaders,
    responseHeaders: x.response ? headerListToRecord(x.response.headers) : {},
  };
  if (x.error) p.error = `${x.error.code}: ${x.error.message}`;
  if (x.droppedHeaders?.length) p.droppedHeaders = x.droppedHeaders;
  return p;
}

const DOC_PROBE: Record<string, string> = {
  'oidc-discovery': 'discovery',
  'oauth-metadata': 'discovery',
  jwks: 'jwks',
  'protected-resource': 'resource-metadata',
};

/** The identity-provider exchanges, listed with the others so the report shows every request made. */
function idpRecords(ev: Evidence): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  const rec = (
    name: string,
    method: string,
    url: string,
    status: number | undefined,
    ms: number,
    error?: { code: string; message: string },
  ) => {
    const p: ProbeRecord = {
      name,
      hop: 0,
      method,
      url,
      status: status ?? null,
      ms,
      requestHeaders: {},
      responseHeaders: {},
    };
    if (error) p.error = `${error.code}: ${error.message}`;
    out.push(p);
  };
  for (const d of ev.idp?.documents ?? []) {
    rec(DOC_PROBE[d.kind] ?? d.kind, 'GET', d.url, d.status, d.ms, d.error);
    if (d.cached) out.at(-1)!.cached = { age: d.cached.age, revalidated: d.cached.revalidated };
  }
  const g = ev.idp?.grant;
  if (g) rec('token-endpoint', 'POST', g.tokenEndpoint, g.status, g.ms, g.transportError);
  const i = ev.idp?.introspection;
  if (i) rec('introspection', 'POST', i.url, i.status, i.ms, i.error);
  return out;
}

/** When a request failed on auth and no check could say why, say that plainly rather than nothing. */
function fallback(f: Facts): Finding {
  return {
    id: 'credentials.rejected',
    kind: 'cause',
    step: 3,
    confidence: 'possible',
    title: `The server refused the request (${f.status ?? 'no status'}) without saying why`,
    detail:
      'No challenge error code, no known error message and nothing wrong in the request itself was found.',
    fix: 'Retry with a freshly issued token; if that fails too, send the API owner the --markdown block (timestamp, URL, request id) so they can find the refusal in the server log.',
    evidence: f.final ? [{ probe: 'main', where: 'response.status', value: String(f.status ?? '') }] : [],
  };
}

function requestIds(findings: Finding[]): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const e of findings.find((f) => f.id === 'info.request-ids')?.evidence ?? []) {
    ids[e.where.replace(/^response\.header\./, '')] = e.value;
  }
  return ids;
}

const META: MetaLookup = metaLookup(checks);

/** Drops what the evidence contradicts (each check's `contradictedBy`), noting why in its result. */
function dropContradicted(findings: Finding[], facts: Facts, ruledOut: Map<string, string>): Finding[] {
  const verdict = new Map<string, string | undefined>();
  const reason = (m: CheckMeta | undefined): string | undefined => {
    if (!m?.contradictedBy) return undefined;
    if (!verdict.has(m.id)) verdict.set(m.id, m.contradictedBy(facts));
    return verdict.get(m.id);
  };
  return findings.filter((f) => {
    if (f.kind !== 'cause') return true;
    const why = reason(META(f.id));
    if (why === undefined) return true;
    ruledOut.set(f.id, why);
    return false;
  });
}

/** A check whose findings were all ruled out is `clear`, with the reason the evidence gave. */
function settleResults(results: CheckResult[], findings: Finding[], ruledOut: Map<string, string>) {
  const shown = new Set(findings.map((f) => f.id));
  for (const f of findings) for (const a of f.absorbed ?? []) shown.add(a);
  return results.map((r): CheckResult => {
    if (r.status !== 'found' || shown.has(r.id)) return r;
    const why = ruledOut.get(r.id);
    return why ? { id: r.id, status: 'clear', reason: `ruled out: ${why}` } : r;
  });
}

export function analyze(ev: Evidence, opts: AnalyzeOptions = {}): Report {
  const facts = deriveFacts(ev);
  const { findings: raw, errors, results } = runChecks(facts, checks);
  const ruledOut = new Map<string, string>();
  let findings = corroborate(dropContradicted(raw, facts, ruledOut), META);
  const repaired = applyRepairs(findings, facts, META);
  findings = repaired.findings;
  for (const [id, why] of repaired.ruledOut) ruledOut.set(id, why);
  const outcome: Outcome = outcomeOf(facts, findings);
  findings = settleForOutcome(findings, outcome === 'ok');
  if (isAuthFailure(outcome) && !findings.some((f) => f.kind === 'cause')) findings.push(fallback(facts));
  findings = rank(absorb(findings, META), META);

  const status = facts.status ?? null;
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'why401', version: VERSION },
    source: ev.source,
    target: { method: ev.request.method, url: ev.request.url },
    outcome,
    status,
    findings,
    probes: [...ev.exchanges.map(probeRecord), ...idpRecords(ev)],
    skippedProbes: ev.skippedProbes,
    repairs: repaired.records,
    checks: settleResults(results, findings, ruledOut),
    warnings: [...ev.inputWarnings, ...errors],
    support: {
      timestamp: new Date(facts.final?.startedAt ?? ev.now).toISOString(),
      url: facts.final?.request.url ?? ev.request.url,
      method: ev.request.method,
      status,
      requestIds: requestIds(findings),
    },
  };
  const redactor = new Redactor(!opts.showSecrets);
  collectSecrets(ev, redactor);
  for (const s of opts.extraSecrets ?? []) redactor.add(s);
  return redactor.deep(report);
}
