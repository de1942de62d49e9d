import type { EvidenceItem } from '../model/finding.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import {
  dateEvidence,
  decodedJwt,
  durationShort,
  isoFromMs,
  isoFromSeconds,
  numericClaim,
} from './credential-util.js';

// Date has one-second resolution and the round trip adds more; under a minute is normal noise.
const THRESHOLD_MS = 60_000;

/**
 * RFC 9110 §6.6.1: the Date header is the server's clock. Token lifetimes are judged by the
 * API's clock, while clients decide when to refresh by their own: a skew makes them disagree.
 */
export default defineCheck(
  {
    id: 'clock.skew',
    plain: "This computer's clock and the site's clock disagree",
    directness: 2,
    confirmedBy: ['token.expired', 'token.not-yet-valid'],
    freshConfirms: true,
    step: 4,
    kind: 'warning',
    title: "This machine's clock differs from the server's",
    fix: 'Sync this machine\'s clock with NTP: `sudo timedatectl set-ntp true` (Linux), `w32tm /resync` (Windows), or "Set time automatically" in the system settings.',
    ref: 'RFC 9110 §6.6.1; RFC 7519 §4.1.4, §4.1.5',
  },
  (f) => {
    const skew = f.skewMs;
    if (skew === undefined || f.serverDate === undefined || Math.abs(skew) < THRESHOLD_MS) return;
    const side = skew > 0 ? 'behind' : 'ahead of';
    const evidence: EvidenceItem[] = [];
    const date = dateEvidence(f);
    if (date) evidence.push(date);
    evidence.push({ probe: 'clock', where: 'local.now', value: isoFromMs(f.ev.now) });
    const lines = [
      `Date: ${f.serverDate}; this machine's clock said ${isoFromMs(f.ev.now - (f.ev.now % 1000))} at the start.`,
    ];

    // The skew is the cause when it flips a token's verdict: valid by the local clock (so the
    // client keeps sending it), expired or not yet valid by the server's.
    const jwt = decodedJwt(f);
    const exp = jwt ? numericClaim(jwt.payload, 'exp') : undefined;
    const nbf = jwt ? numericClaim(jwt.payload, 'nbf') : undefined;
    const flips: string[] = [];
    if (exp !== undefined && f.ev.now < exp * 1000 && exp * 1000 <= f.serverNow) {
      flips.push(
        `By this machine's clock the token is valid for ${durationShort(exp * 1000 - f.ev.now)} more (exp ${isoFromSeconds(exp)}); by the server's it expired ${durationShort(f.serverNow - exp * 1000)} ago.`,
      );
      evidence.push(tokenClaim('exp', isoFromSeconds(exp)));
    }
    if (nbf !== undefined && nbf * 1000 <= f.ev.now && nbf * 1000 > f.serverNow) {
      flips.push(
        `By this machine's clock the token is valid since ${isoFromSeconds(nbf)} (nbf); by the server's it is not valid for another ${durationShort(nbf * 1000 - f.serverNow)}.`,
      );
      evidence.push(tokenClaim('nbf', isoFromSeconds(nbf)));
    }
    const title = `This machine's clock is ${durationShort(skew)} ${side} the server's`;
    if (flips.length === 0) {
      return { confidence: 'confirmed', title, detail: lines.join('\n'), evidence };
    }
    return {
      kind: 'cause',
      confidence: 'confirmed',
      title: `${title}, which turns the token invalid`,
      detail: [
        ...lines,
        ...flips,
        'A client that checks the token against its own clock does not see the need to refresh it.',
      ].join('\n'),
      fix: "Sync this machine's clock with NTP (`sudo timedatectl set-ntp true`, `w32tm /resync`), then get a new token; clients should also refresh a little early instead of trusting the local clock to the second.",
      evidence,
    };
  },
);
