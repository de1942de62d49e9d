import type { GrantAttempt } from '../model/evidence.js';

/**
 * OAuth 2.0's token endpoint error answer (RFC 6749 §5.2): the codes a real token endpoint answers
 * a refused grant with, for the fresh-grant probe (what it may report) and the token checks alike.
 */

/** RFC 6749 §5.2 error codes, and the registered extensions a token endpoint answers with. */
const OAUTH_TOKEN_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  // RFC 8707 (resource indicators), RFC 9449 (DPoP), RFC 8628 (device grant), OIDC.
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'authorization_pending',
  'slow_down',
  'access_denied',
  'expired_token',
  'consent_required',
  'interaction_required',
  'login_required',
]);

/**
 * Did a real token endpoint answer the grant with an OAuth error (RFC 6749 §5.2: HTTP 400, or 401
 * for invalid_client, with a JSON `error` code)? A 404 page, a 500, an HTML sign-in page or
 * Spring's `{"error":"Not Found"}` are not answers about the credentials: the URL is not a token
 * endpoint, or the server failed.
 */
export function isOAuthErrorAnswer(g: GrantAttempt): boolean {
  const e = g.error;
  if (!e || g.transportError) return false;
  const known = OAUTH_TOKEN_ERRORS.has(e);
  // An extension code has the same shape (§8.5: registered names, lower case with underscores).
  const shaped = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(e);
  if (g.status === undefined) return known;
  if (g.status === 400 || g.status === 401) return known || shaped;
  return known && g.status >= 400 && g.status < 500;
}
