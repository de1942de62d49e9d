import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FRONT_SERVERS,
  identifyFrontServers,
  likelyHeaderLoser,
  viaHops,
  type FrontServer,
} from '../../src/knowledge/front-servers.js';
import type { HeaderList } from '../../src/model/http.js';

/** nginx 1.22.1's own 401 page, byte for byte as measured (shared/research/deps.md §10). */
const NGINX_401 =
  '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';

/** Apache httpd's 401 page (apache/httpd:modules/http/http_protocol.c, ServerSignature On). */
const APACHE_401 =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>401 Unauthorized</title>\n</head><body>\n<h1>Unauthorized</h1>\n<p>This server could not verify that you\nare authorized to access the document\nrequested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\nbrowser doesn\'t understand how to supply\nthe credentials required.</p>\n<hr>\n<address>Apache/2.4.57 (Debian) Server at api.example.com Port 80</address>\n</body></html>\n';

/** HAProxy's built-in 403 page (haproxy/haproxy:src/http.c). */
const HAPROXY_403 =
  '<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n';

/** squid's error page footer (squid-cache/squid:src/errorpage.cc, %T %h %s). */
const SQUID_PAGE =
  '<div id="footer">\n<p>Generated Mon, 01 Jan 2024 12:00:00 GMT by proxy.example.net (squid/5.7)</p>\n<!-- ERR_ACCESS_DENIED -->\n</div>';

/** Tomcat's ErrorReportValve page (apache/tomcat:java/org/apache/catalina/valves/ErrorReportValve.java). */
const TOMCAT_401 =
  '<!doctype html><html lang="en"><head><title>HTTP Status 401 – Unauthorized</title></head><body><h1>HTTP Status 401 – Unauthorized</h1><hr class="line" /><h3>Apache Tomcat/9.0.80</h3></body></html>';

interface Expected {
  product: string;
  version?: string;
  where: string;
  value: string;
}

