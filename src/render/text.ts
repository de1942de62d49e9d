import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { statusWithText } from '../model/status-text.js';
import { unfollowedRedirect } from './unfollowed-redirect.js';
import { style, type Style } from './style.js';
import { wrap } from './wrap.js';
import { terminalSafeDeep } from './terminal-safe.js';

/**
 * The terminal report, answer first: one line with what is wrong, one with what to do, then the
 * proof (a repaired request that worked), then the evidence; other causes, warnings, context and
 * the probes after it. Wrapped to the terminal's width (80 when piped), never inside a word.
 */

export const DEFAULT_WIDTH = 80;

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
function verifiedLines(f: Finding, s: Style, width: number): string[] {
  const v = f.verified;
  if (!v) return [];
  return [
    ...wrap(
      `the same request with ${v.change} got ${v.status} ${v.statusText}`.trimEnd(),
      width,
      `  ${s.green('✔ Verified:')} `,
      '    ',
    ),
    // The command stays one line, so it pastes as it is.
    `    ${v.command}`,
  ];
}

function evidenceLines(f: Finding, s: Style, width: number): string[] {
  if (!f.evidence.length) return [];
  return [
    s.dim('  evidence:'),
    ...f.evidence.flatMap((e) => wrap(e.value, width, `    ${s.dim(`${e.probe} ${e.where}:`)} `, '      ')),
  ];
}

/** The diagnosis: what is wrong, what to do, the proof, then why (detail and evidence). */
function diagnosis(f: Finding, s: Style, width: number): string[] {
  return [
    ...wrap(s.bold(f.title), width, `${icon(f, s)} `, '  '),
    ...wrap(f.fix, width, `${s.green('→')} `, '  '),
    ...verifiedLines(f, s, width),
    '',
    ...wrap(`${s.bold('Why')} ${tag(f, s)}`, width),
    ...(f.detail ? wrap(f.detail, width, '  ') : []),
    ...evidenceLines(f, s, width),
  ];
}

/** Another cause or a warning: what, why it ranks lower, the detail, the fix. */
function other(f: Finding, s: Style, width: number): string[] {
  return [
    ...wrap(`${s.bold(f.title)}  ${tag(f, s)}`, width, `${icon(f, s)} `, '  '),
    ...verifiedLines(f, s, width),
    ...(f.whyLower ? wrap(f.whyLower, width, `  ${s.dim('ranks lower:')} `, '    ') : []),
    ...(f.detail ? wrap(f.detail, width, '  ') : []),
    ...evidenceLines(f, s, width),
    ...wrap(f.fix, width, `  ${s.green('fix:')} `, '    '),
  ];
}

/** "cached (age 4 min)": a stored answer served without a request; "revalidated" when a 304 confirmed it. */
export function cachedNote(c: NonNullable<Report['probes'][number]['cached']>, ms: number): string {
  const age =
    c.age < 60
      ? `${c.age} s`
      : c.age < 3600
        ? `${Math.floor(c.age / 60)} min`
        : `${Math.floor(c.age / 3600)} h`;
  return c.revalidated ? `${ms} ms, cached copy revalidated (304)` : `cached (age ${age})`;
}

function offline(r: Report): boolean {
  return r.skippedProbes.some((p) => p.probe === 'main' && /^offline/.test(p.reason));
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
  if (offline(r))
    return `${s.bold('why401')} ${r.target.method} ${r.target.url} ${s.dim('(offline: nothing was sent)')}`;
  const main = r.probes.filter((p) => p.name === 'main');
  const ms = main.reduce((a, p) => a + p.ms, 0);
  const hops = main.length > 1 ? `, ${main.length - 1} redirect${main.length > 2 ? 's' : ''}` : '';
  const st = r.status === null ? s.red('no answer') : statusWithText(r.status);
  return `${s.bold('why401')} ${r.target.method} ${r.target.url} → ${st} ${s.dim(`(${ms} ms${hops})`)}`;
}

