import { explicitlyCacheable } from './cacheable.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { refusals, said } from './util.js';

export default operationRule(
  {
    id: 'audit.refusal-cacheable',
    category: 'errors',
    severity: 'error',
    weight: 5,
    title: 'A 401 or 403 that shared caches may store',
    description:
      'A refusal marked public, with s-maxage or a max-age, is kept by CDNs and proxies and served to the next caller, who is refused with a token that would have worked.',
    cites: [CITE.rfc9111_store, CITE.rfc9111_nostore, CITE.rfc9111_auth],
    fixes: [
      {
        server: 'Express',
        fix: "res.set('Cache-Control', 'no-store') in the error handler, before res.status(401)",
      },
      { server: 'Fastify', fix: "reply.header('Cache-Control', 'no-store') in setErrorHandler" },
      {
        server: 'nginx',
        fix: 'add_header Cache-Control "no-store" always; (and proxy_no_cache for 401/403 if nginx caches)',
      },
      {
        server: 'Cloudflare / CDN',
        fix: 'bypass the cache for 401 and 403 (a Cache Rule on status), or send Cache-Control: no-store from the origin',
      },
    ],
  },
  (op) => {
    const rs = refusals(op);
    if (rs.length === 0) return undefined;
    const bad = rs.filter(explicitlyCacheable);
    return bad.length ? fail(...bad.map((ex) => said(ex, 'Cache-Control'))) : PASS;
  },
);
