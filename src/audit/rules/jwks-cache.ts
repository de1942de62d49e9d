import { headerValue } from '../../model/http.js';
import { CITE, PASS, apiRule, fail } from './rule.js';
import { jwksKeys } from './doc-util.js';

export default apiRule(
  {
    id: 'audit.jwks-cache',
    category: 'discovery',
    severity: 'warning',
    weight: 2,
    title: 'The JWKS says nothing about how long to cache it',
    description:
      'Resource servers cache the keys; a Cache-Control max-age tells them how long, so a rotation is picked up in bounded time and the issuer is not asked on every request.',
    cites: [CITE.rfc9111_store],
    fixes: [
      {
        server: 'any',
        fix: 'Cache-Control: public, max-age=600 (shorter than the overlap between publishing a new key and signing with it)',
      },
    ],
  },
  (api) => {
    const doc = api.jwks;
    if (!doc || !jwksKeys(doc)) return undefined;
    const cc = (headerValue(doc.headers, 'cache-control') ?? '').toLowerCase();
    if (/no-store/.test(cc)) return fail(`${doc.url}: Cache-Control: ${cc}`);
    return /(?:^|,)\s*(?:s-)?max-age=\s*[1-9]/.test(cc) || headerValue(doc.headers, 'expires')
      ? PASS
      : fail(`${doc.url}: ${cc ? `Cache-Control: ${cc}` : 'no Cache-Control'}`);
  },
);