/** When no cause was found: what happened, in words (never an internal outcome name). */
function noCause(r: Report, s: Style): string {
  if (r.outcome !== 'ok' && r.source === 'token')
    return `${s.yellow('?')} Not judged: the token is not a JWT, so it cannot be checked offline. Nothing was found wrong, and nothing was found fine; how to check it is below.`;
  // A redirect not followed (no -L, as with curl) is an answer, not a success: say where it points.
  const redirect = unfollowedRedirect(r);
  if (redirect) return redirect;
  if (r.outcome === 'ok')
    return `${s.green('✔')} ${r.source === 'token' ? 'Nothing wrong found with the token.' : 'No auth problem: the request succeeded.'}`;
  if (offline(r)) return 'Nothing wrong found in the request as written (nothing was sent).';
  const st = r.status;
  if (st === null) {
    const err = r.probes.find((p) => p.name === 'main' && p.error)?.error;
    return `The request got no answer${err ? ` (${err})` : ''}.`;
  }
  if (st === 404)
    return `The server answered ${statusWithText(st)}: the address does not exist there. This is not an authentication problem.`;
  if (st >= 500)
    return `The server answered ${statusWithText(st)}: it failed on its side. This is not an authentication problem.`;
  return `The server answered ${statusWithText(st)}; this is not an authentication problem.`;
}

export function renderText(report: Report, opts: { color: boolean; width?: number }): string {
  // Every value escaped before our own styling is added (terminal-safe.ts).
  const r = terminalSafeDeep(report);
  const s = style(opts.color);
  const width = Math.max(40, opts.width ?? DEFAULT_WIDTH);
  const out: string[] = [...wrap(outcomeLine(r, s), width, '', '  '), ''];
  const causes = r.findings.filter((f) => f.kind === 'cause');
  const warnings = r.findings.filter((f) => f.kind === 'warning');
  const infos = r.findings.filter((f) => f.kind === 'info');
  if (causes.length) {
    out.push(...diagnosis(causes[0]!, s, width), '');
    if (causes.length > 1) {
      out.push(s.bold('Other causes'));
      for (const f of causes.slice(1)) out.push(...other(f, s, width), '');
    }
  } else out.push(...wrap(noCause(r, s), width), '');
  if (warnings.length) {
    out.push(s.bold('Warnings'));
    for (const f of warnings) out.push(...other(f, s, width), '');
  }
  if (infos.length) {
    out.push(s.bold('Context'));
    for (const f of infos) {
      out.push(...wrap(f.title, width, `${icon(f, s)} `, '  '));
      if (f.detail) out.push(...wrap(f.detail, width, '  '));
      else
        for (const e of f.evidence)
          out.push(
            ...wrap(
              e.value,
              width,
              `    ${s.dim(e.where.replace(/^response\.header\./, '') + ':')} `,
              '      ',
            ),
          );
    }
    out.push('');
  }
  out.push(s.bold('Probes'));
  const pad = Math.max(
    12,
    ...r.probes.map((p) => (p.hop ? `${p.name}#${p.hop}` : p.name).length),
    ...r.skippedProbes.map((x) => x.probe.length),
  );
  // One line per probe, never wrapped: a table to scan, with URLs whole.
  for (const p of r.probes) {
    const name = p.hop ? `${p.name}#${p.hop}` : p.name;
    const result = p.error ? s.red(p.error) : String(p.status);
    const dropped = p.droppedHeaders?.length ? s.yellow(` (dropped ${p.droppedHeaders.join(', ')})`) : '';
    const took = p.cached ? cachedNote(p.cached, p.ms) : `${p.ms} ms`;
    out.push(`  ${name.padEnd(pad)} ${p.method} ${p.url} → ${result} ${s.dim(took)}${dropped}`);
  }
  for (const sk of r.skippedProbes)
    out.push(
      ...wrap(
        s.dim(`not sent: ${sk.reason}`),
        width,
        `  ${s.dim(sk.probe.padEnd(pad))} `,
        ' '.repeat(pad + 5),
      ),
    );
  for (const w of r.warnings) out.push(...wrap(s.yellow(`warning: ${w}`), width, '', '  '));
  return out.join('\n') + '\n';
}
