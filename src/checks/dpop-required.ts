import type { EvidenceItem } from '../model/finding.js';
import { headerValue } from '../model/http.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { requestHeader, responseHeader, responseStatus } from './cite.js';
import {
  challengeEvidence,
  clip,
  errorOf,
  jsonOAuthError,
  messageEvidence,
  redactorFor,
  serverMessages,
} from './response-util.js';

/**
 * The server wants DPoP (RFC 9449): a nonce to put in the proof (§9 resource server, §8 the
 * authorization server's JSON shape), a valid proof, or a DPoP-bound token where a Bearer one
 * was sent. A `DPoP algs="…"` challenge offered beside Bearer (express-oauth2-jwt-bearer adds
 * one to every 401) is not a demand and does not fire.
 */

const NONCE_FIX =
  'Retry once with a new DPoP proof whose `nonce` claim is the `DPoP-Nonce` value the server just sent, and keep using the newest nonce the server sends (RFC 9449 §9); do not loop if the same nonce comes back.';
const PROOF_FIX =
  'Fix the DPoP proof: `htm` must be the request method and `htu` the request URL without query or fragment as the server sees it (mind proxies that change host or scheme), with a fresh `jti` and `iat`, `ath` the hash of the access token, signed with the key the token is bound to.';
const SCHEME_FIX =
  'Get a DPoP-bound token (send a DPoP proof to the token endpoint) and call the API with `Authorization: DPoP <token>` plus a `DPoP: <proof>` header for this method and URL.';

export default defineCheck(
  {
    id: 'dpop.required',
    plain: 'The site wants a special, device-bound kind of sign-in token',
    directness: 0,
    absorbs: ['credentials.rejected'],
    step: 4,
    kind: 'cause',
    title: 'The server wants a DPoP-bound token or a DPoP nonce',
    fix: SCHEME_FIX,
    ref: 'RFC 9449 §7.1, §8, §9',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const challenges = f.challenges.challenges;
    const nonce = headerValue(r.headers, 'dpop-nonce');
    const redact = redactorFor(f);
    const json = jsonOAuthError(f.bodyJson);

    // 1. use_dpop_nonce: in a challenge (RS, §9) or a JSON body (AS, §8). Exact match, no substrings.
    const nonceChallenge = challenges.find((c) => errorOf(c) === 'use_dpop_nonce');
    const nonceInBody = json?.error === 'use_dpop_nonce';
    const otherError = challenges.some((c) => errorOf(c) !== undefined && errorOf(c) !== 'use_dpop_nonce');
    const refused = r.status === 401 || r.status === 400;
    if (
      nonceChallenge ||
      nonceInBody ||
      (nonce !== undefined && refused && !otherError && challenges.some((c) => c.schemeLower === 'dpop'))
    ) {
      const evidence: EvidenceItem[] = [responseStatus(x)];
      if (nonceChallenge) evidence.push(challengeEvidence(x, nonceChallenge));
      if (nonceInBody)
        evidence.push({ probe: 'main', where: 'response.body.error', value: 'use_dpop_nonce' });
      if (nonce !== undefined) evidence.push(responseHeader(x, 'dpop-nonce', nonce));
      const description =
        nonceChallenge?.params['error_description'] ?? (nonceInBody ? json?.description : undefined);
      return {
        confidence: 'confirmed',
        title:
          nonce !== undefined
            ? 'The server wants a DPoP nonce: retry with the DPoP-Nonce it sent'
            : 'The server wants a DPoP nonce in the proof',
        detail: `The server answered ${r.status}${nonceChallenge ? ` with a ${nonceChallenge.scheme} challenge error="use_dpop_nonce"` : nonceInBody ? ' with {"error": "use_dpop_nonce"}' : ' with a DPoP challenge'}${nonce !== undefined ? ' and a DPoP-Nonce header' : ' but no DPoP-Nonce header to use'}${description ? ` ("${clip(redact(description), 120)}")` : ''}. This is the normal first step of DPoP with server nonces, not a failure of the token: the client must retry once with the nonce.`,
        fix: NONCE_FIX,
        evidence,
      };
    }

    // 2. The proof itself was refused: invalid_dpop_proof, or a known DPoP message.
    const proofChallenge = challenges.find((c) => errorOf(c) === 'invalid_dpop_proof');
    if (proofChallenge || json?.error === 'invalid_dpop_proof') {
      const description = proofChallenge?.params['error_description'] ?? json?.description;
      return {
        confidence: 'confirmed',
        title: `The server refused the DPoP proof${description ? `: ${clip(redact(description), 100)}` : ''}`,
        detail: `error="invalid_dpop_proof" (RFC 9449 §7.1): the DPoP header is missing, malformed, or does not fit this request, key or token.`,
        fix: PROOF_FIX,
        evidence: [
          responseStatus(x),
          proofChallenge
            ? challengeEvidence(x, proofChallenge)
            : { probe: 'main', where: 'response.body.error', value: 'invalid_dpop_proof' },
        ],
      };
    }
    const known = serverMessages(f).find((m) => m.entry.cause === 'dpop.required');
    if (known) {
      const scheme = known.entry.id.endsWith('dpop-scheme');
      return {
        confidence: 'confirmed',
        title: `The server refused the DPoP request: ${clip(redact(known.quote), 100)}`,
        detail: `${known.entry.producer}: ${known.entry.meaning}`,
        fix: scheme ? SCHEME_FIX : PROOF_FIX,
        evidence: [responseStatus(x), messageEvidence(x, known, challenges, redact)],
      };
    }

    // 3. Only DPoP is offered, and the request sent Bearer.
    const dpop = challenges.find((c) => c.schemeLower === 'dpop');
    const bearerOffered = challenges.some((c) => c.schemeLower === 'bearer');
    const sentBearer = f.authorizations.find((a) => a.schemeLower === 'bearer');
    if (dpop && !bearerOffered && sentBearer && (r.status === 401 || r.status === 400)) {
      return {
        confidence: 'likely',
        title: 'The server accepts only DPoP-bound tokens, and the request sent a Bearer token',
        detail: `The ${r.status} offers only the DPoP scheme${dpop.params['algs'] ? ` (proofs signed with ${dpop.params['algs']})` : ''}, no Bearer: a plain bearer token is not enough here (RFC 9449 §7.1).`,
        fix: SCHEME_FIX,
        evidence: [
          responseStatus(x),
          challengeEvidence(x, dpop),
          requestHeader('authorization', `${sentBearer.parsed.scheme ?? 'Bearer'} …`),
        ],
      };
    }
    return;
  },
);
