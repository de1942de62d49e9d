import type { Facts } from '../facts/request.js';
import type { Finding } from '../model/finding.js';
import type { Outcome } from '../model/report.js';
import { headerValues } from '../model/http.js';

const UNUSABLE_ANSWER = new Set(['server.status-invalid', 'url.redirect-loop']);

/** What happened to the user's own request, in one word (report.md `outcome`). */
export function outcomeOf(f: Facts, findings: Finding[]): Outcome {
  const final = f.final;
  // Nothing was sent to the API (why401 token, --offline): the verdict is the token's own.
  if (!final)
    return findings.some((x) => x.kind === 'cause')
      ? 'unauthorized'
      : f.ev.source === 'token' && !findings.some((x) => x.id === 'token.opaque')
        ? 'ok'
        : // An opaque token cannot be judged offline: not "ok", and no auth problem either.
          'error';
  if (final.error && findings.some((x) => x.id === 'network.proxy-auth-required')) return 'unauthorized';
  // An answer no client can act on (a status outside 100–599, a redirect to file:, redirects that
  // never end) is a failure with a named cause, not "ok" because the last status was a 3xx, nor
  // "unreachable" because undici refused the status line.
  if (findings.some((x) => UNUSABLE_ANSWER.has(x.id) && x.kind === 'cause')) return 'error';
  if (final.error) return final.error.phase === 'refused-by-tool' ? 'error' : 'unreachable';
  if (findings.some((x) => (x.id === 'login.redirect' || x.id === 'login.page') && x.kind === 'cause'))
    return 'login-required';
  const s = f.status ?? 0;
  // With --origin, a browser's request fails at its CORS check even when curl's succeeds.
  if (s >= 200 && s < 400 && findings.some((x) => x.id.startsWith('cors.') && x.kind === 'cause')) {
    const pre = f.ev.exchanges.find((x) => x.probe === 'preflight')?.response?.status;
    return pre === 401 ? 'unauthorized' : pre === 403 ? 'forbidden' : 'error';
  }
  // A forward proxy's 407 is a refusal for want of (proxy) credentials (RFC 9110 §15.5.8).
  if (s === 401 || s === 407) return 'unauthorized';
  if (s === 403) return 'forbidden';
  // express-oauth2-jwt-bearer answers a malformed Authorization header with 400 and a challenge.
  if (s === 400 && f.response && headerValues(f.response.headers, 'www-authenticate').length > 0)
    return 'unauthorized';
  if (s >= 200 && s < 400) return 'ok';
  return 'error';
}

export function isAuthFailure(o: Outcome): boolean {
  return o === 'unauthorized' || o === 'forbidden' || o === 'login-required';
}
