import type { Gatherer } from './types.js';

/**
 * The JWKS the discovery document names, and the token's signature checked against it. When
 * --issuer names another issuer than the token's, the token's own issuer is discovered here,
 * beside the other discovery, for it is what verifies the token; else this waits for `discovery`.
 * (Not `after: ['discovery']`: that would hold the token issuer's discovery back a round trip.)
 */
export const jwks: Gatherer<'jwks'> = {
  name: 'jwks',
  applies: ({ idp }) => idp?.issuer !== undefined,
  async run({ idp, wait }) {
    const s = idp!;
    const iss = s.tokenIssuer;
    await s.verify(await (iss ? s.discover(iss, "the token's iss") : wait('discovery')));
  },
};
