import { headerValue } from '../model/http.js';
import { defineCheck } from './check.js';
import { responseHeader, responseStatus } from './cite.js';
import { isSignInPage, loginTarget } from '../knowledge/sign-in.js';
import { shortUrl } from '../parse/url.js';

/**
 * A 3xx whose Location is a sign-in page or an identity provider's authorize endpoint: the
 * server wants an interactive session (usually a cookie) that this request does not carry, or
 * whose session has expired. Web frameworks and identity proxies answer so instead of 401.
 */

function resolve(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

export default defineCheck(
  {
    id: 'login.redirect',
    plain: 'The site sent you to its sign-in page: your session has ended or was never started',
    directness: 1,
    step: 1,
    kind: 'cause',
    title: 'The server redirected to a sign-in page: the session is missing or expired',
    fix: 'Sign in again and send the fresh session cookie with the request; for scripts and API clients, call an endpoint that accepts a token instead of a browser session.',
    ref: 'RFC 9110 §15.4; RFC 6749 §4.1.1 (authorization endpoint)',
  },
  (f) => {
    for (const x of f.main) {
      const r = x.response;
      if (!r || r.status < 300 || r.status > 399) continue;
      const location = headerValue(r.headers, 'location');
      if (!location) continue;
      const to = resolve(location.trim(), x.request.url);
      if (!to) continue;
      let from: URL | undefined;
      try {
        from = new URL(x.request.url);
      } catch {
        from = undefined;
      }
      // A request for the sign-in page itself redirecting onwards is not a refusal.
      if (from && isSignInPage(from)) continue;
      const target = loginTarget(to);
      if (!target) continue;

      const where = `${to.origin}${to.pathname}`;
      const by = target.provider ? ` (${target.provider})` : '';
      const sentAuthorization = f.credentials.some((c) => c.kind === 'authorization');
      const sentCookie = f.credentials.some((c) => c.kind === 'cookie');
      const why = sentCookie
        ? 'The request sent a cookie, but the server does not accept it as a session: it expired, was signed out, or belongs to another site or environment.'
        : sentAuthorization
          ? 'The request sent an Authorization header, yet the server redirects to sign in: whatever sits in front of it (an identity proxy, a load balancer with sign-in, a web app) expects its own session cookie, not your token.'
          : 'The request carried no session cookie and no credentials.';
      const fix =
        sentAuthorization && !sentCookie
          ? 'Call the API through a route that accepts bearer tokens (for example oauth2-proxy with `--skip-jwt-bearer-tokens`, or the API host rather than the web app host); otherwise sign in in a browser and send its session cookie.'
          : undefined;
      const d = {
        confidence: 'confirmed' as const,
        title: `The server redirected to a sign-in page${by}: the session is missing or expired`,
        detail: `${r.status} from ${x.request.method} ${shortUrl(x.request.url)} with Location ${where}. ${why}`,
        evidence: [responseStatus(x), responseHeader(x, 'location', location)],
      };
      return fix ? { ...d, fix } : d;
    }
    return;
  },
);
