import type { ServerMessageEntry } from '../server-messages.js';

/**
 * Hono's JWT middleware (`hono/jwt`, and `hono/jwk` which shares its refusals). It throws an
 * HTTPException(401) whose response is the text `Unauthorized` with
 * `WWW-Authenticate: Bearer realm="<realm or the request URL>",error="…",error_description="…"`
 * (no space after the commas), in three wordings only:
 * - `invalid_request` "no authorization included in request": no Authorization header (and no
 *   token in the cookie it may be told to read);
 * - `invalid_request` "invalid credentials structure": the header split on whitespace is not two
 *   parts with `bearer` (any case) first: another scheme, no scheme, or more than one word after it;
 * - `invalid_token` "token verification failure": every token it cannot verify, whatever the reason.
 * Read in honojs/hono:src/middleware/jwt/jwt.ts (hono 4.13, dist/middleware/jwt/jwt.js) and
 * seen on the wire from hono 4.13 on @hono/node-server (test/e2e/sweep-node.test.ts).
 */

const HONO_JWT = 'honojs/hono:src/middleware/jwt/jwt.ts';
const PRODUCER = 'Hono (hono/jwt)';

export const HONO_MESSAGES: readonly ServerMessageEntry[] = [
  {
    id: 'hono-jwt.no-authorization',
    producer: PRODUCER,
    match: { challengeError: 'invalid_request', description: /^no authorization included in request$/ },
    cause: 'credentials.missing',
    readsAuthorization: true,
    meaning:
      'No Authorization header reached the middleware (nor the cookie it may be set to read the token from).',
    source: HONO_JWT,
  },
  {
    id: 'hono-jwt.credentials-structure',
    producer: PRODUCER,
    match: { challengeError: 'invalid_request', description: /^invalid credentials structure$/ },
    // Not header.scheme-mismatch: the same words answer `Bearer a b` (a token broken by a space),
    // where the scheme is right; the request's own checks (scheme, whitespace) name the shape.
    cause: 'credentials.rejected',
    meaning:
      'The Authorization header is not `Bearer <token>`: another scheme, no scheme at all, or more than one word after `Bearer` (the middleware splits the header on whitespace and wants exactly two parts).',
    fix: () =>
      'Send one header `Authorization: Bearer <token>`: the word Bearer, one space, then the token in one piece (no quotes, spaces or line breaks inside it).',
    source: HONO_JWT,
  },
  {
    id: 'hono-jwt.verification-failure',
    producer: PRODUCER,
    match: { challengeError: 'invalid_token', description: /^token verification failure$/ },
    cause: 'credentials.rejected',
    meaning:
      'The middleware gives these same words to every token it cannot verify: a signature made with another secret or key, an `alg` other than the one it is set to, an `exp`, `nbf` or `iat` out of range, or an `iss` or `aud` its `verification` option refuses.',
    fix: () =>
      "Compare the token with the API's hono/jwt settings: signed with the same secret or key and `alg`, not expired, and with the `iss` and `aud` its `verification` option names (decode the token's claims to see them); a token from another issuer or for another API gets these same words.",
    source: HONO_JWT,
  },
];
