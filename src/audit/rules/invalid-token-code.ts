import { isBearerish } from '../plan.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { bearerChallenge, said } from './util.js';

export default operationRule(
  {
    id: 'audit.invalid-token-code',
    category: 'challenges',
    severity: 'warning',
    weight: 3,
    title: 'The 401 for a bad token does not say invalid_token',
    description:
      'A Bearer challenge for a token that was sent and refused carries error="invalid_token": it tells the client to get a new token rather than to send one.',
    cites: [CITE.rfc6750_errors],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: 'keep err.headers in the error handler: res.set(err.headers) carries Bearer realm="api", error="invalid_token"',
      },
      {
        server: 'any',
        fix: 'WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="the token expired"',
      },
    ],
  },
  (op) => {
    if (!op.schemes[0] || !isBearerish(op.schemes[0])) return undefined;
    const judged = [op.exchanges.malformed, op.exchanges.expired].filter(
      (ex) => ex?.status === 401 && bearerChallenge(ex),
    );
    if (judged.length === 0) return undefined;
    const bad = judged.filter((ex) => bearerChallenge(ex!)!.params.error !== 'invalid_token');
    return bad.length ? fail(...bad.map((ex) => said(ex!, 'WWW-Authenticate'))) : PASS;
  },
);
