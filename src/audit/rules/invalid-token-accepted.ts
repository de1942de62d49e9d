import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, isSecured, said } from './util.js';

export default operationRule(
  {
    id: 'audit.invalid-token-accepted',
    category: 'access',
    severity: 'error',
    weight: 10,
    title: 'A malformed or expired credential is accepted',
    description:
      'A credential that cannot be valid (not a token at all, or expired and signed by an unknown key) got a success: the server does not verify what it is given.',
    cites: [CITE.owaspApi2, CITE.rfc6750_errors],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: 'use auth({ issuerBaseURL, audience }) itself on the route, not a handler that only checks that an Authorization header is present',
      },
      {
        server: 'Fastify (@fastify/jwt)',
        fix: 'await req.jwtVerify() (it checks the signature and exp); jwt.decode() alone verifies nothing',
      },
      {
        server: 'any',
        fix: "verify the signature against the issuer's keys, and exp, nbf, iss and aud, before anything else",
      },
    ],
  },
  (op) => {
    if (!isSecured(op)) return undefined;
    const answered = [op.exchanges.malformed, op.exchanges.expired].filter((ex) => ex?.status !== undefined);
    if (answered.length === 0) return undefined;
    const accepted = answered.filter(is2xx);
    return accepted.length ? fail(...accepted.map((ex) => said(ex!))) : PASS;
  },
);
