import type { ApiDescription, SecurityScheme } from './types.js';

/** The scheme --path operations use: RFC 6750's Bearer. */
export const PATH_SCHEME: SecurityScheme = { name: 'bearer', type: 'http', httpScheme: 'bearer' };

/** Whether the document declares any scheme that takes a bearer token. */
export function isBearerishDescription(d: ApiDescription): boolean {
  return Object.values(d.schemes).some(
    (s) =>
      (s.type === 'http' && s.httpScheme === 'bearer') || s.type === 'oauth2' || s.type === 'openIdConnect',
  );
}
