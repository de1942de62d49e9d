import { terminalSafeDeep } from '../../render/terminal-safe.js';
import { style as makeStyle } from '../../render/style.js';
import { wrap } from '../../render/wrap.js';
import type { AuditFinding, AuditReport } from '../types.js';
import { statusLine } from './statuses.js';

/**
 * The report for a terminal, in the shape Lighthouse made familiar: the score and each
 * category's, then the findings that cost points (worst first), each with the operations it was
 * seen on, the evidence, the fix per server and the RFC it cites.
 */

function bar(score: number): string {
  const n = Math.round(score / 10);
  return `${'█'.repeat(n)}${'░'.repeat(10 - n)}`;
}

function finding(f: AuditFinding, s: ReturnType<typeof makeStyle>, width: number): string[] {
  const mark =
    f.severity === 'error'
      ? s.red('✗ error  ')
      : f.severity === 'warning'
        ? s.yellow('! warning')
        : s.dim('i info   ');
  const out = wrap(
    `${s.bold(f.title)}  ${s.dim(`${f.id}${f.cost ? `, −${f.cost} ${f.category}` : ''}`)}`,
    width,
    `${mark} `,
    '          ',
  );
  const shown = f.items.slice(0, 5);
  for (const item of shown) {
    if (item.operation) out.push(`    ${item.operation}`);
    const indent = item.operation ? '      ' : '    ';
    for (const e of item.evidence) out.push(...wrap(e, width, indent, `${indent}  `));
  }
  if (f.items.length > shown.length)
    out.push(`    … and ${f.items.length - shown.length} more operations (--format json lists them all)`);
  out.push(...wrap(`Why: ${f.description}`, width, '    ', '      '));
  for (const fix of f.fixes) out.push(...wrap(`Fix (${fix.server}): ${fix.fix}`, width, '    ', '      '));
  out.push(
    ...wrap(
      `See: ${f.cites.map((c) => `${c.spec} ${c.section} <${c.url}>`).join('; ')}`,
      width,
      '    ',
      '      ',
    ),
  );
  return out;
}

/**
 * `width`: the terminal's columns (80 when piped); lines wrap at spaces only, never inside a word,
 * so a URL or a configuration line stays whole.
 */
export function renderAuditText(report: AuditReport, opts: { color?: boolean; width?: number } = {}): string {
  const width = opts.width ?? 80;
  const r = terminalSafeDeep(report);
  const s = makeStyle(!!opts.color);
  const doc = r.document
    ? `${r.document.title ? `"${r.document.title}" ` : ''}(${r.document.version ? `OpenAPI ${r.document.version}, ` : ''}${r.document.operations} operations)`
    : `(${r.operations.length} operations given with --path)`;
  const lines: string[] = [
    ...wrap(
      `${s.bold('why401 audit')} of ${r.target} ${doc}: ${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s`,
      width,
      '',
      '  ',
    ),
    '',
    `${s.bold(`Score ${r.score}/100`)}`,
  ];
  for (const c of r.categories) {
    const score =
      c.score === undefined ? s.dim('  –  not judged') : `${String(c.score).padStart(3)}  ${bar(c.score)}`;
    lines.push(`  ${c.title.padEnd(30)} ${score}`);
  }
  lines.push('');
  const above = r.findings.filter((f) => f.severity !== 'info');
  if (r.findings.length === 0) lines.push('No findings: every rule that applied passed.');
  else {
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    lines.push(
      s.bold(
        `Findings: ${errors} error${errors === 1 ? '' : 's'}, ${above.length - errors} warning${above.length - errors === 1 ? '' : 's'}, ${r.findings.length - above.length} info`,
      ),
    );
    for (const f of r.findings) lines.push('', ...finding(f, s, width));
  }
  lines.push(
    '',
    ...wrap(
      `${s.bold('Operations')}  ${s.dim('(status per probe: none = no credentials, bad = malformed, low = --token-low, token = --token)')}`,
      width,
      '',
      '  ',
    ),
  );
  for (const op of r.operations) {
    const st = statusLine(op);
    lines.push(`  ${op.operation.padEnd(32)} ${st}`);
  }
  if (r.notes.length) lines.push('', s.bold('Notes'), ...r.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}
