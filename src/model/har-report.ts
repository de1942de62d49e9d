import type { Finding } from './finding.js';
import type { HarCreator } from './har.js';
import type { Outcome } from './report.js';

/**
 * The `why401 har FILE --json` contract (shared/spec/report.md, schema/har-report.json): the
 * per-entry diagnoses and what only the whole session shows. Types only, so renderers stay light.
 */

/** A finding of the whole session, with the HAR indices of the entries it is about. */
export interface SessionFinding extends Finding {
  entries: number[];
}

export interface HarEntryReport {
  /** Position in the HAR's `entries` (0-based). */
  index: number;
  method: string;
  /** Secrets in the URL redacted. */
  url: string;
  /** null: no answer at all (Chrome writes 0, Playwright -1). */
  status: number | null;
  /** The browser's failure text for a request without an answer (`net::ERR_FAILED`). */
  error?: string;
  /** Duration in ms, as the HAR says. */
  time: number;
  startedDateTime: string;
  outcome: Outcome;
  /**
   * The entry failed (401/403, a disguised refusal, no answer) and was diagnosed. Entries that did
   * not fail are listed only when a session-level finding cites them (the Set-Cookie, the refresh,
   * the last success), with no findings of their own.
   */
  failed: boolean;
  /** Ranked: the first cause is this entry's diagnosis. */
  findings: Finding[];
  /** Request ids the server returned, for matching its logs. */
  requestIds?: Record<string, string>;
}

export interface HarReport {
  schemaVersion: 1;
  tool: { name: 'why401'; version: string };
  source: {
    file?: string;
    creator: HarCreator | null;
    browser: HarCreator | null;
    /** How many entries the HAR holds (read so far, when the file was cut). */
    entries: number;
    /** Chrome's default export without Authorization, Cookie and Set-Cookie (Chrome ≥ 130). */
    sanitizedByBrowser: boolean;
    /**
     * How many entries failed in the whole capture, present only when `entries` lists fewer of
     * them: a very large capture keeps a bounded number (a warning says which).
     */
    failedEntries?: number;
  };
  /** The entries that failed (401/403, disguised refusals, no answer), each diagnosed, and the entries the session findings cite; in HAR order. */
  entries: HarEntryReport[];
  /** What only the whole session shows, ranked: the first cause is the session's diagnosis. */
  findings: SessionFinding[];
  warnings: string[];
}
