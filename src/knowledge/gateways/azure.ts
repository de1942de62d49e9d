import type { GatewayCause, GatewayEntry } from '../gateways.js';

/**
 * Microsoft Azure: API Management (its predefined errors answer `{ "statusCode": 401,
 * "message": "…" }`), Front Door's WAF and Application Gateway's WAF.
 *
 * Entra ID's AADSTS codes live in identity.ts (an identity provider, not a layer in front).
 */

const APIM_ERRORS =
  'MicrosoftDocs/azure-docs:articles/api-management/api-management-error-handling-policies.md';
const APIM_VALIDATE_JWT = 'https://learn.microsoft.com/en-us/azure/api-management/validate-jwt-policy';

function apim(
  id: string,
  status: number[],
  body: RegExp,
  cause: GatewayCause,
  explanation: string,
  fix: string,
  source = APIM_ERRORS,
): GatewayEntry {
  return {
    id: `azure-apim.${id}`,
    producer: 'Azure API Management',
    kind: 'gateway',
    match: { status, body },
    cause,
    explanation,
    fix,
    source,
  };
}

export const AZURE: readonly GatewayEntry[] = [
  apim(
    'subscription-key-missing',
    [401],
    /Access denied due to missing subscription key\. Make sure to include subscription key when making requests to (?:an|this) API\./,
    'credentials.missing',
    'Azure API Management wants a subscription key for this product or API and found none (header `Ocp-Apim-Subscription-Key` or query `subscription-key`); the backend never saw the request.',
    'Send `Ocp-Apim-Subscription-Key: <key>` (from the developer portal), in addition to any `Authorization` header the API needs.',
  ),
  apim(
    'subscription-key-invalid',
    [401],
    /Access denied due to invalid subscription key\. Make sure to provide a valid key for an active subscription\./,
    'credentials.rejected',
    'Azure API Management does not accept the subscription key: unknown, regenerated, from another instance, or its subscription is not active for this product.',
    'Copy the current primary or secondary key of an active subscription to a product that includes this API.',
  ),
  apim(
    'validate-jwt',
    [401],
    /Unauthorized\. Access token is missing or invalid\./,
    'server.gateway-rejected',
    "Azure API Management's `validate-jwt` policy refused the token (this is the message its documentation uses): missing, expired, or an issuer, audience or signing key the policy does not accept.",
    "Compare the token's `aud` and `iss` with the policy's `<audiences>` and `<issuers>` (Entra v1 tokens use `https://sts.windows.net/{tenant}/`, v2 `https://login.microsoftonline.com/{tenant}/v2.0`).",
    APIM_VALIDATE_JWT,
  ),
  apim(
    'jwt-not-present',
    [401],
    /"message"\s*:\s*"JWT not present\.?"/,
    'credentials.missing',
    "Azure API Management's `validate-jwt` policy found no token in the header or query parameter it reads.",
    'Send the token where the policy reads it (`header-name`, usually `Authorization: Bearer <token>`).',
  ),
  apim(
    'jwt-claims-missing',
    [401, 403],
    /JWT is missing the following claims: [^"]*/,
    'server.gateway-rejected',
    "Azure API Management's `validate-jwt` policy requires claims the token does not carry (`<required-claims>`).",
    'Request a token that carries the listed claims (roles, scopes or app-specific claims), or ask whoever runs the API which are required.',
  ),
  apim(
    'jwt-claim-value',
    [401, 403],
    /Claim [^\s"]+ value of [^"]* is not allowed\. Access denied\./,
    'server.gateway-rejected',
    "Azure API Management's `validate-jwt` policy found a claim (often `aud`, `scp` or `roles`) with a value it does not allow.",
    'Request the token for the audience and with the scopes or roles the policy lists.',
  ),
  apim(
    'check-header',
    [401, 403],
    /Header [^\s"]+ was not found in the request\. Access denied\./,
    'credentials.missing',
    "Azure API Management's `check-header` policy requires a header the request does not carry.",
    'Send the named header.',
  ),
  apim(
    'ip-not-allowed',
    [403],
    /Caller IP address (?:[^\s"]+ )?is not allowed\. Access denied\./,
    'server.waf-blocked',
    "Azure API Management's `ip-filter` policy: the caller's IP address is not on its allow list.",
    'Call from an allowed address (mind NAT, VPN and proxies), or ask whoever runs the API to allow this one.',
  ),
  apim(
    'ip-blocked',
    [403],
    /Caller IP address is blocked\. Access denied\./,
    'server.waf-blocked',
    "Azure API Management's `ip-filter` policy: the caller's IP address is on its block list.",
    'Call from another address, or ask whoever runs the API to remove this one from the block list.',
  ),
  {
    id: 'azure-frontdoor.waf-blocked',
    producer: 'Azure Front Door WAF',
    kind: 'waf',
    match: { status: [403], body: /The request is blocked\./ },
    support: { headers: [{ name: 'x-azure-ref' }] },
    cause: 'server.waf-blocked',
    explanation:
      "Azure Front Door's web application firewall blocked the request (its default block response); the origin never saw it.",
    fix: 'Look up the tracking reference (`x-azure-ref`) in the WAF log (FrontDoorWebApplicationFirewallLog) to see the rule, then exclude or tune it.',
    source:
      'https://learn.microsoft.com/en-us/azure/web-application-firewall/afds/waf-front-door-configure-custom-response-code',
  },
  {
    id: 'azure-appgw.forbidden',
    producer: 'Azure Application Gateway (WAF)',
    kind: 'waf',
    match: {
      status: [403],
      headers: [{ name: 'server', value: /^Microsoft-Azure-Application-Gateway/i }],
    },
    cause: 'server.waf-blocked',
    explanation:
      'The Application Gateway answered 403 itself (its own `Server` header): its web application firewall blocked the request before the backend pool.',
    fix: 'Find the request in the Application Gateway firewall log to see the matching rule, then add an exclusion or a custom rule.',
    source:
      'https://learn.microsoft.com/en-us/azure/web-application-firewall/ag/web-application-firewall-troubleshoot',
    confidence: 'likely',
  },
];
