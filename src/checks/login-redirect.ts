import { headerValue } from '../model/http.js';
import { defineCheck } from './check.js';
import { responseHeader, responseStatus } from './cite.js';

/**
 * A 3xx whose Location is a sign-in page or an identity provider's authorize endpoint: the
 * server wants an interactive session (usually a cookie) that this request does not carry, or
 * whose session has expired. Web frameworks and identity proxies answer so instead of 401.
 */

/** Identity providers and proxies recognisable from the sign-in URL. */
const HOSTS: Array<{ re: RegExp; provider: string; signInOnly?: boolean }> = [
  {
    re: /^login\.microsoftonline\.com$|^login\.windows\.net$|^login\.live\.com$|\.b2clogin\.com$/,
    provider: 'Microsoft Entra ID',
    signInOnly: true,
  },
  { re: /^accounts\.google\.com$/, provider: 'Google', signInOnly: true },
  { re: /\.cloudflareaccess\.com$/, provider: 'Cloudflare Access', signInOnly: true },
  // These hosts serve APIs too: only a sign-in path counts there.
  { re: /\.okta(?:preview)?\.com$|\.okta-emea\.com$/, provider: 'Okta' },
  { re: /\.auth0\.com$/, provider: 'Auth0' },
  { re: /\.amazoncognito\.com$/, provider: 'Amazon Cognito' },
  { re: /^github\.com$/, provider: 'GitHub' },
];

/** Path shapes, matched against the lower-cased path (and `/authorize` also with its query). */
const PATHS: Array<{ re: RegExp; provider?: string; needsQuery?: boolean }> = [
  { re: /\/realms\/[^/]+\/protocol\/openid-connect\/auth(?:\/|$)/, provider: 'Keycloak' },
  { re: /\/cdn-cgi\/access\/login(?:\/|$)/, provider: 'Cloudflare Access' },
  { re: /\/oauth2\/(?:start|sign_in)(?:\/|$)/, provider: 'oauth2-proxy' },
  { re: /\/u\/login(?:\/|$)/, provider: 'Auth0' },
  { re: /\/oauth2?\/(?:v2\.0\/)?authorize(?:\/|$)/ },
  // A bare `/authorize` counts with its OAuth query (`/authorize?client_id=…`).
  { re: /\/authorize$/, needsQuery: true },
  { re: /\/adfs\/ls(?:\/|$)/, provider: 'AD FS' },
  { re: /\/saml2?(?:\/|$)/ },
  { re: /\/wp-login\.php$/, provider: 'WordPress' },
];
/** Single path segments that name a sign-in route (an extension such as `.html`, `.aspx` is ignored). */
const SEGMENTS = new Set([
  'login',
  'log-in',
  'log_in',
  'logon',
  'signin',
  'sign-in',
  'sign_in',
  'auth',
  'sso',
  'saml',
  'authenticate',
]);

export interface LoginTarget {
  /** Who runs the sign-in page, when known. */
  provider?: string;
}

/** Whether a URL is a sign-in page or an authorize endpoint; undefined when it is not. */
export function loginTarget(url: URL): LoginTarget | undefined {
  const host = url.hostname.toLowerCase();
  const path = url.pathname.toLowerCase();
  const known = HOSTS.find((h) => h.re.test(host));
  const provider = known?.provider;
  for (const p of PATHS) {
    if (!p.re.test(path) || (p.needsQuery && !url.search)) continue;
    const who = p.provider ?? provider;
    return who ? { provider: who } : {};
  }
  const segments = path.split('/').map((s) => s.replace(/\.(?:html?|aspx?|php|jsp|do)$/, ''));
  if (segments.some((s) => SEGMENTS.has(s))) return provider ? { provider } : {};
  // A host that only signs people in: any path but its home page is a sign-in.
  if (known?.signInOnly && path !== '/') return { provider: known.provider };
  return undefined;
}

/** Origin and path of a URL, without the query (it may hold a key). */
function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

const PAGE_SEGMENTS = new Set([
  'login',
  'log-in',
  'log_in',
  'logon',
  'signin',
  'sign-in',
  'sign_in',
  'wp-login',
]);

/**
 * Stricter than `loginTarget`: is this URL the sign-in page itself (its last path segment names
 * one, or it is an identity provider's sign-in endpoint)? `/api/auth/me` is not.
 */
export function isSignInPage(url: URL): boolean {
  const path = url.pathname.toLowerCase();
  const last = path
    .split('/')
    .filter((s) => s.length > 0)
    .at(-1)
    ?.replace(/\.(?:html?|aspx?|php|jsp|do)$/, '');
  if (last !== undefined && PAGE_SEGMENTS.has(last)) return true;
  if (PATHS.some((p) => p.re.test(path) && (!p.needsQuery || url.search))) return true;
  return HOSTS.some((h) => h.signInOnly && h.re.test(url.hostname.toLowerCase())) && path !== '/';
}

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
        detail: `${r.status} from ${x.request.method} ${pathOf(x.request.url)} with Location ${where}. ${why}`,
        evidence: [responseStatus(x), responseHeader(x, 'location', location)],
      };
      return fix ? { ...d, fix } : d;
    }
    return;
  },
);
