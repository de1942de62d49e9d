import type { GatewayCause, GatewayEntry, HeaderRule } from '../gateways.js';

/**
 * Google Cloud: Identity-Aware Proxy (in front of App Engine, Cloud Run and load balancers)
 * and Apigee (its policies answer `{"fault":{"faultstring":"…","detail":{"errorcode":"…"}}}`).
 */

const IAP_HEADERS = 'https://cloud.google.com/iap/docs/query-parameters-and-headers-howto';
const IAP_PROGRAMMATIC = 'https://cloud.google.com/iap/docs/authentication-howto';
const APIGEE_OAUTH =
  'https://cloud.google.com/apigee/docs/api-platform/reference/policies/oauth-http-status-code-reference';

const IAP: HeaderRule = { name: 'x-goog-iap-generated-response', value: /^true$/i };

function iap(id: string, words: RegExp, cause: GatewayCause, explanation: string, fix: string): GatewayEntry {
  return {
    id: `google-iap.${id}`,
    producer: 'Google Cloud Identity-Aware Proxy',
    kind: 'identity-proxy',
    match: { status: [401, 403], body: words },
    support: { headers: [IAP, { name: 'server', value: /^Google Frontend$/i }] },
    cause,
    explanation,
    fix,
    source: IAP_PROGRAMMATIC,
  };
}

function apigee(
  id: string,
  status: number[],
  errorcode: RegExp,
  cause: GatewayCause,
  explanation: string,
  fix: string,
  source = APIGEE_OAUTH,
): GatewayEntry {
  return {
    id: `apigee.${id}`,
    producer: 'Apigee',
    kind: 'gateway',
    match: {
      status,
      // Quote the faultstring when it comes first (Apigee's order), else the error code.
      body: new RegExp(
        `"faultstring"\\s*:\\s*"([^"]*)"[^}]*"errorcode"\\s*:\\s*"(?:${errorcode.source})"|"errorcode"\\s*:\\s*"(${errorcode.source})"`,
      ),
    },
    cause,
    explanation,
    fix,
    source,
  };
}

