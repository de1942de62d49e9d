import type { Report } from '../model/report.js';
import { isAuthFailure } from './outcome.js';

/** Exit codes (PRODUCT.md): 0 no auth problem, 1 an auth problem diagnosed, 3 unreachable. 2 is the CLI's. */
export function exitCodeOf(r: Report): 0 | 1 | 3 {
  if (r.outcome === 'unreachable') return 3;
  if (r.findings.some((f) => f.kind === 'cause')) return 1;
  if (isAuthFailure(r.outcome)) return 1;
  return 0;
}
