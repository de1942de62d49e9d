import type { Finding } from '../model/finding.js';
import type { StepNo } from './types.js';

/**
 * Which step a finding belongs to: its check's meta `step` (carried on every finding). Step 0 is
 * the developer checklist and context: CORS and what the server says go to the server's step,
 * who the credentials name to the credentials' step, a session comparison to the session's step.
 */
export function stepOfFinding(f: Finding): StepNo | undefined {
  if (f.step >= 1 && f.step <= 5) return f.step as StepNo;
  if (f.id === 'info.identity') return 3;
  if (f.id === 'info.changed-since-success') return 2;
  if (f.id.startsWith('cors.') || f.id === 'info.challenge' || f.id === 'info.request-ids') return 4;
  return undefined;
}

/** The finding in plain words: its check's meta `plain`, carried on the finding; else its title. */
export function plainTitle(f: Finding): string {
  return f.plain ?? f.title;
}
