import type { GatewayCause, GatewayEntry, HeaderRule } from '../gateways.js';

/**
 * Envoy's own answers (local replies): jwt_authn (also Istio RequestAuthentication, Envoy
 * Gateway SecurityPolicy and Google ESPv2, which run the same filter) and RBAC (Istio
 * AuthorizationPolicy). jwt_authn sends the status string as the body, 401 for everything but
 * "Audiences in Jwt are not allowed" (403), with `WWW-Authenticate: Bearer realm="<URL>"`
 * (plus `, error="invalid_token"` for every failure but "Jwt is missing") on recent versions.
 *
 * A local reply has no `x-envoy-upstream-service-time`: the router sets it only on responses
 * that came from the upstream, so its presence says the application answered, not Envoy.
 */

const STATUS = 'envoyproxy/envoy:source/common/jwt/status.cc';
const FILTER = 'envoyproxy/envoy:source/extensions/filters/http/jwt_authn/filter.cc';
const RBAC = 'envoyproxy/envoy:source/extensions/filters/http/rbac/rbac_filter.cc';
const ROUTER =
  'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-upstream-service-time';

const PRODUCER = "Envoy's jwt_authn filter";
const SERVER: HeaderRule = { name: 'server', value: /^(?:istio-)?envoy$/i };
const LOCAL_REPLY = ['x-envoy-upstream-service-time'];

