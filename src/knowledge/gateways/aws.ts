import type { GatewayCause, GatewayEntry, HeaderRule } from '../gateways.js';

/**
 * Amazon Web Services: API Gateway (REST and HTTP APIs), the Application Load Balancer,
 * CloudFront, AWS WAF and S3 as an origin.
 *
 * API Gateway's own answers ("gateway responses") carry `x-amzn-ErrorType` and a JSON body
 * `{"message":"…"}`; answers of the integration (your Lambda or backend) do not carry
 * `x-amzn-ErrorType`.
 */

const TROUBLESHOOT_403 = 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden';
const AUTHORIZER_403 = 'https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer';
const RESPONSE_TYPES =
  'awsdocs/amazon-api-gateway-developer-guide:doc_source/supported-gateway-response-types.md';
const HTTP_API_JWT = 'awsdocs/amazon-api-gateway-developer-guide:doc_source/http-api-troubleshooting-jwt.md';
const CLOUDFRONT_403 =
  'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html';
const CLOUDFRONT_BLOCKED = 'https://repost.aws/knowledge-center/cloudfront-error-request-blocked';

const ERROR_TYPE = (v: RegExp): HeaderRule => ({ name: 'x-amzn-errortype', value: v });
const APIGW_IDS: HeaderRule[] = [{ name: 'x-amzn-requestid' }, { name: 'x-amz-apigw-id' }];
const CLOUDFRONT: HeaderRule[] = [
  { name: 'x-amz-cf-id' },
  { name: 'x-cache', value: /^Error from cloudfront/i },
  { name: 'via', value: /\bcloudfront\b/i },
];
const ALB: HeaderRule = { name: 'server', value: /^awselb\//i };

function message(words: string | RegExp, whole = true): RegExp {
  const w = typeof words === 'string' ? words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : words.source;
  return new RegExp(whole ? `"message"\\s*:\\s*"(${w})"` : `"message"\\s*:\\s*"(${w})`);
}

function apigw(
  id: string,
  status: number[],
  words: RegExp,
  errorType: RegExp,
  cause: GatewayCause,
  explanation: string,
  fix: string,
  source = TROUBLESHOOT_403,
): GatewayEntry {
  return {
    id: `aws-apigw.${id}`,
    producer: 'AWS API Gateway',
    kind: 'gateway',
    match: { status, body: words },
    support: { headers: [ERROR_TYPE(errorType), ...APIGW_IDS] },
    cause,
    explanation,
    fix,
    source,
  };
}

export const AWS: readonly GatewayEntry[] = [
  {
    ...apigw(
      'missing-authentication-token',
      [403],
      message('Missing Authentication Token'),
      /^MissingAuthenticationTokenException/,
      'url.wrong-endpoint',
      'API Gateway answers "Missing Authentication Token" for any path, method or stage it has no route for, and only otherwise for an IAM-authorized route reached without a SigV4 signature. The application was never called.',
      'Check the path (including the stage, e.g. `/prod/…`), the method and that the API was deployed after the change; only if the route exists and uses IAM authorization, sign the request with SigV4.',
      RESPONSE_TYPES,
    ),
    confidence: 'likely',
  },
  {
    ...apigw(
      'authorization-header-key-value',
      [403],
      /not a valid key=value pair \(missing equal-sign\) in Authorization header/,
      /^IncompleteSignatureException/,
      'url.wrong-endpoint',
      'API Gateway tried to read the Authorization header as an AWS SigV4 signature: the route uses IAM authorization and got a Bearer token, or the path or method does not exist (API Gateway then treats any Authorization header this way).',
      'Check the path, method and stage first; if the route exists, use the authorizer type it was built with (a Cognito or Lambda authorizer for Bearer tokens, SigV4 for IAM).',
      'https://www.repost.aws/fr/questions/QU4P9tucybRzG52U5OhwaT0A/rest-api-in-api-gateway-returns-403-when-resource-or-method-is-incorrect',
    ),
    confidence: 'likely',
  },
  {
    id: 'aws-apigw.authorizer-unauthorized',
    producer: 'AWS API Gateway (Lambda or Cognito authorizer)',
    kind: 'gateway',
    match: {
      status: [401],
      headers: [ERROR_TYPE(/^UnauthorizedException/)],
      body: message('Unauthorized'),
    },
    support: { headers: APIGW_IDS },
    cause: 'server.gateway-rejected',
    explanation:
      'API Gateway\'s authorizer refused the request before the integration ran: the identity source (the header the authorizer reads) was missing, empty or failed the token validation regex, or the Lambda authorizer answered "Unauthorized".',
    fix: "Send the token in the header the authorizer's identity source names (often `Authorization`, but it can be another), in the form its validation expression expects; then read the authorizer's CloudWatch logs.",
    source: 'https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer',
  },
  apigw(
    'explicit-deny',
    [403],
    message('User is not authorized to access this resource with an explicit deny'),
    /^AccessDeniedException/,
    'authz.forbidden',
    "API Gateway's Lambda authorizer returned a policy that explicitly denies this caller.",
    'Check why the authorizer denied this identity (its CloudWatch logs); the token was read, the decision was "Deny".',
    AUTHORIZER_403,
  ),
  apigw(
    'not-authorized',
    [403],
    message('User is not authorized to access this resource'),
    /^AccessDeniedException/,
    'authz.forbidden',
    "API Gateway's Lambda authorizer returned a policy that does not allow this method and path. With authorizer caching on, a policy cached for another path of a `{proxy+}` resource is a frequent cause.",
    'Return a policy that covers this resource ARN (a wildcard such as `arn:aws:execute-api:…/*/*` when the result is cached), or turn off authorizer caching.',
    AUTHORIZER_403,
  ),
  apigw(
    'resource-policy-deny',
    [403],
    message(/User: \S+ is not authorized to perform: execute-api:Invoke on resource: ?[^"]*/),
    /^AccessDeniedException/,
    'authz.forbidden',
    "API Gateway refused the call by IAM: the API's resource policy (which may restrict source IPs, VPC endpoints or accounts) or the caller's IAM permissions do not allow `execute-api:Invoke` on this resource. `User: anonymous` means the request was not signed.",
    'Sign the request with credentials allowed to invoke this API, or change the resource policy (source IP / VPC endpoint conditions included) and redeploy the stage.',
  ),
  apigw(
    'invalid-security-token',
    [403],
    message(/The security token included in the request is invalid\.?/),
    /^(?:AccessDenied|UnrecognizedClient)Exception/,
    'credentials.rejected',
    'API Gateway (IAM authorization) does not know the access key the request was signed with.',
    'Sign with valid AWS credentials (access key id, secret and, for temporary credentials, the session token).',
  ),
  apigw(
    'expired-token',
    [403],
    message('The security token included in the request is expired'),
    /^ExpiredTokenException/,
    'token.expired',
    'The temporary AWS credentials (session token) the request was signed with have expired.',
    'Refresh the temporary credentials (STS, SSO, instance role) and sign again.',
    RESPONSE_TYPES,
  ),
  apigw(
    'signature-expired',
    [403],
    message(/Signature expired: [^"]*/),
    /^InvalidSignatureException/,
    'clock.skew',
    "The SigV4 signature is more than 5 minutes older (or newer) than API Gateway's clock: the signing machine's clock is off, or a signed request was replayed late.",
    "Sync this machine's clock (NTP) and sign each request when it is sent.",
  ),
  apigw(
    'signature-mismatch',
    [403],
    message(/The request signature we calculated does not match the signature you provided[^"]*/),
    /^InvalidSignatureException/,
    'credentials.rejected',
    'API Gateway recomputed the SigV4 signature and got another one: wrong secret key, or the signed request differs from the one sent (host, path, query or a header changed, e.g. by a proxy).',
    'Check the secret key for this access key id, and sign exactly what is sent (canonical path, query and signed headers).',
    'https://www.repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch',
  ),
  apigw(
    'invalid-api-key',
    [403],
    message('Invalid API Key identifier specified'),
    /^ForbiddenException/,
    'credentials.rejected',
    'The method requires an API key and the `x-api-key` value is not a key API Gateway knows (or not in a usage plan of this stage).',
    'Send a valid key in `x-api-key`, associated with a usage plan that includes this API stage.',
  ),
  {
    id: 'aws-apigw.forbidden',
    producer: 'AWS API Gateway',
    kind: 'gateway',
    match: { status: [403], headers: [ERROR_TYPE(/^ForbiddenException/)] },
    support: { headers: APIGW_IDS },
    cause: 'server.gateway-rejected',
    explanation:
      'API Gateway answered 403 Forbidden itself: a method that requires an API key got none, an AWS WAF rule on the stage blocked the request, or a private API was called through a public DNS name (or a custom-domain API through its default endpoint).',
    fix: "Send `x-api-key` if the method requires it; otherwise check the stage's WAF web ACL and the endpoint you call.",
    source: TROUBLESHOOT_403,
    confidence: 'likely',
  },
  {
    id: 'aws-httpapi.jwt-invalid-audience',
    producer: 'AWS API Gateway HTTP API (JWT authorizer)',
    kind: 'gateway',
    match: {
      status: [401],
      challenge: /error_description="the token does not have a valid audience"/i,
    },
    support: { headers: [{ name: 'apigw-requestid' }] },
    cause: 'jwt.audience-mismatch',
    explanation:
      "The HTTP API's JWT authorizer refused the token: its `aud` (or `client_id`) matches none of the audiences configured on the authorizer.",
    fix: "Request the token for the audience the authorizer lists, or add the token's audience to the authorizer.",
    source: HTTP_API_JWT,
  },
  {
    id: 'aws-httpapi.jwt-invalid',
    producer: 'AWS API Gateway HTTP API (JWT authorizer)',
    kind: 'gateway',
    match: {
      status: [401],
      headers: [{ name: 'apigw-requestid' }],
      challenge: /^Bearer scope="[^"]*"\s*,?\s*error="invalid_token"/i,
    },
    cause: 'server.gateway-rejected',
    explanation:
      "The HTTP API's JWT authorizer refused the token; its `error_description` says why (issuer, audience, expiry, signature or scope).",
    fix: "Compare the token's iss, aud, exp and scopes with the authorizer's issuer, audiences and the route's scopes.",
    source: HTTP_API_JWT,
  },
  {
    id: 'aws-alb.authenticate-deny',
    producer: 'AWS Application Load Balancer (authenticate-oidc / authenticate-cognito)',
    kind: 'gateway',
    match: { status: [401], headers: [ALB] },
    cause: 'server.gateway-rejected',
    explanation:
      "The load balancer answered 401 itself: a listener rule authenticates users (OIDC or Cognito) with `on-unauthenticated-request: deny`. ALB authentication is a browser session (the AWSELBAuthSessionCookie cookies); it does not accept an API client's `Authorization: Bearer` token.",
    fix: 'For API clients, validate the token in the application (or API Gateway) instead of ALB authentication; for browsers, set the action to `authenticate` so users are sent to sign in.',
    source:
      'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_elasticloadbalancingv2.UnauthenticatedAction.html',
    confidence: 'likely',
  },
  {
    id: 'aws-alb.forbidden',
    producer: 'AWS Application Load Balancer (AWS WAF or a fixed-response rule)',
    kind: 'waf',
    match: { status: [403], headers: [ALB] },
    cause: 'server.waf-blocked',
    explanation:
      'The load balancer answered 403 itself, not the target: by default that is an AWS WAF web ACL on the load balancer blocking the request (a fixed-response listener rule can answer 403 too).',
    fix: "Look up the request in the web ACL's sampled requests or WAF logs to see which rule blocked it, then allow-list or adjust that rule.",
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html',
    confidence: 'likely',
  },
  {
    id: 'aws-waf.captcha-or-challenge',
    producer: 'AWS WAF',
    kind: 'waf',
    match: { headers: [{ name: 'x-amzn-waf-action', value: /^(?:captcha|challenge)$/i }] },
    cause: 'server.waf-blocked',
    explanation:
      'AWS WAF did not forward the request: a rule with a CAPTCHA (405) or Challenge (202) action wants a browser to solve a puzzle or run a script first, which an API client cannot do.',
    fix: 'Exempt API routes or API clients from the CAPTCHA/Challenge rule (scope-down statement), or integrate the AWS WAF token in the client.',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-actions.html',
  },
  {
    id: 'aws-cloudfront.request-blocked',
    producer: 'Amazon CloudFront (AWS WAF)',
    kind: 'waf',
    match: { status: [403], body: /The request could not be satisfied\.?[\s\S]{0,200}?Request blocked\./ },
    support: { headers: CLOUDFRONT },
    cause: 'server.waf-blocked',
    explanation:
      'CloudFront blocked the request at the edge, before the origin: an AWS WAF web ACL associated with the distribution matched it.',
    fix: "Find the request in the web ACL's sampled requests (by time or the CloudFront Request ID) and adjust the rule that blocked it.",
    source: CLOUDFRONT_BLOCKED,
  },
  {
    id: 'aws-cloudfront.geo-blocked',
    producer: 'Amazon CloudFront (geographic restriction)',
    kind: 'cdn',
    match: { status: [403], body: /configured to block access from your country/ },
    support: { headers: CLOUDFRONT },
    cause: 'server.waf-blocked',
    explanation:
      "The distribution's geographic restriction blocks the country CloudFront placed the client's IP address in.",
    fix: "Call from an allowed country (mind VPNs and egress proxies), or change the distribution's geographic restriction.",
    source: CLOUDFRONT_403,
  },
  {
    id: 'aws-cloudfront.method-not-allowed',
    producer: 'Amazon CloudFront',
    kind: 'cdn',
    match: {
      status: [403],
      body: /This distribution is not configured to allow the HTTP request method that was used for this request/,
    },
    support: { headers: CLOUDFRONT },
    cause: 'url.wrong-endpoint',
    explanation:
      'The cache behavior matching this path only allows GET and HEAD (or GET, HEAD, OPTIONS): CloudFront refuses other methods itself, so the request never reaches the API.',
    fix: "Allow all methods on the cache behavior for the API's path pattern, or send the request to the API's own endpoint.",
    source: CLOUDFRONT_403,
    confidence: 'likely',
  },
  {
    id: 'aws-cloudfront.bad-request',
    producer: 'Amazon CloudFront',
    kind: 'cdn',
    match: { status: [403], body: /The request could not be satisfied\.?[\s\S]{0,200}?Bad request\./ },
    support: { headers: CLOUDFRONT },
    cause: 'server.gateway-rejected',
    explanation:
      'CloudFront could not route the request: the host name is not an alternate domain name (CNAME) of the distribution the DNS points to, or the request was malformed for CloudFront.',
    fix: "Add the host name to the distribution's alternate domain names (with a matching certificate), or call the host the distribution serves.",
    source: CLOUDFRONT_403,
  },
  {
    id: 'aws-cloudfront.generated',
    producer: 'Amazon CloudFront',
    kind: 'cdn',
    match: { status: [401, 403], body: /Generated by cloudfront \(CloudFront\)/ },
    support: { headers: CLOUDFRONT },
    cause: 'server.gateway-rejected',
    explanation:
      'CloudFront produced this error page itself (an AWS WAF rule, geographic restriction, signed URL or cookie requirement, or a distribution setting); the origin did not answer it.',
    fix: 'Read the text between the heading and "Generated by cloudfront" for the reason, and check the distribution\'s WAF, restrictions and behaviors.',
    source: CLOUDFRONT_403,
    confidence: 'likely',
  },
  {
    id: 'aws-s3.access-denied',
    producer: 'Amazon S3 (origin)',
    kind: 'web-server',
    match: { status: [403], body: /<Code>AccessDenied<\/Code>/ },
    support: { headers: [{ name: 'server', value: /^AmazonS3$/i }, ...CLOUDFRONT] },
    cause: 'url.wrong-endpoint',
    explanation:
      'Amazon S3 refused the request. Behind CloudFront this is most often a path that does not exist (S3 answers 403, not 404, when the caller may not list the bucket) or an origin access control / bucket policy that does not let CloudFront read.',
    fix: 'Check the object key (path, case, default root object); then the bucket policy for the CloudFront origin access control.',
    source: CLOUDFRONT_403,
    confidence: 'possible',
  },
];
