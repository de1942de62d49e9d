import type { Gatherer } from './types.js';

/**
 * OpenID Connect / RFC 8414 discovery of --issuer or the token's iss. What the token already says
 * is enough to start it, so it leaves beside the user's request, not after it.
 */
export const discovery: Gatherer<'discovery'> = {
  name: 'discovery',
  applies: ({ idp }) => idp?.issuer !== undefined,
  run: ({ idp }) => idp!.discoverIssuer(),
};
