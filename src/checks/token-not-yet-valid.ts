import type { EvidenceItem } from '../model/finding.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import {
  dateEvidence,
  decodedJwt,
  durationShort,
  durationWords,
  isoFromSeconds,
  LEEWAY_MS,
  numericClaim,
  serverClockWords,
} from './credential-util.js';

const IAT_SLACK_MS = 60_000; // iat is informational (RFC 7519 §4.1.6); only some servers check it, with slack

/**
 * RFC 7519 §4.1.5: the token MUST NOT be accepted before `nbf`. A token issued (`iat`) after the
 * server's now says the issuer's clock runs ahead of the API's, or the reverse.
 */
/** Two clocks read to the whole second (the token's nbf, the server's Date). */
const RESOLUTION_MS = 2000;

export default defineCheck(
  {
    id: 'token.not-yet-valid',
    plain: 'Your sign-in is not valid yet: a clock somewhere is wrong',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected'],
    step: 2,
    kind: 'cause',
    title: 'The token is not valid yet',
    fix: 'Sync the clocks with NTP on the token issuer and on the API server (one of them is wrong); as a stopgap, let the API allow a small clock-skew leeway (for example 60 s).',
    ref: 'RFC 7519 §4.1.5, §4.1.6',
  },
  (f) => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const nbf = numericClaim(jwt.payload, 'nbf');
    const iat = numericClaim(jwt.payload, 'iat');
    const nbfAhead = nbf !== undefined ? nbf * 1000 - f.serverNow : -Infinity;
    const iatAhead = iat !== undefined ? iat * 1000 - f.serverNow : -Infinity;
    // nbf and the server's Date both have one-second resolution, so the server's now is known to
    // about a second: a token minted this very second is not "in the future".
    const byNbf = nbfAhead > RESOLUTION_MS;
    const byIat = iatAhead > IAT_SLACK_MS;
    if (!byNbf && !byIat) return;

    const evidence: EvidenceItem[] = [];
    const lines: string[] = [];
    if (nbf !== undefined && byNbf) {
      evidence.push(tokenClaim('nbf', isoFromSeconds(nbf)));
      lines.push(`nbf ${isoFromSeconds(nbf)}: ${durationShort(nbfAhead)} after the server's now.`);
    }
    if (iat !== undefined && byIat) {
      evidence.push(tokenClaim('iat', isoFromSeconds(iat)));
      lines.push(`iat ${isoFromSeconds(iat)}: issued ${durationShort(iatAhead)} after the server's now.`);
    }
    const date = dateEvidence(f);
    if (date) evidence.push(date);
    lines.push(`${serverClockWords(f).replace(/^./, (c) => c.toUpperCase())}.`);
    lines.push("A clock is wrong somewhere: the issuer's or the API's.");
    const ahead = Math.max(nbfAhead, iatAhead);
    return {
      confidence: ahead > LEEWAY_MS ? 'confirmed' : 'likely',
      title: byNbf
        ? `The token is not valid for another ${durationWords(nbfAhead)} (nbf lies in the future)`
        : `The token was issued ${durationWords(iatAhead)} in the future (iat)`,
      detail: lines.join('\n'),
      evidence,
    };
  },
);
