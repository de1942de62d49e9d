import { explicitlyCacheable, markedUncacheable } from './cacheable.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { refusals, said } from './util.js';

export default operationRule(
  {
    id: 'audit.refusal-no-store',
    category: 'errors',
    severity: 'warning',
    weight: 2,
    title: 'A 401 or 403 without Cache-Control: no-store',
    description:
      'Without no-store (or private), a refusal relies on every cache in front of the API following the RFC; "cache everything" CDN rules store it and serve it to other callers.',
    cites: [CITE.rfc9111_nostore],
    fixes: [
      { server: 'Express', fix: "res.set('Cache-Control', 'no-store') in the error handler" },
      { server: 'Fastify', fix: "reply.header('Cache-Control', 'no-store') in setErrorHandler" },
      { server: 'nginx', fix: 'add_header Cache-Control "no-store" always;' },
    ],
  },
  (op) => {
    // Those that are plainly cacheable are audit.refusal-cacheable's, not counted twice.
    const rs = refusals(op).filter((ex) => !explicitlyCacheable(ex));
    if (rs.length === 0) return undefined;
    const bad = rs.filter((ex) => !markedUncacheable(ex));
    return bad.length ? fail(...bad.map((ex) => said(ex, 'Cache-Control'))) : PASS;
  },
);
