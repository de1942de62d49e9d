/**
 * The small HTML page of `authHealth()`: every value escaped (an issuer's error text or key id is
 * data from elsewhere), no script, one inline stylesheet (the handler's CSP allows only that).
 */
import type { AuthHealthReport, FetchCheck } from './health.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function state(ok: boolean | undefined): string {
  return ok === undefined
    ? '<td>unknown</td>'
    : ok
      ? '<td class="ok">ok</td>'
      : '<td class="bad">failing</td>';
}

function fetchRow(name: string, c: FetchCheck): string {
  const detail = [
    c.url ? `<code>${escapeHtml(c.url)}</code>` : '',
    c.status !== undefined ? `HTTP ${escapeHtml(c.status)}` : '',
    c.ms !== undefined ? `${escapeHtml(c.ms)} ms` : '',
    c.error ? escapeHtml(c.error) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<tr><th scope="row">${name}</th>${state(c.ok)}<td>${detail}</td></tr>`;
}

export function renderHealthHtml(r: AuthHealthReport): string {
  const keys = r.jwks.keys.length
    ? r.jwks.keys
        .map(
          (k) =>
            `<li><code>${escapeHtml(k.kid ?? '(no kid)')}</code> ${escapeHtml([k.kty, k.alg, k.use].filter(Boolean).join(' '))}</li>`,
        )
        .join('')
    : '<li>none</li>';
  const issuerRow =
    r.discovery.issuerMatches === undefined
      ? ''
      : `<tr><th scope="row">Issuer in discovery</th>${state(r.discovery.issuerMatches)}<td>${
          r.discovery.issuerMatches
            ? 'identical to the configured issuer'
            : 'differs from the configured issuer'
        }</td></tr>`;
  const clock =
    r.clock.offsetSeconds === undefined
      ? '<td>unknown</td><td>the issuer sent no usable Date header</td>'
      : `${state(r.clock.ok)}<td>${escapeHtml(
          r.clock.offsetSeconds === 0
            ? 'in step with the issuer (to the second)'
            : `the issuer is ${Math.abs(r.clock.offsetSeconds)} s ${r.clock.offsetSeconds > 0 ? 'ahead of' : 'behind'} this server`,
        )}</td>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Auth health: ${escapeHtml(r.status)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:48rem}
table{border-collapse:collapse}th,td{padding:.25rem .75rem;text-align:left;border-bottom:1px solid #ccc}
.ok{color:#064}.bad{color:#a00;font-weight:bold}
</style>
</head>
<body>
<h1>Auth health: <span class="${r.status === 'ok' ? 'ok' : 'bad'}">${escapeHtml(r.status)}</span></h1>
<p>Issuer <code>${escapeHtml(r.issuer)}</code>, checked ${escapeHtml(r.checkedAt)}.</p>
<table>
${fetchRow('Discovery', r.discovery)}
${issuerRow}
${fetchRow('Signing keys (JWKS)', r.jwks)}
<tr><th scope="row">Clock</th>${clock}</tr>
</table>
<h2>Key ids</h2>
<ul>${keys}</ul>
</body>
</html>
`;
}
