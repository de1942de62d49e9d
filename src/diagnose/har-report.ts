import { runSessionChecks, sessionChecks } from '../checks/session/index.js';
import { analyze } from '../core/analyze.js';
import { absorb, metaLookup, rank } from '../core/rank.js';
import { checks } from '../checks/index.js';
import { Redactor } from '../core/redact.js';
import { VERSION } from '../core/version.js';
import type { Evidence, JarCookie } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import type { HeaderList } from '../model/http.js';
import type { Outcome } from '../model/report.js';
import {
  entryEvidence,
  isFailedEntry,
  isUsableEntry,
  startedAtOf,
  type EntryList,
} from '../facts/har-entry.js';
import { noAnswerOf, type NoAnswer } from '../facts/no-answer.js';
import { noAnswerWords } from '../har/no-answer-words.js';
import { detectSanitizedExport, SANITIZED_WARNING } from '../har/sanitized.js';
import { collectEntrySecrets } from '../har/secrets.js';
import { KEEP_LIMITS, type KeepLimits, type KeepStats } from '../facts/session-keep.js';
import {
  EAGER_DIAGNOSES,
  SessionBuilder,
  timeOrder,
  type EntryDiagnosis,
  type SessionFacts,
} from '../facts/session.js';
import { scanErrorWords, type ScanError } from '../har/scanner.js';
import type { HarEntryReport, HarReport, SessionFinding } from '../model/har-report.js';
import { EntryWindow } from '../har/window.js';
import { tryUrl } from '../parse/url.js';

/** What the report says of a request without an answer whose producer recorded no reason. */
const NO_REASON = 'no answer, no reason recorded';

/** Session-level and per-request causes ranked together: the metas of both. */
const SESSION_META = metaLookup([...sessionChecks, ...checks]);

export type { HarEntryReport, HarReport, SessionFinding } from '../model/har-report.js';

/**
 * `why401 har`: a whole capture diagnosed. Every 401/403, every disguised refusal (a redirect to a
 * sign-in page, a sign-in page served with 200) and every request without an answer gets the same
 * per-request diagnosis as `why401 URL` (`analyze()` on the entry's evidence, judged at the
 * capture's time); the session-level checks add what only the whole session shows; one Redactor
 * redacts it all, taught the secrets of every entry of a small capture and, in a large one, of
 * every entry the report can show (HarAnalysis below). Pure and platform-neutral.
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

function hostOf(url: string): string {
  return tryUrl(url)?.host ?? (url.split(/[/?#]/)[0] || url);
}

/**
 * The finding of a request without an answer in its producer's words (no-answer-words.ts): an ad
 * blocker is not "cut off by the time limit", BrowserMob's "No response received" is not "not
 * valid HTTP", Firefox's silence is not Chromium's net::ERR_FAILED. A proxy's 407 becomes
 * network.proxy-auth-required, the one no-answer that is an auth problem.
 */
function noAnswerFinding(f: Finding, n: NoAnswer, url: string): Finding {
  if (n.kind === 'cors-or-blocked') {
    const code = n.label;
    return {
      ...f,
      confidence: 'possible',
      title: `The browser got no answer (${code})`,
      detail: `Chromium logs a request that CORS refused (its preflight, or the response's CORS headers), or that an extension or a policy blocked, as ${code} with no response. It is a network failure only if other requests to this host failed the same way.`,
      fix: 'Open the browser console for the reason (a CORS message names the header at fault), or replay the request with why401 --origin PAGE_ORIGIN to see the preflight.',
    };
  }
  const w = noAnswerWords(n, hostOf(url));
  const out: Finding = { ...f, title: w.title, detail: w.detail, fix: w.fix };
  if (w.id) {
    const meta = SESSION_META(w.id);
    out.id = w.id;
    if (meta) {
      out.step = meta.step;
      out.plain = meta.plain;
    }
  }
  return out;
}

