import { unfollowedRedirect } from './unfollowed-redirect.js';
import type { HarEntryReport, HarReport, SessionFinding } from '../model/har-report.js';
import type { Finding } from '../model/finding.js';
import type { ProbeRecord, Report } from '../model/report.js';
import { statusWithText } from '../model/status-text.js';
import { pathOnly } from './har-parts.js';

/**
 * A self-contained HTML report (`--html FILE`, and the web page): inline CSS only, no script, and a
 * Content-Security-Policy that lets nothing load. Pure functions of the (already redacted) report;
 * every string from the report goes through `escapeHtml`.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const e = escapeHtml;

export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const KIND_WORD: Record<Finding['kind'], string> = { cause: 'Cause', warning: 'Warning', info: 'Context' };

const CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1b1b1f;--muted:#4d4d57;--line:#d5d5dc;--panel:#f5f5f8;
--cause:#a3180f;--cause-bg:#fdeceb;--warn:#7a3d00;--warn-bg:#fdf1dc;--info:#184a9e;--info-bg:#e7eefc;
--ok:#0b6b37;--ok-bg:#e3f5ea;--code:#ececf1}
@media (prefers-color-scheme:dark){:root{--bg:#131316;--fg:#ececf0;--muted:#b4b4be;--line:#3a3a44;--panel:#1d1d22;
--cause:#ffb4ab;--cause-bg:#3d1512;--warn:#ffd08a;--warn-bg:#3a2a0c;--info:#b3cdff;--info-bg:#15264a;
--ok:#9ee6b8;--ok-bg:#10301f;--code:#2a2a31}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.wrap{max-width:1000px;margin:0 auto;padding:24px 20px 48px}
header.top{border-bottom:1px solid var(--line);padding-bottom:12px;margin-bottom:8px}
.brand{margin:0;color:var(--muted);font-size:.9rem;letter-spacing:.04em}
h1{font-size:1.35rem;margin:.2em 0 .4em;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.8em 0 .6em;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .3em}
h4{font-size:.95rem;margin:1em 0 .3em}
.finding>:is(h3,h4,h5){font-size:1.05rem;margin:0 0 .3em}
.report>section>h3{margin:1.4em 0 .5em}
.report{margin-bottom:2.5em}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
code{background:var(--code);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
.outcome{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0}
.pill{display:inline-block;border-radius:999px;padding:2px 10px;font-weight:600;font-size:.85rem;border:1px solid currentColor}
.pill.cause{color:var(--cause);background:var(--cause-bg)}
.pill.warning{color:var(--warn);background:var(--warn-bg)}
.pill.info{color:var(--info);background:var(--info-bg)}
.pill.ok{color:var(--ok);background:var(--ok-bg)}
.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:8px;padding:14px 16px;margin:0 0 14px;background:var(--panel)}
.finding.cause{border-left-color:var(--cause)}
.finding.warning{border-left-color:var(--warn)}
.finding.main{border-width:2px 2px 2px 8px}
.meta{margin:0 0 .5em;color:var(--muted);font-size:.9rem;display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.detail{white-space:pre-wrap;overflow-wrap:anywhere;margin:.4em 0}
.fix{margin:.6em 0 0;padding:8px 12px;border-radius:6px;background:var(--ok-bg);color:var(--fg);overflow-wrap:anywhere}
.fix strong{color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:.4em 0;font-size:.9rem}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:5px 8px;overflow-wrap:break-word}
td.url{overflow-wrap:anywhere;min-width:14em}
td.nw{white-space:nowrap}
th{font-weight:600;color:var(--muted)}
caption{text-align:left;font-weight:600;padding:4px 0;color:var(--muted)}
dl.support{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.support dt{font-weight:600;color:var(--muted)}
dl.support dd{margin:0;overflow-wrap:anywhere}
ul.plain{padding-left:1.2em}
details{margin:.4em 0}
summary{cursor:pointer;font-weight:600}
pre{background:var(--code);padding:10px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem}
footer{margin-top:32px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:8px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media print{.finding{break-inside:avoid}}
`.trim();

function doc(title: string, body: string, version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="wrap">
${body}
<footer><p>Generated by why401 ${e(version)}.</p></footer>
</div>
</body>
</html>
`;
}

/** Heading of level n (clamped to h6). */
function h(n: number, text: string, id?: string): string {
  const l = Math.min(6, Math.max(1, n));
  return `<h${l}${id ? ` id="${e(id)}"` : ''}>${text}</h${l}>`;
}

