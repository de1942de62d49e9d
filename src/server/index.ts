/**
 * why401/server: refusals that say what is wrong, the way the RFCs say to say it, for any
 * framework — `WWW-Authenticate` (RFC 9110 §11.6.1, RFC 6750 §3, RFC 9470 §3, RFC 9728 §5.1),
 * problem+json (RFC 9457), a request id and `Cache-Control: no-store` — `authHealth()`, and
 * `protectedResourceMetadata()` (RFC 9728).
 * Platform-neutral: web `Request`/`Response`, Web Crypto, no Node built-in. The framework adapters
 * are the subpaths why401/server/express, why401/server/fastify and why401/server/hono.
 */
export { wwwAuthenticate, fitDescription, MAX_DESCRIPTION, type ChallengeOptions } from './challenge.js';
export { problem, type ProblemOptions, type ProblemDocument, type Problem } from './problem.js';
export {
  refusal,
  refusalResponse,
  RefusalError,
  type RefusalDetails,
  TOKEN_PROBLEM_DESCRIPTIONS,
  type Refusal,
  type RefusalKind,
  type RefusalOptions,
  type RefusalDefaults,
  type TokenProblem,
} from './refusal.js';
export { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';
export {
  fromExpressOauth2JwtBearer,
  fromFastifyJwt,
  fromHonoJwt,
  fromPassport,
  fromRefusalError,
  problemOfMessage,
  specOfChallenge,
  type RefusalSpec,
} from './classify.js';
export {
  authHealth,
  checkAuthHealth,
  type AuthHealthOptions,
  type AuthHealthReport,
  type FetchCheck,
  type KeyInfo,
} from './health.js';
export { renderHealthHtml } from './health-html.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
} from './resource-metadata.js';
