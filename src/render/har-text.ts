import { icon, indent, tag } from './text.js';
import type { HarEntryReport, HarReport, SessionFinding } from '../model/har-report.js';
import type { Finding } from '../model/finding.js';
import { authProblemFound, failedWords, firstOf, pathOnly, unansweredOnly } from './har-parts.js';
import { style, type Style } from './style.js';
import { terminalSafeDeep } from './terminal-safe.js';

/**
 * The terminal report of `why401 har`: what the whole session shows first (each cause with its
 * entries), then the per-entry diagnoses grouped by their first cause, then a compact timeline of
 * the failures. A pure function of the (already redacted) report. Lists stop at a screenful
 * ("… and N more"): a day's capture can cite thousands of entries; --json has them all.
 */

/** Entry lines under one finding or one cause, and in the timeline. */
const MAX_LINES = 20;
const MAX_TIMELINE = 50;

function more(n: number, s: Style): string[] {
  return n ? [s.dim(`    … and ${n} more (see --json)`)] : [];
}

function result(e: HarEntryReport, s: Style): string {
  if (e.status === null) return s.red(e.error ?? 'no answer');
  return e.status >= 400 ? s.red(String(e.status)) : s.yellow(String(e.status));
}

function entryLine(e: HarEntryReport, s: Style): string {
  return `#${e.index} ${e.method} ${pathOnly(e.url)} → ${result(e, s)}`;
}

function clock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(11, 23);
}

