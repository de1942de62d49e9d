import type { GatewayCause, GatewayEntry } from '../gateways.js';

/**
 * Identity providers' own endpoints (token, userinfo, management APIs): Microsoft Entra ID
 * (AADSTS codes in `error_description`), Keycloak, Okta and Auth0. They refuse before any API
 * is called, so these entries name the producer and the cause, never a layer "in front of"
 * the application.
 */

const AADSTS = 'MicrosoftDocs/azure-docs:articles/active-directory/develop/reference-aadsts-error-codes.md';
const OKTA = 'https://developer.okta.com/docs/reference/error-codes/';

function entra(
  code: string,
  name: string,
  cause: GatewayCause,
  explanation: string,
  fix: string,
): GatewayEntry {
  return {
    id: `entra.aadsts${code}`,
    producer: 'Microsoft Entra ID (token endpoint)',
    kind: 'identity-provider',
    match: { body: new RegExp(`\\b(AADSTS${code}\\b[^"\\\\\\r\\n]*)`) },
    cause,
    explanation: `AADSTS${code} ${name}: ${explanation}`,
    fix,
    source: AADSTS,
  };
}

export const IDENTITY: readonly GatewayEntry[] = [
  entra(
    '50013',
    'InvalidAssertion',
    'credentials.rejected',
    'the assertion sent to Entra ID (an on-behalf-of token, a client assertion) is invalid: expired, malformed, from another issuer or API version.',
    'Send a fresh assertion issued for this tenant and client; for on-behalf-of, use the access token your API received (audience = your API).',
  ),
  entra(
    '50058',
    'UserInformationNotProvided',
    'token.refresh-rejected',
    'a silent sign-in found no signed-in user (no SSO session, or `prompt=none`).',
    'Sign in interactively once; then acquire tokens silently.',
  ),
  entra(
    '50076',
    'UserStrongAuthClientAuthNRequired',
    'token.refresh-rejected',
    'multi-factor authentication is now required for this resource (a policy change, or a new location).',
    'Acquire the token interactively so the user can complete MFA.',
  ),
  entra(
    '65001',
    'DelegationDoesNotExist',
    'credentials.rejected',
    'the user or an administrator has not consented to the application using this API.',
    'Grant consent (admin consent for the tenant, or an interactive request with the scopes), then request the token again.',
  ),
  entra(
    '700016',
    'UnauthorizedClient_DoesNotMatchRequest',
    'credentials.rejected',
    'the application (client id) was not found in this tenant: a wrong client id, or the request went to another tenant than the one the app is registered in.',
    'Check the client id and the tenant in the token URL (`login.microsoftonline.com/{tenant}`).',
  ),
  entra(
    '7000215',
    'invalid client secret',
    'credentials.rejected',
    'the client secret sent is not a secret of this application (often the secret id was copied instead of its value).',
    "Use the secret's value (shown once when it was created), or create a new secret.",
  ),
  entra(
    '7000222',
    'InvalidClientSecretExpiredKeysProvided',
    'credentials.rejected',
    "the application's client secret has expired.",
    'Create a new client secret (or a certificate credential) in the app registration and deploy it.',
  ),
  entra(
    '90002',
    'InvalidTenantName',
    'url.wrong-endpoint',
    'the tenant in the authority URL does not exist.',
    'Fix the tenant id or domain in the token URL.',
  ),
  entra(
    '70008',
    'ExpiredOrRevokedGrant',
    'token.refresh-rejected',
    'the refresh token has expired from inactivity or was revoked.',
    'Sign in again to get a new refresh token.',
  ),
  entra(
    '50126',
    'InvalidUserNameOrPassword',
    'credentials.rejected',
    'the user name or password is wrong.',
    'Check the credentials; prefer a flow that does not send passwords (authorization code, device code).',
  ),
  entra(
    '53003',
    'BlockedByConditionalAccess',
    'authz.forbidden',
    'a Conditional Access policy blocks issuing this token.',
    'Ask the tenant administrator which Conditional Access policy applies (the sign-in logs name it).',
  ),
  entra(
    '50034',
    'UserAccountNotFound',
    'credentials.rejected',
    'the account does not exist in this directory.',
    'Sign in with an account of this tenant, or invite the user as a guest.',
  ),
  entra(
    '70011',
    'InvalidScope',
    'credentials.rejected',
    'the scope requested is not valid (a typo, a v1 resource with a v2 endpoint, or several resources in one request).',
    'Request `api://<app id>/.default` or the exact scopes the API exposes, one resource per token request.',
  ),
  entra(
    '50001',
    'InvalidResource',
    'credentials.rejected',
    'the resource (API) requested is disabled or does not exist in this tenant.',
    'Check the resource / scope URI of the API (its Application ID URI) and that it is registered in this tenant.',
  ),
  {
    id: 'keycloak.invalid-client',
    producer: 'Keycloak (token endpoint)',
    kind: 'identity-provider',
    match: { status: [400, 401], body: /Invalid client or Invalid client credentials/ },
    cause: 'credentials.rejected',
    explanation:
      'Keycloak did not authenticate the client: an unknown client id in this realm, or a wrong client secret.',
    fix: 'Check the client id, the realm in the token URL and the client secret (Clients > Credentials).',
    source:
      'keycloak/keycloak:services/src/main/java/org/keycloak/authentication/AuthenticationProcessor.java',
  },
  {
    id: 'keycloak.invalid-user-credentials',
    producer: 'Keycloak (token endpoint)',
    kind: 'identity-provider',
    match: { status: [400, 401], body: /"error_description"\s*:\s*"Invalid user credentials"/ },
    cause: 'credentials.rejected',
    explanation:
      'Keycloak refused the resource owner password grant: the user or the password is wrong in this realm.',
    fix: 'Check the user name, password and realm.',
    source:
      'keycloak/keycloak:services/src/main/java/org/keycloak/authentication/authenticators/directgrant/ValidatePassword.java',
  },
  {
    id: 'keycloak.token-verification-failed',
    producer: 'Keycloak (userinfo)',
    kind: 'identity-provider',
    match: { status: [401], challenge: /error_description="Token verification failed"/ },
    cause: 'credentials.rejected',
    explanation:
      'Keycloak refused the access token: often its `iss` uses another host name than the one the request was sent to (an internal `http://keycloak:8080` vs the public name), or the session is gone.',
    fix: "Call Keycloak with the same host name as the token's `iss` (set `KC_HOSTNAME`), and use a token of a live session.",
    source: 'https://github.com/keycloak/keycloak/issues/9445',
  },
  {
    id: 'okta.invalid-token',
    producer: 'Okta',
    kind: 'identity-provider',
    match: { status: [401], body: /"errorCode"\s*:\s*"E0000011"/ },
    cause: 'credentials.rejected',
    explanation:
      'Okta E0000011 "Invalid token provided": the API token (SSWS) or access token is unknown, revoked or expired, or a custom authorization server\'s token was sent to an Okta management API.',
    fix: 'Use a valid API token (`Authorization: SSWS <token>`) or an access token from the org authorization server with the right `okta.*` scopes.',
    source: OKTA,
  },
  {
    id: 'okta.authentication-failed',
    producer: 'Okta',
    kind: 'identity-provider',
    match: { status: [401], body: /"errorCode"\s*:\s*"E0000004"/ },
    cause: 'credentials.rejected',
    explanation:
      'Okta E0000004 "Authentication failed": the user name or password is wrong (Okta does not say which).',
    fix: 'Check the credentials and that the account is active and not locked.',
    source: OKTA,
  },
  {
    id: 'okta.permission-denied',
    producer: 'Okta',
    kind: 'identity-provider',
    match: { status: [403], body: /"errorCode"\s*:\s*"E0000006"/ },
    cause: 'authz.forbidden',
    explanation:
      'Okta E0000006 "You do not have permission to perform the requested action": the token is valid but its admin role or scopes do not allow this call.',
    fix: "Grant the admin role or the `okta.*` scope this endpoint needs to the token's user or service app.",
    source: OKTA,
  },
  {
    id: 'auth0.bad-audience',
    producer: 'Auth0 (Management API)',
    kind: 'identity-provider',
    match: { status: [401], body: /Bad audience: [^"\n]*/ },
    cause: 'jwt.audience-mismatch',
    explanation:
      "Auth0 refused the token: its `aud` is not this API's identifier (for the Management API, `https://<tenant>/api/v2/`).",
    fix: 'Request the token with `audience` set to the identifier of the API you call.',
    source: 'https://github.com/auth0/node-auth0/issues/787',
  },
  {
    id: 'auth0.bad-header-format',
    producer: 'Auth0 (Management API)',
    kind: 'identity-provider',
    match: { status: [400, 401], body: /Bad HTTP authentication header format/ },
    cause: 'token.malformed',
    explanation:
      'Auth0 could not read a JWT from the Authorization header: an opaque access token (requested without `audience`), a client id or secret, or extra words were sent.',
    fix: 'Request the access token with `audience` set so Auth0 issues a JWT, and send it as `Authorization: Bearer <token>`.',
    source: 'https://github.com/auth0/node-auth0/issues/118',
  },
];
