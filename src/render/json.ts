import type { Report } from '../model/report.js';

/** The `--json` contract: one object on stdout (shared/spec/report.md). */
export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
