import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, said } from './util.js';

export default operationRule(
  {
    id: 'audit.query-token-accepted',
    category: 'transport',
    severity: 'error',
    weight: 6,
    title: 'An access token is accepted in the query string',
    description:
      'URLs end up in server logs, browser history, Referer headers and proxies: a token accepted as ?access_token= leaks wherever the URL goes. OAuth 2.1 forbids it.',
    cites: [CITE.oauth21_query, CITE.rfc6750_query],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: "the library takes ?access_token= (RFC 6750 §2.3) when no header is sent: refuse it before auth(): app.use((req, res, next) => (req.query.access_token === undefined ? next() : res.status(400).set('WWW-Authenticate', 'Bearer error=\"invalid_request\"').json({ error: 'invalid_request' })))",
      },
      { server: 'Fastify (@fastify/jwt)', fix: 'remove the verify.extractToken that reads request.query' },
      {
        server: 'Spring Security',
        fix: 'leave DefaultBearerTokenResolver.setAllowUriQueryParameter at false',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges['query-token'];
    // Only meaningful where the request without credentials is refused.
    if (ex?.status === undefined || is2xx(op.exchanges.anonymous)) return undefined;
    return is2xx(ex) ? fail(said(ex)) : PASS;
  },
);
