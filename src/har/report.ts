import { sessionChecks } from '../checks/session/index.js';
import { runSessionChecks } from '../checks/session/define.js';
import { analyze } from '../core/analyze.js';
import { absorb, metaLookup, rank } from '../core/rank.js';
import { checks } from '../checks/index.js';
import { Redactor } from '../core/redact.js';
import { VERSION } from '../core/version.js';
import type { JarCookie } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import type { Report } from '../model/report.js';
import { entryEvidence, failureTextOf, isFailedEntry, isUsableEntry, startedAtOf, timeOf } from './entry.js';
import { detectSanitizedExport, SANITIZED_WARNING } from './sanitized.js';
import { collectEntrySecrets } from './secrets.js';
import { deriveSessionFacts, type EntryDiagnosis, type SessionFacts } from './session.js';
import type { ScanError } from './scanner.js';
import type { HarEntryReport, HarReport, SessionFinding } from './types.js';

/** Session-level and per-request causes ranked together: the metas of both. */
const SESSION_META = metaLookup([...sessionChecks, ...checks]);

export type { HarEntryReport, HarReport, SessionFinding } from './types.js';

/**
 * `why401 har`: a whole capture diagnosed. Every 401/403, every disguised refusal (a redirect to a
 * sign-in page, a sign-in page served with 200) and every request without an answer gets the same
 * per-request diagnosis as `why401 URL` (`analyze()` on the entry's evidence, judged at the
 * capture's time); the session-level checks add what only the whole session shows; one Redactor
 * that knows every entry's secrets redacts it all. Pure and platform-neutral.
 */

export interface AnalyzeHarOptions {
  showSecrets?: boolean;
  /**
   * Whether the file is Chrome's sanitized export: true or false to say so, undefined to recognise
   * it (a DevTools export with no credential anywhere although requests needed some).
   */
  sanitizedExport?: boolean;
  /** The file's name, shown in `source.file`. */
  file?: string;
}

/** Findings whose reasoning rests on a credential being absent: in a sanitized export, absence proves nothing. */
const ABSENCE_IDS = new Set([
  'credentials.missing',
  'url.redirect-dropped-credentials',
  'server.status-misused',
  'login.redirect',
  'login.page',
]);
const HIDDEN_NOTE =
  ' (This HAR was exported without credentials, so whether Authorization or cookies were sent cannot be seen here.)';

const COOKIE_EXPIRED_FIX =
  'Sign in again to get a fresh session cookie; if sessions should last longer, raise the cookie’s Max-Age/Expires on the server or renew it on activity.';

const CREDENTIALS_MISSING_FIX =
  "The browser sent no Authorization header and no cookie. If the page relies on a session cookie, see why it was not sent (its Domain, Path, SameSite, or a cross-origin fetch without credentials: 'include'); if it relies on a token, make the page attach it to this request.";

function forHar(findings: Finding[], entry: HarEntry, hidden: boolean): Finding[] {
  return findings.map((f0) => {
    const f = { ...f0 };
    if (f.id === 'network.unreachable' && isFailedEntry(entry)) {
      const code = failureTextOf(entry) ?? 'net::ERR_FAILED';
      if (/ERR_FAILED$/.test(code)) {
        f.confidence = 'possible';
        f.title = `The browser got no answer (${code})`;
        f.detail = `Chromium logs a request that CORS refused (its preflight, or the response's CORS headers), or that an extension or a policy blocked, as ${code} with no response. It is a network failure only if other requests to this host failed the same way.`;
        f.fix =
          'Open the browser console for the reason (a CORS message names the header at fault), or replay the request with why401 --origin PAGE_ORIGIN to see the preflight.';
      }
    }
    if (f.id === 'session.cookie-expired') f.fix = COOKIE_EXPIRED_FIX;
    if (f.id === 'credentials.missing') f.fix = CREDENTIALS_MISSING_FIX;
    if (hidden && ABSENCE_IDS.has(f.id)) {
      if (f.id === 'credentials.missing' || f.id === 'url.redirect-dropped-credentials')
        f.confidence = 'possible';
      f.detail = `${f.detail ?? ''}${HIDDEN_NOTE}`.trim();
    }
    return f;
  });
}

