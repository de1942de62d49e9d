import type { AuditReport, ProbeKind } from '../types.js';

/** Each probe's short name in a report's operations table (the text report's legend explains them). */
const PROBE_LABEL: Record<ProbeKind, string> = {
  anonymous: 'none',
  malformed: 'bad',
  expired: 'expired',
  low: 'low',
  valid: 'token',
  preflight: 'preflight',
  'query-token': '?access_token',
};

/** One operation's answers, `none 401, bad 401, token 200`, or why it was not called. */
export function statusLine(op: AuditReport['operations'][number]): string {
  return (
    op.skipped ??
    Object.entries(op.statuses)
      .map(([k, v]) => `${PROBE_LABEL[k as ProbeKind]} ${v}`)
      .join(', ')
  );
}
