import type { Exchange } from '../model/evidence.js';
import { headerValue, headerValues } from '../model/http.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { redirectTarget } from './response-util.js';
import { probeName, requestUrl } from './cite.js';

/**
 * As many redirects as the probe follows with -L (LIMITS.maxRedirects): a chain that still points
 * on after that many does not end in practice. Browsers give up at 20 (Fetch §4.4, "If request's
 * redirect count is 20, return a network error"), curl at 50 (--max-redirs).
 */
const ENDLESS_AFTER = 10;

/** The request a client makes next for a redirect, per Fetch §4.4 step 12 and curl -L. */
function nextRequest(x: Exchange): { method: string; url: string } | undefined {
  const r = x.response;
  const to = redirectTarget(x);
  if (!r || !to) return undefined;
  const { target } = to;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  target.hash = '';
  const m = x.request.method.toUpperCase();
  // 303 turns everything but HEAD into GET, 301/302 turn POST into GET: POST /form → 303 → GET
  // /form is the post/redirect/get pattern, not a loop.
  const method =
    (r.status === 303 && m !== 'HEAD') || ((r.status === 301 || r.status === 302) && m === 'POST')
      ? 'GET'
      : m;
  return { method, url: target.toString() };
}

function sameUrl(a: string, b: string): boolean {
  try {
    const u = new URL(a);
    const v = new URL(b);
    u.hash = '';
    v.hash = '';
    return u.toString() === v.toString();
  } catch {
    return a === b;
  }
}

/** A server that sets a cookie and sends the client back: it expects the cookie on the way back. */
function cookieNote(x: Exchange): string {
  return x.response && headerValues(x.response.headers, 'set-cookie').length > 0
    ? ' The redirect also sets a cookie: the server likely expects it back, and curl sends none unless it keeps a cookie jar (-b cookies.txt -c cookies.txt).'
    : '';
}

/**
 * Redirects that never end: a Location that leads back to a request already made (with -L, A → B
 * → A; without -L, a redirect to the very URL asked for), or a chain still pointing on after as
 * many hops as a client follows. Until now these ended in "no auth problem found".
 */
export default defineCheck(
  {
    id: 'url.redirect-loop',
    plain: 'The address keeps sending the request around in a circle, so it never reaches the page',
    directness: 1,
    step: 1,
    kind: 'cause',
    title: 'The redirects never end',
    fix: 'Find which side sends the request back: most often a proxy and the app disagree on http and https (X-Forwarded-Proto), on the host name or on a trailing slash, or the server sets a cookie and expects it back (give curl a cookie jar: -b cookies.txt -c cookies.txt).',
    ref: 'RFC 9110 §15.4 (Redirection); Fetch Standard §4.4 HTTP-redirect fetch',
  },
  (f): Draft | undefined => {
    const seen: Array<{ method: string; url: string; x: Exchange }> = [];
    for (const x of f.main) {
      seen.push({ method: x.request.method.toUpperCase(), url: x.request.url, x });
      const next = nextRequest(x);
      if (!next) continue;
      const back = seen.find((s) => s.method === next.method && sameUrl(s.url, next.url));
      if (!back) continue;
      const self = back.x === x;
      return {
        confidence: 'confirmed',
        title: self
          ? `${x.request.url} redirects to itself`
          : `The redirects loop: ${x.request.url} sends the request back to ${back.url}`,
        detail: `The ${x.response!.status} answer points to ${next.url}, which ${self ? 'is the URL just asked for' : `was already asked for (${probeName(back.x)})`}: a client that follows it goes round forever (curl -L stops after 50, browsers after 20).${cookieNote(x)}`,
        evidence: [
          requestUrl(x),
          {
            probe: probeName(x),
            where: 'response.header.location',
            value: headerValue(x.response!.headers, 'location') ?? '',
          },
        ],
      };
    }
    // No URL came back, yet the chain never ended: still pointing on after every hop a client follows.
    const last = f.main.at(-1);
    const next = last ? nextRequest(last) : undefined;
    if (!last || !next || f.main.length <= ENDLESS_AFTER) return undefined;
    return {
      confidence: 'likely',
      title: `The redirects did not end after ${f.main.length - 1} hops`,
      detail: `Every answer was another redirect, each to a new URL; the last still points on, to ${next.url}. A chain this long is a loop in all but name: each hop adds something (a parameter, a path segment) and leads back round.${cookieNote(last)}`,
      evidence: [
        requestUrl(f.main[0]!),
        requestUrl(last),
        {
          probe: probeName(last),
          where: 'response.header.location',
          value: headerValue(last.response!.headers, 'location') ?? '',
        },
      ],
    };
  },
);
