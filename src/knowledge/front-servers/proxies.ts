import type { FrontServerEntry } from '../front-servers.js';
import { serverToken, viaHop } from './signatures.js';

/** Reverse proxies, caches and API gateways: HAProxy, squid, Varnish, Envoy, Traefik and Kong. */

export const PROXIES: readonly FrontServerEntry[] = [
  {
    product: 'HAProxy',
    role: 'front',
    match: {
      // HAProxy sends no Server header of its own; its built-in error pages name it (http.c
      // http_err_msgs: 403, 503, and the 401/407 of `http-request auth`).
      body: /Request forbidden by administrative rules\.|No server is available to handle this request\.|You need a valid user and password to access this content\./,
    },
    losesAuthorization: [
      {
        when: 'An `http-request del-header Authorization` in the frontend or backend removes the header before the request reaches the server.',
        fix: 'Delete the `http-request del-header Authorization` line (or add a condition: `http-request del-header Authorization if { path_beg /public }`).',
        source: 'https://docs.haproxy.org/2.8/configuration.html#4.2-http-request%20del-header',
      },
    ],
    // `http-request auth` answers 401 whenever its condition holds, so a rule on a group
    // (`!{ http_auth_group(users) admins }`) refuses a right password of a user outside the group
    // with the same 401 and challenge.
    basicAuth: {
      userFile: 'the `userlist` of haproxy.cfg',
      admits: { rule: 'an `http_auth_group(…)` condition on `http-request auth`' },
      source:
        'https://docs.haproxy.org/2.6/configuration.html#4.2-http-request%20auth ; haproxy/haproxy:src/http.c',
    },
    source: 'haproxy/haproxy:src/http.c',
  },
  {
    product: 'squid',
    role: 'front',
    match: {
      via: viaHop('squid'),
      server: serverToken('squid'),
      headers: [{ name: 'x-squid-error' }],
      // errorpage.cc: "Generated Mon, 01 Jan 2024 00:00:00 GMT by host (squid/5.7)".
      body: /Generated [^<\n]{0,80}? by [^<\n]{0,200}?\(squid(?:\/(?<v>\d[\w.]*))?\)/,
    },
    losesAuthorization: [
      {
        when: "squid as a reverse proxy (accelerator, `cache_peer … originserver`) forwards the client's Authorization to the origin only when the peer has `login=PASS`, `login=PASSTHRU` or `login=PROXYPASS`; without one the origin never sees it.",
        fix: 'cache_peer backend.example.com parent 8080 0 no-query originserver login=PASSTHRU',
        source:
          'squid-cache/squid:src/http.cc (HttpStateData::httpBuildRequestHeader, case AUTHORIZATION) ; https://www.squid-cache.org/Doc/config/cache_peer/',
      },
    ],
    source: 'https://www.squid-cache.org/Doc/config/via/ ; squid-cache/squid:src/errorpage.cc',
  },
  {
    product: 'Varnish',
    role: 'front',
    match: {
      via: viaHop('varnish'),
      server: serverToken('Varnish'),
      headers: [{ name: 'x-varnish' }],
      body: /Guru Meditation/,
    },
    // The built-in VCL passes (does not cache) requests with Authorization and forwards the header;
    // no documented default that drops it.
    losesAuthorization: [],
    source: 'https://varnish-cache.org/docs/trunk/users-guide/vcl-built-in-code.html',
  },
  {
    product: 'Envoy',
    role: 'front',
    match: {
      server: /^(?:istio-)?envoy$/i,
      headers: [{ name: 'x-envoy-upstream-service-time' }],
    },
    losesAuthorization: [
      {
        when: 'The `jwt_authn` filter verified the JWT and then removed it: a JwtProvider\'s `forward` is false by default ("If false, the JWT is removed in the request after a success verification"), so the service behind Envoy (or Istio RequestAuthentication) gets no Authorization.',
        fix: '# in the JwtProvider of the jwt_authn filter:\nforward: true',
        source:
          'https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/jwt_authn/v3/config.proto',
      },
      {
        when: 'A `request_headers_to_remove` on the route, virtual host or route configuration lists `authorization`.',
        fix: 'Remove "authorization" from request_headers_to_remove.',
        source:
          'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#custom-request-response-headers',
      },
    ],
    source:
      'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-upstream-service-time',
  },
  {
    product: 'Traefik',
    role: 'front',
    match: {
      // Traefik sends no Server header; its BasicAuth middleware's default realm names it.
      headers: [{ name: 'www-authenticate', value: /^Basic realm="traefik"$/i }],
    },
    losesAuthorization: [
      {
        when: 'A Headers middleware lists `Authorization` in `customRequestHeaders` with an empty value: "Empty values remove the listed headers".',
        fix: 'Delete the `Authorization: ""` entry from the middleware\'s customRequestHeaders (label form: traefik.http.middlewares.<name>.headers.customrequestheaders.Authorization=).',
        source: 'https://doc.traefik.io/traefik/middlewares/http/headers/',
      },
    ],
    source: 'traefik/traefik:pkg/middlewares/auth/basic_auth.go',
  },
  {
    product: 'Kong Gateway',
    role: 'front',
    match: {
      server: /^kong\/(?<v>\d[\w.]*)/i,
      via: /^\S+\s+kong\/(?<v>\d[\w.]*)/i,
      headers: [{ name: 'x-kong-upstream-latency' }, { name: 'x-kong-response-latency' }],
    },
    losesAuthorization: [],
    source: 'https://docs.konghq.com/gateway/latest/reference/configuration/#headers',
  },
];
