import type { AuditRule } from './rule.js';
import anonymousNotRefused from './anonymous-not-refused.js';
import invalidTokenAccepted from './invalid-token-accepted.js';
import lowTokenAccepted from './low-token-accepted.js';
import tokenRefused from './token-refused.js';
import documentedOpenRefuses from './documented-open-refuses.js';
import anonymousStatus from './anonymous-status.js';
import challengeMissing from './challenge-missing.js';
import challengeScheme from './challenge-scheme.js';
import anonymousChallengeError from './anonymous-challenge-error.js';
import invalidTokenStatus from './invalid-token-status.js';
import invalidTokenCode from './invalid-token-code.js';
import scopeStatus from './scope-status.js';
import scopeChallenge from './scope-challenge.js';
import refusalCacheable from './refusal-cacheable.js';
import refusalNoStore from './refusal-no-store.js';
import errorBodyHtml from './error-body-html.js';
import errorBodyStackTrace from './error-body-stack-trace.js';
import errorBodyUnstructured from './error-body-unstructured.js';
import requestIdMissing from './request-id-missing.js';
import preflightGated from './preflight-gated.js';
import httpsMissing from './https-missing.js';
import hstsMissing from './hsts-missing.js';
import dateSkew from './date-skew.js';
import queryTokenAccepted from './query-token-accepted.js';
import resourceMetadataMissing from './resource-metadata-missing.js';
import resourceMetadataMismatch from './resource-metadata-mismatch.js';
import discoveryUnhealthy from './discovery-unhealthy.js';
import jwksUnhealthy from './jwks-unhealthy.js';
import jwksCache from './jwks-cache.js';
import jwksWeakKey from './jwks-weak-key.js';
import jwksKids from './jwks-kids.js';
import jwksRotation from './jwks-rotation.js';
import tokenLifetime from './token-lifetime.js';
import tokenClaims from './token-claims.js';
import tokenTyp from './token-typ.js';

/** Every audit rule, in the order the report lists them within a category. */
export const RULES: readonly AuditRule[] = [
  anonymousNotRefused,
  invalidTokenAccepted,
  lowTokenAccepted,
  tokenRefused,
  documentedOpenRefuses,
  anonymousStatus,
  challengeMissing,
  challengeScheme,
  anonymousChallengeError,
  invalidTokenStatus,
  invalidTokenCode,
  scopeStatus,
  scopeChallenge,
  refusalCacheable,
  refusalNoStore,
  errorBodyHtml,
  errorBodyStackTrace,
  errorBodyUnstructured,
  requestIdMissing,
  preflightGated,
  httpsMissing,
  hstsMissing,
  dateSkew,
  queryTokenAccepted,
  resourceMetadataMissing,
  resourceMetadataMismatch,
  discoveryUnhealthy,
  jwksUnhealthy,
  jwksCache,
  jwksWeakKey,
  jwksKids,
  jwksRotation,
  tokenLifetime,
  tokenClaims,
  tokenTyp,
];
