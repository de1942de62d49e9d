import { errorAnswers, isHtml } from './error-body.js';
import { CITE, PASS, fail, operationRule } from './rule.js';
import { said } from './util.js';

export default operationRule(
  {
    id: 'audit.error-body-html',
    category: 'errors',
    severity: 'error',
    weight: 5,
    title: 'An API error answered with an HTML page',
    description:
      'The request asked for JSON (Accept: application/json) and got a web page: API clients cannot read the reason, and a sign-in or error page in a JSON parser is a crash.',
    cites: [CITE.rfc9457],
    fixes: [
      {
        server: 'Express',
        fix: 'install an error handler after the routes that answers res.status(err.status ?? 500).type("application/problem+json").json({ type, title, status, detail }) (the default one renders HTML)',
      },
      {
        server: 'nginx',
        fix: 'error_page 401 = @json401; location @json401 { default_type application/problem+json; return 401 \'{"title":"Unauthorized","status":401}\'; }',
      },
      {
        server: 'Spring Security',
        fix: "use the resource server's BearerTokenAuthenticationEntryPoint for /api/** instead of the login page",
      },
    ],
  },
  (op) => {
    const errs = errorAnswers(op);
    if (errs.length === 0) return undefined;
    const html = errs.filter(isHtml);
    return html.length ? fail(...html.map((ex) => said(ex, 'Content-Type'))) : PASS;
  },
);
