/**
 * What the common JWT middlewares' errors mean, as a refusal kind. Duck-typed (name, code, status,
 * the challenge they set): no middleware is imported, so this runs wherever they do, and a
 * middleware that is not installed costs nothing.
 *
 * The middlewares' own messages are read here and never sent on: some hold the token itself
 * (hono/jwt: `token (<jwt>) expired`), some hold what the application wrote. The client gets the
 * standard description of the problem found (refusal.ts) instead.
 */
import { parseWwwAuthenticate } from '../parse/challenge.js';
import { RefusalError, type RefusalDetails, type RefusalKind, type TokenProblem } from './refusal.js';

/** A refusal kind and what it says beyond the API's defaults. */
export interface RefusalSpec extends RefusalDetails {
  kind: RefusalKind;
}

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  status?: unknown;
  statusCode?: unknown;
};

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const statusOf = (e: ErrorLike): number | undefined =>
  typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;

/**
 * jose's verification messages (panva/jose:src/lib/jwt_claims_set.ts, src/jws/flattened/verify.ts,
 * src/jwks/local.ts, src/jws/compact/verify.ts), also as express-oauth2-jwt-bearer rewrites them
 * (`"` turned into `'`), and fast-jwt's (nearform/fast-jwt:src/verifier.js, src/decoder.js).
 */
