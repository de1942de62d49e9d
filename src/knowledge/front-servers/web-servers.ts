import type { AuthLossWay, FrontServerEntry } from '../front-servers.js';
import { serverToken } from './signatures.js';

/**
 * Web servers that host the application or proxy to it: nginx (and OpenResty), Apache httpd with
 * its CGI/FastCGI handlers and mod_wsgi, Microsoft IIS, lighttpd and Caddy.
 */

const NGINX_PROXY = 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html';

/** nginx's ways, shared by OpenResty (which is nginx with Lua modules). */
const NGINX_WAYS: readonly AuthLossWay[] = [
  {
    when: 'A `proxy_set_header Authorization "";` in the location (or inherited from server/http): nginx does not pass a header whose value is empty, so the upstream never sees the token. Measured on nginx 1.22.1: the backend saw no Authorization.',
    fix: 'Delete the `proxy_set_header Authorization "";` line, or pass it on explicitly:\nproxy_set_header Authorization $http_authorization;',
    source: `${NGINX_PROXY}#proxy_set_header`,
  },
  {
    when: 'A `proxy_pass_request_headers off;`: nginx passes none of the client request headers to the upstream, Authorization included.',
    fix: 'proxy_pass_request_headers on;\n# or, to keep it off, pass the credential alone:\nproxy_set_header Authorization $http_authorization;',
    source: `${NGINX_PROXY}#proxy_pass_request_headers`,
  },
  {
    when: 'A custom credential header with an underscore in its name (`X_API_KEY`, `api_key`): with `underscores_in_headers off` (the default) nginx marks it invalid and, with `ignore_invalid_headers on` (the default), drops it. Authorization itself is not affected.',
    fix: 'Send the header with dashes (`X-Api-Key`), or in the default server block:\nunderscores_in_headers on;',
    source: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#underscores_in_headers',
  },
  {
    when: "PHP-FPM (or another FastCGI app) behind `fastcgi_pass` with `fastcgi_pass_request_headers off;`: the request headers are no longer passed as `HTTP_*` params, so `$_SERVER['HTTP_AUTHORIZATION']` is empty. (With the default `on`, nginx passes it.)",
    fix: 'fastcgi_param HTTP_AUTHORIZATION $http_authorization;',
    source: 'https://nginx.org/en/docs/http/ngx_http_fastcgi_module.html#fastcgi_pass_request_headers',
  },
];

const APACHE_CORE = 'https://httpd.apache.org/docs/2.4/mod/core.html';

