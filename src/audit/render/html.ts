import { escapeHtml as e, HTML_CSP } from '../../render/html.js';
import type { AuditFinding, AuditReport } from '../types.js';
import { statusLine } from './statuses.js';

/**
 * The report as one self-contained page, in the shape Lighthouse made familiar: inline CSS, no
 * script, no external asset, and a Content-Security-Policy that lets nothing load (the same as the
 * diagnosis's HTML report). Every string from the (already redacted) report goes through escapeHtml.
 */

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#4d4d57;--line:#d5d5dc;--panel:#f5f5f8;
--error:#a3180f;--warning:#7a3d00;--info:#184a9e;--ok:#0b6b37}
@media (prefers-color-scheme:dark){:root{--bg:#131316;--fg:#ececf0;--muted:#b4b4be;--line:#3a3a44;--panel:#1d1d22;
--error:#ffb4ab;--warning:#ffd08a;--info:#b3cdff;--ok:#9ee6b8}}
body{margin:0 auto;max-width:60rem;padding:1.5rem;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,sans-serif}
h1{font-size:1.4rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:0 0 .3rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left}
.score{font-size:2.5rem;font-weight:700}.muted{color:var(--muted)}
.finding{border:1px solid var(--line);border-radius:.4rem;padding:.8rem 1rem;margin:.8rem 0;background:var(--panel)}
.error{color:var(--error)}.warning{color:var(--warning)}.info{color:var(--info)}.ok{color:var(--ok)}
code{font:.9em ui-monospace,monospace}
meter{width:10rem}
`;

/** Only http(s) links: a citation URL is ours, but the page must not carry a javascript: link whatever it holds. */
function link(url: string, text: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${e(url)}">${e(text)}</a>` : e(text);
}

function finding(f: AuditFinding): string {
  const items = f.items
    .map(
      (i) =>
        `<li>${i.operation ? `<code>${e(i.operation)}</code>` : 'the whole API'}<ul>${i.evidence.map((x) => `<li>${e(x)}</li>`).join('')}</ul></li>`,
    )
    .join('');
  return `<section class="finding">
<h3><span class="${f.severity}">${e(f.severity)}</span> ${e(f.title)}</h3>
<p class="muted"><code>${e(f.id)}</code> · ${e(f.category)}${f.cost ? ` · −${f.cost} points` : ''}</p>
<ul>${items}</ul>
<p><strong>Why:</strong> ${e(f.description)}</p>
<ul>${f.fixes.map((x) => `<li><strong>Fix (${e(x.server)}):</strong> ${e(x.fix)}</li>`).join('')}</ul>
<p><strong>See:</strong> ${f.cites.map((c) => link(c.url, `${c.spec} ${c.section}`)).join('; ')}</p>
</section>`;
}

export function renderAuditHtml(r: AuditReport): string {
  const categories = r.categories
    .map(
      (c) =>
        `<tr><td>${e(c.title)}</td><td>${c.score === undefined ? '<span class="muted">not judged</span>' : `${c.score} <meter min="0" max="100" value="${c.score}"></meter>`}</td></tr>`,
    )
    .join('\n');
  const operations = r.operations
    .map((op) => {
      const st = statusLine(op);
      return `<tr><td><code>${e(op.operation)}</code></td><td>${e(st)}</td></tr>`;
    })
    .join('\n');
  const doc = r.document
    ? `${r.document.title ? `${e(r.document.title)}, ` : ''}${r.document.version ? `OpenAPI ${e(r.document.version)}, ` : ''}${r.document.operations} operations`
    : `${r.operations.length} operations given with --path`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(HTML_CSP)}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>why401 audit of ${e(r.target)}: ${r.score}/100</title>
<style>${CSS}</style>
</head>
<body>
<h1>why401 audit of <code>${e(r.target)}</code></h1>
<p class="muted">${doc}; ${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s; ${e(r.startedAt)}; why401 ${e(r.version)}</p>
<p class="score ${r.score >= 90 ? 'ok' : r.score >= 50 ? 'warning' : 'error'}">${r.score}/100</p>
<table>
<thead><tr><th>Category</th><th>Score</th></tr></thead>
<tbody>
${categories}
</tbody>
</table>
<h2>Findings (${r.findings.length})</h2>
${r.findings.length ? r.findings.map(finding).join('\n') : '<p class="ok">No findings: every rule that applied passed.</p>'}
<h2>Operations</h2>
<table>
<thead><tr><th>Operation</th><th>Status per probe</th></tr></thead>
<tbody>
${operations}
</tbody>
</table>
${r.notes.length ? `<h2>Notes</h2>\n<ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
</body>
</html>
`;
}
