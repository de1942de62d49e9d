import type { GatewayEntry } from '../gateways.js';

/**
 * Web servers and identity-aware proxies that answer before the application: nginx
 * (auth_basic, auth_request, deny), Apache httpd, oauth2-proxy and Traefik.
 *
 * A reverse proxy replaces the upstream's `Server` header with its own, so `server: nginx`
 * alone says nothing about who refused: these entries need the proxy's own page.
 */

/** nginx's built-in error page (ngx_http_special_response.c), e.g. on 1.22.1 as measured. */
function nginxPage(title: string): RegExp {
  return new RegExp(`<title>(${title})</title>[\\s\\S]*?<center>(?:nginx|openresty)(?:/[\\d.]+)?</center>`);
}

const NGINX_SPECIAL = 'nginx/nginx:src/http/ngx_http_special_response.c';
const NGINX_SERVER = { name: 'server', value: /^(?:nginx|openresty)\b/i };
const OAUTH2_PROXY_FOOTER =
  /Secured with <a href="https:\/\/github\.com\/oauth2-proxy\/oauth2-proxy#oauth2_proxy"[^>]*>OAuth2 Proxy<\/a>/;

export const PROXIES: readonly GatewayEntry[] = [
  {
    id: 'nginx.auth-basic',
    producer: 'nginx auth_basic',
    kind: 'web-server',
    match: { status: [401], body: nginxPage('401 Authorization Required'), challenge: /^Basic realm=/i },
    support: { headers: [NGINX_SERVER] },
    cause: 'server.gateway-rejected',
    explanation:
      'nginx itself answered with its own 401 page and a Basic challenge: an `auth_basic` directive protects this location and wants a user name and password from its htpasswd file. The application behind it never saw the request, and a Bearer token does not satisfy auth_basic.',
    fix: 'Send `Authorization: Basic` with a user of the htpasswd file (curl `-u user:password`), or ask whoever runs nginx to remove `auth_basic` from API locations that use tokens (`auth_basic off;`).',
    source: 'nginx/nginx:src/http/modules/ngx_http_auth_basic_module.c',
  },
  {
    id: 'nginx.auth-request',
    producer: 'nginx (auth_request or a return 401)',
    kind: 'web-server',
    match: { status: [401], body: nginxPage('401 Authorization Required') },
    // auth_request copies the auth service's challenge: worth quoting whatever it says.
    support: { headers: [NGINX_SERVER], challenge: /\S/ },
    cause: 'server.gateway-rejected',
    explanation:
      "nginx answered with its own 401 page, not the application's: most often `auth_request`, whose auth service said 401 (nginx then copies that service's WWW-Authenticate challenge), or a `return 401` rule. The application behind nginx never saw the request.",
    fix: 'Find the auth service nginx asks (`auth_request` target) and what it expects (its log, or call it directly with your credentials); make sure nginx passes it the header your credentials are in.',
    source: 'nginx/nginx:src/http/modules/ngx_http_auth_request_module.c',
  },
  {
    id: 'nginx.forbidden',
    producer: 'nginx (deny, auth_request or access rule)',
    kind: 'web-server',
    match: { status: [403], body: nginxPage('403 Forbidden') },
    support: { headers: [NGINX_SERVER] },
    cause: 'server.gateway-rejected',
    explanation:
      "nginx answered with its own 403 page, not the application's: an `allow`/`deny` rule refused the client's address, an `auth_request` service said 403, or nginx refused to serve a file or directory.",
    fix: "Check the location's `allow`/`deny` rules against your address and the auth service's decision; nginx's error log says which (\"access forbidden by rule\").",
    source: NGINX_SPECIAL,
  },
  {
    id: 'apache.auth-required',
    producer: 'Apache httpd (mod_auth_basic / mod_auth_digest)',
    kind: 'web-server',
    match: {
      status: [401],
      body: /This server could not verify that you\s+are authorized to access the document\s+requested\./,
    },
    support: { headers: [{ name: 'server', value: /^Apache\b/i }], challenge: /^(?:Basic|Digest) realm=/i },
    cause: 'server.gateway-rejected',
    explanation:
      'Apache httpd answered with its own 401 page: an `AuthType Basic`/`Digest` with `Require` protects this path and the credentials were missing or wrong for its user file. The application behind it (if any) never saw the request.',
    fix: 'Send the user name and password Apache expects (curl `-u user:password`), or exclude the API path from the `<Location>` / `<Directory>` that requires them.',
    source: 'apache/httpd:modules/http/http_protocol.c',
  },
  {
    id: 'oauth2-proxy.sign-in-page',
    producer: 'oauth2-proxy',
    kind: 'identity-proxy',
    match: { status: [403], body: /<title>Sign In<\/title>[\s\S]*?action="[^"]*\/start"/ },
    cause: 'server.gateway-rejected',
    explanation:
      "oauth2-proxy answered with its sign-in page (403): the request had no valid oauth2-proxy session cookie (`_oauth2_proxy`), and bearer tokens are only accepted when `--skip-jwt-bearer-tokens` is on and the token's issuer is configured.",
    fix: 'For API clients, enable `--skip-jwt-bearer-tokens` (and `--extra-jwt-issuers=issuer=audience` for other issuers) and send an ID token the proxy verifies; browsers sign in. Requests with `Accept: application/json` get a bare 401 instead of this page.',
    source: 'oauth2-proxy/oauth2-proxy:pkg/app/pagewriter/sign_in.html',
  },
  {
    id: 'oauth2-proxy.authorization-failed',
    producer: 'oauth2-proxy',
    kind: 'identity-proxy',
    match: { status: [403], body: /The session failed authorization checks/ },
    cause: 'authz.forbidden',
    explanation:
      'oauth2-proxy knows who you are, but the session failed its authorization checks: the e-mail domain, group or allowed-users settings do not include this user.',
    fix: 'Ask whoever runs oauth2-proxy to allow this user (`--email-domain`, `--allowed-group`, the authenticated-emails file).',
    source: 'oauth2-proxy/oauth2-proxy:oauthproxy.go',
  },
  {
    id: 'oauth2-proxy.error-page',
    producer: 'oauth2-proxy',
    kind: 'identity-proxy',
    match: { status: [401, 403], body: OAUTH2_PROXY_FOOTER },
    cause: 'server.gateway-rejected',
    explanation:
      'oauth2-proxy answered with one of its own pages (its footer says so); the upstream application never saw the request.',
    fix: "Read the page's message; a missing or expired `_oauth2_proxy` session means signing in again (browsers) or sending a token the proxy accepts (APIs).",
    source: 'oauth2-proxy/oauth2-proxy:pkg/app/pagewriter/error.html',
  },
  {
    id: 'oauth2-proxy.sign-in-redirect',
    producer: 'oauth2-proxy',
    kind: 'identity-proxy',
    match: {
      status: [302, 303, 307],
      headers: [{ name: 'set-cookie', value: /^_oauth2_proxy_csrf\w*=/ }],
    },
    cause: 'login.redirect',
    explanation:
      'oauth2-proxy started a sign-in (it set its `_oauth2_proxy_csrf` cookie and redirects to the identity provider): the request had no valid session, which an API client cannot create by following redirects.',
    fix: 'For API clients, enable `--skip-jwt-bearer-tokens` and send a token the proxy verifies; browsers sign in.',
    source: 'oauth2-proxy/oauth2-proxy:oauthproxy.go',
  },
  {
    id: 'traefik.basic-auth',
    producer: 'Traefik BasicAuth middleware',
    kind: 'gateway',
    match: { status: [401], body: /^\s*401 Unauthorized\s*$/, challenge: /^Basic realm="traefik"$/i },
    cause: 'server.gateway-rejected',
    explanation:
      "Traefik's BasicAuth middleware (default realm `traefik`) answered before the service: it wants a user name and password from its users list, and a Bearer token does not satisfy it.",
    fix: 'Send `Authorization: Basic` for a user of the middleware, or take the BasicAuth middleware off the API router.',
    source: 'traefik/traefik:pkg/middlewares/auth/basic_auth.go',
  },
];
