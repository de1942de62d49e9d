import type { Check } from './check.js';

import networkUnreachable from './network-unreachable.js';
import networkTlsIntercepted from './network-tls-intercepted.js';
import serverGatewayRejected from './server-gateway-rejected.js';
import serverWafBlocked from './server-waf-blocked.js';
import urlWrongEndpoint from './url-wrong-endpoint.js';
import networkProxyConfigured from './network-proxy-configured.js';
import networkProxyStripsAuth from './network-proxy-strips-auth.js';
import networkProxyAuthRequired from './network-proxy-auth-required.js';
import urlDoubleSlash from './url-double-slash.js';
import urlRedirectLoop from './url-redirect-loop.js';
import urlRedirectDroppedCredentials from './url-redirect-dropped-credentials.js';
import urlInsecureHttp from './url-insecure-http.js';
import loginRedirect from './login-redirect.js';
import loginPage from './login-page.js';
import tokenExpired from './token-expired.js';
import tokenNotYetValid from './token-not-yet-valid.js';
import sessionCookieExpired from './session-cookie-expired.js';
import credentialsMissing from './credentials-missing.js';
import credentialsNotReceived from './credentials-not-received.js';
import headerSchemeMissing from './header-scheme-missing.js';
import headerSchemeMismatch from './header-scheme-mismatch.js';
import headerSchemeRepeated from './header-scheme-repeated.js';
import headerQuoted from './header-quoted.js';
import headerWhitespace from './header-whitespace.js';
import headerNonAscii from './header-non-ascii.js';
import headerPlaceholder from './header-placeholder.js';
import headerDuplicate from './header-duplicate.js';
import headerTooLarge from './header-too-large.js';
import tokenMalformed from './token-malformed.js';
import tokenOpaque from './token-opaque.js';
import basicMalformed from './basic-malformed.js';
import basicCharset from './basic-charset.js';
import jwtAlgNone from './jwt-alg-none.js';
import jwtIdTokenUsed from './jwt-id-token-used.js';
import credentialsRejected from './credentials-rejected.js';
import apikeyWrongPlace from './apikey-wrong-place.js';
import authzRequestRule from './authz-request-rule.js';
import authzCsrfRejected from './authz-csrf-rejected.js';
import serverChallengeMissing from './server-challenge-missing.js';
import serverChallengeMalformed from './server-challenge-malformed.js';
import serverStatusMisused from './server-status-misused.js';
import serverStatusInvalid from './server-status-invalid.js';
import serverUnsupportedChallenge from './server-unsupported-challenge.js';
import serverCached401 from './server-cached-401.js';
import clockSkew from './clock-skew.js';
import dpopRequired from './dpop-required.js';
import authzForbidden from './authz-forbidden.js';
import authzExplicitDeny from './authz-explicit-deny.js';
import authzNoAllow from './authz-no-allow.js';
import authzRoleMissing from './authz-role-missing.js';
import authzScopeMissing from './authz-scope-missing.js';
import authzNetworkRule from './authz-network-rule.js';
import authzTenantPolicy from './authz-tenant-policy.js';
import infoRequestIds from './info-request-ids.js';
import infoIdentity from './info-identity.js';
import infoChallenge from './info-challenge.js';
import jwtSignatureInvalid from './jwt-signature-invalid.js';
import jwtKidUnknown from './jwt-kid-unknown.js';
import jwtAlgConfusion from './jwt-alg-confusion.js';
import jwtIssuerMismatch from './jwt-issuer-mismatch.js';
import jwtAudienceMismatch from './jwt-audience-mismatch.js';
import jwtScopeInsufficient from './jwt-scope-insufficient.js';
import idpDiscoveryFailed from './idp-discovery-failed.js';
import idpJwksFailed from './idp-jwks-failed.js';
import tokenFreshTokenWorks from './token-fresh-token-works.js';
import tokenRefreshRejected from './token-refresh-rejected.js';
import tokenInactive from './token-inactive.js';
import urlEnvironmentMismatch from './url-environment-mismatch.js';
import corsPreflightRejected from './cors-preflight-rejected.js';
import corsHeaderNotAllowed from './cors-header-not-allowed.js';
import corsMethodNotAllowed from './cors-method-not-allowed.js';
import corsOriginNotAllowed from './cors-origin-not-allowed.js';
import corsCredentialsWildcard from './cors-credentials-wildcard.js';

// The one door into checks/ from the layers above (test/architecture/layers.test.ts): core runs
// and ranks by these, probe sends the repairs they propose, guide names the cause ids.
export { defineCheck, proposeRepairs, runChecks, toFinding } from './check.js';
export type { Check, CheckMeta, Draft, RepairProposal } from './check.js';
export type { CauseId, RequestCauseId, SessionCauseId } from './registry.js';

/** Every check, in the article's order (like a Lighthouse config). Ranking, not this order, decides what comes first. */
export const checks = [
  // Step 1: the URL and the login state
  urlDoubleSlash,
  urlRedirectLoop,
  urlRedirectDroppedCredentials,
  urlInsecureHttp,
  urlEnvironmentMismatch,
  urlWrongEndpoint,
  loginRedirect,
  loginPage,
  // Step 2: refresh the authentication
  tokenExpired,
  tokenNotYetValid,
  sessionCookieExpired,
  tokenFreshTokenWorks,
  tokenRefreshRejected,
  tokenInactive,
  // Step 3: credentials, tokens and the Authorization header
  credentialsMissing,
  headerSchemeMissing,
  headerSchemeMismatch,
  headerSchemeRepeated,
  headerQuoted,
  headerWhitespace,
  headerNonAscii,
  headerPlaceholder,
  headerDuplicate,
  headerTooLarge,
  tokenMalformed,
  tokenOpaque,
  basicMalformed,
  basicCharset,
  jwtAlgNone,
  jwtIdTokenUsed,
  jwtSignatureInvalid,
  jwtKidUnknown,
  jwtAlgConfusion,
  jwtIssuerMismatch,
  jwtAudienceMismatch,
  jwtScopeInsufficient,
  apikeyWrongPlace,
  credentialsRejected,
  // Step 4: server and identity settings
  serverChallengeMissing,
  serverChallengeMalformed,
  serverStatusMisused,
  serverStatusInvalid,
  serverUnsupportedChallenge,
  serverCached401,
  serverGatewayRejected,
  serverWafBlocked,
  clockSkew,
  idpDiscoveryFailed,
  idpJwksFailed,
  dpopRequired,
  authzForbidden,
  // The decision the platform stated, by the kind of rule (knowledge/authz)
  authzExplicitDeny,
  authzNoAllow,
  authzRoleMissing,
  authzScopeMissing,
  authzNetworkRule,
  authzTenantPolicy,
  authzRequestRule,
  authzCsrfRejected,
  // Step 5: network
  networkProxyAuthRequired,
  networkProxyStripsAuth,
  networkProxyConfigured,
  credentialsNotReceived,
  networkTlsIntercepted,
  networkUnreachable,
  // The developer checklist: browsers and CORS (--origin)
  corsPreflightRejected,
  corsHeaderNotAllowed,
  corsMethodNotAllowed,
  corsOriginNotAllowed,
  corsCredentialsWildcard,
  // Context
  infoRequestIds,
  infoIdentity,
  infoChallenge,
] as const satisfies readonly Check[];
