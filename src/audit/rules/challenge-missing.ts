import { CITE, PASS, fail, operationRule } from './rule.js';
import { challenges, said } from './util.js';

export default operationRule(
  {
    id: 'audit.challenge-missing',
    category: 'challenges',
    severity: 'error',
    weight: 8,
    title: 'A 401 without a WWW-Authenticate challenge',
    description:
      'A server that answers 401 must say how to authenticate in WWW-Authenticate; without it clients cannot tell a missing token from a wrong one, and RFC 6750 error codes have nowhere to go.',
    cites: [CITE.rfc9110_challenge, CITE.rfc6750_challenge],
    fixes: [
      {
        server: 'Fastify (@fastify/jwt)',
        fix: 'in setErrorHandler, for err.statusCode === 401: reply.header(\'WWW-Authenticate\', \'Bearer realm="api", error="invalid_token"\') (leave error out when no token was sent)',
      },
      {
        server: 'Express',
        fix: "res.set('WWW-Authenticate', 'Bearer realm=\"api\"') before res.status(401); express-oauth2-jwt-bearer's errors carry it in err.headers",
      },
      {
        server: 'nginx',
        fix: "add_header WWW-Authenticate 'Bearer realm=\"api\"' always; in the location (or pass the auth service's with auth_request_set)",
      },
    ],
  },
  (op) => {
    const answers = Object.values(op.exchanges).filter(
      (ex) => ex && ex.kind !== 'preflight' && ex.status === 401,
    );
    if (answers.length === 0) return undefined;
    const bare = answers.filter((ex) => ex && challenges(ex).length === 0);
    return bare.length ? fail(...bare.map((ex) => said(ex!, 'WWW-Authenticate'))) : PASS;
  },
);
