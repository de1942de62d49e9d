/**
 * Identity-provider probes (issue 3), Node only: they gather plain evidence (FetchedDocument,
 * TokenVerification, GrantAttempt, IntrospectionResult) and never decide a cause. Every function
 * resolves: transport failures are recorded as `error`, never thrown.
 *
 * The user's access token goes nowhere but `verifySignature` (local) and `introspect` (only when
 * the user names an introspection endpoint): discovery, JWKS, metadata and token requests do not
 * take it as a parameter, so they cannot send it.
 */
export { idpFetch, type IdpHttp } from './idp-http.js';
export { fetchDiscovery, fetchProtectedResourceMetadata } from './idp-discovery.js';
export { fetchJwks, describeKeys, isSigningKey } from './idp-jwks.js';
export { preloadJose, verifySignature } from './idp-verify.js';
export {
  attemptFreshToken,
  introspect,
  requestFreshToken,
  type FreshTokenOptions,
  type IntrospectOptions,
} from './idp-grant.js';
export { urlDifference } from './idp-compare.js';
