import type { Exchange } from '../model/evidence.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import {
  actualIsSecondary,
  allowOriginProblem,
  combined,
  cookieNames,
  corsView,
  isErrorResponse,
  okPreflight,
  present,
  reqEvidence,
  resEvidence,
  whichResponse,
  type CorsView,
} from './cors-util.js';

/**
 * Fetch §4.10 CORS check for a request whose credentials mode is "include" (a cross-origin fetch
 * that sends cookies must use `credentials: 'include'`): Access-Control-Allow-Origin must be the
 * page's exact origin, never `*`, and Access-Control-Allow-Credentials must be exactly `true`. The
 * preflight is checked with the request's credentials mode too (§4.8 step 7).
 */

function draft(v: CorsView, x: Exchange, cookies: string): Draft | undefined {
  const problem = allowOriginProblem(v, x);
  if (problem !== 'wildcard' && problem !== 'credentials') return undefined;
  const acac = combined(x, 'access-control-allow-credentials')?.trim();
  const where = whichResponse(v, x);
  const Where = `${where.charAt(0).toUpperCase()}${where.slice(1)}`;
  const error = isErrorResponse(x);
  const { secondary, note } = actualIsSecondary(v, x);
  const status = x.response!.status;
  const on = `on the OPTIONS answer and on every actual response${error ? ', error responses included' : ''}`;
  let title: string;
  let what: string;
  let fix: string;
  if (problem === 'wildcard') {
    title = `The request sends cookies, but ${where} allows any origin with \`Access-Control-Allow-Origin: *\`, which browsers refuse for credentialed requests`;
    what = `answers "Access-Control-Allow-Origin: *"${acac !== undefined ? ` (with "Access-Control-Allow-Credentials: ${acac}")` : ''}; with credentials the wildcard is refused ("The value of the 'Access-Control-Allow-Origin' header must not be the wildcard '*' when the request's credentials mode is 'include'")`;
    fix = `Echo the page's origin instead of \`*\` and allow credentials: \`Access-Control-Allow-Origin: ${v.origin}\`, \`Access-Control-Allow-Credentials: true\` and \`Vary: Origin\`, ${on} (e.g. Express \`cors({ origin: ['${v.origin}'], credentials: true })\`). Or, if the API does not need the cookies, send no cookies and fetch without \`credentials: 'include'\`.`;
  } else {
    title = `The request sends cookies, but ${where} ${acac === undefined ? 'has no' : 'has a wrong'} Access-Control-Allow-Credentials`;
    what =
      acac === undefined
        ? 'allows the origin but has no "Access-Control-Allow-Credentials: true", which a credentialed request needs'
        : `answers "Access-Control-Allow-Credentials: ${acac}", but only the exact lower-case value \`true\` counts`;
    fix = `Send \`Access-Control-Allow-Credentials: true\` (exactly, lower case) beside \`Access-Control-Allow-Origin: ${v.origin}\`, ${on} (e.g. Express \`cors({ origin: ['${v.origin}'], credentials: true })\`).`;
  }
  const effect =
    x.probe === 'preflight'
      ? 'The preflight fails, so the real request never leaves the browser and the page sees a CORS error.'
      : error
        ? `The browser hides this ${status} from the page, which sees a network error instead.`
        : `The browser hides the response from the page: the server did the work, but the page sees a network error instead of the ${status}.`;
  const d: Draft = {
    confidence: 'confirmed',
    title,
    detail: `The request carries cookies, so the page must fetch with \`credentials: 'include'\` for the browser to send them cross-origin. ${Where} ${what}. ${effect}${note}`,
    fix,
    evidence: present([
      reqEvidence(x, 'origin'),
      resEvidence(x, 'access-control-allow-origin'),
      resEvidence(x, 'access-control-allow-credentials'),
      { probe: 'input', where: 'request.cookies', value: cookies },
    ]),
  };
  if (secondary) d.kind = 'warning';
  return d;
}

export default defineCheck(
  {
    id: 'cors.credentials-wildcard',
    plain: "The site's browser settings (CORS) are written in a way browsers refuse",
    directness: 1,
    step: 0,
    kind: 'cause',
    title: 'Credentials with `Access-Control-Allow-Origin: *`, which browsers refuse',
    fix: "Echo the page's exact origin in `Access-Control-Allow-Origin`, send `Access-Control-Allow-Credentials: true` and `Vary: Origin`.",
    ref: 'Fetch Standard §4.10 CORS check; §3.2.5 (CORS protocol and credentials)',
  },
  (f) => {
    const v = corsView(f);
    if (!v || v.credentials !== 'include') return;
    const cookies = cookieNames(f.ev.request.headers);
    const out: Draft[] = [];
    for (const x of [okPreflight(v), v.actual]) {
      const d = x && draft(v, x, cookies);
      if (d) out.push(d);
    }
    return out;
  },
);
