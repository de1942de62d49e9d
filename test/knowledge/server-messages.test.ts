import { describe, expect, it } from 'vitest';
import {
  SERVER_MESSAGES,
  UNCREDITED,
  bodyLines,
  matchServerMessages,
  type ServerMessageInput,
} from '../../src/knowledge/server-messages.js';
import { headerValues, type HeaderList } from '../../src/model/http.js';
import { parseWwwAuthenticate } from '../../src/parse/challenge.js';

/** A response as the server sends it: status, headers, body. */
function answer(status: number, headers: Record<string, string> | HeaderList, body = ''): ServerMessageInput {
  const list: HeaderList = Array.isArray(headers) ? headers : Object.entries(headers);
  const x: ServerMessageInput = {
    status,
    headers: list,
    body,
    challenges: parseWwwAuthenticate(headerValues(list, 'www-authenticate')).challenges,
  };
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) x.bodyJson = JSON.parse(t) as unknown;
  return x;
}

const DPOP_ALGS = 'DPoP algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA"';
/** express-oauth2-jwt-bearer 1.10 with the default Express error handler (deps.md §5). */
const eojb = (status: number, error: string, description: string, body: string, extra = `, ${DPOP_ALGS}`) =>
  answer(
    status,
    {
      'WWW-Authenticate': `Bearer realm="api", error="${error}", error_description="${description}"${extra}`,
      'Content-Type': 'text/html; charset=utf-8',
    },
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${body}<br> &nbsp; &nbsp;at /srv/node_modules/express-oauth2-jwt-bearer/dist/index.js:593:19</pre>\n</body>\n</html>\n`,
  );
/** @fastify/jwt 10 with fastify's default error serializer: no challenge, JSON body. */
const fastify = (code: string, message: string, status = 401) =>
  answer(
    status,
    { 'content-type': 'application/json; charset=utf-8' },
    JSON.stringify({
      statusCode: status,
      code,
      error: status === 400 ? 'Bad Request' : 'Unauthorized',
      message,
    }),
  );
/** express-jwt's UnauthorizedError rendered by an error handler that sends code and message. */
const expressJwt = (code: string, message: string) =>
  answer(
    401,
    { 'content-type': 'application/json; charset=utf-8' },
    JSON.stringify({ error: code, message }),
  );
/** express-jwt through the default Express handler (NODE_ENV unset): HTML page with the stack. */
const expressJwtHtml = (message: string) =>
  answer(
    401,
    { 'content-type': 'text/html; charset=utf-8' },
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>UnauthorizedError: ${message}<br> &nbsp; &nbsp;at /srv/node_modules/express-jwt/dist/index.js:140:31</pre>\n</body>\n</html>\n`,
  );
/** Envoy jwt_authn's local reply: the status string as a plain-text body. */
const envoy = (body: string, status = 401, invalidToken = true) =>
  answer(
    status,
    {
      'www-authenticate': `Bearer realm="https://api.example.com/v1/me"${invalidToken ? ', error="invalid_token"' : ''}`,
      'content-type': 'text/plain',
      server: 'envoy',
    },
    body,
  );
/** ASP.NET Core JwtBearer: empty body, everything in the challenge. */
const aspnet = (description: string) =>
  answer(
    401,
    {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
      Server: 'Kestrel',
    },
    '',
  );
/** Spring Security's BearerTokenAuthenticationEntryPoint. */
const spring = (status: number, error: string, description: string) =>
  answer(
    status,
    {
      'WWW-Authenticate': `Bearer error="${error}", error_description="${description}", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"`,
    },
    '',
  );
const jsonBody = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  answer(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));

/** hono/jwt's HTTPException response (its realm defaults to the request URL). */
const hono = (error: string, description: string) =>
  answer(
    401,
    {
      'WWW-Authenticate': `Bearer realm="http://127.0.0.1:8787/api/me",error="${error}",error_description="${description}"`,
      'content-type': 'text/plain;charset=UTF-8',
    },
    'Unauthorized',
  );

