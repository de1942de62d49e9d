import { CITE, PASS, fail, operationRule } from './rule.js';
import { hasRequestId, refusals, said } from './util.js';

export default operationRule(
  {
    id: 'audit.request-id-missing',
    category: 'errors',
    severity: 'warning',
    weight: 2,
    title: 'A refusal without a request id',
    description:
      "Support can find a refused request in the logs only by its id: every 401 and 403 should carry one (X-Request-Id, traceparent, or the gateway's own).",
    cites: [CITE.rfc9457],
    fixes: [
      {
        server: 'Express',
        fix: "app.use((req, res, next) => { res.set('X-Request-Id', req.get('X-Request-Id') ?? crypto.randomUUID()); next(); }) before the auth middleware",
      },
      {
        server: 'Fastify',
        fix: "Fastify({ genReqId }) and app.addHook('onSend', async (req, reply) => { reply.header('X-Request-Id', req.id); })",
      },
      { server: 'nginx', fix: 'add_header X-Request-Id $request_id always;' },
    ],
  },
  (op) => {
    const rs = refusals(op);
    if (rs.length === 0) return undefined;
    const bad = rs.filter((ex) => !hasRequestId(ex));
    return bad.length ? fail(...bad.map((ex) => said(ex))) : PASS;
  },
);
