import type { Exchange } from '../model/evidence.js';
import { headerValue } from '../model/http.js';
import { defineCheck } from './check.js';
import { requestUrl } from './cite.js';
import { isOkStatus, preflightReasons } from '../spec/cors.js';
import { combined, corsView, present, reqEvidence, resEvidence, statusEvidence } from './cors-util.js';

/**
 * Fetch §4.8 CORS-preflight fetch: the browser sends `OPTIONS` with Origin and the
 * Access-Control-Request-* headers and no credentials, and goes on only when the answer passes the
 * CORS check and has an ok status (200–299). Redirects are not followed (§4.8 uses
 * HTTP-network-or-cache fetch): a 3xx fails the preflight too.
 */

const AUTH_FIX =
  'Let OPTIONS through before authentication and answer it 204 with the CORS headers: the preflight carries no credentials by design. ' +
  "Express: `app.options('*', cors())` (Express 5: `app.options('/{*splat}', cors())`) or `app.use(cors(...))` before the auth middleware; " +
  'Spring Security: `http.cors(Customizer.withDefaults())`, or `.requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()`; ' +
  'nginx: `if ($request_method = OPTIONS) { return 204; }` (with the add_header CORS lines) before `auth_request` / `auth_basic`; ' +
  'ASP.NET Core: `app.UseCors()` before `app.UseAuthentication()`; API gateways: exempt OPTIONS from the authorizer.';

function notOk(status: number, x: Exchange): { what: string; fix: string } {
  if (status >= 300 && status <= 399) {
    const loc = headerValue(x.response!.headers, 'location');
    return {
      what: `a ${status} redirect${loc ? ` to ${loc}` : ''}: browsers never follow a redirect on a preflight, it fails`,
      fix: `Have the page call the URL the server wants${loc ? ` (${loc})` : ''} directly (often a trailing slash or http → https), or answer OPTIONS on this URL with 204 and the CORS headers instead of redirecting.`,
    };
  }
  if (status === 404 || status === 405 || status === 501)
    return {
      what: `${status}: the server has no handler for OPTIONS on this path, so nothing answers the preflight`,
      fix: 'Enable the CORS middleware for this route (or globally) so OPTIONS is answered 204 with Access-Control-Allow-Origin, -Methods and -Headers.',
    };
  if (status >= 500)
    return {
      what: `${status}: the server fails on the OPTIONS request`,
      fix: 'Fix the OPTIONS handler (its response body may say why) so it answers 204 with the CORS headers.',
    };
  return {
    what: `${status}, which is not an ok status (200–299)`,
    fix: 'Answer OPTIONS with 204 (or 200) and the CORS headers.',
  };
}

export default defineCheck(
  {
    id: 'cors.preflight-rejected',
    plain: "The site refuses the browser's safety check (CORS) that comes before the request",
    directness: 0,
    step: 0,
    kind: 'cause',
    title: "The browser's CORS preflight (OPTIONS) is refused",
    fix: AUTH_FIX,
    ref: 'Fetch Standard §4.8 CORS-preflight fetch (ok status, no credentials), §3.2.2',
  },
  (f) => {
    const v = corsView(f);
    const x = v?.preflight;
    if (!v || !x) return;
    const status = x.response!.status;
    if (isOkStatus(status)) return;
    const sent = present([
      reqEvidence(x, 'origin'),
      reqEvidence(x, 'access-control-request-method'),
      reqEvidence(x, 'access-control-request-headers'),
    ]);
    const evidence = [
      requestUrl(x),
      statusEvidence(x),
      ...sent,
      ...present([
        resEvidence(x, 'www-authenticate'),
        resEvidence(x, 'location'),
        resEvidence(x, 'access-control-allow-origin'),
      ]),
    ];
    const sentLine = present(
      ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'].map((n) => {
        const e = reqEvidence(x, n);
        return e && `"${n}: ${e.value}"`;
      }),
    ).join(', ');
    const why = preflightReasons(f.ev.request).join('; ');
    const acao = combined(x, 'access-control-allow-origin');
    const curl =
      f.status !== undefined
        ? ` The request itself, sent without a preflight as curl sends it, got ${f.status}: that is not what the browser sees.`
        : '';
    const head = `The page's ${v.method} needs a preflight (${why}). The browser first sends OPTIONS ${x.request.url} with ${sentLine} and no Authorization and no cookies: a preflight never carries credentials.`;
    const after = `the real request never leaves the browser, and the page only sees a CORS error ("Response to preflight request doesn't pass access control check"${acao === undefined ? ', "No \'Access-Control-Allow-Origin\' header is present"' : ''}).${curl}`;
    if (status === 401 || status === 403) {
      return {
        confidence: 'confirmed',
        title: `The browser's CORS preflight (OPTIONS) is answered ${status}: the server demands credentials that browsers never send on a preflight`,
        detail: `${head} The server answered ${status}, and a preflight must get an ok status (200–299), so the browser stops there: ${after}`,
        evidence,
      };
    }
    const n = notOk(status, x);
    return {
      confidence: 'likely',
      title: `The browser's CORS preflight (OPTIONS) is answered ${status}, so the browser never sends the request`,
      detail: `${head} The server answered ${n.what}. A preflight must get an ok status (200–299): ${after}`,
      fix: n.fix,
      evidence,
    };
  },
);