const MESSAGE_PROBLEMS: ReadonlyArray<[RegExp, TokenProblem]> = [
  [/["']exp["'] claim timestamp check failed|\btoken (?:has )?expired\b|\bjwt expired\b/i, 'expired'],
  [
    /["'](?:nbf|iat)["'] claim timestamp check failed|\bwill be active at\b|\bnot (?:yet )?active\b/i,
    'not_yet_valid',
  ],
  [/unexpected ["']aud["']|\baud claim value is not allowed\b/i, 'audience'],
  [/unexpected ["']iss["']|\biss claim value is not allowed\b|\btoken issuer is not allowed\b/i, 'issuer'],
  [/no applicable key found|multiple matching keys found|\bno matching key\b/i, 'unknown_key'],
  [/signature verification failed|\bsignature is invalid\b|\bMISSING_SIGNATURE\b/i, 'signature'],
  [
    /Invalid Compact JWS|JWS Protected Header is invalid|Invalid Token or Protected Header formatting|Compact JWS serialization|\btoken is malformed\b|\btoken (?:header|payload) is not a valid\b|JWT Claims Set must be/i,
    'malformed',
  ],
];

/** The problem a verifier's message names, if it names one. */
export function problemOfMessage(message: string): TokenProblem | undefined {
  return MESSAGE_PROBLEMS.find(([re]) => re.test(message))?.[1];
}

/** A challenge another piece of code already wrote (passport's, express-oauth2-jwt-bearer's), read back. */
export function specOfChallenge(
  header: string | undefined,
  status: number | undefined,
): RefusalSpec | undefined {
  if (status === 400) return { kind: 'invalid_request' };
  if (!header) return status === 401 ? { kind: 'missing' } : undefined;
  const bearer = parseWwwAuthenticate([header]).challenges.find((c) => c.schemeLower === 'bearer');
  const p = bearer?.params ?? {};
  switch (p['error']) {
    case undefined:
      return status === 403 ? undefined : { kind: 'missing' };
    case 'invalid_request':
      return { kind: 'invalid_request' };
    case 'insufficient_scope':
      return p['scope'] ? { kind: 'insufficient_scope', scope: p['scope'] } : undefined;
    case 'invalid_token': {
      // passport-http-bearer writes the description unescaped (`error_description=""exp" claim…"`),
      // which no parser reads whole: the raw header is searched when the parsed value says nothing.
      const problem = problemOfMessage(p['error_description'] ?? '') ?? problemOfMessage(header);
      return problem ? { kind: 'invalid_token', problem } : { kind: 'invalid_token' };
    }
    default:
      return undefined;
  }
}

function invalidToken(message: string): RefusalSpec {
  const problem = problemOfMessage(message);
  return problem ? { kind: 'invalid_token', problem } : { kind: 'invalid_token' };
}

/** A `RefusalError` thrown by the application (by name too: two copies of this module may be loaded). */
export function fromRefusalError(err: unknown): RefusalSpec | undefined {
  if (err instanceof RefusalError) return { ...err.details, kind: err.kind };
  if (!err || typeof err !== 'object' || (err as ErrorLike).name !== 'RefusalError') return undefined;
  const e = err as { kind?: unknown; details?: unknown };
  if (typeof e.kind !== 'string') return undefined;
  return { ...(e.details && typeof e.details === 'object' ? e.details : {}), kind: e.kind as RefusalKind };
}

/**
 * express-oauth2-jwt-bearer (auth0/node-oauth2-jwt-bearer:packages/oauth2-bearer/src/errors.ts):
 * `UnauthorizedError` (no token), `InvalidRequestError` (400), `InvalidTokenError` (jose's message),
 * `InsufficientScopeError` (403, the scopes in its challenge). DPoP proof errors are left alone.
 */
export function fromExpressOauth2JwtBearer(err: unknown): RefusalSpec | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as ErrorLike & { headers?: Record<string, unknown> };
  const challenge = text(e.headers?.['WWW-Authenticate']);
  switch (e.name) {
    case 'UnauthorizedError':
      return statusOf(e) === 401 ? { kind: 'missing' } : undefined;
    case 'InvalidRequestError':
      return { kind: 'invalid_request' };
    case 'InvalidTokenError':
      return invalidToken(text(e.message));
    case 'InsufficientScopeError':
      return specOfChallenge(challenge, 403);
    default:
      return undefined;
  }
}

/**
 * passport with `failWithError: true` (jaredhanson/passport:lib/middleware/authenticate.js): an
 * `AuthenticationError` whose status passport set, after it wrote the strategy's challenge on the
 * response — passport-http-bearer's `Bearer realm="…"[, error="invalid_token", error_description=…]`.
 */
export function fromPassport(err: unknown, challengeWritten: string | undefined): RefusalSpec | undefined {
  if (!err || typeof err !== 'object' || (err as ErrorLike).name !== 'AuthenticationError') return undefined;
  return specOfChallenge(challengeWritten, statusOf(err as ErrorLike));
}

/** @fastify/jwt's error codes (fastify/fastify-jwt:index.js, `messages` and the `createError` calls). */
export function fromFastifyJwt(err: unknown): RefusalSpec | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as ErrorLike;
  switch (e.code) {
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
    case 'FST_JWT_NO_AUTHORIZATION_IN_COOKIE':
      return { kind: 'missing' };
    case 'FST_JWT_BAD_REQUEST':
    case 'FST_JWT_BAD_COOKIE_REQUEST':
      return { kind: 'invalid_request' };
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
      return { kind: 'invalid_token', problem: 'expired' };
    case 'FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED':
      return { kind: 'invalid_token', problem: 'revoked' };
    case 'FAST_JWT_MISSING_SIGNATURE':
      return { kind: 'invalid_token', problem: 'signature' };
    // fast-jwt's own codes, which @fastify/jwt lets through unwrapped for some tokens (a token
    // signed with an algorithm the verifier does not allow: FAST_JWT_INVALID_ALGORITHM, seen with
    // @fastify/jwt 9); nearform/fast-jwt:src/error.js.
    case 'FAST_JWT_INVALID_ALGORITHM':
    case 'FAST_JWT_INVALID_SIGNATURE':
      return { kind: 'invalid_token', problem: 'signature' };
    case 'FAST_JWT_MALFORMED':
    case 'FAST_JWT_INVALID_TYPE':
      return { kind: 'invalid_token', problem: 'malformed' };
    case 'FAST_JWT_EXPIRED':
      return { kind: 'invalid_token', problem: 'expired' };
    case 'FAST_JWT_INACTIVE':
      return { kind: 'invalid_token', problem: 'not_yet_valid' };
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
      return invalidToken(text(e.message));
    default:
      return undefined;
  }
}

/** hono/jwt's causes (honojs/hono:src/utils/jwt/types.ts), by class name: their messages hold the token. */
const HONO_CAUSES: Readonly<Record<string, TokenProblem>> = {
  JwtTokenExpired: 'expired',
  JwtTokenNotBefore: 'not_yet_valid',
  JwtTokenIssuedAt: 'not_yet_valid',
  JwtTokenAudience: 'audience',
  JwtPayloadRequiresAud: 'audience',
  JwtTokenIssuer: 'issuer',
  JwtTokenSignatureMismatched: 'signature',
  JwtTokenInvalid: 'malformed',
  JwtHeaderInvalid: 'malformed',
  JwtHeaderRequiresKid: 'unknown_key',
  JwtAlgorithmMismatch: 'signature',
  JwtAlgorithmNotAllowed: 'signature',
  JwtSymmetricAlgorithmNotAllowed: 'signature',
};

/**
 * hono/jwt and hono/jwk (honojs/hono:src/middleware/jwt/jwt.ts): an `HTTPException` 401 whose
 * response already holds a challenge; `no authorization included in request` (no token),
 * `invalid credentials structure` (not `Bearer <token>`), else the verification error as `cause`.
 */
export function fromHonoJwt(err: unknown): RefusalSpec | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as ErrorLike & { cause?: unknown; res?: unknown };
  if (statusOf(e) !== 401 || !(e.res instanceof Response)) return undefined;
  const message = text(e.message);
  if (message === 'no authorization included in request') return { kind: 'missing' };
  if (message === 'invalid credentials structure') return { kind: 'invalid_request' };
  if (!/\berror="invalid_token"/.test(e.res.headers.get('WWW-Authenticate') ?? '')) return undefined;
  const cause = e.cause && typeof e.cause === 'object' ? text((e.cause as ErrorLike).name) : '';
  const problem = HONO_CAUSES[cause];
  return problem ? { kind: 'invalid_token', problem } : { kind: 'invalid_token' };
}
