import { diffPriority } from '../core/diff-priority.js';
import { redactUrl } from '../core/redact-url.js';
import { type DiffItem, type DiffSide } from '../model/har-diff.js';
import { STATUS_TEXT } from '../model/status-text.js';
import { style, type Style } from './style.js';
import { terminalSafeDeep } from './terminal-safe.js';

/**
 * `why401 diff` for a terminal: the two requests, then the differences grouped and ordered by how
 * much they can explain the refusal (the token and the credentials, then where the request went,
 * then the way it went and the server's answer). Secrets arrive already fingerprinted.
 */

export interface DiffTextOptions {
  color: boolean;
  good?: DiffSide;
  bad?: DiffSide;
  /** How the pair was chosen from two HAR files ("same method and path"). */
  match?: string;
}

function sideLine(tag: string, side: DiffSide, s: Style, paint: (x: string) => string): string {
  const r = side.response;
  const status = !r
    ? s.dim('(not sent)')
    : r.status <= 0
      ? s.red('no response')
      : paint(`${r.status} ${r.statusText || STATUS_TEXT[r.status] || ''}`.trim());
  const where = [side.label, side.at !== undefined ? new Date(side.at).toISOString() : undefined]
    .filter(Boolean)
    .join(', ');
  return `  ${s.bold(tag)}  ${side.request.method} ${redactUrl(side.request.url)} → ${status}${where ? `  ${s.dim(`(${where})`)}` : ''}`;
}

interface Group {
  title: string;
  items: DiffItem[];
}

function groupOf(item: DiffItem): 0 | 1 | 2 {
  if (item.area === 'token' || item.area === 'cookie') return 0;
  if (item.area === 'origin' || item.area === 'url' || item.area === 'method') return 1;
  const p = diffPriority(item);
  return p < 300 ? 0 : 2;
}

function wrap(text: string, width: number, pad: string): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(pad + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(pad + line);
  return lines;
}

function label(item: DiffItem): string {
  switch (item.area) {
    case 'token':
      return item.name === 'same token' || item.name === 'format'
        ? `token: ${item.name}`
        : `token claim ${item.name}`;
    case 'header':
      return `header ${item.name}`;
    case 'cookie':
      return `cookie ${item.name}`;
    case 'redirect':
      return item.name === 'chain' ? 'redirects' : `${item.name} across redirects`;
    case 'status':
    case 'challenge':
    case 'method':
      return item.name;
    default:
      return `${item.area} ${item.name}`;
  }
}

/** The diff as text: a headline per side, then each difference with both values and why it matters. */
export function renderDiffText(rawItems: DiffItem[], rawOpts: DiffTextOptions): string {
  // Both HAR files' strings, escaped before our own styling.
  const items = terminalSafeDeep(rawItems);
  const opts = { ...terminalSafeDeep(rawOpts), color: rawOpts.color };
  const s = style(opts.color);
  const out: string[] = [s.bold('why401 diff')];
  if (opts.good) out.push(sideLine('GOOD', opts.good, s, s.green));
  if (opts.bad) out.push(sideLine('BAD ', opts.bad, s, s.red));
  if (opts.match) out.push(s.dim(`  (GOOD's request chosen by ${opts.match})`));
  out.push('');
  if (!items.length) {
    out.push(
      'No difference that matters for auth: same credentials, cookies, URL, route and answer. Compare the times (a token or session that expired in between) and the request bodies.',
    );
    return `${out.join('\n')}\n`;
  }
  out.push(
    `${items.length} difference${items.length === 1 ? '' : 's'} that matter${items.length === 1 ? 's' : ''} for auth, most important first:`,
  );
  const groups: Group[] = [
    { title: 'Token and credentials', items: [] },
    { title: 'Where the request went', items: [] },
    { title: 'The way there and the answer', items: [] },
  ];
  for (const item of items) groups[groupOf(item)]!.items.push(item);
  // The group holding the most important difference comes first.
  const best = (g: Group) => Math.min(...g.items.map(diffPriority));
  groups.sort((a, b) => best(a) - best(b));
  for (const g of groups) {
    if (!g.items.length) continue;
    out.push('', s.bold(g.title));
    for (const item of g.items) {
      out.push(`  ${s.cyan('•')} ${s.bold(label(item))}`);
      out.push(`      ${s.green('GOOD')}  ${item.good ?? s.dim('(none)')}`);
      out.push(`      ${s.red('BAD ')}  ${item.bad ?? s.dim('(none)')}`);
      for (const line of wrap(item.note, 96, '      ')) out.push(s.dim(line));
    }
  }
  return `${out.join('\n')}\n`;
}
