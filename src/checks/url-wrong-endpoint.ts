import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { requestUrl, responseStatus } from './cite.js';
import { clip, redactorFor } from './response-util.js';
import { appliesTo, gatewayEvidence, gatewayMatches } from './server-gateway-rejected.js';
import { isSuccess, type Facts } from '../facts/request.js';
import { matchOperation, nearestOperations, operationLabel } from './openapi-util.js';

/**
 * The path, method or stage does not exist, and the layer in front answers 401/403 for unknown
 * routes instead of 404: AWS API Gateway's "Missing Authentication Token", CloudFront refusing a
 * method its cache behavior does not allow, Apigee's "APIResource … does not exist", S3's
 * AccessDenied for a missing key behind CloudFront (src/knowledge/gateways.ts). With --openapi,
 * also a method and path the API's own document does not list: known before anything is sent.
 */

/** The request's method and path are not in the OpenAPI document (--openapi). */
function undocumented(f: Facts): Draft | undefined {
  const m = matchOperation(f);
  if (!m || m.operation || m.method === 'OPTIONS') return;
  // A success says the route exists: the document is out of date, not the request wrong.
  if (f.final && isSuccess(f.final)) return;
  const near = nearestOperations(m);
  const redact = redactorFor(f);
  const what = m.otherMethods.length > 0 ? `the method ${m.method}` : `the path ${m.path}`;
  const r = f.response;
  const told = r ? ` The server answered ${r.status}.` : ' Nothing was sent.';
  const evidence = [
    f.final
      ? requestUrl(f.final)
      : { probe: 'input', where: 'request.url', value: `${m.method} ${redact(f.ev.request.url)}` },
    {
      probe: 'input',
      where: 'openapi.operations',
      value: `${m.doc.source}: ${near.map(operationLabel).join(', ')}`,
    },
  ];
  if (f.final && r) evidence.push(responseStatus(f.final));
  return {
    // A refusal (or 404/405) agrees with the document; with no answer the document alone says so.
    confidence: r && [401, 403, 404, 405].includes(r.status) ? 'likely' : 'possible',
    title: `${m.doc.source} documents no ${m.method} ${m.path}: ${what} is not part of this API`,
    detail: `The OpenAPI document lists ${m.doc.operations.length} operation${m.doc.operations.length === 1 ? '' : 's'}; none is ${m.method} ${m.path}${m.doc.basePaths.length ? ` (under the server path ${m.doc.basePaths.join(' or ')})` : ''}. The nearest documented: ${near.map(operationLabel).join(', ')}.${told}`,
    fix: `Call a documented operation: ${near.map(operationLabel).join(', ')} (check the method, the version prefix, case and trailing slash).`,
    evidence,
  };
}

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
    const fromDocument = undocumented(f);
    if (fromDocument) return fromDocument;
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
