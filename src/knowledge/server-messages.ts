import { bodyLines } from './body-text.js';
export { bodyLines };
import type { HeaderList } from '../model/http.js';
import { headerValues } from '../model/http.js';
import type { Challenge } from '../parse/challenge.js';
import { fitsAspnetChallenge } from './server-messages/aspnet.js';
import { CSRF_MESSAGES } from './server-messages/csrf.js';
import { HONO_MESSAGES } from './server-messages/hono.js';
import { PYTHON_MESSAGES } from './server-messages/python.js';
import { VAULT_MESSAGES } from './server-messages/vault.js';

/**
 * What real resource servers, gateways and libraries answer when they refuse a request, and
 * what their words mean. Platform-neutral data plus a pure matcher: the checks quote the
 * server's own words and map them to a cause id from shared/spec/causes.md.
 *
 * Every string here was read in the producer's source or seen on the wire (sources per entry;
 * see shared/research/anchors.md §4 and deps.md §5).
 */

/** The cause ids a server message can point to (a subset of shared/spec/causes.md). */
export type ServerMessageCause =
  | 'token.expired'
  | 'token.not-yet-valid'
  | 'token.malformed'
  | 'token.inactive'
  | 'jwt.audience-mismatch'
  | 'jwt.issuer-mismatch'
  | 'jwt.signature-invalid'
  | 'jwt.kid-unknown'
  | 'jwt.alg-none'
  | 'jwt.scope-insufficient'
  | 'credentials.missing'
  | 'credentials.rejected'
  | 'header.scheme-mismatch'
  | 'header.duplicate'
  | 'idp.jwks-failed'
  | 'dpop.required'
  | 'url.wrong-endpoint'
  | 'basic.malformed'
  /** A permission refusal: the caller is known, a role or object permission is missing. */
  | 'authz.forbidden'
  /** A CSRF (anti-forgery token) refusal: not about who the caller is, no role helps. */
  | 'authz.csrf-rejected';

export interface ServerMessageMatchSpec {
  /** The response status must be one of these. */
  status?: number[];
  /** A challenge must carry this `error` auth-param (compared case-insensitively, exactly: no substring). */
  challengeError?: string;
  /**
   * Tested against each challenge's `error_description` (on the same challenge as `challengeError`,
   * when both are given).
   */
  description?: RegExp;
  /**
   * Tested against the body: each string member of a JSON body (`message`, `error`, `code`, …,
   * nested too), then each line of the body as text (HTML tags stripped, entities decoded).
   * When `description` is given as well, either one matching is enough: a library's message
   * reaches the client in the challenge or in the body, depending on the application.
   */
  body?: RegExp;
  /** A response header whose value must match. */
  header?: { name: string; value: RegExp };
  /**
   * With `body`: the JSON path the matching string must stand at (`errors[0]`), for words too
   * common to name their producer anywhere else ("permission denied" is Vault's only inside
   * Vault's `{"errors": […]}`).
   */
  bodyPath?: RegExp;
}

export interface ServerMessageEntry {
  /** `producer.what`, e.g. `envoy.jwt-expired`. */
  id: string;
  /** Who sends it, as a person would name it (`Envoy jwt_authn`). */
  producer: string;
  match: ServerMessageMatchSpec;
  /** The cause id the words point to. */
  cause: ServerMessageCause;
  /** One plain sentence: what the words mean. */
  meaning: string;
  /** Where the string was read: a URL or `owner/repo:path`. */
  source: string;
  /**
   * The producer gives these words to a request without credentials too, so the anonymous probe
   * getting the identical answer says nothing about a rule on the request (authz.request-rule).
   */
  sameForAnyone?: true;
  /**
   * For words that say no credentials arrived: the producer reads them from the Authorization
   * header (by default), so a credential sent in another header or the query belongs there. Left
   * out where the words do not say where it looks (FastAPI's "Not authenticated" answers an
   * APIKeyHeader as well as HTTPBearer; Kong key-auth reads `apikey`).
   */
  readsAuthorization?: true;
  /** The producer's own way to check and fix it, for the request's URL, when it has one. */
  fix?: (url: string) => string;
  /**
   * For words other servers share: whether the rest of the response (body, `Server`) could have
   * come from this producer. When it cannot, the words still mean the same and name the same
   * cause, but the match credits no product (`UNCREDITED`) and says `meaningUncredited`.
   */
  fits?: (x: ServerMessageInput) => boolean;
  /** `meaning` without what only holds for this producer (its defaults, its settings' names). */
  meaningUncredited?: string;
}

/** Who a match names when the response contradicts the producer whose words it uses. */
export const UNCREDITED = 'The server';

export interface ServerMessageInput {
  status: number;
  challenges: Challenge[];
  body: string;
  bodyJson?: unknown;
  headers: HeaderList;
}

export interface ServerMessageMatch {
  entry: ServerMessageEntry;
  /** The server's own words that matched: an error_description, a JSON member, a body line or a header. */
  quote: string;
  /** Where the quote was found. */
  where: 'challenge' | 'body' | 'header';
  /** For `where: 'header'`, the header's name (lower case); for `body`, the JSON member path when it came from JSON. */
  name?: string;
}

