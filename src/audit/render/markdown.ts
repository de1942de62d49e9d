import { terminalSafeDeep } from '../../render/terminal-safe.js';
import type { AuditFinding, AuditReport } from '../types.js';
import { statusLine } from './statuses.js';

/**
 * The report as Markdown, for a pull request comment or a CI job summary ($GITHUB_STEP_SUMMARY):
 * the score table first, then each finding with its operations, evidence, fix and citation.
 * A pure function of the (already redacted) report.
 */

/** A table cell or a line of prose: no pipe ends a cell early, no backtick opens a code span, no HTML. */
function cell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

/** Inside a code span: the span is opened with more backticks than the text holds (CommonMark §6.1). */
function code(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

const SEVERITY: Record<AuditFinding['severity'], string> = {
  error: '❌ error',
  warning: '⚠️ warning',
  info: 'ℹ️ info',
};

function finding(f: AuditFinding): string[] {
  const out = [
    `### ${SEVERITY[f.severity]}: ${cell(f.title)}`,
    '',
    `${code(f.id)} · ${f.category}${f.cost ? ` · −${f.cost} points` : ''}`,
    '',
  ];
  for (const item of f.items) {
    out.push(`- ${item.operation ? code(item.operation) : 'the whole API'}`);
    for (const e of item.evidence) out.push(`  - ${cell(e)}`);
  }
  out.push('', `**Why:** ${cell(f.description)}`, '');
  for (const fix of f.fixes) out.push(`- **Fix (${cell(fix.server)}):** ${cell(fix.fix)}`);
  out.push(
    '',
    `**See:** ${f.cites.map((c) => `[${cell(`${c.spec} ${c.section}`)}](${encodeURI(c.url)})`).join('; ')}`,
    '',
  );
  return out;
}

export function renderAuditMarkdown(report: AuditReport): string {
  const r = terminalSafeDeep(report);
  const out = [
    `## why401 audit of ${code(r.target)}: ${r.score}/100`,
    '',
    r.document
      ? `${r.document.title ? `${cell(r.document.title)}, ` : ''}${r.document.version ? `OpenAPI ${cell(r.document.version)}, ` : ''}${r.document.operations} operations; ${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s.`
      : `${r.operations.length} operations given with --path; ${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s.`,
    '',
    '| Category | Score |',
    '|---|---:|',
    ...r.categories.map((c) => `| ${cell(c.title)} | ${c.score === undefined ? '– not judged' : c.score} |`),
    `| **Overall** | **${r.score}** |`,
    '',
  ];
  if (r.findings.length === 0) out.push('No findings: every rule that applied passed.', '');
  else {
    out.push(`## Findings (${r.findings.length})`, '');
    for (const f of r.findings) out.push(...finding(f));
  }
  out.push('## Operations', '', '| Operation | Status per probe |', '|---|---|');
  for (const op of r.operations) {
    const st = statusLine(op);
    out.push(`| ${code(op.operation)} | ${cell(st)} |`);
  }
  if (r.notes.length) out.push('', '## Notes', '', ...r.notes.map((n) => `- ${cell(n)}`));
  return `${out.join('\n')}\n`;
}
