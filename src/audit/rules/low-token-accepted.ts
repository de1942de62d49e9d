import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, isSecured, said } from './util.js';

export default operationRule(
  {
    id: 'audit.low-token-accepted',
    category: 'access',
    severity: 'error',
    weight: 10,
    title: 'A token without the required scope is let through ("bypassed")',
    description:
      'The low-privilege token lacks a scope the document requires for this operation, and still got a success: authorization is not enforced (what Autorize labels "bypassed").',
    cites: [CITE.owaspApi5, CITE.owaspApi1, CITE.rfc6750_errors],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: "add requiredScopes('scope') after auth(): app.get('/path', auth(…), requiredScopes('read:items'), handler)",
      },
      {
        server: 'Fastify (@fastify/jwt)',
        fix: "after req.jwtVerify(), refuse when (req.user.scope ?? '').split(' ') lacks the scope: reply.code(403).header('WWW-Authenticate', 'Bearer error=\"insufficient_scope\", scope=\"read:items\"')",
      },
      { server: 'Spring Security', fix: '.requestMatchers("/path").hasAuthority("SCOPE_read:items")' },
    ],
  },
  (op) => {
    const ex = op.exchanges.low;
    if (!isSecured(op) || !op.lowLacksScope || ex?.status === undefined) return undefined;
    return is2xx(ex)
      ? fail(said(ex), `the document requires scope ${op.requiredScopes.join(' ')} for this operation`)
      : PASS;
  },
);
