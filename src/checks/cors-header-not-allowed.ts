import { defineCheck } from './check.js';
import { listValues } from '../spec/cors.js';
import {
  corsView,
  headersNotAllowed,
  okPreflight,
  present,
  reqEvidence,
  requestedHeaders,
  resEvidence,
  statusEvidence,
} from './cors-util.js';

/**
 * Fetch §4.8 CORS-preflight fetch, steps 7.6–7.7: every name the preflight listed in
 * Access-Control-Request-Headers must come back in Access-Control-Allow-Headers (case-insensitive).
 * `*` stands for any name but `Authorization` (the CORS non-wildcard request-header name), and
 * for a credentialed request (`credentials: 'include'`) it is no wildcard at all, only the name `*`.
 */
export default defineCheck(
  {
    id: 'cors.header-not-allowed',
    plain: "The site's browser settings (CORS) do not allow the sign-in details to be sent",
    directness: 1,
    step: 0,
    kind: 'cause',
    title: "The preflight's Access-Control-Allow-Headers does not allow the request's headers",
    fix: 'Answer the preflight with `Access-Control-Allow-Headers` listing every requested header by name, `authorization` included (`*` does not cover it).',
    ref: 'Fetch Standard §4.8 CORS-preflight fetch; §2.2.2 CORS non-wildcard request-header name',
  },
  (f) => {
    const v = corsView(f);
    const x = v && okPreflight(v);
    if (!v || !x) return;
    const missing = headersNotAllowed(v, x);
    if (!missing.length) return;
    const requested = requestedHeaders(x);
    const allowedRaw = listValues(x.response!.headers, 'access-control-allow-headers');
    const star = allowedRaw.includes('*');
    const credentialed = v.credentials === 'include';

    const line = allowedRaw.length
      ? `Access-Control-Allow-Headers: ${allowedRaw.join(', ')}`
      : 'no Access-Control-Allow-Headers header at all';
    const notes: string[] = [];
    if (star && missing.includes('authorization'))
      notes.push(
        '`*` allows any header except `Authorization`, which must always be listed by name (Fetch: the CORS non-wildcard request-header name)',
      );
    if (star && credentialed)
      notes.push(
        "the request sends cookies, so the page must use `credentials: 'include'`, and for such a request `*` is not a wildcard but the literal name `*`",
      );
    const names = missing.join(', ');
    return {
      confidence: 'confirmed',
      title: `The preflight answer does not allow ${missing.length === 1 ? 'the header' : 'the headers'} ${names}`,
      detail: `The browser's preflight asked "Access-Control-Request-Headers: ${requested.join(',')}" and the server answered with ${line}, which leaves out ${names}${notes.length ? `; ${notes.join('; ')}` : ''}. The browser therefore stops after the preflight: the real request never leaves the page, and the page sees a CORS error ("Request header field ${missing[0]} is not allowed by Access-Control-Allow-Headers in preflight response").`,
      fix: `Answer the preflight with \`Access-Control-Allow-Headers: ${requested.join(', ')}\` (list \`authorization\` by name: \`*\` never covers it${credentialed ? ', and with credentials `*` covers nothing' : ''}).`,
      evidence: present([
        reqEvidence(x, 'access-control-request-headers'),
        resEvidence(x, 'access-control-allow-headers') ?? statusEvidence(x),
      ]),
    };
  },
);