// ---------------------------------------------------------------------------------------------
// Sources (repositories at the commits read in anchors.md §4).
const EOJB_ERRORS = 'auth0/node-oauth2-jwt-bearer:packages/oauth2-bearer/src/errors.ts';
const EOJB_VERIFIER = 'auth0/node-oauth2-jwt-bearer:packages/access-token-jwt/src/jwt-verifier.ts';
const EOJB_VALIDATE = 'auth0/node-oauth2-jwt-bearer:packages/access-token-jwt/src/validate.ts';
const EOJB_DPOP = 'auth0/node-oauth2-jwt-bearer:packages/access-token-jwt/src/dpop-verifier.ts';
const JOSE_CLAIMS = 'panva/jose:src/lib/jwt_claims_set.ts';
const JOSE_JWKS = 'panva/jose:src/jwks/local.ts';
const JOSE_JWS = 'panva/jose:src/jws/flattened/verify.ts';
const JOSE_COMPACT = 'panva/jose:src/jws/compact/verify.ts';
const FASTIFY = 'fastify/fastify-jwt:index.js';
const FAST_JWT = 'nearform/fast-jwt:src/verifier.js';
const FAST_JWT_DECODER = 'nearform/fast-jwt:src/decoder.js';
const EXPRESS_JWT = 'auth0/express-jwt:src/index.ts';
const JSONWEBTOKEN = 'auth0/node-jsonwebtoken:verify.js';
const ENVOY = 'envoyproxy/envoy:source/common/jwt/status.cc';
const ENVOY_FILTER = 'envoyproxy/envoy:source/extensions/filters/http/jwt_authn/filter.cc';
const ASPNET = 'dotnet/aspnetcore:src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs';
const IDX =
  'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet:src/Microsoft.IdentityModel.Tokens/LogMessages.cs';
const SPRING_TS =
  'spring-projects/spring-security:oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/JwtTimestampValidator.java';
const SPRING_NIMBUS =
  'spring-projects/spring-security:oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/NimbusJwtDecoder.java';
const SPRING_CLAIM =
  'spring-projects/spring-security:oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/JwtClaimValidator.java';
const SPRING_RESOLVER =
  'spring-projects/spring-security:oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/web/DefaultBearerTokenResolver.java';
const SPRING_DENIED =
  'spring-projects/spring-security:oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/web/access/BearerTokenAccessDeniedHandler.java';
const SPRING_ETF =
  'spring-projects/spring-security:web/src/main/java/org/springframework/security/web/access/ExceptionTranslationFilter.java';
const KONG_KEY = 'Kong/kong:kong/plugins/key-auth/handler.lua';
const KONG_JWT = 'Kong/kong:kong/plugins/jwt/handler.lua';

const EOJB = 'express-oauth2-jwt-bearer';
const ENVOY_NAME = 'Envoy jwt_authn';
const ASPNET_NAME = 'ASP.NET Core JwtBearer';
const IDX_NAME = 'Microsoft.IdentityModel';
const SPRING_NAME = 'Spring Security resource server';

