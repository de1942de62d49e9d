import { CITE, PASS, fail, operationRule } from './rule.js';
import { is2xx, isSecured, said } from './util.js';

export default operationRule(
  {
    id: 'audit.anonymous-not-refused',
    category: 'access',
    severity: 'error',
    weight: 10,
    title: 'A secured operation answers a request without credentials',
    description:
      'The document says this operation needs credentials, yet a request with none got a success: anyone on the network can call it.',
    cites: [CITE.owaspApi2, CITE.rfc9110_401, CITE.openapiSecurity],
    fixes: [
      {
        server: 'Express (express-oauth2-jwt-bearer)',
        fix: "put the middleware before the route: app.get('/path', auth({ issuerBaseURL, audience }), handler), or app.use(auth(…)) before every route",
      },
      {
        server: 'Fastify (@fastify/jwt)',
        fix: "add onRequest: [async (req) => req.jwtVerify()] to the route, or app.addHook('onRequest', …) in the plugin that holds the secured routes",
      },
      {
        server: 'nginx (auth_request)',
        fix: 'put auth_request /_auth; in the location that serves this path (a location without it is open)',
      },
      {
        server: 'any',
        fix: 'or, if the operation is meant to be open, say so in the document with security: []',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.anonymous;
    if (!isSecured(op) || ex?.status === undefined) return undefined;
    return is2xx(ex) ? fail(said(ex)) : PASS;
  },
);
