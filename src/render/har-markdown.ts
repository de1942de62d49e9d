import type { HarReport } from '../model/har-report.js';
import {
  authProblemFound,
  entryStatus,
  failedWords,
  firstOf,
  pathOnly,
  unansweredOnly,
} from './har-parts.js';
import { terminalSafeDeep } from './terminal-safe.js';

/**
 * A block to paste into a support ticket for a HAR: the session's diagnosis with its entries, then
 * the failed entries as a table (time, request, status, diagnosis). Secrets are already redacted.
 */

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Entry numbers cited in one line, and rows of the failed-entries table, before "… and N more". */
const MAX_CITED = 50;
const MAX_ROWS = 100;

function cited(entries: number[]): string {
  const { shown, more } = firstOf(entries, MAX_CITED);
  return `${shown.map((i) => `#${i}`).join(', ')}${more ? ` … and ${more} more` : ''}`;
}

function code(s: string): string {
  return `\`${s.replace(/`/g, 'ˋ')}\``;
}

export function renderHarMarkdown(report: HarReport): string {
  const r = terminalSafeDeep(report);
  const d = r.findings.find((f) => f.kind === 'cause');
  const failed = r.entries.filter((e) => e.failed);
  const firstEntry = failed
    .map((e) => e.findings.find((f) => f.kind === 'cause'))
    .find((f) => f !== undefined);
  // Only requests without an answer failed: said as such, not as a diagnosis of an auth problem.
  const unanswered = unansweredOnly(r).length;
  const noAuth = !d && firstEntry !== undefined && unanswered === failed.length && !authProblemFound(r);
  const browser = [r.source.browser, r.source.creator]
    .filter((x) => x !== null)
    .map((x) => `${x!.name}${x!.version ? ` ${x!.version}` : ''}`)
    .join(', ');
  const out = [
    '### why401 HAR report',
    '',
    '| | |',
    '|---|---|',
    ...(r.source.file ? [`| File | ${cell(code(r.source.file))} |`] : []),
    `| Entries | ${r.source.entries} (${failedWords(r)}) |`,
    ...(browser ? [`| Recorded by | ${cell(browser)} |`] : []),
    `| Sanitized by the browser | ${r.source.sanitizedByBrowser ? 'yes: no Authorization, Cookie or Set-Cookie in the file' : 'no'} |`,
    `| Diagnosis | ${
      d
        ? `**${cell(d.title)}** (${code(d.id)}, ${d.confidence})`
        : noAuth
          ? `no authentication problem: ${unanswered} ${unanswered === 1 ? 'request' : 'requests'} got no answer (the first: **${cell(firstEntry!.title)}**)`
          : firstEntry
            ? `**${cell(firstEntry.title)}** (${code(firstEntry.id)}, ${firstEntry.confidence})`
            : failed.length
              ? 'no cause found'
              : 'no request failed on authentication'
    } |`,
    '',
  ];
  if (d) {
    if (d.detail) out.push(d.detail, '');
    out.push(`**Fix:** ${d.fix}`, '');
    if (d.entries.length) out.push(`**Entries:** ${cited(d.entries)}`, '');
  } else if (firstEntry) {
    if (firstEntry.detail) out.push(firstEntry.detail, '');
    out.push(`**Fix:** ${firstEntry.fix}`, '');
  }
  const others = r.findings.filter((f) => f !== d);
  if (others.length) {
    out.push('**Also found:**', '');
    for (const f of others)
      out.push(
        `- ${f.kind}: ${f.title} (${code(f.id)}${f.entries.length ? `; entries ${cited(f.entries)}` : ''})`,
      );
    out.push('');
  }
  if (failed.length) {
    out.push(
      '**Failed entries:**',
      '',
      '| # | Time (UTC) | Request | Status | Diagnosis | Request ids |',
      '|---|---|---|---|---|---|',
    );
    const rows = firstOf(failed, MAX_ROWS);
    for (const e of rows.shown) {
      const c = e.findings.find((f) => f.kind === 'cause');
      const ids = Object.entries(e.requestIds ?? {})
        .map(([k, v]) => `${k}: ${code(v)}`)
        .join(', ');
      out.push(
        `| ${e.index} | ${cell(e.startedDateTime)} | ${cell(code(`${e.method} ${pathOnly(e.url)}`))} | ${cell(entryStatus(e))} | ${
          c ? `${cell(c.title)} (${code(c.id)})` : `no cause found (${e.outcome})`
        } | ${cell(ids)} |`,
      );
    }
    if (rows.more) out.push('', `… and ${rows.more} more failed entries (all of them in \`--json\`).`);
    out.push('');
  }
  if (r.warnings.length) {
    out.push('<details><summary>Warnings</summary>', '');
    for (const w of r.warnings) out.push(`- ${w}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
