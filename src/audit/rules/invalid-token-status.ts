import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, isSecured, said } from './util.js';

export default operationRule(
  {
    id: 'audit.invalid-token-status',
    category: 'challenges',
    severity: 'error',
    weight: 6,
    title: 'A malformed or expired token is not answered 401',
    description:
      'A token that is malformed, expired or signed by an unknown key is invalid_token, which RFC 6750 answers with 401: clients refresh their token on a 401, and give up on a 400, 403 or 500.',
    cites: [CITE.rfc6750_errors, CITE.rfc9110_401],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: 'keep err.status from the library (401 for InvalidTokenError) in the error handler',
      },
      {
        server: 'Fastify (@fastify/jwt)',
        fix: 'answer every FST_JWT_* error but FST_JWT_BAD_REQUEST with 401 in setErrorHandler (the default handler turns unknown errors into 500)',
      },
      {
        server: 'any',
        fix: 'catch verification errors (signature, exp, malformed) where the token is verified and answer 401 error="invalid_token"',
      },
    ],
  },
  (op) => {
    if (!isSecured(op)) return undefined;
    const refused = [op.exchanges.malformed, op.exchanges.expired].filter(
      (ex) => ex?.status !== undefined && !is2xx(ex),
    );
    if (refused.length === 0) return undefined;
    const wrong = refused.filter((ex) => ex!.status !== 401);
    return wrong.length ? fail(...wrong.map((ex) => said(ex!, 'WWW-Authenticate'))) : PASS;
  },
);