let idCounter = 0;
function nextId(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

function section(level: number, title: string, inner: string, prefix: string): string {
  const id = nextId(prefix);
  return `<section aria-labelledby="${id}">${h(level, e(title), id)}\n${inner}</section>\n`;
}

function metaLine(f: Finding): string {
  return `<p class="meta"><span class="pill ${f.kind}">${KIND_WORD[f.kind]}</span><code>${e(f.id)}</code><span>confidence: ${e(
    f.confidence,
  )}</span>${f.step ? `<span>step ${f.step} of 5</span>` : ''}</p>`;
}

function evidenceTable(f: Finding): string {
  if (!f.evidence.length) return '';
  const rows = f.evidence
    .map(
      (x) =>
        `<tr><td class="mono nw">${e(x.probe)}</td><td class="mono">${e(x.where)}</td><td class="mono">${e(x.value)}</td></tr>`,
    )
    .join('');
  return `<table><caption>Evidence</caption><thead><tr><th scope="col">Probe</th><th scope="col">Where</th><th scope="col">Value</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function findingBlock(f: Finding, level: number, opts: { main?: boolean; extra?: string } = {}): string {
  return `<article class="finding ${f.kind}${opts.main ? ' main' : ''}">${h(level, e(f.title))}${metaLine(f)}${
    f.detail ? `<p class="detail">${e(f.detail)}</p>` : ''
  }${opts.extra ?? ''}${evidenceTable(f)}${
    f.kind !== 'info' || f.fix ? `<p class="fix"><strong>Fix:</strong> ${e(f.fix)}</p>` : ''
  }</article>\n`;
}

function infoBlock(f: Finding, level: number): string {
  const ev = f.detail
    ? `<p class="detail">${e(f.detail)}</p>`
    : f.evidence.length
      ? `<ul class="plain">${f.evidence
          .map(
            (x) =>
              `<li><span class="mono">${e(x.where.replace(/^response\.header\./, ''))}</span>: <code>${e(x.value)}</code></li>`,
          )
          .join('')}</ul>`
      : '';
  return `<article class="finding info">${h(level, e(f.title))}${metaLine(f)}${ev}</article>\n`;
}

/** The status in words; with none, what happened instead (never the internal outcome name). */
function statusWords(status: number | null, outcome: string): string {
  if (status !== null) return statusWithText(status);
  return outcome === 'unreachable' ? 'no answer' : outcome === 'ok' ? 'nothing wrong found' : 'not sent';
}

function outcomePill(r: Report): string {
  const causes = r.findings.filter((f) => f.kind === 'cause').length;
  if (r.source === 'token')
    return causes
      ? `<span class="pill cause">${causes} problem${causes > 1 ? 's' : ''}</span>`
      : r.outcome === 'ok'
        ? `<span class="pill ok">no problem found</span>`
        : `<span class="pill warning">not checked: it cannot be checked offline</span>`;
  const cls = r.outcome === 'ok' ? 'ok' : 'cause';
  return `<span class="pill ${cls}">${e(statusWords(r.status, r.outcome))}</span>`;
}

function headerLines(rec: Record<string, string | string[]>): string {
  return Object.entries(rec)
    .flatMap(([k, v]) => [v].flat().map((one) => `${k}: ${one}`))
    .join('\n');
}

function probeName(p: ProbeRecord): string {
  return p.hop ? `${p.name}#${p.hop}` : p.name;
}

function probesBlock(r: Report, level: number): string {
  const notes = r.probes.some((p) => p.droppedHeaders?.length);
  const rows = r.probes
    .map(
      (p) =>
        `<tr><td class="mono nw">${e(probeName(p))}</td><td class="mono">${e(p.method)}</td><td class="mono url">${e(
          p.url,
        )}</td><td>${p.error ? `no answer: ${e(p.error)}` : e(String(p.status))}</td><td class="nw">${p.ms} ms</td>${
          notes
            ? `<td>${p.droppedHeaders?.length ? `dropped ${e(p.droppedHeaders.join(', '))}` : ''}</td>`
            : ''
        }</tr>`,
    )
    .join('');
  let out = r.probes.length
    ? `<table><thead><tr><th scope="col">Probe</th><th scope="col">Method</th><th scope="col">URL</th><th scope="col">Result</th><th scope="col">Time</th>${notes ? '<th scope="col">Notes</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`
    : '<p>No request was sent.</p>';
  if (r.skippedProbes.length) {
    out += `${h(level + 1, 'Not sent')}<ul class="plain">${r.skippedProbes
      .map((s) => `<li><code>${e(s.probe)}</code>: ${e(s.reason)}</li>`)
      .join('')}</ul>`;
  }
  if (r.probes.length) {
    out += `<details><summary>Exchanges (headers as in the report)</summary>${r.probes
      .map(
        (p) =>
          `<pre>${e(
            `# ${probeName(p)}\n${p.method} ${p.url}\n${headerLines(p.requestHeaders)}\n\n${
              p.error ? `(no response: ${p.error})` : `HTTP ${p.status}`
            }\n${headerLines(p.responseHeaders)}`,
          )}</pre>`,
      )
      .join('')}</details>`;
  }
  return out;
}

function supportBlock(r: Report): string {
  const ids = Object.entries(r.support.requestIds);
  return `<dl class="support"><dt>Time</dt><dd>${e(r.support.timestamp)}</dd><dt>Method</dt><dd><code>${e(
    r.support.method,
  )}</code></dd><dt>URL</dt><dd><code>${e(r.support.url)}</code></dd><dt>Status</dt><dd>${e(
    r.support.status === null ? r.outcome : String(r.support.status),
  )}</dd><dt>Request ids</dt><dd>${
    ids.length ? ids.map(([k, v]) => `${e(k)}: <code>${e(v)}</code>`).join(', ') : 'none returned'
  }</dd></dl>`;
}

function outcomeHeading(r: Report): string {
  if (r.source === 'token') return 'why401 token';
  return `${r.target.method} ${r.target.url}`;
}

/** The body of one report, its sections starting at heading level `level`. */
function reportSections(r: Report, level: number): string {
  const causes = r.findings.filter((f) => f.kind === 'cause');
  const warnings = r.findings.filter((f) => f.kind === 'warning');
  const infos = r.findings.filter((f) => f.kind === 'info');
  let out = '';
  if (causes.length) {
    out += section(level, 'Diagnosis', findingBlock(causes[0]!, level + 1, { main: true }), 'diagnosis');
    if (causes.length > 1)
      out += section(
        level,
        'Other causes',
        causes
          .slice(1)
          .map((f) => findingBlock(f, level + 1))
          .join(''),
        'other-causes',
      );
  } else {
    const text =
      r.outcome === 'ok'
        ? r.source === 'token'
          ? 'Nothing wrong found with the token.'
          : (unfollowedRedirect(r) ?? 'No auth problem: the request succeeded.')
        : r.source === 'token'
          ? 'Not judged: the token is not a JWT, so it cannot be checked offline. Nothing was found wrong, and nothing was found fine.'
          : `No auth cause found (outcome: ${r.outcome}).`;
    out += section(
      level,
      'Diagnosis',
      `<p><span class="pill ${r.outcome === 'ok' ? 'ok' : 'warning'}">${r.outcome === 'ok' ? 'OK' : r.source === 'token' ? 'Not checked' : 'Unknown'}</span> ${e(text)}</p>`,
      'diagnosis',
    );
  }
  if (warnings.length)
    out += section(level, 'Warnings', warnings.map((f) => findingBlock(f, level + 1)).join(''), 'warnings');
  if (infos.length)
    out += section(level, 'Context', infos.map((f) => infoBlock(f, level + 1)).join(''), 'context');
  if (r.source !== 'token' || r.probes.length || r.skippedProbes.length)
    out += section(level, 'Probes', probesBlock(r, level), 'probes');
  if (r.warnings.length)
    out += section(
      level,
      'Notes on the input and the run',
      `<ul class="plain">${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`,
      'notes',
    );
  if (r.source !== 'token') out += section(level, 'For a support ticket', supportBlock(r), 'support');
  return out;
}

export function renderHtml(r: Report): string {
  idCounter = 0;
  const body = `<header class="top"><p class="brand">why401 report</p>${h(1, e(outcomeHeading(r)))}<p class="outcome"><span>Outcome:</span>${outcomePill(
    r,
  )}</p></header>
<main>
${reportSections(r, 2)}</main>`;
  return doc(`why401: ${outcomeHeading(r)}`, body, r.tool.version);
}

/** Several reports in one document (`why401 demo --html`): each under its own heading. */
export function renderHtmlMany(
  title: string,
  intro: string,
  items: Array<{ heading: string; note?: string; report: Report }>,
): string {
  idCounter = 0;
  const parts = items
    .map(({ heading, note, report }) => {
      const id = nextId('report');
      return `<section aria-labelledby="${id}" class="report">${h(2, e(heading), id)}<p class="outcome"><span>${e(
        `${report.target.method} ${report.target.url}`,
      )}</span>${outcomePill(report)}</p>${note ? `<p>${e(note)}</p>` : ''}\n${reportSections(report, 3)}</section>\n`;
    })
    .join('');
  const body = `<header class="top"><p class="brand">why401 report</p>${h(1, e(title))}<p>${e(intro)}</p></header>
<main>
${parts}</main>`;
  return doc(title, body, items[0]?.report.tool.version ?? '');
}

// ---------------------------------------------------------------------------------------------
// HAR

function clock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(11, 23);
}

