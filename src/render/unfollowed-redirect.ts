import type { Report } from '../model/report.js';
import { statusWithText } from '../model/status-text.js';

/**
 * A redirect not followed (no -L, as with curl) is the server's answer, not a success: the words
 * that say so and where it points, for every renderer. Undefined when the answer was not one.
 */
export function unfollowedRedirect(r: Report): string | undefined {
  if (r.outcome !== 'ok' || r.source === 'token' || r.status === null) return undefined;
  if (r.status < 300 || r.status >= 400) return undefined;
  const where = r.skippedProbes.find((p) => /^main#\d+$/.test(p.probe));
  if (!where) return undefined;
  return `The server answered ${statusWithText(r.status)}, a redirect ${where.reason.replace(/^\d{3} /, '')}.`;
}
