import { isBearerish } from '../plan.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { bearerChallenge, said } from './util.js';

export default operationRule(
  {
    id: 'audit.scope-challenge',
    category: 'challenges',
    severity: 'warning',
    weight: 3,
    title: 'The 403 for a missing scope does not say insufficient_scope and which scope',
    description:
      'RFC 6750 §3.1: a 403 for a missing scope carries WWW-Authenticate: Bearer error="insufficient_scope", scope="…", so the client can ask for the scope it lacks.',
    cites: [CITE.rfc6750_errors, CITE.rfc6750_challenge],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: 'requiredScopes() sets it; keep err.headers in your error handler (res.set(err.headers))',
      },
      {
        server: 'any',
        fix: 'WWW-Authenticate: Bearer realm="api", error="insufficient_scope", scope="read:items"',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.low;
    if (!op.lowLacksScope || ex?.status !== 403 || !op.schemes[0] || !isBearerish(op.schemes[0]))
      return undefined;
    const c = bearerChallenge(ex);
    return c?.params.error === 'insufficient_scope' && c.params.scope
      ? PASS
      : fail(said(ex, 'WWW-Authenticate'));
  },
);
