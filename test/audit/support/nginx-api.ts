/**
 * The nginx API the audit tests call: Debian's nginx (test/support/nginx.ts) in front of a node:http
 * upstream, with `auth_request` asking a small node:http auth service that verifies the Bearer JWT
 * with jose (the issuer's JWKS, `iss`, `aud`, `typ: at+jwt`) and the scope the path needs. The auth
 * service answers 204, or 401/403 with an RFC 6750 challenge.
 *
 * What nginx does with that answer (https://nginx.org/en/docs/http/ngx_http_auth_request_module.html):
 * "If the subrequest returns a 2xx response code, the access is allowed. If it returns 401 or 403,
 * the access is denied with the corresponding error code. Any other response code returned by the
 * subrequest is considered an error. For the 401 error, the client also receives the
 * “WWW-Authenticate” header from the subrequest response." The body is nginx's own HTML error page
 * unless `error_page` says otherwise; a 403's challenge reaches the client only through
 * `auth_request_set` + `add_header … always` (add_header applies to error codes only with `always`:
 * https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header).
 *
 * Set up well: preflights answered before `auth_request`, 401 and 403 answered by named locations
 * that carry the auth service's challenge, problem+json, no-store and `$request_id`. Or with one
 * defect, each the way nginx sites really have it.
 * Its operations are described by test/fixtures/audit/nginx-3.0.yaml.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import * as jose from 'jose';
import { startNginx, type RunningNginx } from '../../support/nginx.js';

export type NginxDefect =
  /** No error_page: nginx's own HTML pages; the 401 keeps the challenge nginx copies, the 403 gets none. */
  | 'default-pages'
  /** An auth service that answers a bare 401 (a status and nothing else) and nginx's own pages. */
  | 'challenge-dropped'
  /** The auth service is down: the subrequest fails and auth_request answers 500. */
  | 'auth-unreachable'
  /** No OPTIONS exception: auth_request refuses the preflight. */
  | 'gated-preflight';

export interface NginxAuditApi {
  url: string;
  errorLog(): Promise<string>;
  close(): Promise<void>;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<[Server, string]> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

const stop = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** A port nothing listens on: bound, read, closed. */
async function deadPort(): Promise<string> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The auth service: `GET /auth` with the client's Authorization and the original URI. */
function authService(opts: { issuer: string; audience: string; bare: boolean }) {
  const jwks = jose.createRemoteJWKSet(new URL(`${opts.issuer}/jwks.json`));
  return (req: IncomingMessage, res: ServerResponse) => {
    const refuse = (status: 401 | 403, challenge: string) => {
      res.writeHead(status, opts.bare ? {} : { 'WWW-Authenticate': challenge }).end();
    };
    const header = req.headers.authorization ?? '';
    const m = /^Bearer ([\w.~+/-]+=*)$/i.exec(header);
    if (!m) return refuse(401, 'Bearer realm="api"');
    const need = (req.headers['x-original-uri'] ?? '').toString().startsWith('/v1/admin/')
      ? 'admin'
      : 'items:read';
    jose
      .jwtVerify(m[1]!, jwks, { issuer: opts.issuer, audience: opts.audience, typ: 'at+jwt' })
      .then(({ payload }) => {
        const granted = String(payload.scope ?? '').split(' ');
        if (!granted.includes(need))
          return refuse(403, `Bearer realm="api", error="insufficient_scope", scope="${need}"`);
        res.writeHead(204).end();
      })
      .catch(() => refuse(401, 'Bearer realm="api", error="invalid_token"'));
  };
}

function config(has: (d: NginxDefect) => boolean): string[] {
  const problem = (status: number, title: string) => [
    `  default_type application/problem+json;`,
    // nginx itself copies the auth service's challenge onto a 401 (and keeps it through error_page):
    // adding it again would send it twice. A 403's it does not copy.
    ...(status === 403 ? [`  add_header WWW-Authenticate $auth_challenge always;`] : []),
    `  add_header Cache-Control "no-store" always;`,
    `  add_header X-Request-Id $request_id always;`,
    `  return ${status} '{"type":"about:blank","title":"${title}","status":${status}}';`,
  ];
  const errorPages =
    has('default-pages') || has('challenge-dropped')
      ? []
      : ['  error_page 401 = @unauthorized;', '  error_page 403 = @forbidden;'];
  return [
    'add_header X-Request-Id $request_id always;',
    'location = /.well-known/oauth-protected-resource/v1 { proxy_pass http://app; }',
    'location = /v1/status { proxy_pass http://app; }',
    'location /v1/ {',
    ...(has('gated-preflight')
      ? []
      : [
          '  if ($request_method = OPTIONS) {',
          '    add_header Access-Control-Allow-Origin $http_origin always;',
          '    add_header Access-Control-Allow-Methods "GET" always;',
          '    add_header Access-Control-Allow-Headers "authorization" always;',
          '    add_header Access-Control-Max-Age 600 always;',
          '    add_header X-Request-Id $request_id always;',
          '    return 204;',
          '  }',
        ]),
    '  auth_request /_auth;',
    '  auth_request_set $auth_challenge $upstream_http_www_authenticate;',
    ...errorPages,
    '  proxy_pass http://app;',
    '}',
    'location = /_auth {',
    '  internal;',
    '  proxy_pass http://auth/auth;',
    '  proxy_pass_request_body off;',
    '  proxy_set_header Content-Length "";',
    '  proxy_set_header X-Original-URI $request_uri;',
    '  proxy_set_header X-Original-Method $request_method;',
    '}',
    'location @unauthorized {',
    ...problem(401, 'Unauthorized'),
    '}',
    'location @forbidden {',
    ...problem(403, 'Forbidden'),
    '}',
  ];
}

export async function startNginxAuditApi(opts: {
  issuer: string;
  audience: string;
  defects?: NginxDefect[];
}): Promise<NginxAuditApi> {
  const has = (d: NginxDefect) => opts.defects?.includes(d) ?? false;
  let publicBase = '';
  const [app, appUrl] = await listen((req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    // The metadata's path is the resource's, after the well-known prefix (RFC 9728 §3.1).
    if (path === '/.well-known/oauth-protected-resource/v1')
      return json({
        resource: `${publicBase}/v1`,
        authorization_servers: [opts.issuer],
        scopes_supported: ['items:read', 'admin'],
      });
    if (path === '/v1/status') return json({ ok: true });
    if (path === '/v1/items') return json([{ id: 'item-1' }]);
    if (path?.startsWith('/v1/items/')) return json({ id: 'item-1' });
    if (path === '/v1/admin/stats') return json({ users: 1 });
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not_found"}');
  });
  const [auth, authUrl] = await listen(authService({ ...opts, bare: has('challenge-dropped') }));
  let nginx: RunningNginx;
  try {
    nginx = await startNginx({
      upstream: appUrl,
      authUpstream: has('auth-unreachable') ? await deadPort() : authUrl,
      locations: [],
      serverLines: config(has),
    });
  } catch (e) {
    await Promise.all([stop(app), stop(auth)]);
    throw e;
  }
  publicBase = nginx.url;
  return {
    url: nginx.url,
    errorLog: () => nginx.errorLog(),
    close: async () => {
      await nginx.close();
      await Promise.all([stop(app), stop(auth)]);
    },
  };
}
