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

const SOON_MS = 30_000;

/**
 * RFC 7519 §4.1.4: the token MUST NOT be accepted on or after `exp`. The comparison uses the
 * server's clock (the local clock corrected by the response's Date header), since that is the
 * clock the API judges by.
 */
export default defineCheck(
  {
    id: 'token.expired',
    plain: 'Your sign-in has expired (the pass the site gave you ran out of time)',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'token.fresh-token-works'],
    freshConfirms: true,
    step: 2,
    kind: 'cause',
    title: 'The access token has expired',
    fix: 'Get a new access token (refresh grant, or sign in again) and retry the request with it.',
    ref: 'RFC 7519 §4.1.4; RFC 9068 §4',
  },
  (f) => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const exp = numericClaim(jwt.payload, 'exp');
    if (exp === undefined) return;
    const left = exp * 1000 - f.serverNow;
    if (left > SOON_MS) return;
    const evidence: EvidenceItem[] = [tokenClaim('exp', isoFromSeconds(exp))];
    const date = dateEvidence(f);
    if (date) evidence.push(date);
    const iat = numericClaim(jwt.payload, 'iat');
    const lifetime =
      iat !== undefined && exp > iat
        ? `, issued ${isoFromSeconds(iat)} (lifetime ${durationShort((exp - iat) * 1000)})`
        : '';
    const clock = `exp ${isoFromSeconds(exp)}${lifetime}; ${serverClockWords(f)}`;

    if (left > 0) {
      return {
        confidence: 'possible',
        title: `The access token expires in ${durationWords(left)}`,
        detail: `${clock}. It is still valid by the server's clock, but may expire before the request (or a retry) is checked.`,
        fix: 'Refresh the token a little before it expires (for example 60 s early) rather than at the last moment.',
        evidence,
      };
    }
    const age = -left;
    return {
      // Within 5 minutes a server with clock-skew leeway may still accept the token.
      confidence: age > LEEWAY_MS ? 'confirmed' : 'likely',
      title: `The access token expired ${durationWords(age)} ago`,
      detail:
        `${clock}; expired ${durationShort(age)} before ${f.skewMs === undefined ? "this machine's now (no server clock was seen)" : "the server's now"}.` +
        (age > LEEWAY_MS
          ? ''
          : ' That is within the leeway some servers allow (Envoy and Spring 60 s, ASP.NET Core 5 min), so a lenient server might still take it.'),
      evidence,
    };
  },
);
