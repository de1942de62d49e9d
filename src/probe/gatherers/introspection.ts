import type { Gatherer } from './types.js';

/** RFC 7662 introspection of the request's token at --introspect-url, beside everything else. */
export const introspection: Gatherer<'introspection'> = {
  name: 'introspection',
  applies: ({ idp }) => idp?.wantsIntrospection === true,
  run: ({ idp }) => idp!.introspect(),
};