/** A session-level finding shown in one entry's own list: no entry list, no rank of the session's. */
function asEntryFinding(f: SessionFinding): Finding {
  const { entries: _entries, whyLower: _whyLower, ...rest } = f;
  return { ...rest, evidence: [...rest.evidence] };
}

/**
 * One answer per entry, the same as the session's: every session-level cause that names a failed
 * entry joins that entry's own findings, and the entry's list is absorbed and ranked again by the
 * metas of both. A session cause absorbs the generic per-entry causes its meta lists (the bare
 * refusal, the sign-in redirect), so an entry of a refresh loop or of an ended session says what
 * the session says (its fix first) and not "get fresh credentials and retry"; an entry whose own
 * diagnosis is more specific and better proven keeps it first, with the session cause after it.
 * An entry's own finding of the same id (a preflight the HAR held) says more and is kept instead.
 */
function withSessionCauses(own: Finding[], causes: SessionFinding[]): Finding[] {
  const add = causes.filter((c) => !own.some((f) => f.id === c.id)).map(asEntryFinding);
  return causes.length ? rank(absorb([...add, ...own], SESSION_META), SESSION_META) : own;
}

interface Diagnosed {
  report: Report;
  findings: Finding[];
  keep: boolean;
}

/** The per-entry diagnoses and the session facts, as `analyzeHar` computes them (the tests use this too). */
export function diagnoseSession(
  entries: HarEntry[],
  meta: HarMeta,
  o: { credentialsHidden?: boolean } = {},
): { facts: SessionFacts; diagnosed: Map<number, Diagnosed> } {
  const hidden = o.credentialsHidden === true;
  const diagnosed = new Map<number, Diagnosed>();
  const diagnose = (index: number, jar: JarCookie[]): EntryDiagnosis | undefined => {
    const entry = entries[index]!;
    const started = startedAtOf(entry);
    const ev = entryEvidence(entries, index, { now: started || Date.now(), credentialsHidden: hidden, meta });
    if (jar.length) ev.request.cookieJar = jar;
    const report = analyze(ev, { showSecrets: true });
    const findings = forHar(report.findings, entry, hidden);
    const s = entry.response.status;
    const keep =
      isFailedEntry(entry) ||
      s === 401 ||
      s === 403 ||
      report.outcome === 'login-required' ||
      report.outcome === 'unauthorized' ||
      report.outcome === 'forbidden';
    diagnosed.set(index, { report, findings, keep });
    return { outcome: report.outcome, findings };
  };
  const facts = deriveSessionFacts(entries, meta, { credentialsHidden: hidden, diagnose });
  return { facts, diagnosed };
}

/**
 * How much of each body a diagnosis reads: the start is where an error message or a sign-in form
 * is, and cutting the rest keeps a 1 GiB capture's entries in tens of megabytes.
 */
export const DIAGNOSIS_TEXT_CHARS = 16_384;

/**
 * A scanned capture diagnosed (`why401 har` and the page's HAR tab): when the scan stopped at damage,
 * the entries before it are analysed and the report says where the file is cut short.
 */
export function analyzeScannedHar(
  entries: HarEntry[],
  meta: HarMeta,
  scanError: ScanError | undefined,
  o: AnalyzeHarOptions = {},
): HarReport {
  const report = analyzeHar(entries, meta, o);
  if (scanError)
    report.warnings.unshift(
      `the file is cut short at byte ${scanError.offset} (${scanError.message}): the ${entries.length} entries before it were analysed`,
    );
  return report;
}

