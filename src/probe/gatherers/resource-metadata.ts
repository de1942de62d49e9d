import type { Gatherer } from './types.js';

/**
 * RFC 9728 protected-resource metadata, when the main request's answer asks for a token (a 401
 * or 403 with a Bearer or DPoP challenge): the challenge's resource_metadata, else the
 * well-known URL of the resource.
 */
export const resourceMetadata: Gatherer<'resource-metadata'> = {
  name: 'resource-metadata',
  after: ['main'],
  applies: ({ idp, artifact }) => !!idp && idp.wantsResourceMetadata(artifact('main')?.exchanges ?? []),
  run: ({ idp, artifact }) => idp!.resourceMetadata(artifact('main')?.exchanges ?? []),
};
