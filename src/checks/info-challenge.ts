import type { Challenge } from '../parse/challenge.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { challengeEvidence, clip, errorOf, offeredChallenges, redactorFor } from './response-util.js';

/**
 * What the server asks for, in plain words: each challenge of the final response (or of the
 * anonymous probe's, when the final response has none), with the parameters that matter.
 */

const SCHEMES: Record<string, string> = {
  bearer: 'an OAuth 2.0 bearer token (`Authorization: Bearer <token>`)',
  dpop: 'a DPoP-bound token with a proof (`Authorization: DPoP <token>` and a `DPoP` header)',
  basic: 'a user name and password (`Authorization: Basic`)',
  digest: 'a user name and password by Digest challenge-response',
  negotiate: 'Kerberos / Windows single sign-on (Negotiate)',
  ntlm: 'a Windows NTLM handshake',
  'aws4-hmac-sha256': 'an AWS SigV4-signed request',
  key: 'an API key (Kong key-auth)',
};

const ERRORS: Record<string, string> = {
  invalid_token: 'the token was rejected (expired, revoked, malformed or otherwise invalid)',
  invalid_request: 'the request is malformed (a missing or repeated parameter, or the token sent twice)',
  insufficient_scope: 'the token lacks a required scope',
  use_dpop_nonce: 'the DPoP proof must carry the nonce the server sent in DPoP-Nonce',
  invalid_dpop_proof: 'the DPoP proof was rejected',
};

function describe(c: Challenge, redact: (s: string) => string): string {
  const p = c.params;
  const parts: string[] = [];
  const what = SCHEMES[c.schemeLower] ?? `the ${c.scheme} scheme`;
  if (p['realm'] !== undefined) parts.push(`realm "${clip(p['realm'], 80)}"`);
  if (p['scope']) parts.push(`scope "${clip(p['scope'], 120)}"`);
  const error = errorOf(c);
  if (error) parts.push(`error ${error}${ERRORS[error] ? `: ${ERRORS[error]}` : ''}`);
  else if (c.schemeLower === 'bearer')
    parts.push('no error code: per RFC 6750 §3 the server saw no token it recognised');
  if (p['error_description']) parts.push(`description "${clip(redact(p['error_description']), 160)}"`);
  if (p['resource_metadata'])
    parts.push(`metadata at ${p['resource_metadata']} names where to get a token (RFC 9728)`);
  if (p['algs']) parts.push(`proofs signed with ${p['algs']}`);
  if (p['charset']) parts.push(`charset ${p['charset']} for the user name and password (RFC 7617)`);
  if (p['authorization_uri']) parts.push(`authorization endpoint ${p['authorization_uri']}`);
  return `${c.scheme}: ${what}${parts.length ? `; ${parts.join('; ')}` : ''}`;
}

export default defineCheck(
  {
    id: 'info.challenge',
    plain: 'What the site asks for to let you in',
    step: 0,
    kind: 'info',
    title: 'What the server asks for',
    fix: 'Send credentials of one of the schemes the server offers, with the scope it names.',
    ref: 'RFC 9110 §11.6.1; RFC 6750 §3; RFC 9449 §7.1; RFC 9728 §5.1; RFC 7617 §2.1',
  },
  (f): Draft | undefined => {
    const { challenges, from } = offeredChallenges(f);
    if (!from || challenges.length === 0) return;
    const schemes = [...new Set(challenges.map((c) => c.scheme))];
    const metadata = challenges.map((c) => c.params['resource_metadata']).find((m) => m);
    return {
      confidence: 'confirmed',
      title: `The server asks for ${schemes.join(' or ')}${from.probe === 'anonymous' ? ' (to the anonymous probe)' : ''}`,
      detail: challenges.map((c) => describe(c, redactorFor(f))).join('. ') + '.',
      fix: metadata
        ? `Fetch ${metadata} to learn which authorization server issues tokens for this API and which scopes it supports, then send such a token.`
        : undefined,
      evidence: challenges.map((c) => challengeEvidence(from, c)),
    };
  },
);