function entryResult(x: HarEntryReport): string {
  return x.status === null ? `no answer: ${x.error ?? 'none'}` : String(x.status);
}

function entriesTable(
  list: HarEntryReport[],
  withCause: boolean,
  sessionIds?: Map<number, string[]>,
): string {
  const rows = list
    .map((x) => {
      const c = x.findings.find((f) => f.kind === 'cause');
      const ids = sessionIds?.get(x.index) ?? [];
      return `<tr><td class="nw">#${x.index}</td><td class="mono nw" title="${e(x.startedDateTime)}">${e(clock(x.startedDateTime))}</td><td class="mono">${e(
        x.method,
      )}</td><td class="mono url">${e(pathOnly(x.url))}</td><td>${e(entryResult(x))}</td>${
        withCause
          ? `<td>${c ? `${e(c.title)} <code>${e(c.id)}</code>` : x.failed ? e(`no cause found (${x.outcome})`) : 'did not fail'}${
              ids.length ? `<br><span class="meta">session: ${e(ids.join(', '))}</span>` : ''
            }</td>`
          : ''
      }</tr>`;
    })
    .join('');
  return `<table><thead><tr><th scope="col">Entry</th><th scope="col">Started (UTC)</th><th scope="col">Method</th><th scope="col">URL</th><th scope="col">Result</th>${
    withCause ? '<th scope="col">Diagnosis</th>' : ''
  }</tr></thead><tbody>${rows}</tbody></table>`;
}

