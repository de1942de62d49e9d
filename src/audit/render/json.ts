import type { AuditReport } from '../types.js';

/** The report as it is: the JSON contract of `why401 audit --format json` (already redacted by the caller). */
export function renderAuditJson(r: AuditReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
