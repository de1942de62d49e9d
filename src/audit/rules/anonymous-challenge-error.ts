import { CITE, PASS, fail, operationRule } from './rule.js';
import { bearerChallenge, said } from './util.js';

/**
 * RFC 6750 §3.1: "If the request lacks any authentication information (e.g., the client was unaware
 * that authentication is necessary …), the resource server SHOULD NOT include an error code or
 * other error information." Hono's jwt and jwk middlewares (hono 4, middleware/jwt/jwt.js) answer a
 * request without a token with `error="invalid_request"`, a code RFC 6750 pairs with 400, not 401.
 * A SHOULD NOT with little harm in practice: informs, costs nothing.
 */
export default operationRule(
  {
    id: 'audit.anonymous-challenge-error',
    category: 'challenges',
    severity: 'info',
    weight: 0,
    title: 'The challenge to a request without credentials carries an error code',
    description:
      'A request that sent no token is not an error of the client\'s token: RFC 6750 §3.1 says its challenge carries no error code. error="invalid_request" belongs to a malformed request (400), so a client that reads the code may report a bug in itself instead of signing in.',
    cites: [CITE.rfc6750_errors, CITE.rfc6750_challenge],
    fixes: [
      {
        server: 'Hono (hono/jwt, hono/jwk)',
        fix: 'in app.onError, when the request had no Authorization header, answer the 401 with WWW-Authenticate: Bearer realm="api" instead of the middleware\'s challenge',
      },
      {
        server: 'any',
        fix: 'challenge a request without credentials with WWW-Authenticate: Bearer realm="api" (no error, no error_description)',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.anonymous;
    if (ex?.status !== 401) return undefined;
    const c = bearerChallenge(ex);
    if (!c) return undefined;
    return c.params.error === undefined ? PASS : fail(said(ex, 'WWW-Authenticate'));
  },
);
