import type { Exchange, OperationEvidence } from '../types.js';
import { contentType } from './util.js';

/** The answers that are errors (4xx, 5xx) to the operation's requests, the preflight aside. */
export function errorAnswers(op: OperationEvidence): Exchange[] {
  return Object.values(op.exchanges).filter(
    (ex): ex is Exchange => !!ex && ex.kind !== 'preflight' && ex.status !== undefined && ex.status >= 400,
  );
}

export function isHtml(ex: Exchange): boolean {
  return /html/.test(contentType(ex)) || /^\s*<(!doctype html|html[\s>])/i.test(ex.body);
}

/**
 * Stack traces as the common runtimes print them: Node/V8 (`    at fn (/app/x.js:10:5)`), Python
 * (`Traceback (most recent call last)`), Java (`at com.x.Y.z(Y.java:42)`, `java.lang.…Exception`),
 * .NET (`at X.Y() in /src/Z.cs:line 42`), PHP (`#0 /var/www/x.php(12)`), Go (`goroutine 1 [running]`).
 */
const STACK = [
  /\bat (?:[\w$.<>]+ )?\(?(?:file:\/\/)?\/?[\w./\\-]+\.[cm]?[jt]s:\d+:\d+\)?/,
  /Traceback \(most recent call last\)/,
  /\bat [\w$.]+\([\w]+\.java:\d+\)/,
  /\bjava\.lang\.[\w.]*(?:Exception|Error)\b/,
  /\bat [\w.<>`]+\(.*\) in .+:line \d+/,
  /^#\d+ \/[\w/.-]+\.php\(\d+\)/m,
  /goroutine \d+ \[running\]/,
];

export function hasStackTrace(ex: Exchange): boolean {
  return STACK.some((re) => re.test(ex.body));
}

/** Whether an error answer is machine-readable: problem+json (RFC 9457), or JSON with an `error` or `title` member. */
export function isStructured(ex: Exchange): boolean {
  if (/application\/problem\+json/.test(contentType(ex))) return true;
  try {
    const v: unknown = JSON.parse(ex.body);
    return typeof v === 'object' && v !== null && ('error' in v || 'title' in v || 'detail' in v);
  } catch {
    return false;
  }
}