const rows: Array<{ name: string; headers: HeaderList; body?: string; expect: Expected[] }> = [
  {
    // Measured: Debian nginx 1.22.1 with auth_basic (shared/research/deps.md §10 (c)).
    name: 'nginx own 401 page',
    headers: [
      ['Server', 'nginx/1.22.1'],
      ['WWW-Authenticate', 'Basic realm="restricted"'],
    ],
    body: NGINX_401,
    expect: [{ product: 'nginx', version: '1.22.1', where: 'response.header.server', value: 'nginx/1.22.1' }],
  },
  {
    // server_tokens off: `Server: nginx`; the version comes from the page (ngx_http_special_response.c).
    name: 'nginx without version in Server, version from the page',
    headers: [['server', 'nginx']],
    body: NGINX_401,
    expect: [{ product: 'nginx', version: '1.22.1', where: 'response.header.server', value: 'nginx' }],
  },
  {
    // Debian's apache2 ServerTokens OS, plus mod_wsgi's version component (brief sample).
    name: 'Apache with mod_wsgi',
    headers: [['Server', 'Apache/2.4.57 (Debian) mod_wsgi/4.9.4 Python/3.11']],
    expect: [
      {
        product: 'Apache httpd',
        version: '2.4.57',
        where: 'response.header.server',
        value: 'Apache/2.4.57 (Debian)',
      },
      { product: 'mod_wsgi', version: '4.9.4', where: 'response.header.server', value: 'mod_wsgi/4.9.4' },
    ],
  },
  {
    // Apache's 401 page with ServerSignature, no Server header (apache/httpd http_protocol.c).
    name: 'Apache from its page alone',
    headers: [['Content-Type', 'text/html; charset=iso-8859-1']],
    body: APACHE_401,
    expect: [
      {
        product: 'Apache httpd',
        version: '2.4.57',
        where: 'response.body',
        value: 'This server could not verify that you are authorized to access the document requested.',
      },
    ],
  },
  {
    // Typical PHP on Apache (php.net expose_php; Apache ServerTokens Full).
    name: 'Apache + PHP',
    headers: [
      ['Server', 'Apache/2.4.57 (Debian) PHP/8.2.7'],
      ['X-Powered-By', 'PHP/8.2.7'],
    ],
    expect: [
      {
        product: 'Apache httpd',
        version: '2.4.57',
        where: 'response.header.server',
        value: 'Apache/2.4.57 (Debian)',
      },
      { product: 'PHP', version: '8.2.7', where: 'response.header.server', value: 'PHP/8.2.7' },
    ],
  },
  {
    // IIS 10 with ASP.NET (learn.microsoft.com requestFiltering removeServerHeader; enableVersionHeader).
    name: 'IIS with ASP.NET',
    headers: [
      ['Server', 'Microsoft-IIS/10.0'],
      ['X-AspNet-Version', '4.0.30319'],
      ['X-Powered-By', 'ASP.NET'],
    ],
    expect: [
      {
        product: 'Microsoft IIS',
        version: '10.0',
        where: 'response.header.server',
        value: 'Microsoft-IIS/10.0',
      },
      { product: 'ASP.NET', version: '4.0.30319', where: 'response.header.x-powered-by', value: 'ASP.NET' },
    ],
  },
  {
    // Via hops are listed origin-side first; the client-side hop (google) is the outermost.
    name: 'Varnish behind Google Front End',
    headers: [
      ['Via', '1.1 varnish (Varnish/7.1), 1.1 google'],
      ['X-Varnish', '32770 3'],
    ],
    expect: [
      { product: 'Google Front End', where: 'response.header.via', value: '1.1 google' },
      {
        product: 'Varnish',
        version: '7.1',
        where: 'response.header.via',
        value: '1.1 varnish (Varnish/7.1)',
      },
    ],
  },
  {
    // squid accelerator: Via with a comment (RFC 9110 §7.6.3) and its error page footer.
    name: 'squid reverse proxy',
    headers: [
      ['Server', 'squid/5.7'],
      ['Via', '1.1 squid-proxy (squid/5.7)'],
      ['X-Squid-Error', 'ERR_ACCESS_DENIED 0'],
    ],
    body: SQUID_PAGE,
    expect: [
      {
        product: 'squid',
        version: '5.7',
        where: 'response.header.via',
        value: '1.1 squid-proxy (squid/5.7)',
      },
    ],
  },
  {
    // Caddy's reverse_proxy Via (brief sample) in front of uvicorn.
    name: 'Caddy in front of uvicorn',
    headers: [
      ['via', 'HTTP/1.1 caddy'],
      ['server', 'uvicorn'],
    ],
    expect: [
      { product: 'Caddy', where: 'response.header.via', value: 'HTTP/1.1 caddy' },
      { product: 'uvicorn', where: 'response.header.server', value: 'uvicorn' },
    ],
  },
  {
    // AWS ALB's own 401 (shared/research/anchors.md G18).
    name: 'AWS ALB',
    headers: [
      ['Server', 'awselb/2.0'],
      ['Content-Type', 'text/html'],
    ],
    expect: [
      {
        product: 'AWS Elastic Load Balancing',
        version: '2.0',
        where: 'response.header.server',
        value: 'awselb/2.0',
      },
    ],
  },
  {
    // CloudFront error (test/knowledge/gateways.test.ts CLOUDFRONT_HEADERS).
    name: 'CloudFront',
    headers: [
      ['server', 'CloudFront'],
      ['via', '1.1 51c76241371dfc20d25094a51b4759eb.cloudfront.net (CloudFront)'],
      ['x-amz-cf-id', 'QGJDmdNqJJ6_zS3ALUczF-8NrM-HDKqTzNu-CZoppz6bi3nWv_cSIw=='],
    ],
    expect: [
      {
        product: 'Amazon CloudFront',
        where: 'response.header.via',
        value: '1.1 51c76241371dfc20d25094a51b4759eb.cloudfront.net (CloudFront)',
      },
    ],
  },
  {
    // Cloudflare in front of Express (wafw00f cloudflare plugin; Express default X-Powered-By).
    name: 'Cloudflare + Express',
    headers: [
      ['server', 'cloudflare'],
      ['cf-ray', '8c5d2f1a3b7e4d21-FRA'],
      ['x-powered-by', 'Express'],
    ],
    expect: [
      { product: 'Cloudflare', where: 'response.header.server', value: 'cloudflare' },
      { product: 'Express', where: 'response.header.x-powered-by', value: 'Express' },
    ],
  },
  {
    // Akamai edge (wafw00f kona plugin).
    name: 'Akamai',
    headers: [['Server', 'AkamaiGHost']],
    expect: [{ product: 'Akamai', where: 'response.header.server', value: 'AkamaiGHost' }],
  },
  {
    // HAProxy deny page (haproxy/haproxy:src/http.c), no Server header.
    name: 'HAProxy deny page',
    headers: [['content-type', 'text/html']],
    body: HAPROXY_403,
    expect: [
      { product: 'HAProxy', where: 'response.body', value: 'Request forbidden by administrative rules.' },
    ],
  },
  {
    // Envoy / Istio sidecar (envoy router filter docs).
    name: 'Envoy',
    headers: [
      ['server', 'istio-envoy'],
      ['x-envoy-upstream-service-time', '3'],
    ],
    expect: [{ product: 'Envoy', where: 'response.header.server', value: 'istio-envoy' }],
  },
  {
    // Traefik BasicAuth middleware default realm (traefik/traefik basic_auth.go).
    name: 'Traefik BasicAuth',
    headers: [['www-authenticate', 'Basic realm="traefik"']],
    body: '401 Unauthorized\n',
    expect: [
      { product: 'Traefik', where: 'response.header.www-authenticate', value: 'Basic realm="traefik"' },
    ],
  },
  {
    // Gunicorn and Werkzeug Server headers (benoitc/gunicorn SERVER_SOFTWARE; werkzeug serving.py).
    name: 'Gunicorn',
    headers: [['Server', 'gunicorn/20.1.0']],
    expect: [
      { product: 'Gunicorn', version: '20.1.0', where: 'response.header.server', value: 'gunicorn/20.1.0' },
    ],
  },
  {
    name: 'Werkzeug dev server',
    headers: [['Server', 'Werkzeug/3.0.1 Python/3.11.4']],
    expect: [
      {
        product: 'Werkzeug (Flask dev server)',
        version: '3.0.1',
        where: 'response.header.server',
        value: 'Werkzeug/3.0.1',
      },
    ],
  },
  {
    // Old Tomcat connector header plus the ErrorReportValve page; not Apache httpd.
    name: 'Tomcat',
    headers: [['Server', 'Apache-Coyote/1.1']],
    body: TOMCAT_401,
    expect: [
      {
        product: 'Apache Tomcat',
        version: '9.0.80',
        where: 'response.header.server',
        value: 'Apache-Coyote/1.1',
      },
    ],
  },
  {
    // Jetty's Server header (jetty ErrorHandler / HttpConfiguration.setSendServerVersion).
    name: 'Jetty',
    headers: [['Server', 'Jetty(9.4.51.v20230217)']],
    expect: [
      {
        product: 'Jetty',
        version: '9.4.51.v20230217',
        where: 'response.header.server',
        value: 'Jetty(9.4.51.v20230217)',
      },
    ],
  },
  {
    // ASP.NET Core Kestrel default Server header (KestrelServerOptions.AddServerHeader).
    name: 'Kestrel',
    headers: [['Server', 'Kestrel']],
    expect: [{ product: 'Kestrel', where: 'response.header.server', value: 'Kestrel' }],
  },
  {
    // Kong proxying to the upstream (Kong configuration reference, headers).
    name: 'Kong',
    headers: [
      ['Via', '1.1 kong/3.6.1'],
      ['X-Kong-Upstream-Latency', '4'],
    ],
    expect: [
      { product: 'Kong Gateway', version: '3.6.1', where: 'response.header.via', value: '1.1 kong/3.6.1' },
    ],
  },
];

