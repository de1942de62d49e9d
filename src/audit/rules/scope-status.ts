import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, said } from './util.js';

export default operationRule(
  {
    id: 'audit.scope-status',
    category: 'challenges',
    severity: 'error',
    weight: 6,
    title: 'A valid token without the required scope is not answered 403',
    description:
      'A valid token that lacks a scope is insufficient_scope, answered 403: a 401 makes clients refresh the token and try again forever, since a new token has the same scopes.',
    cites: [CITE.rfc6750_errors, CITE.rfc9110_403],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: "use requiredScopes('read:items') (403 insufficient_scope) rather than your own check that answers 401",
      },
      {
        server: 'Fastify (@fastify/jwt)',
        fix: 'answer a missing scope with reply.code(403).header(\'WWW-Authenticate\', \'Bearer error="insufficient_scope", scope="read:items"\')',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.low;
    if (!op.lowLacksScope || ex?.status === undefined || is2xx(ex)) return undefined;
    return ex.status === 403
      ? PASS
      : fail(said(ex, 'WWW-Authenticate'), `the document requires scope ${op.requiredScopes.join(' ')}`);
  },
);
