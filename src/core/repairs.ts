import type { MetaLookup } from './rank.js';
import type { Facts } from '../facts/request.js';
import { isSuccess } from '../facts/request.js';
import type { Finding } from '../model/finding.js';
import type { HeaderList } from '../model/http.js';
import type { RepairRecord } from '../model/report.js';
import { STATUS_TEXT } from '../model/status-text.js';

/**
 * The fix, tried: what the repaired requests prove. A repair that succeeds where the user's
 * request was refused confirms the cause that proposed it ("Verified"), and since it changed one
 * thing only, it contradicts every other cause: they claim the refusal came from something the
 * successful request still carried. A repair refused the same way is evidence against its cause.
 */

/** POSIX shell single quoting: the corrected command pastes as it reads. */
function shq(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Headers why401 adds the way curl does (User-Agent, Accept): a corrected curl command leaves them to curl. */
function ownDefault([n, v]: [string, string]): boolean {
  const l = n.toLowerCase();
  return (l === 'user-agent' && v.startsWith('why401/')) || (l === 'accept' && v === '*/*');
}

/** The repaired request as a curl command (secrets are redacted later, with the rest of the report). */
export function curlCommand(
  req: { method: string; url: string; headers: HeaderList },
  body?: string,
): string {
  const parts = ['curl'];
  const m = req.method.toUpperCase();
  if (m === 'HEAD') parts.push('-I');
  else if (m !== 'GET' || body !== undefined) parts.push('-X', m);
  parts.push(shq(req.url));
  for (const h of req.headers) if (!ownDefault(h)) parts.push('-H', shq(`${h[0]}: ${h[1]}`));
  if (body !== undefined) parts.push('--data-raw', shq(body));
  return parts.join(' ');
}

export interface RepairOutcome {
  findings: Finding[];
  /** Causes the repairs ruled out, with the reason (for `checks[]`). */
  ruledOut: Map<string, string>;
  records: RepairRecord[];
}

export function applyRepairs(findings: Finding[], f: Facts, meta: MetaLookup): RepairOutcome {
  const ruledOut = new Map<string, string>();
  const records: RepairRecord[] = f.repairs.map((r) => ({
    probe: r.probe,
    causes: r.causes,
    change: r.change,
    method: f.ev.exchanges.find((x) => x.probe === r.probe)?.request.method ?? f.ev.request.method,
    url: f.ev.exchanges.find((x) => x.probe === r.probe)?.request.url ?? f.ev.request.url,
    status: r.final?.response?.status ?? null,
    succeeded: isSuccess(r.final),
  }));
  // Nothing to prove when the user's own request worked, or got no answer for a reason of the
  // network; a request why401 refused to send as written (a header HTTP forbids) is what the
  // repair is for.
  const unsent = f.final?.error?.phase === 'refused-by-tool';
  if ((!f.final?.response && !unsent) || isSuccess(f.final)) return { findings, ruledOut, records };

  let out = findings.map((x) => ({ ...x, evidence: [...x.evidence] }));
  const proven = new Set<string>();
  // Successes first: one repair that worked proves its cause, whatever another repair of the same
  // cause got (the Bearer guess refused, the scheme the challenge named accepted).
  const answered = f.repairs.filter((r) => r.final?.response);
  for (const r of answered.filter((r) => isSuccess(r.final))) {
    const x = r.final!;
    const status = x.response!.status;
    for (const target of out.filter((y) => r.causes.includes(y.id) && y.kind === 'cause' && !y.verified)) {
      const sent = f.ev.exchanges.find((e) => e.probe === r.probe && e.hop === 0) ?? x;
      target.confidence = 'confirmed';
      target.verified = {
        probe: r.probe,
        change: r.change,
        status,
        statusText: STATUS_TEXT[status] ?? '',
        command: curlCommand(sent.request, f.ev.request.body),
      };
      target.evidence.push({ probe: r.probe, where: 'response.status', value: String(status) });
      proven.add(target.id);
    }
  }
  for (const r of answered.filter((r) => !isSuccess(r.final))) {
    const status = r.final!.response!.status;
    if (status !== f.status && !unsent) continue;
    for (const target of out.filter(
      (y) => r.causes.includes(y.id) && y.kind === 'cause' && !proven.has(y.id),
    )) {
      if (meta(target.id)?.repairDecides) {
        out = out.filter((y) => y !== target);
        ruledOut.set(target.id, `the repaired request (${r.change}) was refused too (${status})`);
      } else if (target.confidence !== 'confirmed') {
        target.confidence = 'possible';
        target.evidence.push({ probe: r.probe, where: 'response.status', value: String(status) });
      }
    }
  }
  if (proven.size > 0) {
    const change = answered.find((r) => isSuccess(r.final) && r.causes.some((c) => proven.has(c)))!.change;
    out = out.filter((y) => {
      if (y.kind !== 'cause' || proven.has(y.id)) return true;
      ruledOut.set(y.id, `the repaired request (${change}) succeeded with everything else unchanged`);
      return false;
    });
  }
  return { findings: out, ruledOut, records };
}