export const GOOGLE: readonly GatewayEntry[] = [
  iap(
    'empty-token',
    /Invalid IAP credentials: empty token/,
    'credentials.missing',
    'Identity-Aware Proxy found no credential it accepts: no IAP session cookie and no Google-signed ID token in `Authorization` or `Proxy-Authorization`; the application never saw the request.',
    "Send an OIDC ID token whose audience is the IAP OAuth client ID (or resource), e.g. `gcloud auth print-identity-token --audiences=<IAP client id>`, as `Authorization: Bearer` (or `Proxy-Authorization` when `Authorization` is the application's).",
  ),
  iap(
    'invalid-audience',
    /Invalid IAP credentials: [^\n]*Invalid JWT audience/,
    'jwt.audience-mismatch',
    'Identity-Aware Proxy refused the ID token because its `aud` is not the IAP OAuth client ID (or one of the allowed programmatic clients).',
    'Mint the ID token with the IAP OAuth client ID as audience (a Cloud Run or App Engine URL is not the IAP audience).',
  ),
  iap(
    'unparsable-token',
    /Invalid IAP credentials: Unable to parse JWT/,
    'token.malformed',
    'Identity-Aware Proxy wants a Google-signed ID token (a JWT) and got something else: an access token, an API key or a cut token.',
    'Send an OIDC ID token, not an OAuth access token.',
  ),
  iap(
    'bad-signature',
    /Invalid IAP credentials: JWT signature is invalid/,
    'jwt.signature-invalid',
    "Identity-Aware Proxy could not verify the token's signature: it is not signed by Google (or by the service account it claims).",
    'Use an ID token issued by Google for this audience.',
  ),
  {
    id: 'google-iap.generated',
    producer: 'Google Cloud Identity-Aware Proxy',
    kind: 'identity-proxy',
    match: { status: [401, 403], headers: [IAP] },
    cause: 'server.gateway-rejected',
    explanation:
      'Identity-Aware Proxy produced this answer itself (`x-goog-iap-generated-response: true`): the request did not carry an identity IAP accepts, or that identity lacks the IAP-secured Web App User role.',
    fix: 'Authenticate to IAP (an ID token with the IAP client ID as audience) and make sure the identity has `roles/iap.httpsResourceAccessor` on the resource.',
    source: IAP_HEADERS,
  },
  {
    id: 'google-iap.sign-in-redirect',
    producer: 'Google Cloud Identity-Aware Proxy',
    kind: 'identity-proxy',
    match: {
      status: [302],
      headers: [IAP, { name: 'location', value: /^https:\/\/accounts\.google\.com\// }],
    },
    cause: 'login.redirect',
    explanation:
      'Identity-Aware Proxy sends the request to Google sign-in: it found no IAP session cookie and no ID token. An API client cannot follow a sign-in page.',
    fix: 'Call IAP-protected APIs with an ID token (audience: the IAP OAuth client ID) in `Authorization` or `Proxy-Authorization`.',
    source: IAP_HEADERS,
  },
  apigee(
    'api-key-missing',
    [401],
    /steps\.oauth\.v2\.FailedToResolveAPIKey/,
    'credentials.missing',
    "Apigee's VerifyAPIKey policy did not find the API key where it reads it (the variable in its message, e.g. `request.queryparam.apikey`).",
    'Send the key in the query parameter or header the policy reads (the variable named in `faultstring`).',
    'https://discuss.google.dev/t/how-to-handle-the-fault-generated-by-security-polices/470',
  ),
  apigee(
    'api-key-invalid',
    [401],
    /oauth\.v2\.InvalidApiKey/,
    'credentials.rejected',
    "Apigee's VerifyAPIKey policy does not know this key (no developer app credential with it, or it was revoked).",
    'Use the consumer key of an approved developer app.',
    'https://discuss.google.dev/t/how-to-customize-verifyapikey-policy-default-error/5786',
  ),
  apigee(
    'api-key-not-for-resource',
    [401],
    /oauth\.v2\.InvalidApiKeyForGivenResource/,
    'server.gateway-rejected',
    "The API key is valid, but none of its API products includes this proxy, path or environment (or the key's product approval is pending).",
    "Add this resource path and environment to an API product of the key's app, or use the key of an app subscribed to the right product.",
    'https://discuss.google.dev/t/getting-the-invalid-apikey-for-given-resource-error/4298',
  ),
  apigee(
    'no-api-product-match',
    [401],
    /keymanagement\.service\.InvalidAPICallAsNoApiProductMatchFound/,
    'server.gateway-rejected',
    'The credential is valid, but no API product of its app covers this proxy, path and environment together.',
    "Add the path (relative to the proxy's base path) and the environment to the app's API product.",
  ),
  {
    ...apigee(
      'api-resource-does-not-exist',
      [401],
      /keymanagement\.service\.apiresource_doesnot_exist/,
      'url.wrong-endpoint',
      "Apigee says the requested resource path is not part of the credential's API product (`APIResource … does not exist`): a wrong path, or a product whose resource paths do not include it.",
      "Check the path against the API product's resource paths (relative to the proxy base path).",
    ),
    confidence: 'likely',
  },
  apigee(
    'access-token-expired',
    [401],
    /keymanagement\.service\.access_token_expired/,
    'token.expired',
    "Apigee's OAuthV2 VerifyAccessToken refused the token: it has expired.",
    'Get a new access token (refresh grant or client credentials) and retry.',
  ),
  apigee(
    'access-token-invalid',
    [401],
    /keymanagement\.service\.invalid_access_token|oauth\.v2\.InvalidAccessToken/,
    'credentials.rejected',
    "Apigee's OAuthV2 VerifyAccessToken does not know this token: not issued by this Apigee organization (a JWT from another IdP, a token from another environment), or revoked.",
    'Use an access token issued by this Apigee organization and environment.',
  ),
  {
    id: 'apigee.invalid-client-id',
    producer: 'Apigee (OAuthV2)',
    kind: 'gateway',
    match: { status: [401], body: /Invalid client id : [^"]*\. ClientId is Invalid/ },
    cause: 'credentials.rejected',
    explanation: "Apigee's OAuthV2 policy does not know the client id (consumer key).",
    fix: 'Use the consumer key of an approved developer app in this organization.',
    source: APIGEE_OAUTH,
  },
];
