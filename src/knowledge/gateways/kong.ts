import type { GatewayCause, GatewayEntry, HeaderCondition, HeaderRule } from '../gateways.js';

/**
 * Kong Gateway. Kong sets `Server: kong/x.y.z` on the responses it produces itself ("rejected
 * requests from auth plugin") and `X-Kong-Response-Latency` when a plugin short-circuits, while
 * proxied responses carry `Via: kong/x.y.z` and `X-Kong-Upstream-Latency` instead
 * (kong.conf `headers`). Plugin errors are JSON: `{"message":"…"}`.
 */

const KEY_AUTH = 'Kong/kong:kong/plugins/key-auth/handler.lua';
const JWT = 'Kong/kong:kong/plugins/jwt/handler.lua';
const JWT_PARSER = 'Kong/kong:kong/plugins/jwt/jwt_parser.lua';
const HEADERS = 'https://docs.konghq.com/gateway/latest/reference/configuration/#headers';

const KONG_SERVER: HeaderRule = { name: 'server', value: /^kong\//i };
const KONG_LATENCY: HeaderRule = { name: 'x-kong-response-latency' };
/** Kong produced the answer itself. */
const KONG_OWN: HeaderCondition = [KONG_SERVER, KONG_LATENCY];
/** Proxied responses carry this: the upstream answered, not Kong. */
const PROXIED = ['x-kong-upstream-latency'];

function message(words: string | RegExp): RegExp {
  const w = typeof words === 'string' ? words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : words.source;
  return new RegExp(`"message"\\s*:\\s*"(${w})"`);
}

function plugin(
  id: string,
  producer: string,
  status: number[],
  words: string | RegExp,
  cause: GatewayCause,
  explanation: string,
  fix: string,
  source: string,
  requireKong = false,
): GatewayEntry {
  const e: GatewayEntry = {
    id: `kong.${id}`,
    producer,
    kind: 'gateway',
    match: { status, body: message(words), absent: PROXIED },
    cause,
    explanation,
    fix,
    source,
  };
  if (requireKong) e.match.headers = [KONG_OWN];
  else e.support = { headers: [KONG_SERVER, KONG_LATENCY] };
  return e;
}

export const KONG: readonly GatewayEntry[] = [
  {
    ...plugin(
      'key-auth-no-key',
      "Kong's key-auth plugin",
      [401],
      'No API key found in request',
      'credentials.missing',
      "Kong's key-auth plugin found no API key in the header or query parameter it reads (`apikey` by default, `key_names` in its config); the service behind Kong never saw the request.",
      'Send the key in the header Kong reads (`apikey: <key>` by default) and check that nothing on the way strips it.',
      KEY_AUTH,
    ),
    support: { headers: [KONG_SERVER, KONG_LATENCY], challenge: /^Key realm=/i },
  },
  plugin(
    'key-auth-invalid',
    "Kong's key-auth plugin",
    [401],
    'Invalid authentication credentials',
    'credentials.rejected',
    "Kong's key-auth plugin found a key but no consumer credential with that value (a typo, a key from another environment, or a deleted credential).",
    'Use a key that exists on this Kong for a consumer (Admin API: `GET /consumers/{consumer}/key-auth`).',
    KEY_AUTH,
  ),
  plugin(
    'key-auth-duplicate',
    "Kong's key-auth plugin",
    [401],
    'Duplicate API key found',
    'header.duplicate',
    "Kong's key-auth plugin found the key header or parameter more than once.",
    'Send the API key once.',
    KEY_AUTH,
  ),
  plugin(
    'jwt-multiple-tokens',
    "Kong's jwt plugin",
    [401],
    'Multiple tokens provided',
    'header.duplicate',
    "Kong's jwt plugin found a token in more than one of the places it reads (query parameter, cookie, Authorization header).",
    'Send the token once, in the Authorization header.',
    JWT,
  ),
  plugin(
    'jwt-unrecognizable',
    "Kong's jwt plugin",
    [401],
    'Unrecognizable token',
    'token.malformed',
    "Kong's jwt plugin could not read a token from the request.",
    'Send `Authorization: Bearer <JWT>`.',
    JWT,
  ),
  plugin(
    'jwt-bad-token',
    "Kong's jwt plugin",
    [401],
    /Bad token; [^"]*/,
    'token.malformed',
    "Kong's jwt plugin could not decode the token (the words after `Bad token;` say why): not a JWT, or cut.",
    'Send the JWT exactly as issued.',
    JWT,
  ),
  plugin(
    'jwt-no-key-claim',
    "Kong's jwt plugin",
    [401],
    /No mandatory '[^']+' in claims/,
    'jwt.issuer-mismatch',
    "Kong's jwt plugin finds the consumer by a claim of the token (`key_claim_name`, `iss` by default), and the token has no such claim.",
    "Issue tokens with that claim, or set the plugin's `key_claim_name` to a claim the tokens carry.",
    JWT,
  ),
  plugin(
    'jwt-no-credentials',
    "Kong's jwt plugin",
    [401, 403],
    /No credentials found for given '[^']+'/,
    'jwt.issuer-mismatch',
    "Kong's jwt plugin looked up a consumer JWT credential whose `key` equals the token's `iss` (the `key_claim_name`) and found none: the token's issuer is not registered on this Kong.",
    "Create a jwt credential for the consumer with `key` set to the token's `iss` exactly, and its public key or secret.",
    JWT,
  ),
  plugin(
    'jwt-invalid-algorithm',
    "Kong's jwt plugin",
    [403],
    'Invalid algorithm',
    'jwt.signature-invalid',
    "The token's `alg` is not the algorithm of the consumer's jwt credential (HS256 by default).",
    "Set the credential's `algorithm` to the token's (for example RS256 with `rsa_public_key`), or issue tokens with the credential's algorithm.",
    JWT,
  ),
  plugin(
    'jwt-invalid-key',
    "Kong's jwt plugin",
    [403],
    'Invalid key/secret',
    'jwt.signature-invalid',
    "The consumer's jwt credential has no usable secret or public key for the token's algorithm.",
    'Fix the jwt credential: `secret` for HS*, `rsa_public_key` for RS*/ES*.',
    JWT,
  ),
  plugin(
    'jwt-invalid-signature',
    "Kong's jwt plugin",
    [403],
    'Invalid signature',
    'jwt.signature-invalid',
    "Kong's jwt plugin found the consumer credential for the token's issuer, but the signature does not verify with its key.",
    "Sign with the key the credential holds, or update the credential's `rsa_public_key` / `secret` (keys rotated?).",
    JWT,
    true,
  ),
  {
    id: 'kong.jwt-expired',
    producer: "Kong's jwt plugin",
    kind: 'gateway',
    match: { status: [401], body: /"exp"\s*:\s*"token expired"/, absent: PROXIED },
    support: { headers: [KONG_SERVER, KONG_LATENCY] },
    cause: 'token.expired',
    explanation:
      "Kong's jwt plugin verified the token's claims (`claims_to_verify: exp`) and its `exp` has passed.",
    fix: 'Get a new token; if a fresh one is refused, compare the clocks of the issuer and the Kong nodes.',
    source: JWT_PARSER,
  },
  {
    id: 'kong.jwt-not-yet-valid',
    producer: "Kong's jwt plugin",
    kind: 'gateway',
    match: { status: [401], body: /"nbf"\s*:\s*"token not valid yet"/, absent: PROXIED },
    support: { headers: [KONG_SERVER, KONG_LATENCY] },
    cause: 'token.not-yet-valid',
    explanation: "Kong's jwt plugin verified `nbf` and it lies in the future: a clock is wrong somewhere.",
    fix: 'Sync the clocks (NTP) of the issuer and the Kong nodes.',
    source: JWT_PARSER,
  },
  {
    id: 'kong.basic-auth',
    producer: "Kong's basic-auth plugin",
    kind: 'gateway',
    match: {
      status: [401],
      headers: [KONG_OWN],
      challenge: /^Basic realm="(?:service|kong)"/i,
      absent: PROXIED,
    },
    cause: 'server.gateway-rejected',
    explanation:
      "Kong's basic-auth plugin wants a user name and password of a Kong consumer (its challenge realm is `service` by default); a Bearer token or the application's own credentials are not what it checks.",
    fix: 'Send `Authorization: Basic` with a consumer basic-auth credential of this Kong, or ask whoever runs Kong whether this route should use basic-auth at all.',
    source: 'Kong/kong:kong/plugins/basic-auth/schema.lua',
  },
  plugin(
    'acl-denied',
    "Kong's acl plugin",
    [403],
    'You cannot consume this service',
    'authz.forbidden',
    "Kong's acl plugin: the consumer was authenticated but is not in a group allowed on this service or route.",
    'Add the consumer to an allowed ACL group (Admin API: `POST /consumers/{consumer}/acls`), or use a consumer that is.',
    'Kong/kong:kong/plugins/acl/handler.lua',
    true,
  ),
  plugin(
    'ip-restriction',
    "Kong's ip-restriction plugin",
    [403],
    'Your IP address is not allowed',
    'server.waf-blocked',
    "Kong's ip-restriction plugin refused the client's IP address (deny list, or not on the allow list) before any credential was looked at.",
    'Call from an allowed address, or ask whoever runs Kong to allow this one (mind NAT, VPN and proxies: Kong sees their address).',
    'Kong/kong:kong/plugins/ip-restriction/handler.lua',
  ),
  plugin(
    'unauthorized',
    'Kong Gateway (an auth plugin)',
    [401],
    'Unauthorized',
    'server.gateway-rejected',
    'An authentication plugin of Kong refused the request (key-auth with an unknown key on recent Kong versions, or jwt without a token); the service behind Kong never saw it.',
    'Find the auth plugins on this route (Admin API: `GET /routes/{route}/plugins`) and send the credential they expect.',
    KEY_AUTH,
    true,
  ),
  {
    id: 'kong.local-reply',
    producer: 'Kong Gateway',
    kind: 'gateway',
    match: { status: [401, 403], headers: [KONG_OWN], absent: PROXIED },
    cause: 'server.gateway-rejected',
    explanation:
      'Kong produced this answer itself (`Server: kong/…` or `X-Kong-Response-Latency`, and no `X-Kong-Upstream-Latency`): a plugin refused the request before it was proxied.',
    fix: 'List the plugins on this route and service (Admin API) and send what the refusing plugin expects.',
    source: HEADERS,
    confidence: 'likely',
  },
];
