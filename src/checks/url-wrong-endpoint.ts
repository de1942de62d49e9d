import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { requestUrl, responseStatus } from './cite.js';
import { clip, redactorFor } from './response-util.js';
import { appliesTo, gatewayEvidence, gatewayMatches } from './server-gateway-rejected.js';

/**
 * The path, method or stage does not exist, and the layer in front answers 401/403 for unknown
 * routes instead of 404: AWS API Gateway's "Missing Authentication Token", CloudFront refusing a
 * method its cache behavior does not allow, Apigee's "APIResource … does not exist", S3's
 * AccessDenied for a missing key behind CloudFront (src/knowledge/gateways.ts).
 */

export default defineCheck(
  {
    id: 'url.wrong-endpoint',
    plain: 'The address probably does not exist on this site (a wrong path or a typo)',
    directness: 1,
    absorbs: ['credentials.rejected', 'authz.forbidden', 'server.gateway-rejected'],
    step: 1,
    kind: 'cause',
    title: 'The path or method probably does not exist: the server answers 401/403 for unknown routes',
    fix: 'Check the URL against the API documentation: host, stage or version prefix, path (case and trailing slash) and method. Fix the route before looking at credentials.',
    ref: 'https://repost.aws/knowledge-center/api-gateway-authentication-token-errors',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const m = gatewayMatches(f).find(
      (m) => m.entry.cause === 'url.wrong-endpoint' && appliesTo(m.entry, r.status),
    );
    if (!m) return;
    const redact = redactorFor(f);
    const quote = clip(redact(m.quote), 120);
    return {
      confidence: m.strength,
      title: `${m.entry.producer} answered "${quote}": the path, method or stage probably does not exist`,
      detail: `${m.entry.producer} answered ${r.status} to ${x.request.method} ${redact(x.request.url)} with "${quote}". ${m.entry.explanation} (Signature ${m.entry.id}; source: ${m.entry.source}.)`,
      fix: m.entry.fix,
      evidence: [requestUrl(x), ...gatewayEvidence(x, m, redact), responseStatus(x)],
    };
  },
);