/** One real answer per catalog entry: the entry that must match first, and its cause. */
const SAMPLES: Array<{ id: string; cause: string; x: ServerMessageInput; quote?: string }> = [
  // express-oauth2-jwt-bearer (measured, deps.md §5)
  {
    id: 'express-oauth2-jwt-bearer.exp',
    cause: 'token.expired',
    x: eojb(
      401,
      'invalid_token',
      "'exp' claim timestamp check failed",
      'InvalidTokenError: &quot;exp&quot; claim timestamp check failed',
    ),
    quote: "'exp' claim timestamp check failed",
  },
  {
    id: 'express-oauth2-jwt-bearer.nbf',
    cause: 'token.not-yet-valid',
    x: eojb(
      401,
      'invalid_token',
      "'nbf' claim timestamp check failed",
      'InvalidTokenError: &quot;nbf&quot; claim timestamp check failed',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.aud',
    cause: 'jwt.audience-mismatch',
    x: eojb(
      401,
      'invalid_token',
      "Unexpected 'aud' value",
      'InvalidTokenError: Unexpected &#39;aud&#39; value',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.iss',
    cause: 'jwt.issuer-mismatch',
    x: eojb(
      401,
      'invalid_token',
      "Unexpected 'iss' value",
      'InvalidTokenError: Unexpected &#39;iss&#39; value',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.issuer-not-allowed',
    cause: 'jwt.issuer-mismatch',
    x: eojb(
      401,
      'invalid_token',
      'Token issuer is not allowed',
      'InvalidTokenError: Token issuer is not allowed',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.signature',
    cause: 'jwt.signature-invalid',
    x: eojb(
      401,
      'invalid_token',
      'signature verification failed',
      'InvalidTokenError: signature verification failed',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.malformed',
    cause: 'token.malformed',
    x: eojb(
      401,
      'invalid_token',
      'Invalid Token or Protected Header formatting',
      'InvalidTokenError: Invalid Token or Protected Header formatting',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.insufficient-scope',
    cause: 'jwt.scope-insufficient',
    x: eojb(
      403,
      'insufficient_scope',
      'Insufficient Scope',
      'InsufficientScopeError: Insufficient Scope',
      ', scope="read"',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.dpop-scheme',
    cause: 'dpop.required',
    x: eojb(
      400,
      'invalid_request',
      'DPoP proof requires the DPoP authentication scheme, not Bearer',
      'InvalidRequestError: DPoP proof requires the DPoP authentication scheme, not Bearer',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.dpop-proof-mismatch',
    cause: 'dpop.required',
    x: eojb(
      400,
      'invalid_dpop_proof',
      'DPoP Proof htu mismatch',
      'InvalidProofError: DPoP Proof htu mismatch',
    ),
  },
  {
    id: 'express-oauth2-jwt-bearer.dpop-binding',
    cause: 'dpop.required',
    x: eojb(
      401,
      'invalid_token',
      'JWT Access Token confirmation mismatch',
      'InvalidTokenError: JWT Access Token confirmation mismatch',
    ),
  },
  // jose, surfaced by an application that sends err.code and err.message
  {
    id: 'jose.exp',
    cause: 'token.expired',
    x: jsonBody(401, { code: 'ERR_JWT_EXPIRED', message: '"exp" claim timestamp check failed' }),
    quote: '"exp" claim timestamp check failed',
  },
  {
    id: 'jose.nbf',
    cause: 'token.not-yet-valid',
    x: jsonBody(401, {
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      message: '"nbf" claim timestamp check failed',
    }),
  },
  {
    id: 'jose.iat-future',
    cause: 'token.not-yet-valid',
    x: jsonBody(401, {
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      message: '"iat" claim timestamp check failed (it should be in the past)',
    }),
  },
  {
    id: 'jose.aud',
    cause: 'jwt.audience-mismatch',
    x: jsonBody(401, { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', message: 'unexpected "aud" claim value' }),
  },
  {
    id: 'jose.iss',
    cause: 'jwt.issuer-mismatch',
    x: jsonBody(401, { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', message: 'unexpected "iss" claim value' }),
  },
  {
    id: 'jose.signature',
    cause: 'jwt.signature-invalid',
    x: jsonBody(401, {
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      message: 'signature verification failed',
    }),
  },
  {
    id: 'jose.no-applicable-key',
    cause: 'jwt.kid-unknown',
    x: eojb(
      401,
      'invalid_token',
      'no applicable key found in the JSON Web Key Set',
      'InvalidTokenError: no applicable key found in the JSON Web Key Set',
    ),
  },
  {
    id: 'jose.invalid-compact-jws',
    cause: 'token.malformed',
    x: jsonBody(401, { code: 'ERR_JWS_INVALID', message: 'Invalid Compact JWS' }),
  },
  // @fastify/jwt (measured, deps.md §5)
  {
    id: 'fastify-jwt.aud',
    cause: 'jwt.audience-mismatch',
    x: fastify(
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The aud claim value is not allowed.',
    ),
    quote: 'Authorization token is invalid: The aud claim value is not allowed.',
  },
  {
    id: 'fastify-jwt.iss',
    cause: 'jwt.issuer-mismatch',
    x: fastify(
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The iss claim value is not allowed.',
    ),
  },
  {
    id: 'fastify-jwt.signature',
    cause: 'jwt.signature-invalid',
    x: fastify(
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The token signature is invalid.',
    ),
  },
  {
    id: 'fastify-jwt.malformed-header',
    cause: 'token.malformed',
    x: fastify(
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The token header is not a valid base64url serialized JSON.',
    ),
  },
  {
    id: 'fastify-jwt.expired',
    cause: 'token.expired',
    x: fastify('FST_JWT_AUTHORIZATION_TOKEN_EXPIRED', 'Authorization token expired'),
    quote: 'Authorization token expired',
  },
  {
    id: 'fastify-jwt.no-authorization-in-header',
    cause: 'credentials.missing',
    x: fastify('FST_JWT_NO_AUTHORIZATION_IN_HEADER', 'No Authorization was found in request.headers'),
  },
  {
    id: 'fastify-jwt.no-authorization-in-cookie',
    cause: 'credentials.missing',
    x: fastify('FST_JWT_NO_AUTHORIZATION_IN_COOKIE', 'No Authorization was found in request.cookies'),
  },
  {
    id: 'fastify-jwt.unsigned',
    cause: 'jwt.alg-none',
    x: fastify('FAST_JWT_MISSING_SIGNATURE', 'Unsigned authorization token'),
  },
  {
    id: 'fastify-jwt.untrusted',
    cause: 'credentials.rejected',
    x: fastify('FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED', 'Untrusted authorization token'),
  },
  {
    id: 'fastify-jwt.invalid',
    cause: 'credentials.rejected',
    x: fastify(
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The type must be "JWT".',
    ),
  },
  // express-jwt
  {
    id: 'express-jwt.credentials-required',
    cause: 'credentials.missing',
    x: expressJwtHtml('No authorization token was found'),
    quote: 'UnauthorizedError: No authorization token was found',
  },
  {
    id: 'express-jwt.bad-scheme',
    cause: 'header.scheme-mismatch',
    x: expressJwt('credentials_bad_scheme', 'Format is Authorization: Bearer [token]'),
  },
  {
    id: 'express-jwt.bad-format',
    cause: 'credentials.rejected',
    x: expressJwt('credentials_bad_format', 'Format is Authorization: Bearer [token]'),
  },
  {
    id: 'express-jwt.revoked',
    cause: 'token.inactive',
    x: expressJwt('revoked_token', 'The token has been revoked.'),
  },
  { id: 'express-jwt.jwt-expired', cause: 'token.expired', x: expressJwtHtml('jwt expired') },
  {
    id: 'express-jwt.jwt-not-active',
    cause: 'token.not-yet-valid',
    x: expressJwt('invalid_token', 'jwt not active'),
  },
  {
    id: 'express-jwt.audience-invalid',
    cause: 'jwt.audience-mismatch',
    x: expressJwt('invalid_token', 'jwt audience invalid. expected: https://api.example.com'),
  },
  {
    id: 'express-jwt.issuer-invalid',
    cause: 'jwt.issuer-mismatch',
    x: expressJwt('invalid_token', 'jwt issuer invalid. expected: https://issuer.example.com/'),
  },
  {
    id: 'express-jwt.invalid-signature',
    cause: 'jwt.signature-invalid',
    x: expressJwtHtml('invalid signature'),
  },
  {
    id: 'express-jwt.jwt-malformed',
    cause: 'token.malformed',
    x: expressJwt('invalid_token', 'jwt malformed'),
  },
  {
    id: 'express-jwt.format',
    cause: 'credentials.rejected',
    x: answer(
      400,
      { 'content-type': 'application/json; charset=utf-8' },
      JSON.stringify({
        statusCode: 400,
        code: 'FST_JWT_BAD_REQUEST',
        error: 'Bad Request',
        message: 'Format is Authorization: Bearer [token]',
      }),
    ),
  },
  // Envoy jwt_authn
  {
    id: 'envoy.jwt-missing',
    cause: 'credentials.missing',
    x: envoy('Jwt is missing', 401, false),
    quote: 'Jwt is missing',
  },
  { id: 'envoy.jwt-expired', cause: 'token.expired', x: envoy('Jwt is expired') },
  { id: 'envoy.jwt-not-yet-valid', cause: 'token.not-yet-valid', x: envoy('Jwt not yet valid') },
  {
    id: 'envoy.jwt-bad-format',
    cause: 'token.malformed',
    x: envoy('Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'),
  },
  {
    id: 'envoy.jwt-undecodable',
    cause: 'token.malformed',
    x: envoy('Jwt header is an invalid Base64url encoded'),
  },
  {
    id: 'envoy.issuer-not-configured',
    cause: 'jwt.issuer-mismatch',
    x: envoy('Jwt issuer is not configured'),
  },
  {
    id: 'envoy.audience-not-allowed',
    cause: 'jwt.audience-mismatch',
    x: envoy('Audiences in Jwt are not allowed', 403),
  },
  {
    id: 'envoy.kid-not-found',
    cause: 'jwt.kid-unknown',
    x: envoy("Jwks doesn't have key to match kid or alg from Jwt"),
  },
  { id: 'envoy.jwks-fetch-failed', cause: 'idp.jwks-failed', x: envoy('Jwks remote fetch is failed') },
  { id: 'envoy.verification-fails', cause: 'jwt.signature-invalid', x: envoy('Jwt verification fails') },
  {
    id: 'envoy.alg-not-supported',
    cause: 'credentials.rejected',
    x: envoy('Jwt header [alg] is not supported'),
  },
  { id: 'envoy.multiple-tokens', cause: 'header.duplicate', x: envoy('Found multiple Jwt tokens') },
  // ASP.NET Core JwtBearer
  {
    id: 'aspnet.token-expired',
    cause: 'token.expired',
    x: aspnet("The token expired at '11/27/2026 09:12:00'"),
    quote: "The token expired at '11/27/2026 09:12:00'",
  },
  {
    id: 'aspnet.token-not-yet-valid',
    cause: 'token.not-yet-valid',
    x: aspnet("The token is not valid before '11/27/2026 13:00:00'"),
  },
  {
    id: 'aspnet.signature-key-not-found',
    cause: 'jwt.kid-unknown',
    x: aspnet('The signature key was not found'),
  },
  { id: 'aspnet.signature-invalid', cause: 'jwt.signature-invalid', x: aspnet('The signature is invalid') },
  {
    id: 'aspnet.audience-invalid',
    cause: 'jwt.audience-mismatch',
    x: aspnet("The audience '00000003-0000-0000-c000-000000000000' is invalid"),
  },
  {
    id: 'aspnet.issuer-invalid',
    cause: 'jwt.issuer-mismatch',
    x: aspnet("The issuer 'https://sts.windows.net/4f1c/' is invalid"),
  },
  { id: 'aspnet.no-expiration', cause: 'credentials.rejected', x: aspnet('The token has no expiration') },
  {
    id: 'aspnet.lifetime-invalid',
    cause: 'credentials.rejected',
    x: aspnet("The token lifetime is invalid; NotBefore: '(null)', Expires: '(null)'"),
  },
  // Microsoft.IdentityModel (IDX in Azure-style JSON bodies)
  {
    id: 'idx.10223-expired',
    cause: 'token.expired',
    x: jsonBody(401, {
      error: {
        code: 'TokenExpired',
        message:
          "IDX10223: Lifetime validation failed. The token is expired. ValidTo: '11/27/2026 09:12:00', Current time: '11/27/2026 12:14:03'.",
      },
    }),
  },
  {
    id: 'idx.10222-not-yet-valid',
    cause: 'token.not-yet-valid',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom: '11/27/2026 13:00:00'.",
      },
    }),
  },
  {
    id: 'idx.10501-kid',
    cause: 'jwt.kid-unknown',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message: "IDX10501: Signature validation failed. Unable to match key: kid: 'abc123'.",
      },
    }),
  },
  {
    id: 'idx.10503-signature',
    cause: 'jwt.signature-invalid',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'IDX10503: Signature validation failed. Keys tried: ...',
      },
    }),
  },
  {
    id: 'idx.10214-audience',
    cause: 'jwt.audience-mismatch',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          "IDX10214: Audience validation failed. Audiences: 'api://other'. Did not match: validationParameters.ValidAudience: 'api://mine'.",
      },
    }),
  },
  {
    id: 'idx.10205-issuer',
    cause: 'jwt.issuer-mismatch',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          "IDX10205: Issuer validation failed. Issuer: 'https://sts.windows.net/4f1c/'. Did not match: validationParameters.ValidIssuer.",
      },
    }),
  },
  {
    id: 'idx.10225-no-expiration',
    cause: 'credentials.rejected',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'IDX10225: Lifetime validation failed. The token is missing an Expiration Time.',
      },
    }),
  },
  {
    id: 'idx.10500-no-keys',
    cause: 'idp.jwks-failed',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          'IDX10500: Signature validation failed. No security keys were provided to validate the signature.',
      },
    }),
  },
  {
    id: 'idx.10257-type',
    cause: 'credentials.rejected',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message: "IDX10257: Token type validation failed. Type: 'JWT'.",
      },
    }),
  },
  {
    id: 'idx.10634-algorithm',
    cause: 'credentials.rejected',
    x: jsonBody(401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          "IDX10634: Unable to create the SignatureProvider. Algorithm: 'HS256', SecurityKey: '[PII is hidden]' is not supported.",
      },
    }),
  },
  {
    id: 'ms-graph.invalid-audience',
    cause: 'jwt.audience-mismatch',
    x: jsonBody(
      401,
      {
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'Access token validation failure. Invalid audience.',
          innerError: { 'request-id': 'a1b2', date: '2026-11-27T12:00:00' },
        },
      },
      {
        'WWW-Authenticate':
          'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      },
    ),
    quote: 'Access token validation failure. Invalid audience.',
  },
  // Spring Security
  {
    id: 'spring.jwt-expired',
    cause: 'token.expired',
    x: spring(401, 'invalid_token', 'Jwt expired at 2026-11-27T09:12:00Z'),
  },
  {
    id: 'spring.no-matching-key',
    cause: 'jwt.kid-unknown',
    x: spring(
      401,
      'invalid_token',
      'An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm expected, or no matching key(s) found',
    ),
  },
  {
    id: 'spring.invalid-signature',
    cause: 'jwt.signature-invalid',
    x: spring(
      401,
      'invalid_token',
      'An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature',
    ),
  },
  {
    id: 'spring.malformed',
    cause: 'token.malformed',
    x: spring(401, 'invalid_token', 'An error occurred while attempting to decode the Jwt: Malformed token'),
  },
  {
    id: 'spring.bearer-malformed',
    cause: 'token.malformed',
    x: spring(401, 'invalid_token', 'Bearer token is malformed'),
  },
  {
    id: 'spring.multiple-tokens',
    cause: 'header.duplicate',
    x: spring(400, 'invalid_request', 'Found multiple bearer tokens in the request'),
  },
  {
    id: 'spring.iss-not-valid',
    cause: 'jwt.issuer-mismatch',
    x: spring(
      401,
      'invalid_token',
      'An error occurred while attempting to decode the Jwt: The iss claim is not valid',
    ),
  },
  {
    id: 'spring.aud-not-valid',
    cause: 'jwt.audience-mismatch',
    x: spring(401, 'invalid_token', 'The aud claim is not valid'),
  },
  {
    id: 'spring.insufficient-scope',
    cause: 'jwt.scope-insufficient',
    x: spring(
      403,
      'insufficient_scope',
      'The request requires higher privileges than provided by the access token.',
    ),
  },
  {
    id: 'spring.full-authentication-required',
    cause: 'credentials.missing',
    x: jsonBody(401, {
      timestamp: '2026-11-27T12:00:00.000+00:00',
      status: 401,
      error: 'Unauthorized',
      message: 'Full authentication is required to access this resource',
      path: '/v1/me',
    }),
  },
  // Gateways
  {
    id: 'aws-apigw.missing-authentication-token',
    cause: 'url.wrong-endpoint',
    x: jsonBody(
      403,
      { message: 'Missing Authentication Token' },
      { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException', 'x-amzn-RequestId': 'f1e2' },
    ),
    quote: 'Missing Authentication Token',
  },
  {
    id: 'aws-apigw.missing-authentication-token-type',
    cause: 'url.wrong-endpoint',
    x: answer(
      403,
      { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException', 'x-amzn-RequestId': 'f1e2' },
      '',
    ),
    quote: 'x-amzn-errortype: MissingAuthenticationTokenException',
  },
  {
    id: 'aws-apigw.not-a-valid-key-value-pair',
    cause: 'url.wrong-endpoint',
    x: jsonBody(
      403,
      {
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc.def (not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def')",
      },
      { 'x-amzn-ErrorType': 'IncompleteSignatureException' },
    ),
  },
  {
    id: 'kong.no-api-key',
    cause: 'credentials.missing',
    x: jsonBody(401, { message: 'No API key found in request' }, { 'WWW-Authenticate': 'Key realm="kong"' }),
  },
  {
    id: 'kong.invalid-credentials',
    cause: 'credentials.rejected',
    x: jsonBody(401, { message: 'Invalid authentication credentials' }),
  },
  {
    id: 'kong.jwt-no-credentials-for-claim',
    cause: 'jwt.issuer-mismatch',
    x: jsonBody(401, { message: "No credentials found for given 'iss'" }),
  },
  // SaaS
  {
    id: 'github.bad-credentials',
    cause: 'credentials.rejected',
    x: jsonBody(401, {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    }),
  },
  {
    id: 'keycloak.token-verification-failed',
    cause: 'credentials.rejected',
    x: answer(
      401,
      {
        'WWW-Authenticate':
          'Bearer realm="myrealm", error="invalid_token", error_description="Token verification failed"',
      },
      '',
    ),
  },
  {
    id: 'slack.not-authed',
    cause: 'credentials.missing',
    x: jsonBody(200, { ok: false, error: 'not_authed' }),
  },
  {
    id: 'slack.invalid-auth',
    cause: 'credentials.rejected',
    x: jsonBody(200, { ok: false, error: 'invalid_auth' }),
    quote: 'invalid_auth',
  },
  {
    id: 'openai.invalid-api-key',
    cause: 'credentials.rejected',
    x: jsonBody(401, {
      error: {
        message:
          'Incorrect API key provided: sk-or-v1*****************************************************************a1b2. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    }),
  },
  // HashiCorp Vault (api-docs "HTTP Status Codes"; docs/concepts/tokens.mdx "Error Responses")
  {
    id: 'vault.invalid-token',
    cause: 'credentials.rejected',
    x: jsonBody(403, { errors: ['invalid token', 'permission denied'] }, { 'cache-control': 'no-store' }),
    quote: 'invalid token',
  },
  {
    id: 'vault.permission-denied',
    cause: 'authz.forbidden',
    x: jsonBody(403, { errors: ['1 error occurred:\n\t* permission denied\n\n'] }),
  },
  // hono/jwt 4.13 on @hono/node-server, as measured (test/e2e/sweep-node.test.ts): text body, no
  // space after the challenge's commas.
  {
    id: 'hono-jwt.no-authorization',
    cause: 'credentials.missing',
    x: hono('invalid_request', 'no authorization included in request'),
    quote: 'no authorization included in request',
  },
  {
    id: 'hono-jwt.credentials-structure',
    cause: 'credentials.rejected',
    x: hono('invalid_request', 'invalid credentials structure'),
  },
  {
    id: 'hono-jwt.verification-failure',
    cause: 'credentials.rejected',
    x: hono('invalid_token', 'token verification failure'),
  },
];

/** Django REST framework's exception handler: `{"detail": "…"}`, 401 with the first class's challenge, else 403. */
const drf = (status: number, detail: string, challenge?: string) =>
  jsonBody(
    status,
    { detail },
    challenge ? { 'WWW-Authenticate': challenge, Vary: 'Accept' } : { Vary: 'Accept' },
  );
/** FastAPI's HTTPException handler: `{"detail": "…"}`. */
const fastapi = (status: number, detail: string, headers: Record<string, string> = {}) =>
  jsonBody(status, { detail }, { server: 'uvicorn', ...headers });
/** Django's CSRF failure page (django/views/csrf.py), DEBUG off unless a reason block is given. */
const djangoCsrfPage = (extra = '') =>
  answer(
    403,
    { 'Content-Type': 'text/html; charset=utf-8', 'X-Frame-Options': 'DENY' },
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">\n  <meta name="robots" content="NONE,NOARCHIVE">\n  <title>403 Forbidden</title>\n  <style type="text/css">\n    html * { padding:0; margin:0; }\n  </style>\n</head>\n<body>\n<div id="summary">\n  <h1>Forbidden <span>(403)</span></h1>\n  <p>CSRF verification failed. Request aborted.</p>\n${extra}</div>\n</body>\n</html>\n`,
  );

SAMPLES.push(
  // Django REST framework
  {
    id: 'drf.not-authenticated',
    cause: 'credentials.missing',
    x: drf(401, 'Authentication credentials were not provided.', 'Token'),
    quote: 'Authentication credentials were not provided.',
  },
  { id: 'drf.invalid-token', cause: 'credentials.rejected', x: drf(401, 'Invalid token.', 'Token') },
  {
    id: 'drf.token-header-malformed',
    cause: 'token.malformed',
    x: drf(401, 'Invalid token header. Token string should not contain spaces.', 'Token'),
  },
  {
    id: 'drf.basic-header-malformed',
    cause: 'basic.malformed',
    x: drf(401, 'Invalid basic header. Credentials not correctly base64 encoded.', 'Basic realm="api"'),
  },
  {
    id: 'drf.invalid-username-password',
    cause: 'credentials.rejected',
    x: drf(401, 'Invalid username/password.', 'Basic realm="api"'),
  },
  { id: 'drf.user-inactive', cause: 'credentials.rejected', x: drf(403, 'User inactive or deleted.') },
  {
    id: 'drf.authentication-failed',
    cause: 'credentials.rejected',
    x: drf(401, 'Incorrect authentication credentials.', 'Bearer realm="api"'),
  },
  {
    id: 'drf.csrf-failed',
    cause: 'authz.csrf-rejected',
    x: drf(403, 'CSRF Failed: CSRF token missing.'),
    quote: 'CSRF Failed: CSRF token missing.',
  },
  {
    id: 'drf.permission-denied',
    cause: 'authz.forbidden',
    x: drf(403, 'You do not have permission to perform this action.'),
  },
  // FastAPI
  { id: 'fastapi.not-authenticated', cause: 'credentials.missing', x: fastapi(403, 'Not authenticated') },
  {
    id: 'fastapi.invalid-authentication-credentials',
    cause: 'header.scheme-mismatch',
    x: fastapi(403, 'Invalid authentication credentials'),
  },
  {
    id: 'fastapi.could-not-validate-credentials',
    cause: 'credentials.rejected',
    x: fastapi(401, 'Could not validate credentials', { 'WWW-Authenticate': 'Bearer' }),
  },
  {
    id: 'fastapi.not-enough-permissions',
    cause: 'jwt.scope-insufficient',
    x: fastapi(401, 'Not enough permissions', { 'WWW-Authenticate': 'Bearer scope="items"' }),
  },
  // Flask-HTTPAuth (default error handler: text/html body, the challenge added)
  {
    id: 'flask-httpauth.unauthorized-access',
    cause: 'credentials.rejected',
    x: answer(
      401,
      {
        'Content-Type': 'text/html; charset=utf-8',
        'WWW-Authenticate': 'Basic realm="Authentication Required"',
        Server: 'Werkzeug/3.0.1 Python/3.12.1',
      },
      'Unauthorized Access',
    ),
  },
  {
    id: 'flask-httpauth.role-refused',
    cause: 'authz.forbidden',
    x: answer(
      403,
      {
        'Content-Type': 'text/html; charset=utf-8',
        'WWW-Authenticate': 'Bearer realm="Authentication Required"',
      },
      'Unauthorized Access',
    ),
  },
  // Django CSRF: the 403 page, with DEBUG on the reason follows "Reason given for failure:"
  {
    id: 'django.csrf-origin',
    cause: 'authz.csrf-rejected',
    x: djangoCsrfPage(
      '</div>\n<div id="info">\n  <h2>Help</h2>\n    <p>Reason given for failure:</p>\n    <pre>\n    Origin checking failed - https://app.example.com does not match any trusted origins.\n    </pre>\n',
    ),
    quote: 'Origin checking failed - https://app.example.com does not match any trusted origins.',
  },
  {
    id: 'django.csrf-cookie-missing',
    cause: 'authz.csrf-rejected',
    x: djangoCsrfPage(
      '</div>\n<div id="info">\n  <h2>Help</h2>\n    <p>Reason given for failure:</p>\n    <pre>\n    CSRF cookie not set.\n    </pre>\n',
    ),
  },
  {
    id: 'django.csrf-token',
    cause: 'authz.csrf-rejected',
    x: djangoCsrfPage(
      '</div>\n<div id="info">\n  <h2>Help</h2>\n    <p>Reason given for failure:</p>\n    <pre>\n    CSRF token from the &#x27;X-Csrftoken&#x27; HTTP header incorrect.\n    </pre>\n',
    ),
  },
  {
    id: 'django.csrf-failed',
    cause: 'authz.csrf-rejected',
    x: djangoCsrfPage(
      '  <p>You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>\n',
    ),
    quote: 'CSRF verification failed. Request aborted.',
  },
  // Rails: the development JSON error of an API-mode app, and the log-line wording of the Origin check
  {
    id: 'rails.csrf-origin',
    cause: 'authz.csrf-rejected',
    x: jsonBody(422, {
      status: 422,
      error: 'Unprocessable Content',
      exception:
        "#<ActionController::InvalidCrossOriginRequest: HTTP Origin header (https://evil.example) didn't match request.base_url (https://app.example.com)>",
    }),
  },
  {
    id: 'rails.csrf-token',
    cause: 'authz.csrf-rejected',
    x: jsonBody(422, {
      status: 422,
      error: 'Unprocessable Entity',
      exception: "#<ActionController::InvalidAuthenticityToken: Can't verify CSRF token authenticity.>",
    }),
  },
  // Laravel: JSON for requests that expect JSON, the 419 page otherwise
  {
    id: 'laravel.csrf-token-mismatch',
    cause: 'authz.csrf-rejected',
    x: jsonBody(419, { message: 'CSRF token mismatch.' }),
  },
  {
    id: 'laravel.page-expired',
    cause: 'authz.csrf-rejected',
    x: answer(
      419,
      { 'Content-Type': 'text/html; charset=UTF-8' },
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Page Expired</title>\n</head>\n<body class="antialiased">\n<div class="flex items-center">\n<div class="px-4 text-lg text-gray-500 border-r border-gray-400 tracking-wider">\n419                    </div>\n<div class="ml-4 text-lg text-gray-500 uppercase tracking-wider">\nPage Expired                    </div>\n</div>\n</body>\n</html>\n',
    ),
  },
  // Spring Boot's error JSON (server.error.include-message=always), and the reactive stack's words
  {
    id: 'spring.csrf-invalid',
    cause: 'authz.csrf-rejected',
    x: jsonBody(403, {
      timestamp: '2026-11-27T12:00:00.000+00:00',
      status: 403,
      error: 'Forbidden',
      message:
        "Invalid CSRF Token 'null' was found on the request parameter '_csrf' or header 'X-XSRF-TOKEN'.",
      path: '/api/orders',
    }),
  },
  {
    id: 'spring.csrf-missing',
    cause: 'authz.csrf-rejected',
    x: jsonBody(403, {
      timestamp: 1518452617053,
      status: 403,
      error: 'Forbidden',
      message: 'Could not verify the provided CSRF token because your session was not found.',
      path: '/login',
    }),
  },
);

describe('server message catalog', () => {
  it('has unique ids, known causes and a source for every entry', () => {
    const ids = SERVER_MESSAGES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of SERVER_MESSAGES) {
      expect(e.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(e.cause).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(e.meaning.length).toBeGreaterThan(10);
      expect(e.source).toMatch(/^(https:\/\/|[\w.-]+\/[\w.-]+:)/);
      expect(Object.keys(e.match).length).toBeGreaterThan(0);
    }
  });

  it('has a sample answer for every entry', () => {
    const sampled = new Set(SAMPLES.map((s) => s.id));
    expect(SERVER_MESSAGES.map((e) => e.id).filter((id) => !sampled.has(id))).toEqual([]);
  });

  for (const s of SAMPLES) {
    it(`matches ${s.id} first`, () => {
      const found = matchServerMessages(s.x);
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]!.entry.id).toBe(s.id);
      expect(found[0]!.entry.cause).toBe(s.cause);
      if (s.quote !== undefined) expect(found[0]!.quote).toBe(s.quote);
    });
  }
});

describe('matchServerMessages', () => {
  it('quotes the JSON message, not the code, when both match', () => {
    const [m] = matchServerMessages(
      fastify('FST_JWT_AUTHORIZATION_TOKEN_EXPIRED', 'Authorization token expired'),
    );
    expect(m).toMatchObject({ where: 'body', name: 'message', quote: 'Authorization token expired' });
  });

  it('matches the @fastify/jwt code even when the application changed the message', () => {
    const [m] = matchServerMessages(
      fastify('FST_JWT_AUTHORIZATION_TOKEN_EXPIRED', 'Session over, please sign in'),
    );
    expect(m).toMatchObject({
      entry: { id: 'fastify-jwt.expired' },
      quote: 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED',
      name: 'code',
    });
  });

  it('finds the express-oauth2-jwt-bearer description with the JSON error handler too, both producers listed', () => {
    const x = answer(
      401,
      {
        'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed", ${DPOP_ALGS}`,
      },
      '{"name":"InvalidTokenError","code":"invalid_token","message":"\\"exp\\" claim timestamp check failed"}',
    );
    const ids = matchServerMessages(x).map((m) => m.entry.id);
    expect(ids).toEqual(['express-oauth2-jwt-bearer.exp', 'jose.exp']);
  });

  it('reads error and description from the same challenge only', () => {
    const x = answer(401, {
      'WWW-Authenticate':
        'Basic realm="x", error_description="Bearer token is malformed", Bearer error="invalid_token"',
    });
    expect(matchServerMessages(x).map((m) => m.entry.id)).not.toContain('spring.bearer-malformed');
  });

  it('needs the exact error code, not a substring', () => {
    const x = answer(401, {
      'WWW-Authenticate': 'Bearer error="invalid_token_x", error_description="The signature is invalid"',
    });
    expect(matchServerMessages(x)).toEqual([]);
  });

  it('respects the status: Envoy strings on another status, AWS on 401', () => {
    expect(matchServerMessages(envoy('Jwt is expired', 500))).toEqual([]);
    expect(matchServerMessages(jsonBody(401, { message: 'Missing Authentication Token' }))).toEqual([]);
  });

  it('lists every matching entry in catalog order (ASP.NET joins several descriptions)', () => {
    const ids = matchServerMessages(
      aspnet("The audience 'api://x' is invalid; The signature key was not found"),
    ).map((m) => m.entry.id);
    expect(ids).toEqual(['aspnet.signature-key-not-found', 'aspnet.audience-invalid']);
  });

  it('accepts a custom catalog', () => {
    const found = matchServerMessages(jsonBody(401, { message: 'Nope' }), [
      {
        id: 'x.nope',
        producer: 'X',
        match: { body: /^Nope$/ },
        cause: 'credentials.rejected',
        meaning: 'The server says nope.',
        source: 'https://example.com',
      },
    ]);
    expect(found.map((m) => m.entry.id)).toEqual(['x.nope']);
  });

  describe('negatives', () => {
    const negatives: Array<[string, ServerMessageInput]> = [
      ['a healthy 200', jsonBody(200, { ok: true, sub: 'u1' })],
      ['a generic 401 "Unauthorized"', answer(401, { 'content-type': 'text/plain' }, 'Unauthorized')],
      [
        'a generic JSON 401',
        jsonBody(401, { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' }),
      ],
      [
        'express-oauth2-jwt-bearer with no token (no error code)',
        answer(
          401,
          { 'WWW-Authenticate': `Bearer realm="api", ${DPOP_ALGS}` },
          '<pre>UnauthorizedError: Unauthorized</pre>',
        ),
      ],
      [
        'a bare invalid_token without a description',
        answer(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
      ],
      [
        'nginx auth_basic page',
        answer(
          401,
          { 'WWW-Authenticate': 'Basic realm="Restricted"' },
          '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
        ),
      ],
      ['an empty 403', answer(403, {}, '')],
      ['a sentence that merely contains an Envoy string', envoy('Note: Jwt is missing is what Envoy says')],
    ];
    for (const [name, x] of negatives) {
      it(`matches nothing for ${name}`, () => {
        expect(matchServerMessages(x)).toEqual([]);
      });
    }
  });
});

describe("ASP.NET Core JwtBearer's words are credited to it only when the rest of the response fits", () => {
  // JwtBearerHandler.HandleChallengeAsync writes a status and WWW-Authenticate, no body; Kestrel
  // says `Server: Kestrel`. why401/server (and anyone) may write the same descriptions.
  const challenge = (d: string) => `Bearer error="invalid_token", error_description="${d}"`;
  const with_ = (headers: Record<string, string>, body = '') =>
    answer(401, { 'WWW-Authenticate': challenge('The audience is invalid'), ...headers }, body);
  const problemJson = (type: string) =>
    JSON.stringify({ type, title: 'Unauthorized', status: 401, traceId: '00-ab-cd-00' });

  const credited: Array<[string, ServerMessageInput]> = [
    ['no body, Server: Kestrel', with_({ Server: 'Kestrel' })],
    ['no body, no Server', with_({})],
    [
      'no body, Server: Microsoft-IIS/10.0, X-Powered-By: ASP.NET',
      with_({ Server: 'Microsoft-IIS/10.0', 'X-Powered-By': 'ASP.NET' }),
    ],
    ['no body behind Cloudflare (a layer in front names itself)', with_({ Server: 'cloudflare' })],
    [
      "UseStatusCodePages' ProblemDetails (ProblemDetailsDefaults: 401 → rfc7235 link)",
      with_(
        { 'Content-Type': 'application/problem+json' },
        problemJson('https://tools.ietf.org/html/rfc7235#section-3.1'),
      ),
    ],
  ];
  for (const [name, x] of credited) {
    it(`credits ASP.NET Core JwtBearer: ${name}`, () => {
      const [m] = matchServerMessages(x);
      expect(m?.entry.id).toBe('aspnet.audience-invalid');
      expect(m?.entry.producer).toBe('ASP.NET Core JwtBearer');
      expect(m?.entry.meaning).toMatch(/ValidAudience/);
    });
  }

  const uncredited: Array<[string, ServerMessageInput]> = [
    [
      "why401/server's refusal: problem+json with type about:blank",
      with_(
        { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
        JSON.stringify({
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          error: 'invalid_token',
          request_id: 'r1',
        }),
      ),
    ],
    ['a plain-text body', with_({ 'Content-Type': 'text/plain' }, 'Unauthorized')],
    ['another application server', with_({ Server: 'Werkzeug/3.0.1 Python/3.12.1' })],
    ['Express', with_({ 'X-Powered-By': 'Express' })],
  ];
  for (const [name, x] of uncredited) {
    it(`names the cause and no product: ${name}`, () => {
      const [m] = matchServerMessages(x);
      expect(m?.entry.cause).toBe('jwt.audience-mismatch');
      expect(m?.quote).toBe('The audience is invalid');
      expect(m?.entry.producer).toBe(UNCREDITED);
      expect(m?.entry.meaning).not.toMatch(/ValidAudience|ASP\.NET|Entra|App ID/);
      expect(m?.entry.fits).toBeUndefined();
    });
  }

  it('every ASP.NET entry is gated, and none of their uncredited meanings names Microsoft', () => {
    const aspnet = SERVER_MESSAGES.filter((e) => e.producer === 'ASP.NET Core JwtBearer');
    expect(aspnet.length).toBeGreaterThanOrEqual(8);
    for (const e of aspnet) {
      expect(e.fits, e.id).toBeTypeOf('function');
      expect(e.meaningUncredited ?? e.meaning, e.id).not.toMatch(
        /ASP\.NET|Entra|Graph|Authority|Valid(?:Audience|Issuer)/,
      );
    }
  });
});

describe('bodyLines', () => {
  it('strips tags and decodes entities', () => {
    expect(
      bodyLines('<pre>InvalidTokenError: &quot;exp&quot; claim &#39;x&#39;<br> &nbsp; &nbsp;at f</pre>'),
    ).toEqual(['InvalidTokenError: "exp" claim \'x\'', 'at f']);
  });
  it('drops script and style blocks', () => {
    expect(bodyLines('<style>a{}</style><script>var x = "jwt expired"</script><p>Hello</p>')).toEqual([
      'Hello',
    ]);
  });
});
