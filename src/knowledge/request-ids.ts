/**
 * Response headers that carry a request or trace id: what a support ticket needs so that whoever
 * runs the server can find the request in their logs. Read by the info.request-ids check and by
 * `why401 audit` (a request id on every refusal).
 */
/** Response headers that carry a request or trace id (lower case), with who sends them. */
export const REQUEST_ID_HEADERS: ReadonlyArray<[name: string, who: string]> = [
  ['x-request-id', 'the server or its proxy'],
  ['x-correlation-id', 'the server'],
  ['request-id', 'the server (Stripe, among others)'],
  ['traceparent', 'W3C Trace Context'],
  ['cf-ray', 'Cloudflare'],
  ['x-amzn-requestid', 'AWS (API Gateway, Lambda)'],
  ['x-amz-request-id', 'AWS (S3)'],
  ['x-amz-cf-id', 'Amazon CloudFront'],
  ['x-amz-apigw-id', 'AWS API Gateway'],
  ['apigw-requestid', 'AWS API Gateway (HTTP API)'],
  ['x-amzn-trace-id', 'AWS X-Ray / load balancer'],
  ['x-ms-request-id', 'Microsoft Azure'],
  ['x-ms-correlation-request-id', 'Azure Resource Manager'],
  ['x-azure-ref', 'Azure Front Door'],
  ['x-github-request-id', 'GitHub'],
  ['x-goog-request-id', 'Google'],
  ['x-cloud-trace-context', 'Google Cloud'],
  ['x-kong-request-id', 'Kong'],
  ['x-vercel-id', 'Vercel'],
  ['fly-request-id', 'Fly.io'],
  ['x-trace-id', 'the server'],
  ['x-b3-traceid', 'Zipkin B3 tracing'],
];