function forHar(findings: Finding[], n: NoAnswer | undefined, url: string, hidden: boolean): Finding[] {
  let renamed = false;
  const out = findings.map((f0) => {
    let f = { ...f0 };
    if (f.id === 'network.unreachable' && n) {
      f = noAnswerFinding(f, n, url);
      renamed ||= f.id !== 'network.unreachable';
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
  // A cause of another id ranks by its own meta (a proxy's 407 absorbs "no credentials were sent").
  return renamed ? rank(absorb(out, SESSION_META), SESSION_META) : out;
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

/** What the report keeps of an entry's own diagnosis besides its findings (which the session entry holds). */
export interface Diagnosed {
  outcome: Outcome;
  /** Listed as a failed entry: a refusal, no answer, or a disguised refusal. */
  keep: boolean;
  requestIds: Record<string, string>;
  warnings: string[];
}

/**
 * How much of each body a diagnosis reads: the start is where an error message or a sign-in form
 * is, and cutting the rest keeps a 1 GiB capture's entries in tens of megabytes.
 */
export const DIAGNOSIS_TEXT_CHARS = 16_384;

/** Any usable entry that needs credentials, so that `detectSanitizedExport([e, NEEDY])` asks only whether `e` carries any. */
const NEEDY: HarEntry = {
  startedDateTime: '',
  request: { method: 'GET', url: 'http://needs-credentials.invalid/', headers: [] },
  response: { status: 401, headers: [] },
};
const DEVTOOLS: HarMeta = { creator: { name: 'WebInspector' } };

/** A Redactor that only gathers the secrets it is told, to teach the real one at the end. */
class SecretBag extends Redactor {
  readonly found = new Set<string>();
  override add(secret: string | undefined): void {
    const s = secret?.trim();
    if (s) this.found.add(s);
  }
}

/** An entry rebuilt from what a session or an exchange keeps of it, to find its secrets once it is gone. */
function asHarEntry(
  method: string,
  url: string,
  headers: HeaderList,
  status: number | null,
  responseHeaders: HeaderList,
  body?: string,
  requestBody?: string,
): HarEntry {
  const nv = (h: HeaderList) => h.map(([name, value]) => ({ name, value }));
  const e: HarEntry = {
    startedDateTime: '',
    request: { method, url, headers: nv(headers) },
    response: { status: status ?? 0, headers: nv(responseHeaders) },
  };
  if (body !== undefined) e.response.content = { text: body };
  if (requestBody !== undefined) e.request.postData = { text: requestBody };
  return e;
}

export interface HarAnalysisOptions extends AnalyzeHarOptions {
  /**
   * Whether the capture hides credentials (Chrome's sanitized export), when known before reading
   * it. Otherwise it is judged from the entries read before the first is replayed, and `rerunWith`
   * says so if the whole file says otherwise.
   */
  credentialsHidden?: boolean;
  /** How much of a large session is kept (tests make it small). */
  limits?: Partial<KeepLimits>;
}

/**
 * `why401 har` over a stream of entries: `push` each entry in file order (its raw data is dropped
 * once it has left a window of a few hundred entries), then `end`. Memory is bounded by constants
 * whatever the number of entries: a small capture is analysed whole, exactly as `analyzeHar`
 * always did; a large one keeps a bounded number of failed entries and of the requests their
 * stories name (session-keep.ts), and the report says what it left out. Pure and platform-neutral.
 */
export class HarAnalysis {
  private meta: HarMeta = {};
  private count = 0;
  private unusable = 0;
  /** The latest start time of the entries seen so far (epoch ms, 0 before any). */
  private latest = 0;
  private sawCredentials = false;
  private needsCredentials = false;
  private hidden: boolean | undefined;
  private builder: SessionBuilder | undefined;
  private entryAt: EntryList = () => undefined;
  private readonly window = new EntryWindow();
  private readonly diagnosed = new Map<number, Diagnosed>();
  private readonly secrets = new SecretBag();
  private readonly keepAll: number;
  /**
   * Set by `end` when the file turned out to be (or not to be) Chrome's sanitized export only after
   * entries were replayed the other way: analyse it again with `credentialsHidden` set to this.
   */
  rerunWith: boolean | undefined;

  constructor(private readonly o: HarAnalysisOptions = {}) {
    this.keepAll = { ...KEEP_LIMITS, ...o.limits }.keepAll;
  }

  /** What the file says besides its entries (its creator and pages), as it is read. */
  setMeta(meta: HarMeta): void {
    this.meta = meta;
  }

  push(e: HarEntry, index: number): void {
    this.see(e);
    this.entryAt = this.window.at;
    this.window.push(e, index, (i) => this.replay(i));
  }

  /** A whole capture already in memory, replayed in exact time order. */
  pushAll(entries: HarEntry[]): void {
    for (const e of entries) this.see(e);
    this.entryAt = entries;
    for (const i of timeOrder(entries)) this.replay(i);
  }

  /** The session facts of a capture held in memory, the kept failed entries diagnosed (the tests read these). */
  facts(entries: HarEntry[]): SessionFacts {
    this.pushAll(entries);
    return (this.builder ?? this.newBuilder(this.decideHidden())).finish().facts;
  }

  end(): HarReport {
    this.window.drain((i) => this.replay(i));
    const hidden = this.decideHidden();
    if (this.o.sanitizedExport === undefined && this.o.credentialsHidden === undefined) {
      const judged = this.judgedSanitized();
      if (judged !== hidden) this.rerunWith = judged;
    }
    const builder = this.builder ?? this.newBuilder(hidden);
    const { facts, stats } = builder.finish();
    return this.report(facts, stats, hidden, builder.undiagnosed);
  }

  /** Counts, Chrome's sanitized export, and the secrets of a small capture's every entry. */
  private see(e: HarEntry): void {
    this.count++;
    if (!isUsableEntry(e)) {
      this.unusable++;
      return;
    }
    const t = startedAtOf(e);
    if (t > this.latest) this.latest = t;
    if (!this.sawCredentials) {
      if (!detectSanitizedExport([e, NEEDY], DEVTOOLS)) this.sawCredentials = true;
      else if (!this.needsCredentials && detectSanitizedExport([e], DEVTOOLS)) this.needsCredentials = true;
    }
    // Every secret of every entry, as long as that stays small; a large capture adds those of the
    // entries it keeps, at the end.
    if (!this.o.showSecrets && this.count <= this.keepAll) collectEntrySecrets(e, this.secrets);
  }

  /** Chrome's sanitized export, judged over the entries seen so far (detectSanitizedExport's rule). */
  private judgedSanitized(): boolean {
    return (
      /webinspector/i.test(this.meta.creator?.name ?? '') &&
      this.count > 0 &&
      !this.sawCredentials &&
      this.needsCredentials
    );
  }

  private decideHidden(): boolean {
    this.hidden ??= this.o.sanitizedExport ?? this.o.credentialsHidden ?? this.judgedSanitized();
    return this.hidden;
  }

  private newBuilder(hidden: boolean): SessionBuilder {
    this.builder = new SessionBuilder(() => this.meta, {
      credentialsHidden: hidden,
      diagnose: (index, jar) => this.prepare(index, jar, hidden),
      ...(this.o.limits ? { limits: this.o.limits } : {}),
    });
    return this.builder;
  }

  private replay(index: number): void {
    const e = typeof this.entryAt === 'function' ? this.entryAt(index) : this.entryAt[index];
    if (!e) return;
    (this.builder ?? this.newBuilder(this.decideHidden())).add(index, e);
    if (typeof this.entryAt === 'function') this.window.done(index);
  }

  /**
   * The evidence of one entry, built while the entries around it are at hand; `analyze` runs when
   * the returned function is called (at the end, for the failed entries the session keeps).
   */
  private prepare(index: number, jar: JarCookie[], hidden: boolean): () => EntryDiagnosis {
    const entry = typeof this.entryAt === 'function' ? this.entryAt(index)! : this.entryAt[index]!;
    const started = startedAtOf(entry);
    const ev = entryEvidence(this.entryAt, index, {
      // An entry without a date (Safari writes "" when it does not know) is judged at the
      // capture's time, not today's: a token's expiry means something only then.
      now: started || this.latest || Date.now(),
      credentialsHidden: hidden,
      meta: this.meta,
    });
    if (jar.length) ev.request.cookieJar = jar;
    const failed = isFailedEntry(entry);
    const noAnswer = failed ? noAnswerOf(entry, this.meta) : undefined;
    const status = entry.response.status;
    const url = entry.request.url;
    return () => {
      const report = analyze(ev, { showSecrets: true });
      const findings = forHar(report.findings, noAnswer, url, hidden);
      const keep =
        failed ||
        status === 401 ||
        status === 403 ||
        report.outcome === 'login-required' ||
        report.outcome === 'unauthorized' ||
        report.outcome === 'forbidden';
      this.diagnosed.set(index, {
        outcome: report.outcome,
        keep,
        requestIds: report.support.requestIds,
        warnings: report.warnings,
      });
      if (!this.o.showSecrets) this.evidenceSecrets(ev);
      return { outcome: report.outcome, findings };
    };
  }

  /** The secrets of every exchange a diagnosis read (its redirect hops, its preflight) and of its cookie jar. */
  private evidenceSecrets(ev: Evidence): void {
    ev.exchanges.forEach((x, k) => {
      const requestBody = k === 0 && x.probe === 'main' ? ev.request.body : undefined;
      collectEntrySecrets(
        asHarEntry(
          x.request.method,
          x.request.url,
          x.request.headers,
          x.response?.status ?? null,
          x.response?.headers ?? [],
          x.response?.body,
          requestBody,
        ),
        this.secrets,
      );
    });
    for (const c of ev.request.cookieJar ?? []) this.secrets.add(c.value);
  }

  private report(facts: SessionFacts, stats: KeepStats, sanitized: boolean, undiagnosed: number): HarReport {
    const o = this.o;
    const warnings: string[] = [];
    if (sanitized) warnings.push(SANITIZED_WARNING);
    if (this.unusable)
      warnings.push(
        `${this.unusable} ${this.unusable === 1 ? 'entry' : 'entries'} without a usable request or response ${this.unusable === 1 ? 'was' : 'were'} skipped.`,
      );

    const { findings: raw, errors } = runSessionChecks(facts, sessionChecks);
    warnings.push(...errors);
    const findings = rank(raw, SESSION_META) as SessionFinding[];

    // The session causes that name each entry, in the session's own ranking.
    const causesFor = new Map<number, SessionFinding[]>();
    for (const f of findings)
      if (f.kind === 'cause') for (const i of f.entries) causesFor.set(i, [...(causesFor.get(i) ?? []), f]);

    const out: HarEntryReport[] = [];
    const failedOnes = facts.entries
      .filter((s) => s.diagnosis && this.diagnosed.get(s.index)?.keep)
      .sort((a, b) => a.index - b.index);
    for (const s of failedOnes) {
      const d = this.diagnosed.get(s.index)!;
      const entryFindings = withSessionCauses(s.diagnosis!.findings, causesFor.get(s.index) ?? []);
      let outcome = d.outcome;
      // A request without an answer that a CORS cause explains was refused by the browser, not the network.
      if (s.status === null && entryFindings.find((f) => f.kind === 'cause')?.id.startsWith('cors.'))
        outcome = 'error';
      const r: HarEntryReport = {
        index: s.index,
        method: s.method,
        url: s.url,
        status: s.status,
        time: s.time,
        startedDateTime: s.startedDateTime,
        outcome,
        failed: true,
        findings: entryFindings,
      };
      if (s.status === null) r.error = s.failure ?? NO_REASON;
      if (Object.keys(d.requestIds).length) r.requestIds = d.requestIds;
      out.push(r);
      for (const w of d.warnings) if (!warnings.includes(w)) warnings.push(w);
    }

    // The entries the session findings cite that did not fail (a Set-Cookie, a refresh, the last success).
    const listed = new Set(out.map((r) => r.index));
    for (const f of findings)
      for (const i of f.entries) {
        const s = facts.byIndex.get(i);
        if (listed.has(i) || !s) continue;
        listed.add(i);
        const r: HarEntryReport = {
          index: i,
          method: s.method,
          url: s.url,
          status: s.status,
          time: s.time,
          startedDateTime: s.startedDateTime,
          outcome: s.status === null ? 'unreachable' : s.status < 400 ? 'ok' : 'error',
          failed: false,
          findings: [],
        };
        if (s.status === null) r.error = s.failure ?? NO_REASON;
        out.push(r);
      }
    out.sort((a, b) => a.index - b.index);

    const cut = stats.failed - stats.failedKept;
    if (stats.bounded && cut > 0) warnings.push(cutWarning(this.count, stats, out));
    if (undiagnosed)
      warnings.push(
        `${undiagnosed} more ${undiagnosed === 1 ? 'redirect to a sign-in page or sign-in page was' : 'redirects to a sign-in page or sign-in pages were'} not diagnosed: a capture this large gets at most ${EAGER_DIAGNOSES} of them.`,
      );

    const report: HarReport = {
      schemaVersion: 1,
      tool: { name: 'why401', version: VERSION },
      source: {
        creator: this.meta.creator ? { ...this.meta.creator } : null,
        browser: this.meta.browser ? { ...this.meta.browser } : null,
        entries: this.count,
        sanitizedByBrowser: sanitized,
      },
      entries: out,
      findings,
      warnings,
    };
    if (o.file !== undefined) report.source.file = o.file;
    if (stats.bounded && cut > 0) report.source.failedEntries = stats.failed;

    const redactor = new Redactor(!o.showSecrets);
    if (!o.showSecrets) {
      for (const s of facts.entries) {
        collectEntrySecrets(
          asHarEntry(s.method, s.url, s.headers, s.status, s.responseHeaders),
          this.secrets,
        );
        for (const cc of s.cookieChecks ?? []) this.secrets.add(cc.cookie.value);
      }
      // Longest first, the order the redactor keeps them in, so that each addition sorts little.
      for (const x of [...this.secrets.found].sort((a, b) => b.length - a.length)) redactor.add(x);
    }
    return redactor.deep(report);
  }
}

function cutWarning(entries: number, stats: KeepStats, out: HarEntryReport[]): string {
  const shown = out.filter((r) => r.failed).length;
  const cut = stats.failed - stats.failedKept;
  const by = [...stats.droppedByStatus]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} × ${k}`)
    .join(', ');
  return `This capture is large (${entries} entries, ${stats.failed} failed): to keep memory bounded, ${shown} failed entries are diagnosed and listed (the first ones, the first of each other kind of failure, and the last ones), and the session checks see those and the requests their stories compare them with. The other ${cut} failed entries (${by}) are only counted here; lists of entries in the findings stop at what was kept.`;
}

/** The per-entry diagnoses and the session facts, as `analyzeHar` computes them (the tests use this too). */
export function diagnoseSession(
  entries: HarEntry[],
  meta: HarMeta,
  o: { credentialsHidden?: boolean } = {},
): { facts: SessionFacts } {
  const a = new HarAnalysis({ credentialsHidden: o.credentialsHidden === true, showSecrets: true });
  a.setMeta(meta);
  return { facts: a.facts(entries) };
}

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
  if (scanError) report.warnings.unshift(cutShortWarning(scanError, entries.length));
  return report;
}

/** The warning of a file that ends early or in damage, said apart. */
export function cutShortWarning(scanError: ScanError, entries: number): string {
  return `the file ${scanErrorWords(scanError)}: the ${entries} entries before it were analysed`;
}

/** A capture held in memory (tests, the page): whether it is Chrome's sanitized export is judged over all of it first. */
export function analyzeHar(entries: HarEntry[], meta: HarMeta, o: AnalyzeHarOptions = {}): HarReport {
  const sanitized = o.sanitizedExport ?? detectSanitizedExport(entries, meta);
  const a = new HarAnalysis({ ...o, sanitizedExport: sanitized });
  a.setMeta(meta);
  a.pushAll(entries);
  return a.end();
}