function summary(s: FrontServer): Expected {
  const e: Expected = { product: s.product, where: s.quote.where, value: s.quote.value };
  if (s.version !== undefined) e.version = s.version;
  return e;
}

describe('identifyFrontServers', () => {
  it.each(rows)('$name', ({ headers, body, expect: want }) => {
    expect(identifyFrontServers(headers, body).map(summary)).toEqual(want);
  });

  it('names nothing for a bare response', () => {
    expect(identifyFrontServers([['content-type', 'application/json']], '{"error":"invalid_token"}')).toEqual(
      [],
    );
  });

  it('does not take Apache-Coyote (Tomcat) for Apache httpd', () => {
    const names = identifyFrontServers([['Server', 'Apache-Coyote/1.1']]).map((s) => s.product);
    expect(names).toEqual(['Apache Tomcat']);
  });

  it('splits Via on commas outside comments only', () => {
    expect(viaHops('1.0 fred, 1.1 p.example.net (Apache/1.1, beta)')).toEqual([
      '1.0 fred',
      '1.1 p.example.net (Apache/1.1, beta)',
    ]);
  });

  it('lists Via hops before Server and Server before X-Powered-By', () => {
    const got = identifyFrontServers([
      ['X-Powered-By', 'PHP/8.2.7'],
      ['Server', 'nginx/1.22.1'],
      ['Via', '1.1 google'],
    ]).map((s) => s.product);
    expect(got).toEqual(['Google Front End', 'nginx', 'PHP']);
  });

  it('hands out copies: changing one result does not change the table', () => {
    const [first] = identifyFrontServers([['Server', 'nginx']]);
    first!.losesAuthorization.length = 0;
    expect(identifyFrontServers([['Server', 'nginx']])[0]!.losesAuthorization.length).toBeGreaterThan(0);
  });
});

