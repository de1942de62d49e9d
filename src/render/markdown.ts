import { unfollowedRedirect } from './unfollowed-redirect.js';
import type { Report } from '../model/report.js';
import { terminalSafeDeep } from './terminal-safe.js';

/** A block to paste into a support ticket: what the article asks for (timestamp, URL, request id) and the diagnosis. */

function fence(s: string): string {
  return s.replace(/```/g, '`\u200b``');
}

export function renderMarkdown(report: Report): string {
  // Pasted into a ticket or printed to a terminal: no control characters either way.
  const r = terminalSafeDeep(report);
  const d = r.findings.find((f) => f.kind === 'cause');
  const ids = Object.entries(r.support.requestIds);
  const out = [
    '### why401 report',
    '',
    '| | |',
    '|---|---|',
    `| Time | ${r.support.timestamp} |`,
    `| Request | \`${r.target.method} ${r.target.url}\` |`,
    ...(r.support.url !== r.target.url ? [`| Final URL (after redirects) | \`${r.support.url}\` |`] : []),
    `| Status | ${r.status ?? r.outcome} |`,
    `| Request ids | ${ids.length ? ids.map(([k, v]) => `${k}: \`${v}\``).join(', ') : 'none returned'} |`,
    `| Diagnosis | ${d ? `**${d.title}** (\`${d.id}\`, ${d.confidence})` : r.outcome === 'ok' ? (unfollowedRedirect(r) ?? 'no auth problem') : r.source === 'token' ? 'not checked: the token is not a JWT, so it cannot be checked offline' : 'no cause found'} |`,
    '',
  ];
  if (d) {
    if (d.verified)
      out.push(
        `**Verified:** the same request with ${d.verified.change} got ${d.verified.status} ${d.verified.statusText}:`,
        '',
        '```sh',
        fence(d.verified.command),
        '```',
        '',
      );
    if (d.detail) out.push(d.detail, '');
    out.push(`**Fix:** ${d.fix}`, '');
  }
  const others = r.findings.filter((f) => f !== d && f.kind !== 'info');
  if (others.length) {
    out.push('**Also found:**', '');
    for (const f of others)
      out.push(
        `- ${f.kind === 'cause' ? 'cause' : 'warning'}: ${f.title} (\`${f.id}\`, ${f.confidence})${f.whyLower ? ` — ${f.whyLower}` : ''}`,
      );
    out.push('');
  }
  out.push('<details><summary>Exchanges (secrets redacted)</summary>', '', '```http');
  for (const p of r.probes) {
    out.push(`# ${p.name}${p.hop ? `#${p.hop}` : ''}`, `${p.method} ${p.url}`);
    for (const [k, v] of Object.entries(p.requestHeaders))
      for (const one of [v].flat()) out.push(`${k}: ${fence(one)}`);
    out.push('', p.error ? `(no response: ${fence(p.error)})` : `HTTP ${p.status}`);
    for (const [k, v] of Object.entries(p.responseHeaders))
      for (const one of v) out.push(`${k}: ${fence(one)}`);
    out.push('');
  }
  out.push('```', '</details>', '');
  return out.join('\n');
}
