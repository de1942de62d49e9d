import { CITE, PASS, fail, operationRule } from './rule.js';
import { isRefusal, said } from './util.js';

export default operationRule(
  {
    id: 'audit.preflight-gated',
    category: 'browsers',
    severity: 'error',
    weight: 6,
    title: 'The CORS preflight is refused by authentication',
    description:
      'Browsers send the preflight (OPTIONS) without credentials, and a 401 or 403 to it fails the request before it is made: every call from a web page breaks.',
    cites: [CITE.fetchPreflight],
    fixes: [
      {
        server: 'Express',
        fix: "app.use(cors({ origin: [...] })) before auth(), or app.options('*', cors()) ahead of the auth middleware",
      },
      {
        server: 'Fastify',
        fix: "register @fastify/cors before the plugin that runs jwtVerify, and skip verification when req.method === 'OPTIONS'",
      },
      {
        server: 'nginx (auth_request)',
        fix: 'if ($request_method = OPTIONS) { return 204; } with the CORS headers, before auth_request applies',
      },
      {
        server: 'Spring Security',
        fix: 'http.cors(Customizer.withDefaults()) so the CorsFilter answers preflights before authentication',
      },
    ],
  },
  (op) => {
    const ex = op.exchanges.preflight;
    if (ex?.status === undefined) return undefined;
    return isRefusal(ex) ? fail(said(ex)) : PASS;
  },
);
