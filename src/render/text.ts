import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { statusWithText } from '../model/status-text.js';
import { style, type Style } from './style.js';

/** The terminal report: the diagnosis first, then its evidence, then the fix; the rest after. */

/** Confirmed, likely and possible causes look different, with or without colour. */
export function icon(f: Finding, s: Style): string {
  if (f.kind === 'cause')
    return f.confidence === 'confirmed' ? s.red('✖') : f.confidence === 'likely' ? s.red('▲') : s.yellow('?');
  return f.kind === 'warning' ? s.yellow('⚠') : s.cyan('ℹ');
}

export function tag(f: Finding, s: Style): string {
  return s.dim(`[${f.id} · ${f.confidence}${f.step ? ` · step ${f.step}` : ''}]`);
}

export function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** The repaired request that proved the cause, and the command that sends it. */
export function verifiedLines(f: Finding, s: Style): string[] {
  const v = f.verified;
  if (!v) return [];
  return [
    `  ${s.green('✔ Verified:')} the same request with ${v.change} got ${v.status} ${v.statusText}`.trimEnd(),
    `    ${v.command}`,
  ];
}

function full(f: Finding, s: Style): string[] {
  const lines = [`${icon(f, s)} ${s.bold(f.title)}  ${tag(f, s)}`];
  lines.push(...verifiedLines(f, s));
  if (f.whyLower) lines.push(`  ${s.dim('ranks lower:')} ${f.whyLower}`);
  if (f.detail) lines.push(indent(f.detail, '  '));
  if (f.evidence.length) {
    lines.push(s.dim('  evidence:'));
    for (const e of f.evidence) lines.push(`    ${s.dim(`${e.probe} ${e.where}:`)} ${e.value}`);
  }
  lines.push(`  ${s.green('fix:')} ${f.fix.replace(/\n/g, '\n       ')}`);
  return lines;
}

function outcomeLine(r: Report, s: Style): string {
  if (r.source === 'token') {
    const causes = r.findings.filter((f) => f.kind === 'cause').length;
    const verdict = causes
      ? s.red(`${causes} problem${causes > 1 ? 's' : ''}`)
      : r.outcome === 'ok'
        ? s.green('no problem found')
        : s.yellow('not checked: it cannot be checked offline');
    return `${s.bold('why401 token')} → ${verdict}`;
  }
  const st = r.status === null ? s.red(r.outcome) : statusWithText(r.status);
  const main = r.probes.filter((p) => p.name === 'main');
  const ms = main.reduce((a, p) => a + p.ms, 0);
  const hops = main.length > 1 ? `, ${main.length - 1} redirect${main.length > 2 ? 's' : ''}` : '';
  return `${s.bold('why401')} ${r.target.method} ${r.target.url} → ${st === '' ? r.outcome : st} ${s.dim(`(${ms} ms${hops})`)}`;
}

export function renderText(r: Report, opts: { color: boolean }): string {
  const s = style(opts.color);
  const out: string[] = [outcomeLine(r, s), ''];
  const causes = r.findings.filter((f) => f.kind === 'cause');
  const warnings = r.findings.filter((f) => f.kind === 'warning');
  const infos = r.findings.filter((f) => f.kind === 'info');
  if (causes.length) {
    out.push(s.bold('Diagnosis'), ...full(causes[0]!, s), '');
    if (causes.length > 1) {
      out.push(s.bold('Other causes'));
      for (const f of causes.slice(1)) out.push(...full(f, s), '');
    }
  } else if (r.outcome === 'ok') {
    out.push(
      `${s.green('✔')} ${r.source === 'token' ? 'Nothing wrong found with the token.' : 'No auth problem: the request succeeded.'}`,
      '',
    );
  } else if (r.source === 'token') {
    out.push(
      `${s.yellow('?')} Not judged: the token is not a JWT, so it cannot be checked offline. Nothing was found wrong, and nothing was found fine; how to check it is below.`,
      '',
    );
  } else {
    out.push(`No auth cause found (outcome: ${r.outcome}).`, '');
  }
  if (warnings.length) {
    out.push(s.bold('Warnings'));
    for (const f of warnings) out.push(...full(f, s), '');
  }
  if (infos.length) {
    out.push(s.bold('Context'));
    for (const f of infos) {
      out.push(`${icon(f, s)} ${f.title}`);
      if (f.detail) out.push(indent(f.detail, '  '));
      else
        for (const e of f.evidence)
          out.push(`    ${s.dim(e.where.replace(/^response\.header\./, '') + ':')} ${e.value}`);
    }
    out.push('');
  }
  out.push(s.bold('Probes'));
  const width = Math.max(
    12,
    ...r.probes.map((p) => (p.hop ? `${p.name}#${p.hop}` : p.name).length),
    ...r.skippedProbes.map((x) => x.probe.length),
  );
  for (const p of r.probes) {
    const name = p.hop ? `${p.name}#${p.hop}` : p.name;
    const result = p.error ? s.red(p.error) : String(p.status);
    const dropped = p.droppedHeaders?.length ? s.yellow(` (dropped ${p.droppedHeaders.join(', ')})`) : '';
    out.push(`  ${name.padEnd(width)} ${p.method} ${p.url} → ${result} ${s.dim(`${p.ms} ms`)}${dropped}`);
  }
  for (const sk of r.skippedProbes) out.push(s.dim(`  ${sk.probe.padEnd(width)} not sent: ${sk.reason}`));
  for (const w of r.warnings) out.push(s.yellow(`warning: ${w}`));
  return out.join('\n') + '\n';
}