/** Anchored to a whole line or JSON member (Envoy and gateways send the bare status string). */
function whole(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export const SERVER_MESSAGES: readonly ServerMessageEntry[] = [
  // --- express-oauth2-jwt-bearer: jose's message in error_description, `"` turned into `'` ----
  {
    id: 'express-oauth2-jwt-bearer.exp',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^'exp' claim timestamp check failed$/ },
    cause: 'token.expired',
    meaning: "The token's exp time has passed.",
    source: EOJB_ERRORS,
  },
  {
    id: 'express-oauth2-jwt-bearer.nbf',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^'nbf' claim timestamp check failed$/ },
    cause: 'token.not-yet-valid',
    meaning: "The token's nbf time is still in the future: a clock is wrong somewhere.",
    source: EOJB_ERRORS,
  },
  {
    id: 'express-oauth2-jwt-bearer.aud',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^Unexpected 'aud' value$/ },
    cause: 'jwt.audience-mismatch',
    meaning: "The token's aud does not name the audience this API is configured with.",
    source: EOJB_VALIDATE,
  },
  {
    id: 'express-oauth2-jwt-bearer.iss',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^Unexpected 'iss' value$/ },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss is not the issuer this API trusts (compare exactly, trailing slash included).",
    source: EOJB_VALIDATE,
  },
  {
    id: 'express-oauth2-jwt-bearer.issuer-not-allowed',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^Token issuer is not allowed$/ },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss is not among the issuers this API accepts.",
    source: EOJB_VERIFIER,
  },
  {
    id: 'express-oauth2-jwt-bearer.signature',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^signature verification failed$/ },
    cause: 'jwt.signature-invalid',
    meaning: "The token's signature does not verify against the issuer's key.",
    source: EOJB_ERRORS,
  },
  {
    id: 'express-oauth2-jwt-bearer.malformed',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^Invalid Token or Protected Header formatting$/ },
    cause: 'token.malformed',
    meaning: 'The token is not a well-formed JWT (wrong number of segments, bad base64url or JSON).',
    source: EOJB_ERRORS,
  },
  {
    id: 'express-oauth2-jwt-bearer.insufficient-scope',
    producer: EOJB,
    match: { status: [403], challengeError: 'insufficient_scope', description: /^Insufficient Scope$/ },
    cause: 'jwt.scope-insufficient',
    meaning: 'The token is valid but lacks a scope this route requires (named in the scope parameter).',
    source: EOJB_ERRORS,
  },
  {
    id: 'express-oauth2-jwt-bearer.dpop-scheme',
    producer: EOJB,
    match: {
      challengeError: 'invalid_request',
      description: /^DPoP proof requires the DPoP authentication scheme, not Bearer$/,
    },
    cause: 'dpop.required',
    meaning:
      'A DPoP proof was sent with `Authorization: Bearer`; a DPoP-bound token must be sent as `Authorization: DPoP`.',
    source: EOJB_DPOP,
  },
  {
    id: 'express-oauth2-jwt-bearer.dpop-proof-mismatch',
    producer: EOJB,
    match: { challengeError: 'invalid_dpop_proof', description: /^DPoP Proof (?:htu|htm) mismatch$/ },
    cause: 'dpop.required',
    meaning: "The DPoP proof's htu (URL) or htm (method) does not match the request as the server sees it.",
    source: EOJB_DPOP,
  },
  {
    id: 'express-oauth2-jwt-bearer.dpop-binding',
    producer: EOJB,
    match: { challengeError: 'invalid_token', description: /^JWT Access Token confirmation mismatch$/ },
    cause: 'dpop.required',
    meaning: 'The DPoP proof is signed with another key than the one the token is bound to (cnf.jkt).',
    source: EOJB_DPOP,
  },

  // --- jose (panva): the messages as the library throws them, wherever the application puts them --
  {
    id: 'jose.exp',
    producer: 'jose',
    match: { description: /"exp" claim timestamp check failed/, body: /"exp" claim timestamp check failed/ },
    cause: 'token.expired',
    meaning: "The token's exp time has passed.",
    source: JOSE_CLAIMS,
  },
  {
    id: 'jose.nbf',
    producer: 'jose',
    match: { description: /"nbf" claim timestamp check failed/, body: /"nbf" claim timestamp check failed/ },
    cause: 'token.not-yet-valid',
    meaning: "The token's nbf time is still in the future: a clock is wrong somewhere.",
    source: JOSE_CLAIMS,
  },
  {
    id: 'jose.iat-future',
    producer: 'jose',
    match: {
      description: /"iat" claim timestamp check failed \(it should be in the past\)/,
      body: /"iat" claim timestamp check failed \(it should be in the past\)/,
    },
    cause: 'token.not-yet-valid',
    meaning: 'The token says it was issued in the future: a clock is wrong somewhere.',
    source: JOSE_CLAIMS,
  },
  {
    id: 'jose.aud',
    producer: 'jose',
    match: { description: /unexpected "aud" claim value/, body: /unexpected "aud" claim value/ },
    cause: 'jwt.audience-mismatch',
    meaning: "The token's aud does not name the audience the verifier expects.",
    source: JOSE_CLAIMS,
  },
  {
    id: 'jose.iss',
    producer: 'jose',
    match: { description: /unexpected "iss" claim value/, body: /unexpected "iss" claim value/ },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss is not the issuer the verifier expects.",
    source: JOSE_CLAIMS,
  },
  {
    id: 'jose.signature',
    producer: 'jose',
    match: { description: /\bsignature verification failed\b/, body: /\bsignature verification failed\b/ },
    cause: 'jwt.signature-invalid',
    meaning: "The token's signature does not verify against the key the server holds.",
    source: JOSE_JWS,
  },
  {
    id: 'jose.no-applicable-key',
    producer: 'jose',
    match: {
      description: /no applicable key found in the JSON Web Key Set/,
      body: /no applicable key found in the JSON Web Key Set/,
    },
    cause: 'jwt.kid-unknown',
    meaning:
      "No key in the issuer's JWKS matches the token's kid and alg: keys were rotated, or the token is from another issuer.",
    source: JOSE_JWKS,
  },
  {
    id: 'jose.invalid-compact-jws',
    producer: 'jose',
    match: { description: /^Invalid Compact JWS$/, body: /\bInvalid Compact JWS\b/ },
    cause: 'token.malformed',
    meaning: 'The token is not a compact JWS (three base64url segments separated by dots).',
    source: JOSE_COMPACT,
  },

  // --- @fastify/jwt (fast-jwt underneath): no challenge, JSON body with code and message -----
  {
    id: 'fastify-jwt.aud',
    producer: '@fastify/jwt',
    match: { body: /The aud claim value is not allowed\./ },
    cause: 'jwt.audience-mismatch',
    meaning: "The token's aud is not among the audiences the server allows.",
    source: FAST_JWT,
  },
  {
    id: 'fastify-jwt.iss',
    producer: '@fastify/jwt',
    match: { body: /The iss claim value is not allowed\./ },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss is not among the issuers the server allows.",
    source: FAST_JWT,
  },
  {
    id: 'fastify-jwt.signature',
    producer: '@fastify/jwt',
    match: { body: /The token signature is invalid\./ },
    cause: 'jwt.signature-invalid',
    meaning: "The token's signature does not verify against the server's key.",
    source: FAST_JWT,
  },
  {
    id: 'fastify-jwt.malformed-header',
    producer: '@fastify/jwt',
    match: {
      body: /The token (?:header|payload) is not a valid base64url serialized JSON\.|The token is malformed\./,
    },
    cause: 'token.malformed',
    meaning: 'The token is not a well-formed JWT (its segments are not base64url JSON).',
    source: FAST_JWT_DECODER,
  },
  {
    id: 'fastify-jwt.expired',
    producer: '@fastify/jwt',
    match: { body: /^FST_JWT_AUTHORIZATION_TOKEN_EXPIRED$|^Authorization token expired$/ },
    cause: 'token.expired',
    meaning: "The token's exp time has passed.",
    source: FASTIFY,
  },
  {
    id: 'fastify-jwt.no-authorization-in-header',
    producer: '@fastify/jwt',
    match: { body: /^FST_JWT_NO_AUTHORIZATION_IN_HEADER$|^No Authorization was found in request\.headers$/ },
    cause: 'credentials.missing',
    readsAuthorization: true,
    meaning:
      'No `Authorization: Bearer …` header reached the server (it answers the same when another scheme, such as Basic, was sent).',
    source: FASTIFY,
  },
  {
    id: 'fastify-jwt.no-authorization-in-cookie',
    producer: '@fastify/jwt',
    match: { body: /^FST_JWT_NO_AUTHORIZATION_IN_COOKIE$|^No Authorization was found in request\.cookies$/ },
    cause: 'credentials.missing',
    meaning: 'The cookie the server reads the token from was not sent (or its signature did not verify).',
    source: FASTIFY,
  },
  {
    id: 'fastify-jwt.unsigned',
    producer: '@fastify/jwt',
    match: { body: /^FAST_JWT_MISSING_SIGNATURE$|^Unsigned authorization token$/ },
    cause: 'jwt.alg-none',
    meaning: 'The token carries no signature.',
    source: FASTIFY,
  },
  {
    id: 'fastify-jwt.untrusted',
    producer: '@fastify/jwt',
    match: { body: /^FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED$|^Untrusted authorization token$/ },
    cause: 'credentials.rejected',
    meaning: "The token verified, but the application's trust check refused it (a deny list or revocation).",
    source: FASTIFY,
  },
  {
    id: 'fastify-jwt.invalid',
    producer: '@fastify/jwt',
    match: { body: /^FST_JWT_AUTHORIZATION_TOKEN_INVALID$|^Authorization token is invalid: / },
    cause: 'credentials.rejected',
    meaning: 'The token failed verification; the text after the colon is the reason fast-jwt gave.',
    source: FASTIFY,
  },

  // --- express-jwt (jsonwebtoken underneath): UnauthorizedError code and message -------------
  {
    id: 'express-jwt.credentials-required',
    producer: 'express-jwt',
    match: { body: /\bNo authorization token was found\b|^credentials_required$/ },
    cause: 'credentials.missing',
    readsAuthorization: true,
    meaning: 'No token reached the server in the Authorization header.',
    source: EXPRESS_JWT,
  },
  {
    id: 'express-jwt.bad-scheme',
    producer: 'express-jwt',
    match: { body: /^credentials_bad_scheme$/ },
    cause: 'header.scheme-mismatch',
    meaning: 'The Authorization header has two parts but the scheme is not Bearer.',
    source: EXPRESS_JWT,
  },
  {
    id: 'express-jwt.bad-format',
    producer: 'express-jwt',
    match: { body: /^credentials_bad_format$/ },
    cause: 'credentials.rejected',
    meaning:
      'The Authorization header is not exactly `Bearer <token>`: a missing scheme, a doubled Bearer, or extra spaces.',
    source: EXPRESS_JWT,
  },
  {
    id: 'express-jwt.revoked',
    producer: 'express-jwt',
    match: { body: /\bThe token has been revoked\.|^revoked_token$/ },
    cause: 'token.inactive',
    meaning: "The application's revocation check says this token was revoked.",
    source: EXPRESS_JWT,
  },
  {
    id: 'express-jwt.jwt-expired',
    producer: 'express-jwt (jsonwebtoken)',
    match: { body: /\bjwt expired\b/ },
    cause: 'token.expired',
    meaning: "The token's exp time has passed.",
    source: JSONWEBTOKEN,
  },
  {
    id: 'express-jwt.jwt-not-active',
    producer: 'express-jwt (jsonwebtoken)',
    match: { body: /\bjwt not active\b/ },
    cause: 'token.not-yet-valid',
    meaning: "The token's nbf time is still in the future: a clock is wrong somewhere.",
    source: JSONWEBTOKEN,
  },
  {
    id: 'express-jwt.audience-invalid',
    producer: 'express-jwt (jsonwebtoken)',
    match: { body: /\bjwt audience invalid\. expected: / },
    cause: 'jwt.audience-mismatch',
    meaning:
      "The token's aud is not the audience the server expects (the server names it after `expected:`).",
    source: JSONWEBTOKEN,
  },
  {
    id: 'express-jwt.issuer-invalid',
    producer: 'express-jwt (jsonwebtoken)',
    match: { body: /\bjwt issuer invalid\. expected: / },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss is not the issuer the server expects (the server names it after `expected:`).",
    source: JSONWEBTOKEN,
  },
  {
    id: 'express-jwt.invalid-signature',
    producer: 'express-jwt (jsonwebtoken)',
    match: { body: /\binvalid signature\b/ },
    cause: 'jwt.signature-invalid',
    meaning: "The token's signature does not verify against the server's secret or public key.",
    source: JSONWEBTOKEN,
  },
  {
    id: 'express-jwt.jwt-malformed',
    producer: 'express-jwt (jsonwebtoken)',
    match: { body: /\bjwt malformed\b/ },
    cause: 'token.malformed',
    meaning: 'The token does not have three dot-separated segments.',
    source: JSONWEBTOKEN,
  },
  {
    id: 'express-jwt.format',
    producer: 'express-jwt / @fastify/jwt',
    match: { body: /^(?:\w+: )?Format is Authorization: Bearer \[token\]$/ },
    cause: 'credentials.rejected',
    meaning:
      'The Authorization header is not of the form `Bearer <token>` (another scheme, no scheme, or extra spaces).',
    source: EXPRESS_JWT,
  },

  // --- Envoy jwt_authn (also Istio, Envoy Gateway, ESPv2): the body is the status string -------
  {
    id: 'envoy.jwt-missing',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwt is missing') },
    cause: 'credentials.missing',
    readsAuthorization: true,
    meaning: 'No JWT was found where the filter looks for it (by default `Authorization: Bearer`).',
    source: ENVOY,
  },
  {
    id: 'envoy.jwt-expired',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwt is expired') },
    cause: 'token.expired',
    meaning: "The token's exp time has passed (Envoy allows 60 s of clock skew by default).",
    source: ENVOY,
  },
  {
    id: 'envoy.jwt-not-yet-valid',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwt not yet valid') },
    cause: 'token.not-yet-valid',
    meaning: "The token's nbf time is still in the future: a clock is wrong somewhere.",
    source: ENVOY,
  },
  {
    id: 'envoy.jwt-bad-format',
    producer: ENVOY_NAME,
    match: {
      status: [401],
      body: whole('Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'),
    },
    cause: 'token.malformed',
    meaning: 'The token is not a JWS: an opaque token, a JWE, a doubled scheme or quotes around it.',
    source: ENVOY,
  },
  {
    id: 'envoy.jwt-undecodable',
    producer: ENVOY_NAME,
    match: {
      status: [401],
      body: /^Jwt (?:header is an invalid Base64url encoded|header is an invalid JSON|payload is an invalid Base64url encoded|payload is an invalid JSON|signature is an invalid Base64url encoded)$/,
    },
    cause: 'token.malformed',
    meaning: 'A segment of the token is not valid base64url or JSON: the token was cut or altered.',
    source: ENVOY,
  },
  {
    id: 'envoy.issuer-not-configured',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwt issuer is not configured') },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss matches no provider configured in the filter.",
    source: ENVOY,
  },
  {
    id: 'envoy.audience-not-allowed',
    producer: ENVOY_NAME,
    match: { status: [403], body: whole('Audiences in Jwt are not allowed') },
    cause: 'jwt.audience-mismatch',
    meaning: "The token's aud is not in the provider's audiences list (Envoy answers 403 for this one).",
    source: ENVOY_FILTER,
  },
  {
    id: 'envoy.kid-not-found',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole("Jwks doesn't have key to match kid or alg from Jwt") },
    cause: 'jwt.kid-unknown',
    meaning:
      "No key in the cached JWKS matches the token's kid or alg: keys were rotated, or the token is from another issuer.",
    source: ENVOY,
  },
  {
    id: 'envoy.jwks-fetch-failed',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwks remote fetch is failed') },
    cause: 'idp.jwks-failed',
    meaning:
      "Envoy could not fetch the issuer's JWKS (DNS, TLS or cluster failure, or the first fetch is still in flight).",
    source: ENVOY,
  },
  {
    id: 'envoy.verification-fails',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwt verification fails') },
    cause: 'jwt.signature-invalid',
    meaning: "The token's signature does not verify against the issuer's keys.",
    source: ENVOY,
  },
  {
    id: 'envoy.alg-not-supported',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Jwt header [alg] is not supported') },
    cause: 'credentials.rejected',
    meaning:
      "The token's alg is one Envoy does not verify (for example `none`, or HS256 with a remote JWKS).",
    source: ENVOY,
  },
  {
    id: 'envoy.multiple-tokens',
    producer: ENVOY_NAME,
    match: { status: [401], body: whole('Found multiple Jwt tokens') },
    cause: 'header.duplicate',
    meaning: 'A token was found in more than one place (header and query, or two headers).',
    source: ENVOY,
  },

  // --- ASP.NET Core JwtBearer: error_description from the validation exception ---------------
  {
    id: 'aspnet.token-expired',
    producer: ASPNET_NAME,
    match: {
      challengeError: 'invalid_token',
      description: /\bThe token expired at '|\bThe token is expired\b/,
    },
    cause: 'token.expired',
    meaning: "The token's exp time has passed (ASP.NET allows 5 minutes of clock skew by default).",
    source: ASPNET,
    fits: fitsAspnetChallenge,
    meaningUncredited: "The token's exp time has passed.",
  },
  {
    id: 'aspnet.token-not-yet-valid',
    producer: ASPNET_NAME,
    match: {
      challengeError: 'invalid_token',
      description: /\bThe token is not valid before '|\bThe token is not valid yet\b/,
    },
    cause: 'token.not-yet-valid',
    meaning: "The token's nbf time is still in the future: a clock is wrong somewhere.",
    source: ASPNET,
    fits: fitsAspnetChallenge,
  },
  {
    id: 'aspnet.signature-key-not-found',
    producer: ASPNET_NAME,
    match: { challengeError: 'invalid_token', description: /\bThe signature key was not found\b/ },
    cause: 'jwt.kid-unknown',
    meaning:
      "No signing key matches the token's kid: wrong Authority or tenant, keys rotated, or discovery failed silently.",
    source: ASPNET,
    fits: fitsAspnetChallenge,
    meaningUncredited:
      "No signing key matches the token's kid: the wrong issuer or tenant, keys rotated, or the server could not fetch them.",
  },
  {
    id: 'aspnet.signature-invalid',
    producer: ASPNET_NAME,
    match: { challengeError: 'invalid_token', description: /\bThe signature is invalid\b/ },
    cause: 'jwt.signature-invalid',
    meaning:
      'A key was found but the signature does not verify (for example a Microsoft Graph token sent to your own API).',
    source: ASPNET,
    fits: fitsAspnetChallenge,
    meaningUncredited:
      'A key was found but the signature does not verify (a token from another issuer or for another API).',
  },
  {
    id: 'aspnet.audience-invalid',
    producer: ASPNET_NAME,
    match: { challengeError: 'invalid_token', description: /\bThe audience (?:'[^']*' )?is invalid\b/ },
    cause: 'jwt.audience-mismatch',
    meaning:
      "The token's aud is not in ValidAudience(s) (App ID URI versus client id, or a token for another API).",
    source: ASPNET,
    fits: fitsAspnetChallenge,
    meaningUncredited:
      "The token's aud is not one the API accepts (a token for another API, or the API's identifier written another way).",
  },
  {
    id: 'aspnet.issuer-invalid',
    producer: ASPNET_NAME,
    match: { challengeError: 'invalid_token', description: /\bThe issuer (?:'[^']*' )?is invalid\b/ },
    cause: 'jwt.issuer-mismatch',
    meaning: "The token's iss is not in ValidIssuer(s) (Entra v1 versus v2 issuer, or a trailing slash).",
    source: ASPNET,
    fits: fitsAspnetChallenge,
    meaningUncredited:
      "The token's iss is not one the API accepts (another tenant or environment, or a trailing slash).",
  },
  {
    id: 'aspnet.no-expiration',
    producer: ASPNET_NAME,
    match: { challengeError: 'invalid_token', description: /\bThe token has no expiration\b/ },
    cause: 'credentials.rejected',
    meaning: 'The token has no exp claim, and the server requires one.',
    source: ASPNET,
    fits: fitsAspnetChallenge,
  },
  {
    id: 'aspnet.lifetime-invalid',
    producer: ASPNET_NAME,
    match: { challengeError: 'invalid_token', description: /\bThe token lifetime is invalid\b/ },
    cause: 'credentials.rejected',
    meaning: "The token's nbf and exp do not form a valid lifetime.",
    source: ASPNET,
    fits: fitsAspnetChallenge,
  },

  // --- Microsoft.IdentityModel IDX codes (in logs, and in some Azure services' bodies) ---------
  {
    id: 'idx.10223-expired',
    producer: IDX_NAME,
    match: { description: /\bIDX10223\b/, body: /\bIDX10223\b/ },
    cause: 'token.expired',
    meaning: 'IDX10223: lifetime validation failed, the token is expired.',
    source: IDX,
  },
  {
    id: 'idx.10222-not-yet-valid',
    producer: IDX_NAME,
    match: { description: /\bIDX10222\b/, body: /\bIDX10222\b/ },
    cause: 'token.not-yet-valid',
    meaning: 'IDX10222: lifetime validation failed, the token is not yet valid.',
    source: IDX,
  },
  {
    id: 'idx.10501-kid',
    producer: IDX_NAME,
    match: { description: /\bIDX10501\b/, body: /\bIDX10501\b/ },
    cause: 'jwt.kid-unknown',
    meaning: "IDX10501: signature validation failed, no key matches the token's kid.",
    source: IDX,
  },
  {
    id: 'idx.10503-signature',
    producer: IDX_NAME,
    match: { description: /\bIDX105(?:03|11)\b/, body: /\bIDX105(?:03|11)\b/ },
    cause: 'jwt.signature-invalid',
    meaning: 'IDX10503/IDX10511: signature validation failed with the keys tried.',
    source: IDX,
  },
  {
    id: 'idx.10214-audience',
    producer: IDX_NAME,
    match: { description: /\bIDX10214\b/, body: /\bIDX10214\b/ },
    cause: 'jwt.audience-mismatch',
    meaning: "IDX10214: audience validation failed, the token's aud matches no valid audience.",
    source: IDX,
  },
  {
    id: 'idx.10205-issuer',
    producer: IDX_NAME,
    match: { description: /\bIDX10205\b/, body: /\bIDX10205\b/ },
    cause: 'jwt.issuer-mismatch',
    meaning: "IDX10205: issuer validation failed, the token's iss matches no valid issuer.",
    source: IDX,
  },
  {
    id: 'idx.10225-no-expiration',
    producer: IDX_NAME,
    match: { description: /\bIDX10225\b/, body: /\bIDX10225\b/ },
    cause: 'credentials.rejected',
    meaning: 'IDX10225: the token has no expiration time.',
    source: IDX,
  },
  {
    id: 'idx.10500-no-keys',
    producer: IDX_NAME,
    match: { description: /\bIDX10500\b/, body: /\bIDX10500\b/ },
    cause: 'idp.jwks-failed',
    meaning: 'IDX10500: the server has no signing keys to validate with (Authority or metadata not loaded).',
    source: IDX,
  },
  {
    id: 'idx.10257-type',
    producer: IDX_NAME,
    match: { description: /\bIDX1025[67]\b/, body: /\bIDX1025[67]\b/ },
    cause: 'credentials.rejected',
    meaning:
      "IDX10256/IDX10257: the token's typ is missing or not an accepted type (an ID token where `at+jwt` is required, say).",
    source: IDX,
  },
  {
    id: 'idx.10634-algorithm',
    producer: IDX_NAME,
    match: { description: /\bIDX106(?:30|34)\b/, body: /\bIDX106(?:30|34)\b/ },
    cause: 'credentials.rejected',
    meaning:
      'IDX10630/IDX10634: the signing algorithm or key size is not supported (an HS256 key shorter than 256 bits, say).',
    source: IDX,
  },
  {
    id: 'ms-graph.invalid-audience',
    producer: 'Microsoft Graph',
    match: { body: /Access token validation failure\. Invalid audience\./ },
    cause: 'jwt.audience-mismatch',
    meaning: 'The token was issued for another resource than Microsoft Graph (your own API, or an ID token).',
    source: 'https://github.com/microsoftgraph/microsoft-graph-docs/issues/16208',
  },

  // --- Spring Security resource server --------------------------------------------------------
  {
    id: 'spring.jwt-expired',
    producer: SPRING_NAME,
    match: { description: /\bJwt expired at /, body: /\bJwt expired at / },
    cause: 'token.expired',
    meaning: "The token's exp time has passed (Spring allows 60 s of clock skew by default).",
    source: SPRING_TS,
  },
  {
    id: 'spring.no-matching-key',
    producer: SPRING_NAME,
    match: {
      description: /Signed JWT rejected: Another algorithm expected, or no matching key\(s\) found/,
      body: /Signed JWT rejected: Another algorithm expected, or no matching key\(s\) found/,
    },
    cause: 'jwt.kid-unknown',
    meaning:
      "No JWK matches the token's kid and alg (an ES256 token against the default RS256 decoder, or rotated keys).",
    source: SPRING_NIMBUS,
  },
  {
    id: 'spring.invalid-signature',
    producer: SPRING_NAME,
    match: {
      description: /Signed JWT rejected: Invalid signature/,
      body: /Signed JWT rejected: Invalid signature/,
    },
    cause: 'jwt.signature-invalid',
    meaning: "The token's signature does not verify against the keys tried.",
    source: SPRING_NIMBUS,
  },
  {
    id: 'spring.malformed',
    producer: SPRING_NAME,
    match: {
      description:
        /An error occurred while attempting to decode the Jwt: Malformed token|Invalid JWT serialization: Missing dot delimiter\(s\)/,
      body: /An error occurred while attempting to decode the Jwt: Malformed token|Invalid JWT serialization: Missing dot delimiter\(s\)/,
    },
    cause: 'token.malformed',
    meaning: 'The token is not a JWT (an opaque token sent to a JWT decoder, say).',
    source: SPRING_NIMBUS,
  },
  {
    id: 'spring.bearer-malformed',
    producer: SPRING_NAME,
    match: { challengeError: 'invalid_token', description: /^Bearer token is malformed$/ },
    cause: 'token.malformed',
    meaning:
      'The Authorization header does not match `Bearer <token>` (quotes, spaces or other characters in the token).',
    source: SPRING_RESOLVER,
  },
  {
    id: 'spring.multiple-tokens',
    producer: SPRING_NAME,
    match: {
      challengeError: 'invalid_request',
      description: /^Found multiple bearer tokens in the request$/,
    },
    cause: 'header.duplicate',
    meaning: 'A token was sent in more than one place (header and query or form body).',
    source: SPRING_RESOLVER,
  },
  {
    id: 'spring.iss-not-valid',
    producer: SPRING_NAME,
    match: { description: /\bThe iss claim is not valid\b/, body: /\bThe iss claim is not valid\b/ },
    cause: 'jwt.issuer-mismatch',
    meaning:
      "The token's iss is not the configured issuer-uri (compare exactly: host, port, trailing slash).",
    source: SPRING_CLAIM,
  },
  {
    id: 'spring.aud-not-valid',
    producer: SPRING_NAME,
    match: { description: /\bThe aud claim is not valid\b/, body: /\bThe aud claim is not valid\b/ },
    cause: 'jwt.audience-mismatch',
    meaning: "The token's aud does not contain the configured audience.",
    source: SPRING_CLAIM,
  },
  {
    id: 'spring.insufficient-scope',
    producer: `${SPRING_NAME} (RFC 6750 wording)`,
    match: {
      challengeError: 'insufficient_scope',
      description: /^The request requires higher privileges than provided by the access token\.?$/,
    },
    cause: 'jwt.scope-insufficient',
    meaning: 'The token is valid but lacks the scope (SCOPE_… authority) this request needs.',
    source: SPRING_DENIED,
  },
  {
    id: 'spring.full-authentication-required',
    producer: 'Spring Security',
    match: { body: /^Full authentication is required to access this resource$/ },
    cause: 'credentials.missing',
    meaning: 'The request reached the application anonymously: no credentials it recognised arrived.',
    source: SPRING_ETF,
  },

  // --- Gateways ---------------------------------------------------------------------------
  {
    id: 'aws-apigw.missing-authentication-token',
    producer: 'AWS API Gateway',
    match: { status: [403], body: whole('Missing Authentication Token') },
    cause: 'url.wrong-endpoint',
    meaning:
      'Usually no such resource or method in the deployed stage (wrong path, method or stage); only with IAM auth does it mean the request was not signed.',
    source: 'https://repost.aws/knowledge-center/api-gateway-authentication-token-errors',
  },
  {
    id: 'aws-apigw.missing-authentication-token-type',
    producer: 'AWS API Gateway',
    match: {
      status: [403],
      header: { name: 'x-amzn-ErrorType', value: /^MissingAuthenticationTokenException\b/ },
    },
    cause: 'url.wrong-endpoint',
    meaning:
      'Usually no such resource or method in the deployed stage (wrong path, method or stage); only with IAM auth does it mean the request was not signed.',
    source: 'https://repost.aws/knowledge-center/api-gateway-authentication-token-errors',
  },
  {
    id: 'aws-apigw.not-a-valid-key-value-pair',
    producer: 'AWS API Gateway',
    match: {
      status: [403],
      body: /not a valid key=value pair \(missing equal-sign\) in Authorization header/,
    },
    cause: 'url.wrong-endpoint',
    meaning:
      'A Bearer token reached a route that expects an AWS SigV4 signature, which API Gateway also answers for a path or method that does not exist.',
    source:
      'https://www.repost.aws/fr/questions/QU4P9tucybRzG52U5OhwaT0A/rest-api-in-api-gateway-returns-403-when-resource-or-method-is-incorrect',
  },
  {
    id: 'kong.no-api-key',
    producer: 'Kong key-auth',
    match: { status: [401], body: whole('No API key found in request') },
    cause: 'credentials.missing',
    meaning: 'No API key reached Kong in the header or query parameter it reads (`apikey` by default).',
    source: KONG_KEY,
  },
  {
    id: 'kong.invalid-credentials',
    producer: 'Kong',
    match: { status: [401], body: whole('Invalid authentication credentials') },
    cause: 'credentials.rejected',
    meaning: 'Kong found a key or credentials but knows no consumer with them.',
    source: KONG_KEY,
  },
  {
    id: 'kong.jwt-no-credentials-for-claim',
    producer: 'Kong jwt',
    match: { body: /^No credentials found for given '\w+'$/ },
    cause: 'jwt.issuer-mismatch',
    meaning:
      "Kong looks up the consumer by the token's iss (key_claim_name) and finds none: the issuer differs from the credential's key.",
    source: KONG_JWT,
  },

  // --- SaaS APIs --------------------------------------------------------------------------
  {
    id: 'github.bad-credentials',
    producer: 'GitHub REST API',
    match: { status: [401], body: whole('Bad credentials') },
    cause: 'credentials.rejected',
    meaning: 'The token is unknown to GitHub: revoked, expired or mistyped.',
    source: 'https://github.com/PyGithub/PyGithub/issues/934',
  },
  {
    id: 'keycloak.token-verification-failed',
    producer: 'Keycloak',
    match: { challengeError: 'invalid_token', description: /^Token verification failed$/ },
    cause: 'credentials.rejected',
    meaning:
      'Keycloak refused the token: often its iss host differs from the host the request used, or the session is gone.',
    source: 'https://github.com/keycloak/keycloak/issues/9445',
  },
  {
    id: 'slack.not-authed',
    producer: 'Slack Web API',
    match: { status: [200], body: /^not_authed$/ },
    cause: 'credentials.missing',
    meaning: 'No token reached Slack (it answers 200 with `"ok": false`).',
    source: 'https://github.com/slackhq/slack-api-docs/blob/master/index_web.md',
  },
  {
    id: 'slack.invalid-auth',
    producer: 'Slack Web API',
    match: { status: [200], body: /^invalid_auth$/ },
    cause: 'credentials.rejected',
    meaning:
      'Slack cannot validate the token, or the request comes from an IP address it does not allow (it answers 200 with `"ok": false`).',
    source: 'https://hexdocs.pm/slack/Slack.Web.Auth.html',
  },
  {
    id: 'openai.invalid-api-key',
    producer: 'OpenAI API',
    match: { status: [401], body: /^Incorrect API key provided: |^invalid_api_key$/ },
    cause: 'credentials.rejected',
    meaning:
      'The API key is not a valid OpenAI key (the masked prefix shows what was sent: a key of another provider, or a URL).',
    source: 'https://github.com/continuedev/continue/issues/10250',
  },

  // --- Python frameworks (server-messages/python.ts), CSRF refusals (server-messages/csrf.ts) ---
  ...PYTHON_MESSAGES,
  ...HONO_MESSAGES,
  ...CSRF_MESSAGES,
  ...VAULT_MESSAGES,
];

// ---------------------------------------------------------------------------------------------
// The matcher.

/** Keys whose string value is the server's explanation, in the order we prefer to quote them. */
const PREFERRED_KEYS = [
  'error_description',
  'message',
  'detail',
  'errorSummary',
  'faultstring',
  'description',
  'title',
  'msg',
  'error',
  'code',
  'errorCode',
  'type',
];
const MAX_LEAVES = 64;
const MAX_DEPTH = 5;

interface Text {
  text: string;
  name?: string;
}

/** String members of a JSON value, depth-first, the preferred keys of each object first. */
function jsonStrings(v: unknown, path = '', depth = 0, out: Text[] = []): Text[] {
  if (out.length >= MAX_LEAVES || depth > MAX_DEPTH) return out;
  if (typeof v === 'string') {
    out.push({ text: v, name: path });
  } else if (Array.isArray(v)) {
    v.slice(0, 16).forEach((x, i) => jsonStrings(x, `${path}[${i}]`, depth + 1, out));
  } else if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    const rank = (k: string) => {
      const i = PREFERRED_KEYS.indexOf(k);
      return i === -1 ? PREFERRED_KEYS.length : i;
    };
    const ordered = keys.map((k, i) => ({ k, i })).sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i);
    for (const { k } of ordered)
      jsonStrings((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1, out);
  }
  return out;
}

