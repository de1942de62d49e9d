import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, durationWords, isoFromSeconds, numericClaim, stringClaim } from './credential-util.js';
import { serverWordsFor } from './idp-util.js';

/**
 * RFC 7662 §2.2: introspection answers `{"active": false}` for a token that is expired, revoked,
 * unknown to the authorization server, or not allowed for the caller, and SHOULD NOT say which.
 * The token's own claims narrow it down. Servers that check revocation say "revoked" themselves.
 */

function host(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

export default defineCheck(
  {
    id: 'token.inactive',
    plain: 'The sign-in service says this sign-in is no longer active (revoked or expired)',
    directness: 2,
    absorbs: ['credentials.rejected', 'token.fresh-token-works'],
    freshConfirms: true,
    step: 2,
    kind: 'cause',
    title: 'The authorization server says the token is not active (revoked, expired or unknown to it)',
    fix: 'Get a new token (sign in again, or a new client-credentials grant) and stop using this one; if a new one is inactive too, check that the introspection endpoint belongs to the issuer of the token.',
    ref: 'RFC 7662 §2.2',
  },
  (f): Draft | undefined => {
    const intro = f.ev.idp?.introspection;
    const jwt = decodedJwt(f);
    if (intro?.active === false) {
      const evidence: EvidenceItem[] = [
        { probe: 'introspection', where: 'introspection.active', value: 'false' },
        { probe: 'introspection', where: 'introspection.url', value: intro.url },
      ];
      const notes: string[] = [];
      if (jwt) {
        const exp = numericClaim(jwt.payload, 'exp');
        const iss = stringClaim(jwt.payload, 'iss');
        if (exp !== undefined) {
          evidence.push(tokenClaim('exp', isoFromSeconds(exp)));
          const left = exp * 1000 - f.serverNow;
          notes.push(
            left <= 0
              ? `Its exp (${isoFromSeconds(exp)}) passed ${durationWords(left)} ago, which alone explains it.`
              : `Its exp (${isoFromSeconds(exp)}) is ${durationWords(left)} ahead, so it was revoked (sign-out, password change, refresh-token rotation, an admin) or is unknown to this server.`,
          );
        }
        const ih = host(iss);
        const uh = host(intro.url);
        if (iss !== undefined && ih && uh && ih !== uh) {
          evidence.push(tokenClaim('iss', iss));
          notes.push(
            `The token was issued by ${iss}, while the introspection endpoint is on ${uh}: a server that did not issue a token calls it inactive.`,
          );
        }
      }
      return {
        confidence: 'confirmed',
        detail: `The introspection endpoint ${intro.url} answered${intro.status !== undefined ? ` ${intro.status}` : ''} with "active": false: the token is expired, revoked, or unknown to this authorization server (RFC 7662 §2.2 does not say which).${notes.length ? ` ${notes.join(' ')}` : ''}`,
        evidence,
      };
    }
    const words = serverWordsFor(f, 'token.inactive');
    if (!words) return;
    return {
      confidence: 'likely',
      title: `The server says the token was revoked: ${words.quote}`,
      detail: `${words.producer} answered ${words.status} with "${words.quote}". ${words.meaning}`,
      evidence: [words.evidence],
    };
  },
);
