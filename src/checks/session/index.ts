import type { SessionCheck } from './define.js';

import cookieNotSent from './cookie-not-sent.js';
import cookieExpired from './cookie-expired.js';
import stale from './stale.js';
import ended from './ended.js';
import refreshLoop from './refresh-loop.js';
import oldTokenReused from './old-token-reused.js';
import preflightRejected from './preflight-rejected.js';
import changedSinceSuccess from './changed-since-success.js';
import credentialDropped from './credential-dropped.js';

// The one door into checks/session/ from the layers above: the HAR report runs these.
export { runSessionChecks } from './define.js';
export type { SessionCheck, SessionDraft, SessionFinding } from './define.js';

/** Every session-level check (what only the whole HAR shows). Ranking, not this order, decides what comes first. */
export const sessionChecks = [
  preflightRejected,
  cookieExpired,
  cookieNotSent,
  stale,
  ended,
  refreshLoop,
  oldTokenReused,
  credentialDropped,
  changedSinceSuccess,
] as const satisfies readonly SessionCheck[];