function bodyTexts(x: ServerMessageInput): Text[] {
  const out: Text[] = [];
  if (x.bodyJson !== undefined) out.push(...jsonStrings(x.bodyJson));
  for (const line of bodyLines(x.body)) out.push({ text: line });
  return out;
}

function matchOne(
  e: ServerMessageEntry,
  x: ServerMessageInput,
  texts: () => Text[],
): ServerMessageMatch | undefined {
  const m = e.match;
  if (m.status && !m.status.includes(x.status)) return undefined;

  let header: { name: string; value: string } | undefined;
  if (m.header) {
    const value = headerValues(x.headers, m.header.name).find((v) => m.header!.value.test(v));
    if (value === undefined) return undefined;
    header = { name: m.header.name.toLowerCase(), value };
  }

  // Challenge conditions: the error code and the description on the same challenge.
  const errorWanted = m.challengeError?.toLowerCase();
  const onChallenge = x.challenges.filter(
    (c) => errorWanted === undefined || (c.params['error'] ?? '').toLowerCase() === errorWanted,
  );
  if (errorWanted !== undefined && onChallenge.length === 0) return undefined;

  let descriptionQuote: string | undefined;
  if (m.description) {
    descriptionQuote = onChallenge
      .map((c) => c.params['error_description'])
      .find((d): d is string => d !== undefined && m.description!.test(d));
  }
  let bodyQuote: Text | undefined;
  if (m.body && descriptionQuote === undefined) {
    bodyQuote = texts().find(
      (t) => m.body!.test(t.text) && (!m.bodyPath || (t.name !== undefined && m.bodyPath.test(t.name))),
    );
  }
  const wantsText = m.description !== undefined || m.body !== undefined;
  if (wantsText && descriptionQuote === undefined && bodyQuote === undefined) return undefined;

  if (descriptionQuote !== undefined) return { entry: e, quote: descriptionQuote, where: 'challenge' };
  if (bodyQuote !== undefined) {
    const r: ServerMessageMatch = { entry: e, quote: bodyQuote.text, where: 'body' };
    if (bodyQuote.name) r.name = bodyQuote.name;
    return r;
  }
  if (header)
    return { entry: e, quote: `${header.name}: ${header.value}`, where: 'header', name: header.name };
  if (errorWanted !== undefined) return { entry: e, quote: `error="${errorWanted}"`, where: 'challenge' };
  return undefined;
}

/** The entry as a match names it when the response says its producer did not write it. */
function uncredited(e: ServerMessageEntry): ServerMessageEntry {
  const { fix: _fix, fits: _fits, ...rest } = e;
  return { ...rest, producer: UNCREDITED, meaning: e.meaningUncredited ?? e.meaning };
}

/**
 * Every catalog entry the response matches, in catalog order (a producer's specific messages
 * come before its generic ones, so the first match is the most telling).
 */
export function matchServerMessages(
  x: ServerMessageInput,
  catalog: readonly ServerMessageEntry[] = SERVER_MESSAGES,
): ServerMessageMatch[] {
  let cached: Text[] | undefined;
  const texts = () => (cached ??= bodyTexts(x));
  const out: ServerMessageMatch[] = [];
  for (const e of catalog) {
    const m = matchOne(e, x, texts);
    if (m) out.push(e.fits && !e.fits(x) ? { ...m, entry: uncredited(e) } : m);
  }
  return out;
}