export function analyzeHar(entries: HarEntry[], meta: HarMeta, o: AnalyzeHarOptions = {}): HarReport {
  // Indices stay the HAR's own: an unusable entry is skipped where it stands, never removed.
  const valid = entries;
  const unusable = entries.filter((e) => !isUsableEntry(e)).length;
  const sanitized = o.sanitizedExport ?? detectSanitizedExport(valid, meta);
  const { facts, diagnosed } = diagnoseSession(valid, meta, { credentialsHidden: sanitized });

  const warnings: string[] = [];
  if (sanitized) warnings.push(SANITIZED_WARNING);
  if (unusable)
    warnings.push(
      `${unusable} ${unusable === 1 ? 'entry' : 'entries'} without a usable request or response ${unusable === 1 ? 'was' : 'were'} skipped.`,
    );

  const { findings: raw, errors } = runSessionChecks(facts, sessionChecks);
  warnings.push(...errors);
  const findings = rank(raw, SESSION_META) as SessionFinding[];

  // The session causes that name each entry, in the session's own ranking.
  const causesFor = new Map<number, SessionFinding[]>();
  for (const f of findings)
    if (f.kind === 'cause') for (const i of f.entries) causesFor.set(i, [...(causesFor.get(i) ?? []), f]);

  const out: HarEntryReport[] = [];
  for (const [index, d] of [...diagnosed].sort((a, b) => a[0] - b[0])) {
    if (!d.keep) continue;
    const e = valid[index]!;
    const entryFindings = withSessionCauses(d.findings, causesFor.get(index) ?? []);
    let outcome = d.report.outcome;
    // A request without an answer that a CORS cause explains was refused by the browser, not the network.
    if (isFailedEntry(e) && entryFindings.find((f) => f.kind === 'cause')?.id.startsWith('cors.'))
      outcome = 'error';
    const r: HarEntryReport = {
      index,
      method: e.request.method,
      url: e.request.url,
      status: isFailedEntry(e) ? null : e.response.status,
      time: timeOf(e),
      startedDateTime: typeof e.startedDateTime === 'string' ? e.startedDateTime : '',
      outcome,
      failed: true,
      findings: entryFindings,
    };
    const failure = isFailedEntry(e) ? (failureTextOf(e) ?? 'no response') : undefined;
    if (failure) r.error = failure;
    if (Object.keys(d.report.support.requestIds).length) r.requestIds = d.report.support.requestIds;
    out.push(r);
    for (const w of d.report.warnings) if (!warnings.includes(w)) warnings.push(w);
  }

  // The entries the session findings cite that did not fail (a Set-Cookie, a refresh, the last success).
  const listed = new Set(out.map((r) => r.index));
  for (const f of findings)
    for (const i of f.entries) {
      const e = valid[i];
      if (listed.has(i) || !isUsableEntry(e)) continue;
      listed.add(i);
      const status = isFailedEntry(e) ? null : e.response.status;
      const r: HarEntryReport = {
        index: i,
        method: e.request.method,
        url: e.request.url,
        status,
        time: timeOf(e),
        startedDateTime: typeof e.startedDateTime === 'string' ? e.startedDateTime : '',
        outcome: status === null ? 'unreachable' : status < 400 ? 'ok' : 'error',
        failed: false,
        findings: [],
      };
      const failure = status === null ? failureTextOf(e) : undefined;
      if (failure) r.error = failure;
      out.push(r);
    }
  out.sort((a, b) => a.index - b.index);

  const report: HarReport = {
    schemaVersion: 1,
    tool: { name: 'why401', version: VERSION },
    source: {
      creator: meta.creator ? { ...meta.creator } : null,
      browser: meta.browser ? { ...meta.browser } : null,
      entries: entries.length,
      sanitizedByBrowser: sanitized,
    },
    entries: out,
    findings,
    warnings,
  };
  if (o.file !== undefined) report.source.file = o.file;

  const redactor = new Redactor(!o.showSecrets);
  if (!o.showSecrets) for (const e of valid) if (isUsableEntry(e)) collectEntrySecrets(e, redactor);
  return redactor.deep(report);
}
