import type { HarEntryReport, HarReport } from '../model/har-report.js';
import { tryUrl } from '../parse/url.js';

/** Small pieces every HAR report shows the same way (terminal, Markdown, HTML, the web page). */

/** The URL without its query string or fragment: where the request went, without the parameters that may carry secrets. */
export function pathOnly(url: string): string {
  const u = tryUrl(url);
  return u ? `${u.origin}${u.pathname}` : (url.split(/[?#]/)[0] ?? url);
}

/** The entry's status, or why the browser got none. */
export function entryStatus(x: HarEntryReport): string {
  return x.status === null ? `no answer (${x.error ?? 'failed'})` : String(x.status);
}

/** "4406 failed", and how many of them the report lists when a very large capture lists only some. */
export function failedWords(r: HarReport): string {
  const listed = r.entries.filter((e) => e.failed).length;
  const total = r.source.failedEntries ?? listed;
  return total === listed ? `${total} failed` : `${total} failed, ${listed} listed`;
}

/** At most `max` items of a list, and how many it leaves out (said as "… and N more" where it is shown). */
export function firstOf<T>(list: readonly T[], max: number): { shown: T[]; more: number } {
  return list.length <= max
    ? { shown: [...list], more: 0 }
    : { shown: list.slice(0, max), more: list.length - max };
}

/**
 * Causes that say the server was never reached: a request without an answer (an ad blocker, a
 * refused connection, a page that cancelled it) is not an authentication problem. A proxy's 407
 * is one, and has its own id (network.proxy-auth-required).
 */
const NOT_AUTH = new Set(['network.unreachable']);

/** Whether the capture shows an authentication problem: a cause, in the session or an entry, that is one. */
export function authProblemFound(r: HarReport): boolean {
  const isAuth = (f: { kind: string; id: string }) => f.kind === 'cause' && !NOT_AUTH.has(f.id);
  return r.findings.some(isAuth) || r.entries.some((e) => e.findings.some(isAuth));
}

/** Failed entries whose only cause is that no answer came (the server was never reached). */
export function unansweredOnly(r: HarReport): HarEntryReport[] {
  return r.entries.filter(
    (e) =>
      e.failed && e.status === null && !e.findings.some((f) => f.kind === 'cause' && !NOT_AUTH.has(f.id)),
  );
}
