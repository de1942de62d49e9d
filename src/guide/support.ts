import type { Report } from '../model/report.js';
import { statusWithText } from '../model/status-text.js';
import { QUESTIONS } from './steps.js';
import type { Advice, Answer, DeviceFacts } from './types.js';

/**
 * The block to send to a support team: what the article says they need (a timestamp, the full
 * URL, a request id) plus the status, the first cause, what the person tried and what the device
 * showed. Made only from the report (already redacted), the answers and the device facts: no
 * secret can reach it that the report does not already hide.
 */

interface Field {
  label: string;
  value: string;
  /** Shown as code in Markdown (URLs, ids). */
  code?: boolean;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'unknown';
}

function skewWords(s: number): string {
  if (s === 0) return "the same as the site's";
  const n = Math.abs(s);
  return `${n} second${n === 1 ? '' : 's'} ${s > 0 ? 'ahead of' : 'behind'} the site's`;
}

function fields(r: Report | undefined, now: number): Field[] {
  const out: Field[] = [];
  if (!r) {
    out.push({ label: 'Time (UTC)', value: iso(now) });
    out.push({ label: 'Address', value: 'not tested' });
    return out;
  }
  out.push({ label: 'Time of the request (UTC)', value: r.support.timestamp });
  out.push({ label: 'Block written (UTC)', value: iso(now) });
  if (r.source === 'token') {
    out.push({ label: 'Address', value: 'not tested (a sign-in token alone was checked)' });
  } else {
    out.push({ label: 'Address', value: r.target.url, code: true });
    if (r.support.url !== r.target.url)
      out.push({ label: 'Final address', value: r.support.url, code: true });
    out.push({ label: 'Method', value: r.support.method });
    out.push({
      label: 'Status',
      value: r.status === null ? r.outcome : statusWithText(r.status),
    });
  }
  const ids = Object.entries(r.support.requestIds);
  out.push({
    label: 'Request ids',
    value: ids.length ? ids.map(([k, v]) => `${k}: ${v}`).join(', ') : 'none returned',
    code: ids.length > 0,
  });
  const cause = r.findings.find((f) => f.kind === 'cause');
  out.push({
    label: 'First cause',
    value: cause
      ? `${cause.id}: ${cause.title}`
      : r.outcome === 'ok'
        ? 'none (no sign-in problem found)'
        : 'none found',
  });
  return out;
}

function answerLines(answers: Record<string, Answer> | undefined): string[] {
  if (!answers) return [];
  const out: string[] = [];
  for (const q of QUESTIONS) {
    const a = answers[q.id];
    // The person's own words: the question and the answer, no internal ids.
    if (a === 'yes' || a === 'no') out.push(`${q.text} ${a === 'yes' ? 'Yes.' : 'No.'}`);
  }
  return out;
}

function deviceLines(d: DeviceFacts | undefined): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (d.clockSkewSeconds !== undefined) out.push(`Clock: ${skewWords(d.clockSkewSeconds)}`);
  if (d.cookiesEnabled !== undefined) out.push(`Cookies: ${d.cookiesEnabled ? 'enabled' : 'blocked'}`);
  if (d.account !== undefined) out.push(`Account named by the sign-in details: ${d.account}`);
  return out;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

function mdCell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}

function mdCode(s: string): string {
  const t = oneLine(s);
  const ticks = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  return ticks > 1 ? `${fence} ${mdCell(t)} ${fence}` : `${fence}${mdCell(t)}${fence}`;
}

/** Markdown list items must not start a heading, a quote or an HTML block of their own. */
function mdText(s: string): string {
  return oneLine(s).replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

export function supportBlock(
  report: Report | undefined,
  o: { now: number; answers?: Record<string, Answer>; device?: DeviceFacts; advice?: Advice[] },
): { text: string; markdown: string } {
  const f = fields(report, o.now);
  const answers = answerLines(o.answers);
  const device = deviceLines(o.device);
  const advice = (o.advice ?? []).map((a) => a.text);
  const version = report ? `why401 ${report.tool.version}` : 'why401';

  const width = Math.max(...f.map((x) => x.label.length)) + 2;
  const text = [
    '----- why401 support block: send everything down to the end line -----',
    ...f.map((x) => `${`${x.label}:`.padEnd(width)}${oneLine(x.value)}`),
  ];
  const section = (title: string, lines: string[]) => {
    if (!lines.length) return;
    text.push('', `${title}:`, ...lines.map((l) => `  - ${oneLine(l)}`));
  };
  section('What I tried', answers);
  section('This device', device);
  section('Advice given', advice);
  text.push(`----- end (made by ${version}) -----`, '');

  const md = [
    '### why401 support block',
    '',
    '| | |',
    '|---|---|',
    ...f.map((x) => `| ${x.label} | ${x.code ? mdCode(x.value) : mdCell(mdText(x.value))} |`),
    '',
  ];
  const mdSection = (title: string, lines: string[]) => {
    if (!lines.length) return;
    md.push(`**${title}**`, '', ...lines.map((l) => `- ${mdText(l)}`), '');
  };
  mdSection('What I tried', answers);
  mdSection('This device', device);
  mdSection('Advice given', advice);
  md.push(`_Made by ${version}._`, '');
  return { text: text.join('\n'), markdown: md.join('\n') };
}
