import { headerRule } from '../knowledge/credential-rule.js';
import type { Finding } from '../model/finding.js';
import type { ProbeRecord, Report } from '../model/report.js';

/** What the guide reads from a (redacted) report: the main probe's hops and what they carried. */
export interface ReportView {
  report: Report;
  /** The main probe's hops, first to last. */
  main: ProbeRecord[];
  first?: ProbeRecord;
  final?: ProbeRecord;
  /** The final hop got an answer (a status). */
  answered: boolean;
  /** The Authorization scheme the request carried, lower case ('bearer', 'basic', …). */
  scheme?: string;
  /** Names of the credential headers the first hop carried (lower case). */
  sentCredentials: string[];
  /** The decoded identity (info.identity) when the credentials were readable. */
  identity?: Finding;
  /** A JWT was readable: info.identity cites its claims. */
  jwt: boolean;
}

export function headerOf(rec: Record<string, string | string[]>, name: string): string[] {
  const v = rec[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function viewOf(report: Report): ReportView {
  const main = report.probes.filter((p) => p.name === 'main').sort((a, b) => a.hop - b.hop);
  const first = main[0];
  const final = main.at(-1);
  const sentCredentials = first
    ? Object.keys(first.requestHeaders)
        .map((n) => n.toLowerCase())
        .filter((n) => n === 'authorization' || n === 'cookie' || headerRule(n) === 'credential')
    : [];
  const auth = first ? headerOf(first.requestHeaders, 'authorization')[0] : undefined;
  const scheme = auth?.trim().split(/\s+/)[0]?.toLowerCase();
  const identity = report.findings.find((f) => f.id === 'info.identity');
  const v: ReportView = {
    report,
    main,
    answered: final?.status !== null && final?.status !== undefined,
    sentCredentials,
    jwt: identity?.evidence.some((e) => e.where.startsWith('token.')) ?? false,
  };
  if (first) v.first = first;
  if (final) v.final = final;
  if (scheme && auth && auth.trim().includes(' ')) v.scheme = scheme;
  if (identity) v.identity = identity;
  return v;
}

/** "Bearer" → words for someone who has never heard of it. */
export function credentialWords(v: ReportView): string[] {
  const out: string[] = [];
  for (const n of v.sentCredentials) {
    if (n === 'authorization') {
      const s = v.scheme;
      out.push(
        s === 'bearer'
          ? 'a sign-in token (the "Authorization: Bearer" header)'
          : s === 'basic'
            ? 'a user name and password (the "Authorization: Basic" header)'
            : s === 'dpop'
              ? 'a device-bound sign-in token (the "Authorization: DPoP" header)'
              : s
                ? `sign-in details of the kind "${s}" (the "Authorization" header)`
                : 'a sign-in token with nothing in front of it to say what kind it is (the "Authorization" header)',
      );
    } else if (n === 'cookie') out.push('cookies');
    else out.push(`a key (the "${n}" header)`);
  }
  return out;
}
