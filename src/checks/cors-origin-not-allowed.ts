import type { Exchange } from '../model/evidence.js';
import { headerValues } from '../model/http.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import {
  actualIsSecondary,
  allowOriginProblem,
  corsView,
  isErrorResponse,
  okPreflight,
  present,
  reqEvidence,
  resEvidence,
  statusEvidence,
  whichResponse,
  type CorsView,
} from './cors-util.js';

/**
 * Fetch §4.10 CORS check: the response must carry exactly one Access-Control-Allow-Origin whose
 * value is the page's serialized origin byte for byte (scheme, host, port; no path, no trailing
 * slash), or `*` for a request without credentials. The check runs on the preflight answer and on
 * the actual response; `*` with credentials is cors.credentials-wildcard.
 */

function why(value: string, values: string[], origin: string): string {
  if (values.length > 1 || value.includes(','))
    return `holds several values (${value}), but only one origin is allowed: browsers refuse it ("The 'Access-Control-Allow-Origin' header contains multiple values")`;
  if (value === 'null')
    return "names the opaque origin `null` (the origin of sandboxed frames and file: pages), not the page's origin";
  let parsed: string | undefined;
  try {
    parsed = new URL(value).origin;
  } catch {
    parsed = undefined;
  }
  if (parsed === origin)
    return `names ${value}, which is the page's origin written differently: browsers compare the serialized origin (${origin}: scheme, host and port, no path, no trailing slash) byte for byte`;
  return `names ${value}, another origin than the page's ${origin} (scheme, host and port must all match)`;
}

function draft(v: CorsView, x: Exchange): Draft | undefined {
  const problem = allowOriginProblem(v, x);
  if (problem !== 'missing' && problem !== 'other') return undefined;
  const values = headerValues(x.response!.headers, 'access-control-allow-origin').map((s) => s.trim());
  const value = values.join(', ');
  const where = whichResponse(v, x);
  const error = isErrorResponse(x);
  const { secondary, note } = actualIsSecondary(v, x);
  const status = x.response!.status;
  const what =
    problem === 'other'
      ? `Access-Control-Allow-Origin ${why(value, values, v.origin)}`
      : 'there is no Access-Control-Allow-Origin header';
  const effect =
    x.probe === 'preflight'
      ? 'so the preflight fails: the real request never leaves the browser and the page sees a CORS error'
      : error
        ? `so the browser hides this ${status} from the page: the page sees a network error ("Failed to fetch", "blocked by CORS policy") instead of the ${status} and its body`
        : `so the browser hides the response from the page: the server did the work, but the page sees a network error ("blocked by CORS policy") instead of the ${status}`;
  const exact = `Access-Control-Allow-Origin: ${v.origin}`;
  const fix = error
    ? `Put the CORS headers on error responses too (\`${exact}\` and \`Vary: Origin\`): run the CORS middleware before authentication, so a 401/403 reaches the page readable. The ${status} itself has its own cause.`
    : `Send \`${exact}\` (exactly the page's origin, echoed from an allow-list) and \`Vary: Origin\` on ${x.probe === 'preflight' ? 'the OPTIONS answer and on the actual responses' : 'every response to this origin, error responses included'}.`;
  const d: Draft = {
    confidence: 'confirmed',
    title:
      problem === 'other'
        ? `The Access-Control-Allow-Origin of ${where} does not match the page's origin ${v.origin}`
        : `${where.charAt(0).toUpperCase()}${where.slice(1)} has no Access-Control-Allow-Origin for ${v.origin}`,
    detail: `The page at ${v.origin} sends "Origin: ${v.origin}"; in ${where} ${what}, ${effect}.${note}`,
    fix,
    evidence: present([
      reqEvidence(x, 'origin'),
      resEvidence(x, 'access-control-allow-origin') ?? statusEvidence(x),
    ]),
  };
  if (secondary) d.kind = 'warning';
  return d;
}

export default defineCheck(
  {
    id: 'cors.origin-not-allowed',
    plain: "The site's browser settings (CORS) do not allow requests from this web page",
    directness: 1,
    step: 0,
    kind: 'cause',
    title: "The response's Access-Control-Allow-Origin does not allow the page's origin",
    fix: "Send `Access-Control-Allow-Origin` with exactly the page's origin and `Vary: Origin`.",
    ref: 'Fetch Standard §4.10 CORS check; §3.2.3',
  },
  (f) => {
    const v = corsView(f);
    if (!v) return;
    const out: Draft[] = [];
    for (const x of [okPreflight(v), v.actual]) {
      const d = x && draft(v, x);
      if (d) out.push(d);
    }
    return out;
  },
);
