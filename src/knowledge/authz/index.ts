import { readAws } from './aws.js';
import { readAzure } from './azure.js';
import { readCsrf } from './csrf.js';
import { readGitHub } from './github.js';
import { readGoogle } from './google.js';
import { readKeycloak } from './keycloak.js';
import { readKubernetes } from './kubernetes.js';
import { readOAuthScope } from './oauth.js';
import { readOpa } from './opa.js';
import type { AuthzDecision, AuthzInput, AuthzReader } from './types.js';

export type { AuthzDecision, AuthzInput, AuthzQuote, AuthzReader, AuthzRule } from './types.js';

/**
 * Every platform's reader, most specific first: a platform's own shape (a Kubernetes Status, an
 * AWS message, a googleapis error) before the words several share (RFC 6750 insufficient_scope,
 * the CSRF messages). Each one is a pure function of the answer.
 */
export const AUTHZ_READERS: readonly AuthzReader[] = [
  readKubernetes,
  readAws,
  readGoogle,
  readAzure,
  readGitHub,
  readKeycloak,
  readOpa,
  readOAuthScope,
  readCsrf,
];

/** The decision the answer states, if a platform's words are recognised. */
export function readAuthzDecision(input: AuthzInput): AuthzDecision | undefined {
  for (const read of AUTHZ_READERS) {
    const d = read(input);
    if (d) return d;
  }
  return undefined;
}
