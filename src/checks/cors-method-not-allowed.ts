import { defineCheck } from './check.js';
import { listValues } from '../spec/cors.js';
import {
  corsView,
  methodAllowed,
  okPreflight,
  present,
  reqEvidence,
  requestedMethod,
  resEvidence,
  statusEvidence,
} from './cors-util.js';

/**
 * Fetch §4.8 CORS-preflight fetch, step 7.5: a method other than GET, HEAD or POST must be listed in
 * Access-Control-Allow-Methods, byte for byte (methods are case-sensitive); `*` allows any method
 * only for a request without credentials.
 */
export default defineCheck(
  {
    id: 'cors.method-not-allowed',
    plain: "The site's browser settings (CORS) do not allow this kind of request",
    directness: 1,
    step: 0,
    kind: 'cause',
    title: "The preflight's Access-Control-Allow-Methods does not allow the request's method",
    fix: 'Answer the preflight with `Access-Control-Allow-Methods` listing the method.',
    ref: 'Fetch Standard §4.8 CORS-preflight fetch',
  },
  (f) => {
    const v = corsView(f);
    const x = v && okPreflight(v);
    if (!v || !x || methodAllowed(v, x)) return;
    const method = requestedMethod(v, x);
    const methods = listValues(x.response!.headers, 'access-control-allow-methods');
    const line = methods.length
      ? `Access-Control-Allow-Methods: ${methods.join(', ')}`
      : 'no Access-Control-Allow-Methods header at all';
    const notes: string[] = [];
    const otherCase = methods.find((m) => m !== method && m.toUpperCase() === method.toUpperCase());
    if (otherCase)
      notes.push(
        `it lists \`${otherCase}\`, but methods are compared byte for byte: \`${method}\` is another method`,
      );
    if (methods.includes('*') && v.credentials === 'include')
      notes.push(
        "the request sends cookies, so the page must use `credentials: 'include'`, and for such a request `*` is not a wildcard but the literal name `*`",
      );
    const keep = methods.filter((m) => m !== '*' && m !== otherCase);
    return {
      confidence: 'confirmed',
      title: `The preflight answer does not allow the method ${method}`,
      detail: `The browser's preflight asked "Access-Control-Request-Method: ${method}" and the server answered with ${line}${notes.length ? `; ${notes.join('; ')}` : ''}. ${method} is not GET, HEAD or POST, so it must be listed: the browser stops after the preflight, the real request never leaves the page, and the page sees a CORS error ("Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response").`,
      fix: `Answer the preflight with \`Access-Control-Allow-Methods: ${[...keep, method].join(', ')}\`.`,
      evidence: present([
        reqEvidence(x, 'access-control-request-method'),
        resEvidence(x, 'access-control-allow-methods') ?? statusEvidence(x),
      ]),
    };
  },
);
