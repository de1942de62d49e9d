import { sha256Hex } from '../spec/sha256.js';

/**
 * A secret's stand-in in every output: enough to tell two secrets apart and to match the same
 * secret across reports, never enough to use it. Long secrets keep their first six characters
 * (for a JWT that is `eyJhbG`, the encoded `{"alg"`, which says nothing); short ones keep none.
 */
export function fingerprint(secret: string): string {
  const hash = sha256Hex(secret).slice(0, 6);
  return secret.length >= 24 ? `${secret.slice(0, 6)}…(sha256:${hash})` : `…(sha256:${hash})`;
}
