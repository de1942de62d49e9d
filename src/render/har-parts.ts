import type { HarEntryReport } from '../har/types.js';

/** Small pieces every HAR report shows the same way (terminal, Markdown, HTML, the web page). */

/** The URL without its query string or fragment: where the request went, without the parameters that may carry secrets. */
export function pathOnly(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** The entry's status, or why the browser got none. */
export function entryStatus(x: HarEntryReport): string {
  return x.status === null ? `no answer (${x.error ?? 'failed'})` : String(x.status);
}
