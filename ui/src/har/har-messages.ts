import type { HarReport } from '../../../src/model/har-report.js';

/** What the page and the HAR worker say to each other. The file goes in; only results come out. */

/** One row of the session timeline: every entry of the file, its URL without the query, redacted. */
export interface TimelineRow {
  index: number;
  startedDateTime: string;
  method: string;
  /** Origin and path only, secrets redacted. */
  path: string;
  /** null: no answer at all. */
  status: number | null;
  error?: string;
  /** Duration in ms. */
  time: number;
}

export interface HarAnalysis {
  report: HarReport;
  timeline: TimelineRow[];
}

export interface SanitizedCopy {
  blob: Blob;
  fileName: string;
  entries: number;
  /** "12 secrets replaced (5 token, 4 cookie, …)". */
  summary: string;
}

export type ToWorker = { type: 'analyze'; file: File } | { type: 'sanitize' };

export type FromWorker =
  | { type: 'progress'; phase: 'read' | 'sanitize'; done: number; total: number }
  | { type: 'analysis'; analysis: HarAnalysis }
  | { type: 'sanitized'; copy: SanitizedCopy }
  | { type: 'error'; message: string };