function sessionFinding(f: SessionFinding, r: HarReport, level: number, main = false): string {
  const known = new Map(r.entries.map((x) => [x.index, x]));
  const cited = f.entries.map((i) => known.get(i)).filter((x): x is HarEntryReport => !!x);
  const missing = f.entries.filter((i) => !known.has(i));
  const extra = f.entries.length
    ? `${h(level + 1, 'Entries')}${cited.length ? entriesTable(cited, false) : ''}${
        missing.length ? `<p>Also entries ${missing.map((i) => `#${i}`).join(', ')}.</p>` : ''
      }`
    : '';
  if (f.kind === 'info')
    return `<article class="finding info">${h(level, e(f.title))}${metaLine(f)}${
      f.detail ? `<p class="detail">${e(f.detail)}</p>` : ''
    }${extra}</article>\n`;
  return findingBlock(f, level, { main, extra });
}

export function renderHarHtml(r: HarReport): string {
  idCounter = 0;
  const failedEntries = r.entries.filter((x) => x.failed);
  const by = [...new Set([r.source.browser?.name, r.source.creator?.name].filter((x): x is string => !!x))];
  const causes = r.findings.filter((f) => f.kind === 'cause');
  const warnings = r.findings.filter((f) => f.kind === 'warning');
  const infos = r.findings.filter((f) => f.kind === 'info');
  const title = `why401 har${r.source.file ? ` ${r.source.file}` : ''}`;
  let main = '';
  if (r.source.sanitizedByBrowser)
    main += `<p class="finding warning"><span class="pill warning">Warning</span> Sanitized by the browser: no Authorization, Cookie or Set-Cookie in this file.</p>\n`;
  if (causes.length) {
    main += section(2, 'Session diagnosis', sessionFinding(causes[0]!, r, 3, true), 'diagnosis');
    if (causes.length > 1)
      main += section(
        2,
        'Other session causes',
        causes
          .slice(1)
          .map((f) => sessionFinding(f, r, 3))
          .join(''),
        'other-causes',
      );
  } else {
    main += section(
      2,
      'Session diagnosis',
      failedEntries.length
        ? '<p>No session-level cause found; see the failed entries below.</p>'
        : '<p><span class="pill ok">OK</span> No request failed on authentication in this capture.</p>',
      'diagnosis',
    );
  }
  if (warnings.length)
    main += section(2, 'Warnings', warnings.map((f) => sessionFinding(f, r, 3)).join(''), 'warnings');
  if (infos.length)
    main += section(2, 'Context', infos.map((f) => sessionFinding(f, r, 3)).join(''), 'context');
  if (failedEntries.length) {
    const sessionIds = new Map<number, string[]>();
    for (const f of causes)
      for (const i of f.entries) sessionIds.set(i, [...(sessionIds.get(i) ?? []), f.id]);
    const timeline = [...failedEntries].sort(
      (a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime),
    );
    let inner = entriesTable(timeline, true, sessionIds);
    inner += timeline
      .filter((x) => x.findings.length)
      .map(
        (x) =>
          `<details><summary>Entry #${x.index}: ${e(x.method)} ${e(pathOnly(x.url))} → ${e(entryResult(x))}</summary>${x.findings
            .map((f) => (f.kind === 'info' ? infoBlock(f, 3) : findingBlock(f, 3)))
            .join('')}${
            x.requestIds && Object.keys(x.requestIds).length
              ? `<p>Request ids: ${Object.entries(x.requestIds)
                  .map(([k, v]) => `${e(k)}: <code>${e(v)}</code>`)
                  .join(', ')}</p>`
              : ''
          }</details>`,
      )
      .join('');
    main += section(2, 'Failed entries (timeline)', inner, 'entries');
  }
  if (r.warnings.length)
    main += section(
      2,
      'Notes on the file',
      `<ul class="plain">${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`,
      'notes',
    );
  const failed = failedEntries.length;
  const body = `<header class="top"><p class="brand">why401 HAR report</p>${h(1, e(title))}<p class="outcome"><span>${
    r.source.entries
  } entries</span>${
    failed ? `<span class="pill cause">${failed} failed</span>` : '<span class="pill ok">none failed</span>'
  }${by.length ? `<span>captured by ${e(by.join(', '))}</span>` : ''}</p></header>
<main>
${main}</main>`;
  return doc(title, body, r.tool.version);
}