export const WEB_SERVERS: readonly FrontServerEntry[] = [
  {
    product: 'nginx',
    role: 'front',
    match: {
      server: serverToken('nginx'),
      // ngx_http_special_response.c: the built-in error pages end in `<center>nginx/1.22.1</center>`.
      body: /<center>nginx(?:\/(?<v>\d[\w.]*))?<\/center>/,
    },
    losesAuthorization: NGINX_WAYS,
    // auth_basic admits every user of its file (access rules and `satisfy` answer 403, not 401).
    // Log lines measured on nginx 1.22.1: `user "alice": password mismatch`, `user "eve" was not
    // found in "…/htpasswd"`.
    basicAuth: {
      userFile: 'nginx `auth_basic_user_file`',
      log: '`user "…": password mismatch` or `user "…" was not found in "…"`',
      source: 'nginx/nginx:src/http/modules/ngx_http_auth_basic_module.c',
    },
    source:
      'https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens ; nginx/nginx:src/http/ngx_http_special_response.c',
  },
  {
    product: 'OpenResty',
    role: 'front',
    match: {
      server: serverToken('openresty'),
      body: /<center>openresty(?:\/(?<v>\d[\w.]*))?<\/center>/,
    },
    losesAuthorization: NGINX_WAYS,
    source: 'https://openresty.org/en/ ; nginx/nginx:src/http/ngx_http_special_response.c',
  },
  {
    product: 'Apache httpd',
    role: 'front',
    match: {
      // `Apache`, `Apache/2.4.57 (Debian)`; never `Apache-Coyote` (Tomcat).
      server: /(?:^|\s)Apache(?:\/(?<v>\d[\w.]*))?(?:\s+\([^)]*\))?(?=\s|$)/,
      // ServerSignature `<address>Apache/2.4.57 (Debian) Server at host Port 80</address>`, or the
      // 401 page of mod_auth_basic/mod_auth_digest (http_protocol.c).
      body: [
        /<address>Apache(?:\/(?<v>\d[\w.]*))?[^<]*? Server at [^<]*<\/address>/,
        /This server could not verify that you\s+are authorized to access the document\s+requested\./,
      ],
    },
    losesAuthorization: [
      {
        when: 'The application runs as CGI, FastCGI or PHP-FPM under Apache (mod_cgi/mod_cgid, mod_fcgid, mod_proxy_fcgi): Apache hides Authorization from scripts by default ("Normally these HTTP headers are hidden from scripts"), so `HTTP_AUTHORIZATION` / `$_SERVER[\'HTTP_AUTHORIZATION\']` is empty and the app answers its own 401. Measured on Apache 2.4: a CGI script saw no HTTP_AUTHORIZATION until CGIPassAuth On.',
        fix: '# Apache 2.4.13 and later, in the <Directory> or <Location> of the scripts (or .htaccess):\nCGIPassAuth On',
        source: `${APACHE_CORE}#cgipassauth`,
      },
      {
        when: 'Same, on Apache older than 2.4.13 (no CGIPassAuth) or a host where only mod_setenvif is available: copy the header into the environment yourself.',
        fix: 'SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1',
        source:
          'https://www.php.net/manual/en/features.http-auth.php ; https://github.com/mapbender/mapbender-starter/pull/153',
      },
      {
        when: 'Same, with mod_rewrite (the line Drupal ships in its .htaccess). After an internal rewrite PHP may see it as `REDIRECT_HTTP_AUTHORIZATION` instead.',
        fix: 'RewriteEngine On\nRewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]',
        source:
          'https://git.drupalcode.org/project/drupal/-/commit/32806c41c803b8feee9f75b7b2fc1da9e02033e8 ; https://github.com/czewail/think-api/issues/24',
      },
      {
        when: 'mod_proxy (`ProxyPass`) forwards Authorization by default, unless a `RequestHeader unset Authorization` (mod_headers) in the vhost, <Location> or .htaccess removes it. Measured: the backend got none with that line.',
        fix: 'Delete the `RequestHeader unset Authorization` line (or narrow it to the paths that must not see credentials).',
        source: 'https://httpd.apache.org/docs/2.4/mod/mod_headers.html#requestheader',
      },
    ],
    // mod_authz_core's authorize_user_core: a user who authenticated but whom no `Require` admits
    // gets HTTP_UNAUTHORIZED (note_auth_failure: a new challenge), logged as AH01631 "user bob:
    // authorization failure for "/alice/"". Measured on Apache 2.4 (Debian): the 401, its page and
    // its challenge are byte for byte those of a wrong password (AH01617 "Password Mismatch").
    basicAuth: {
      userFile: 'Apache `AuthUserFile`',
      log: '"Password Mismatch" or "user … not found"',
      admits: { rule: '`Require user …` or `Require group …`', log: '"authorization failure"' },
      source: 'apache/httpd:modules/aaa/mod_auth_basic.c, modules/aaa/mod_authz_core.c',
    },
    source:
      'https://httpd.apache.org/docs/2.4/mod/core.html#servertokens ; apache/httpd:modules/http/http_protocol.c',
  },
  {
    product: 'mod_wsgi',
    role: 'front',
    match: { server: /(?:^|\s)mod_wsgi\/(?<v>\d[\w.]*)/ },
    losesAuthorization: [
      {
        when: 'The Python application (Django, Flask …) runs under Apache mod_wsgi: "Authorisation headers are not passed through by default" (`WSGIPassAuthorization Off`), so the app sees no HTTP_AUTHORIZATION and token or Basic authentication fails although the same app works under its development server.',
        fix: 'WSGIPassAuthorization On',
        source:
          'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIPassAuthorization.html',
      },
    ],
    source: 'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIPassAuthorization.html',
  },
  {
    product: 'Microsoft IIS',
    role: 'front',
    match: { server: serverToken('Microsoft-IIS') },
    losesAuthorization: [
      {
        when: 'Windows Authentication is enabled and Anonymous Authentication disabled for the site or application: IIS itself answers 401 with `WWW-Authenticate: Negotiate` / `NTLM` to any request without a Windows login, so a Bearer token or API key never reaches the application.',
        fix: 'appcmd.exe set config "Default Web Site/api" -section:system.webServer/security/authentication/windowsAuthentication /enabled:"False" /commit:apphost\nappcmd.exe set config "Default Web Site/api" -section:system.webServer/security/authentication/anonymousAuthentication /enabled:"True" /commit:apphost',
        source:
          'https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/authentication/windowsauthentication/',
      },
    ],
    source: 'https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/',
  },
  {
    product: 'lighttpd',
    role: 'front',
    match: { server: serverToken('lighttpd') },
    // No documented way of dropping Authorization on the way to mod_proxy / mod_fastcgi / mod_cgi
    // backends was found: named for context only.
    losesAuthorization: [],
    // mod_auth answers a user outside the `"require"` list (`user=alice`) with the 401 and challenge
    // of a wrong password; measured on lighttpd 1.4.69, its log even says "password doesn't match
    // for /alice/ username: bob" for a right password, so only the configuration tells them apart.
    basicAuth: {
      userFile: 'lighttpd `auth.backend.htpasswd.userfile` (or the plain/htdigest file)',
      log: '"password doesn\'t match for … username: …"',
      admits: { rule: 'the `"require"` of `auth.require` (`user=…`, `group=…`)' },
      source:
        'lighttpd/lighttpd1.4:src/mod_auth.c ; https://redmine.lighttpd.net/projects/lighttpd/wiki/Mod_auth',
    },
    source: 'https://redmine.lighttpd.net/projects/lighttpd/wiki/Docs_ConfigurationOptions',
  },
  {
    product: 'Caddy',
    role: 'front',
    match: { server: /^Caddy$/i, via: /^\S+\s+caddy\b/i },
    losesAuthorization: [
      {
        when: '`reverse_proxy` passes all incoming headers to the upstream unchanged, unless a `header_up -Authorization` (or a `request_header -Authorization`) deletes it.',
        fix: 'Delete the `header_up -Authorization` / `request_header -Authorization` line from the Caddyfile.',
        source:
          'https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#headers ; https://caddyserver.com/docs/caddyfile/directives/request_header',
      },
    ],
    // basicauth admits every account it lists.
    basicAuth: {
      userFile:
        "the accounts of the Caddyfile's `basicauth` block (bcrypt hashes from `caddy hash-password`)",
      source: 'https://caddyserver.com/docs/caddyfile/directives/basic_auth',
    },
    source: 'https://caddyserver.com/docs/caddyfile/directives/reverse_proxy',
  },
];