describe('likelyHeaderLoser', () => {
  it('picks nginx over Express', () => {
    const servers = identifyFrontServers([
      ['X-Powered-By', 'Express'],
      ['Server', 'nginx'],
    ]);
    expect(servers.map((s) => s.product)).toEqual(['nginx', 'Express']);
    expect(likelyHeaderLoser(servers)?.product).toBe('nginx');
  });

  it('falls back to the first match when nothing is in front, and to undefined when nothing matched', () => {
    expect(likelyHeaderLoser(identifyFrontServers([['Server', 'gunicorn']]))?.product).toBe('Gunicorn');
    expect(likelyHeaderLoser([])).toBeUndefined();
  });
});

describe('the ways and their fixes', () => {
  const one = (product: string) => FRONT_SERVERS.find((e) => e.product === product)!;

  it('Apache + mod_wsgi gives both, and the mod_wsgi way says WSGIPassAuthorization On', () => {
    const servers = identifyFrontServers([['Server', 'Apache/2.4.57 (Debian) mod_wsgi/4.9.4 Python/3.11']]);
    const wsgi = servers.find((s) => s.product === 'mod_wsgi')!;
    expect(servers.map((s) => s.product)).toEqual(['Apache httpd', 'mod_wsgi']);
    expect(wsgi.losesAuthorization[0]!.fix).toBe('WSGIPassAuthorization On');
  });

  it('Apache: CGIPassAuth first, then SetEnvIf, mod_rewrite and RequestHeader unset', () => {
    const fixes = one('Apache httpd').losesAuthorization.map((w) => w.fix);
    expect(fixes[0]).toContain('CGIPassAuth On');
    expect(fixes[1]).toBe('SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1');
    expect(fixes[2]).toContain('RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]');
    expect(fixes[3]).toContain('RequestHeader unset Authorization');
  });

  it('nginx: empty proxy_set_header, proxy_pass_request_headers, underscores, FastCGI', () => {
    const fixes = one('nginx').losesAuthorization.map((w) => w.fix);
    expect(fixes[0]).toContain('proxy_set_header Authorization $http_authorization;');
    expect(fixes[1]).toContain('proxy_pass_request_headers on;');
    expect(fixes[2]).toContain('underscores_in_headers on;');
    expect(fixes[3]).toBe('fastcgi_param HTTP_AUTHORIZATION $http_authorization;');
  });

  it('squid forwards Authorization to an origin peer only with login=PASS/PASSTHRU', () => {
    expect(one('squid').losesAuthorization[0]!.fix).toContain('originserver login=PASSTHRU');
  });

  it('every way has words, a fix and a source; every entry has a source', () => {
    for (const e of FRONT_SERVERS) {
      expect(e.source, e.product).toMatch(/\S/);
      for (const w of e.losesAuthorization) {
        expect(w.when, e.product).toMatch(/\S/);
        expect(w.fix, e.product).toMatch(/\S/);
        expect(w.source, e.product).toMatch(/^(https:\/\/|[\w.-]+\/[\w.-]+:)/);
      }
    }
  });

  it('names each product once in the table', () => {
    const names = FRONT_SERVERS.map((e) => e.product);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('identifyFrontServers on arbitrary input', () => {
  const interesting = [
    'server',
    'via',
    'x-powered-by',
    'x-aspnet-version',
    'cf-ray',
    'www-authenticate',
    'x-varnish',
    'content-type',
  ];
  const name = fc.oneof(fc.constantFrom(...interesting), fc.string({ maxLength: 20 }));
  const token = fc.constantFrom(
    'nginx/1.22.1',
    'Apache/2.4.57 (Debian)',
    'mod_wsgi/4.9.4',
    'PHP/8.2.7',
    '1.1 varnish (Varnish/7.1)',
    '1.1 google',
    '(squid/5.7)',
    'Express',
    'Jetty(9.4)',
    ',',
    '(',
    ')',
    ' ',
  );
  const value = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.array(token, { maxLength: 8 }).map((t) => t.join(' ')),
  );
  const headers = fc.array(fc.tuple(name, value), { maxLength: 12 });
  const body = fc.option(
    fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom(NGINX_401, APACHE_401, HAPROXY_403, SQUID_PAGE, TOMCAT_401),
    ),
    { nil: undefined },
  );

  it('never throws and never names a product twice', () => {
    fc.assert(
      fc.property(headers, body, (h, b) => {
        const got = identifyFrontServers(h, b);
        const names = got.map((s) => s.product);
        expect(new Set(names).size).toBe(names.length);
        for (const s of got) {
          expect(['front', 'app']).toContain(s.role);
          expect(s.quote.value.length).toBeLessThanOrEqual(200);
        }
      }),
      { numRuns: 400 },
    );
  });
});
