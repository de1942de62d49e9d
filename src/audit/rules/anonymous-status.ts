import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, isSecured, said } from './util.js';

export default operationRule(
  {
    id: 'audit.anonymous-status',
    category: 'challenges',
    severity: 'error',
    weight: 8,
    title: 'A request without credentials is not answered 401',
    description:
      'A request that carries no credentials must get 401 with a challenge: 403 says "you are known and not allowed", 404 and 500 hide the cause, and a redirect to a sign-in page means nothing to an API client.',
    cites: [CITE.rfc9110_401, CITE.rfc9110_403, CITE.rfc6750_challenge],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: 'let the library answer: in your error handler keep err.status (401) and err.headers (the WWW-Authenticate challenge) instead of res.status(403)',
      },
      {
        server: 'Fastify (@fastify/jwt)',
        fix: "in setErrorHandler, answer FST_JWT_NO_AUTHORIZATION_IN_HEADER with reply.code(401).header('WWW-Authenticate', 'Bearer realm=\"api\"')",
      },
      {
        server: 'nginx (auth_request)',
        fix: 'have the auth service answer 401 (auth_request passes 401 and 403 through; any other status becomes 500)',
      },
      {
        server: 'Spring Security',
        fix: 'use BearerTokenAuthenticationEntryPoint (the resource server default), not a form-login entry point, for API paths',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.anonymous;
    if (!isSecured(op) || ex?.status === undefined || is2xx(ex)) return undefined;
    return ex.status === 401
      ? PASS
      : fail(said(ex, 'WWW-Authenticate', ...(ex.status >= 300 && ex.status < 400 ? ['Location'] : [])));
  },
);
