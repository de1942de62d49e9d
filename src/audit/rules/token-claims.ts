import { CITE, PASS, apiRule, fail } from './rule.js';

/** RFC 9068 §2.2: the claims every JWT access token carries. */
const REQUIRED = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];

export default apiRule(
  {
    id: 'audit.token-claims',
    category: 'discovery',
    severity: 'warning',
    weight: 2,
    title: 'The sample token lacks claims an access token carries',
    description:
      'Without aud, a token for another API is accepted here; without iss or exp it cannot be checked; RFC 9068 lists what an access token must hold.',
    cites: [CITE.rfc9068_claims],
    fixes: [
      {
        server: 'any',
        fix: 'issue JWT access tokens with iss, exp, aud, sub, client_id, iat and jti (request the API as audience / resource at the issuer)',
      },
    ],
  },
  (api) => {
    const c = api.token?.claims;
    if (!c) return undefined;
    const missing = REQUIRED.filter((k) => c[k] === undefined);
    return missing.length ? fail(`the token has no ${missing.join(', ')}`) : PASS;
  },
);
