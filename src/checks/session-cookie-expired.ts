import { jarCookiesForUrl } from '../parse/cookie-jar.js';
import { defineCheck } from './check.js';
import type { Facts } from '../facts/request.js';
import { durationWords } from './credential-util.js';

/**
 * A cookie jar (curl -b FILE) that holds an expired cookie for this URL: curl, like a browser,
 * no longer sends it, so the session the request relied on is gone (RFC 6265 §5.3 step 11).
 */
function sentCookieNames(f: Facts): Set<string> {
  const names = new Set<string>();
  for (const c of f.credentials.filter((x) => x.kind === 'cookie')) {
    for (const part of c.value.split(';')) names.add(part.split('=')[0]!.trim());
  }
  return names;
}

export default defineCheck(
  {
    id: 'session.cookie-expired',
    plain: 'The cookie that keeps you signed in has expired',
    directness: 0,
    absorbs: ['login.redirect', 'login.page', 'credentials.rejected', 'token.fresh-token-works'],
    freshConfirms: true,
    step: 2,
    kind: 'cause',
    title: 'The session cookie has expired',
    fix: 'Sign in again to get a fresh session cookie (and save it with curl -c FILE), then retry.',
    ref: 'RFC 6265 §5.3, §5.4',
  },
  (f) => {
    const jar = f.ev.request.cookieJar;
    if (!jar?.length) return;
    const expired = jarCookiesForUrl(jar, f.ev.request.url).filter(
      (c) => c.expires !== 0 && c.expires * 1000 <= f.serverNow,
    );
    if (!expired.length) return;
    const failed =
      f.status === undefined || f.status === 401 || f.status === 403 || (f.status >= 300 && f.status < 400);
    return expired.map((c) => ({
      // Not sent and the request was refused: that is the whole story, unless another cookie took its place.
      confidence: !failed
        ? ('possible' as const)
        : sentCookieNames(f).has(c.name)
          ? ('likely' as const)
          : ('confirmed' as const),
      title: `The cookie ${c.name} for ${c.domain} expired ${durationWords(f.serverNow - c.expires * 1000)} ago, so it was not sent`,
      detail: `Expiry ${new Date(c.expires * 1000).toISOString()} in the cookie jar; the server clock says ${new Date(f.serverNow).toISOString()}.`,
      evidence: [
        {
          probe: 'input',
          where: `cookie-jar.${c.name}.expires`,
          value: new Date(c.expires * 1000).toISOString(),
        },
      ],
    }));
  },
);
