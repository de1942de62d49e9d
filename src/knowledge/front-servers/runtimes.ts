import type { FrontServerEntry } from '../front-servers.js';
import { serverToken } from './signatures.js';

/**
 * Application runtimes and frameworks that name themselves (Server or X-Powered-By): the code that
 * checks the header runs here, so these are never "in front" of the application.
 */

export const RUNTIMES: readonly FrontServerEntry[] = [
  {
    product: 'PHP',
    role: 'app',
    match: {
      server: /(?:^|\s)PHP\/(?<v>\d[\w.+~-]*)/,
      headers: [{ name: 'x-powered-by', value: /^PHP(?:\/(?<v>\d[\w.+~-]*))?/i }],
    },
    losesAuthorization: [
      {
        when: "PHP runs as CGI/FastCGI (php-cgi, PHP-FPM) behind Apache: `$_SERVER['HTTP_AUTHORIZATION']` and `PHP_AUTH_USER`/`PHP_AUTH_PW` stay empty because the web server does not hand the header over (see the Apache httpd entry: CGIPassAuth On).",
        fix: 'SetEnvIf Authorization .+ HTTP_AUTHORIZATION=$0',
        source: 'https://www.php.net/manual/en/features.http-auth.php',
      },
    ],
    source: 'https://www.php.net/manual/en/ini.core.php#ini.expose-php',
  },
  {
    product: 'Express',
    role: 'app',
    match: { headers: [{ name: 'x-powered-by', value: /^Express$/i }] },
    losesAuthorization: [],
    source: 'https://expressjs.com/en/advanced/best-practice-security.html#reduce-fingerprinting',
  },
  {
    product: 'Next.js',
    role: 'app',
    match: { headers: [{ name: 'x-powered-by', value: /^Next\.js\b/i }] },
    losesAuthorization: [],
    source: 'https://nextjs.org/docs/app/api-reference/config/next-config-js/poweredByHeader',
  },
  {
    product: 'ASP.NET',
    role: 'app',
    match: {
      headers: [
        { name: 'x-powered-by', value: /^ASP\.NET$/i },
        { name: 'x-aspnet-version', value: /^(?<v>\d[\w.]*)/ },
        { name: 'x-aspnetmvc-version' },
      ],
    },
    losesAuthorization: [],
    source:
      'https://learn.microsoft.com/en-us/dotnet/api/system.web.configuration.httpruntimesection.enableversionheader',
  },
  {
    product: 'Kestrel',
    role: 'app',
    match: { server: /^Kestrel$/i },
    losesAuthorization: [],
    source:
      'https://learn.microsoft.com/en-us/dotnet/api/microsoft.aspnetcore.server.kestrel.core.kestrelserveroptions.addserverheader',
  },
  {
    product: 'Gunicorn',
    role: 'app',
    match: { server: serverToken('gunicorn') },
    losesAuthorization: [
      {
        when: 'A custom credential header with an underscore in its name (`X_API_KEY`, `api_key`): since Gunicorn 22.0 the `header_map` setting defaults to `drop`, which silently drops headers that cannot be unambiguously mapped into the WSGI environ (`refuse` answers an error instead). Authorization itself is not affected.',
        fix: "Send the header with dashes (`X-Api-Key`). Only if that is impossible (the setting's own docs advise against it):\ngunicorn --header-map dangerous app:app",
        source:
          'https://docs.gunicorn.org/en/stable/settings.html#header-map ; https://github.com/benoitc/gunicorn/commit/72b8970dbf2bf3444eb2e8b12aeff1a3d5922a9a',
      },
    ],
    source: 'benoitc/gunicorn:gunicorn/config.py',
  },
  {
    product: 'uvicorn',
    role: 'app',
    match: { server: /^uvicorn$/i },
    losesAuthorization: [],
    source: 'https://www.uvicorn.org/settings/#http',
  },
  {
    product: 'Werkzeug (Flask dev server)',
    role: 'app',
    match: { server: serverToken('Werkzeug') },
    losesAuthorization: [],
    source: 'pallets/werkzeug:src/werkzeug/serving.py',
  },
  {
    product: 'Apache Tomcat',
    role: 'app',
    match: {
      // Tomcat before 8.5 sent `Server: Apache-Coyote/1.1` (the connector's version, not Tomcat's).
      server: /^Apache-Coyote(?:\/[\d.]+)?$/i,
      // ErrorReportValve: `<h3>Apache Tomcat/9.0.80</h3>`.
      body: /Apache Tomcat(?:\/(?<v>\d[\w.-]*))?/,
    },
    losesAuthorization: [],
    source: 'apache/tomcat:java/org/apache/catalina/valves/ErrorReportValve.java',
  },
  {
    product: 'Jetty',
    role: 'app',
    match: {
      server: /(?:^|\s)Jetty(?:\((?<v>[^)\s]*)\))?/,
      body: /Powered by Jetty:\/\//,
    },
    losesAuthorization: [],
    source:
      'jetty/jetty.project:jetty-server/src/main/java/org/eclipse/jetty/server/handler/ErrorHandler.java',
  },
];