/** The body is the status string alone (ESPv2 wraps it as `{"code":401,"message":"…"}`). */
function statusBody(words: string): RegExp {
  const w = words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(${w})\\s*$|"message"\\s*:\\s*"(${w})"`);
}

function jwt(
  id: string,
  words: string | RegExp,
  cause: GatewayCause,
  explanation: string,
  fix: string,
  status = [401],
): GatewayEntry {
  return {
    id: `envoy.${id}`,
    producer: PRODUCER,
    kind: 'gateway',
    match: { status, body: typeof words === 'string' ? statusBody(words) : words, absent: LOCAL_REPLY },
    support: { headers: [SERVER], challenge: /^Bearer realm="/i },
    cause,
    explanation,
    fix,
    source: status.includes(403) ? FILTER : STATUS,
  };
}

export const ENVOY: readonly GatewayEntry[] = [
  jwt(
    'jwt-missing',
    'Jwt is missing',
    'credentials.missing',
    "Envoy's jwt_authn filter found no JWT where it looks for one (by default `Authorization: Bearer`); the application never saw the request.",
    "Send `Authorization: Bearer <JWT>` (or the header / query parameter set in the provider's `from_headers` / `from_params`), and check that no proxy before Envoy strips it.",
  ),
  jwt(
    'jwt-expired',
    'Jwt is expired',
    'token.expired',
    "Envoy's jwt_authn filter refused the token: its `exp` has passed (Envoy allows 60 s of clock skew by default).",
    'Get a new access token; if a fresh one is refused the same way, compare the clocks of this machine, the issuer and Envoy.',
  ),
  jwt(
    'jwt-not-yet-valid',
    'Jwt not yet valid',
    'token.not-yet-valid',
    "Envoy's jwt_authn filter refused the token: its `nbf` lies in the future, so a clock is wrong somewhere.",
    "Sync the clocks (NTP) of the issuer and the Envoy hosts; raise the provider's `clock_skew_seconds` if small drifts are expected.",
  ),
  jwt(
    'jwt-bad-format',
    'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
    'token.malformed',
    "Envoy's jwt_authn filter could not split the token into three parts: an opaque token, a JWE, quotes or a doubled `Bearer` were sent instead of a JWS.",
    'Send the JWT access token itself, without quotes or extra words; an opaque token needs an introspecting gateway, not jwt_authn.',
  ),
  jwt(
    'jwt-undecodable',
    /^\s*Jwt (?:header|payload|signature) is an invalid (?:Base64url encoded|JSON)\s*$/,
    'token.malformed',
    "Envoy's jwt_authn filter could not decode a part of the token: it was cut, altered or is not a JWT.",
    'Send the token exactly as issued (nothing cut off, no line breaks).',
  ),
  jwt(
    'issuer-not-configured',
    'Jwt issuer is not configured',
    'jwt.issuer-mismatch',
    "Envoy's jwt_authn filter has no provider whose `issuer` equals the token's `iss` (scheme, host, path and trailing slash must match exactly).",
    "Get the token from the issuer Envoy trusts, or add that issuer to the jwt_authn providers (Istio: the RequestAuthentication's `jwtRules.issuer`).",
  ),
  jwt(
    'audience-not-allowed',
    'Audiences in Jwt are not allowed',
    'jwt.audience-mismatch',
    "Envoy's jwt_authn filter refused the token because its `aud` is not in the provider's `audiences` (Envoy answers 403 for this one).",
    "Request the token for this API's audience, or add the token's audience to the provider's `audiences` (Istio: `jwtRules.audiences`).",
    [403],
  ),
  jwt(
    'kid-not-found',
    "Jwks doesn't have key to match kid or alg from Jwt",
    'jwt.kid-unknown',
    "Envoy's jwt_authn filter found no key in its cached JWKS for the token's `kid` / `alg`: keys were rotated, or the token comes from another issuer or tenant.",
    "Get a token from the issuer Envoy trusts; if the keys were rotated, shorten the provider's `remote_jwks.cache_duration` or restart to refetch.",
  ),
  jwt(
    'jwks-fetch-failed',
    'Jwks remote fetch is failed',
    'idp.jwks-failed',
    "Envoy could not fetch the issuer's JWKS (DNS, TLS or cluster failure), or the first lazy fetch was still in flight.",
    'Whoever runs Envoy must fix the `remote_jwks` URI and its cluster (DNS, TLS CA), or enable `async_fetch` so the keys are fetched before traffic arrives.',
  ),
  jwt(
    'verification-fails',
    'Jwt verification fails',
    'jwt.signature-invalid',
    "Envoy's jwt_authn filter found the key but the token's signature does not verify: wrong key, altered token, or an HS/RS mix-up.",
    "Use a token issued by the authorization server Envoy trusts; check the provider's JWKS is that issuer's.",
  ),
  jwt(
    'alg-not-supported',
    'Jwt header [alg] is not supported',
    'jwt.signature-invalid',
    "Envoy's jwt_authn filter does not verify the token's `alg` (for example `none`, or an HMAC token against a remote JWKS).",
    'Issue signed tokens with an asymmetric algorithm (RS256, ES256, PS256, EdDSA) the JWKS provides keys for.',
  ),
  jwt(
    'multiple-tokens',
    'Found multiple Jwt tokens',
    'header.duplicate',
    "Envoy's jwt_authn filter found a token in more than one place (two headers, or a header and a query parameter).",
    'Send the token once, in one place.',
  ),
  {
    id: 'envoy.rbac-denied',
    producer: "Envoy's RBAC filter (Istio AuthorizationPolicy)",
    kind: 'gateway',
    match: { status: [403], body: /^\s*RBAC: access denied\s*$/, absent: LOCAL_REPLY },
    support: { headers: [SERVER] },
    cause: 'server.gateway-rejected',
    explanation:
      "Envoy's RBAC filter denied the request before it reached the application. In Istio this is an AuthorizationPolicy: a policy requiring `requestPrincipals` answers this way when no valid JWT was accepted by the RequestAuthentication, and source-IP or namespace rules answer it too.",
    fix: 'Find the AuthorizationPolicy (or RBAC policy) for this workload and compare its rules with the caller: a missing or rejected JWT, the source principal or IP, the path and method. `istioctl x authz check <pod>` lists what applies.',
    source: RBAC,
  },
  {
    id: 'envoy.local-reply',
    producer: 'Envoy (Istio sidecar or gateway)',
    kind: 'gateway',
    match: {
      status: [401, 403],
      headers: [SERVER],
      absent: LOCAL_REPLY,
      // Local replies are plain text (often empty): a JSON or HTML body is the application's.
      body: /^[^{<]{0,300}$/,
    },
    cause: 'server.gateway-rejected',
    explanation:
      'The answer carries `server: envoy` but no `x-envoy-upstream-service-time`, the header Envoy adds to responses that came from the upstream: Envoy most likely answered itself (jwt_authn, ext_authz, RBAC or a Lua filter) and the application never saw the request.',
    fix: "Look at Envoy's access log for this request (response flags and response code details such as `jwt_authn_access_denied` or `rbac_access_denied`) to see which filter refused it.",
    source: ROUTER,
    confidence: 'possible',
  },
];
