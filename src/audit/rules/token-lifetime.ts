import { CITE, PASS, apiRule, fail } from './rule.js';

/** A day: longer-lived bearer tokens are refresh tokens in disguise. */
export const MAX_LIFETIME_S = 24 * 3600;

export default apiRule(
  {
    id: 'audit.token-lifetime',
    category: 'discovery',
    severity: 'warning',
    weight: 2,
    title: 'The sample token lives longer than a day',
    description:
      'A bearer token works for whoever holds it until it expires: RFC 6750 asks for short-lived tokens, refreshed as needed.',
    cites: [CITE.rfc6750_lifetime],
    fixes: [
      {
        server: 'any',
        fix: "set the access token lifetime at the issuer to minutes or hours (Auth0: the API's Token Expiration; Keycloak: Access Token Lifespan)",
      },
    ],
  },
  (api) => {
    const c = api.token?.claims;
    if (!c || typeof c.exp !== 'number') return undefined;
    const from = typeof c.iat === 'number' ? c.iat : Math.floor(api.now / 1000);
    const life = c.exp - from;
    return life > MAX_LIFETIME_S
      ? fail(`exp − ${typeof c.iat === 'number' ? 'iat' : 'now'} = ${Math.round(life / 3600)} h`)
      : PASS;
  },
);
