/**
 * Sign-in pages and identity providers' authorize endpoints, recognised from a URL: the hosts that
 * only sign people in, the path shapes of common providers and frameworks, the path segments that
 * name a sign-in route. The login.redirect and login.page checks, the HAR session model and the
 * HAR sanitizer's detection all read this one table.
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