function sessionBlock(f: SessionFinding, r: HarReport, s: Style): string[] {
  const lines = [`${icon(f, s)} ${s.bold(f.title)}  ${tag(f, s)}`];
  if (f.detail) lines.push(indent(f.detail, '  '));
  if (f.entries.length) {
    lines.push(s.dim('  entries:'));
    const known = new Map(r.entries.map((e) => [e.index, e]));
    const { shown, more: left } = firstOf(f.entries, MAX_LINES);
    for (const i of shown) {
      const e = known.get(i);
      lines.push(`    ${e ? entryLine(e, s) : s.dim(`#${i}`)}`);
    }
    lines.push(...more(left, s));
  }
  if (f.evidence.length && f.kind !== 'info') {
    lines.push(s.dim('  evidence:'));
    for (const e of f.evidence) lines.push(`    ${s.dim(`${e.probe} ${e.where}:`)} ${e.value}`);
  }
  if (f.kind !== 'info') lines.push(`  ${s.green('fix:')} ${f.fix}`);
  return lines;
}

function firstCause(e: HarEntryReport): Finding | undefined {
  return e.findings.find((f) => f.kind === 'cause');
}

export function renderHarText(report: HarReport, opts: { color: boolean }): string {
  // A HAR file's strings are the page's and its servers': escaped before our own styling.
  const r = terminalSafeDeep(report);
  const s = style(opts.color);
  const failedEntries = r.entries.filter((e) => e.failed);
  const failed = failedEntries.length;
  const by = [r.source.browser?.name, r.source.creator?.name].filter((x): x is string => !!x);
  const head = `${s.bold('why401 har')}${r.source.file ? ` ${r.source.file}` : ''} → ${r.source.entries} entries, ${
    failed ? s.red(failedWords(r)) : s.green('none failed')
  }${by.length ? s.dim(` (${[...new Set(by)].join(', ')})`) : ''}`;
  const out: string[] = [head, ''];
  if (r.source.sanitizedByBrowser)
    out.push(
      s.yellow('⚠ Sanitized by the browser: no Authorization, Cookie or Set-Cookie in this file.'),
      '',
    );

  const causes = r.findings.filter((f) => f.kind === 'cause');
  const warnings = r.findings.filter((f) => f.kind === 'warning');
  const infos = r.findings.filter((f) => f.kind === 'info');
  if (causes.length) {
    out.push(s.bold('Session diagnosis'));
    out.push(...sessionBlock(causes[0]!, r, s), '');
    if (causes.length > 1) {
      out.push(s.bold('Other session causes'));
      for (const f of causes.slice(1)) out.push(...sessionBlock(f, r, s), '');
    }
  } else if (failed === 0) {
    out.push(`${s.green('✔')} No request failed on authentication in this capture.`, '');
  } else if (!authProblemFound(r) && unansweredOnly(r).length === failed) {
    // Requests without an answer are listed below, but none of them is an authentication problem.
    out.push(
      `${s.green('✔')} No authentication problem in this capture: ${failed === 1 ? '1 request' : `${failed} requests`} got no answer (below), and no server refused any credentials.`,
      '',
    );
  }
  for (const f of warnings) out.push(...sessionBlock(f, r, s), '');
  if (infos.length) {
    out.push(s.bold('Context'));
    for (const f of infos) {
      out.push(`${icon(f, s)} ${f.title}`);
      if (f.detail) out.push(indent(f.detail, '  '));
    }
    out.push('');
  }

  if (failed) {
    out.push(s.bold('Failed entries by cause'));
    const groups = new Map<string, { finding?: Finding; entries: HarEntryReport[] }>();
    for (const e of failedEntries) {
      const c = firstCause(e);
      // Requests without an answer differ by why (an ad blocker, a refused connection): grouped by that.
      const key = c
        ? c.id === 'network.unreachable'
          ? `${c.id}: ${c.title}`
          : c.id
        : `(${e.outcome}: no cause found)`;
      const g = groups.get(key) ?? { ...(c ? { finding: c } : {}), entries: [] };
      g.entries.push(e);
      groups.set(key, g);
    }
    for (const [key, g] of groups) {
      const f = g.finding;
      // Already shown above with these very entries: a reference is enough.
      const shown =
        f && causes.find((c) => c.id === f.id && g.entries.every((e) => c.entries.includes(e.index)));
      if (shown) {
        out.push(`${icon(shown, s)} ${s.bold(shown.id)} ${s.dim('(the session cause above)')}`);
        const some = firstOf(g.entries, MAX_LINES);
        for (const e of some.shown) out.push(`    ${entryLine(e, s)}`);
        out.push(...more(some.more, s), '');
        continue;
      }
      out.push(
        f
          ? `${icon(f, s)} ${s.bold(f.title)}  ${tag(f, s)}${g.entries.length > 1 ? s.dim(` ×${g.entries.length}`) : ''}`
          : `${s.dim('·')} ${key}`,
      );
      if (f?.detail) out.push(indent(f.detail, '  '));
      const some = firstOf(g.entries, MAX_LINES);
      for (const e of some.shown) {
        const others = e.findings
          .filter((x) => x.kind === 'cause' && x.id !== (f?.id ?? key))
          .map((x) => x.id);
        out.push(`    ${entryLine(e, s)}${others.length ? s.dim(`  (also: ${others.join(', ')})`) : ''}`);
      }
      out.push(...more(some.more, s));
      if (f) out.push(`  ${s.green('fix:')} ${f.fix}`);
      out.push('');
    }

    out.push(s.bold('Timeline of failures'));
    const sessionIds = new Map<number, string[]>();
    for (const f of r.findings)
      if (f.kind === 'cause')
        for (const i of f.entries) sessionIds.set(i, [...(sessionIds.get(i) ?? []), f.id]);
    const timeline = firstOf(
      [...failedEntries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime)),
      MAX_TIMELINE,
    );
    for (const e of timeline.shown) {
      const ids = [
        ...new Set([...(sessionIds.get(e.index) ?? []), ...(firstCause(e) ? [firstCause(e)!.id] : [])]),
      ];
      out.push(
        `  ${s.dim(clock(e.startedDateTime))}  ${entryLine(e, s)}${ids.length ? `  ${s.dim(ids.join(', '))}` : ''}`,
      );
    }
    out.push(...more(timeline.more, s), '');
  }
  for (const w of r.warnings) out.push(s.yellow(`warning: ${w}`));
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
