import { generateKeyPair, SignJWT } from 'jose';
import { decodeJwt } from '../parse/jwt.js';
import type { TokenView } from './types.js';

/** A token's header and claims when it is a JWT (not verified: the audit only reads what it holds). */
export function tokenView(token: string | undefined): TokenView | undefined {
  if (!token) return undefined;
  const d = decodeJwt(token);
  return d.ok ? { header: d.jwt.header, claims: d.jwt.payload } : undefined;
}

/** The scopes a token grants, from `scope` (RFC 9068 §2.2.3, space-separated) or `scp` (a list, Azure and Okta). */
export function tokenScopes(t: TokenView | undefined): string[] | undefined {
  if (!t) return undefined;
  const { scope, scp } = t.claims;
  if (typeof scope === 'string') return scope.split(/\s+/).filter(Boolean);
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  if (typeof scp === 'string') return scp.split(/\s+/).filter(Boolean);
  return undefined;
}

/**
 * A token that looks like the API's own but expired an hour ago, signed with a key made for this run
 * and thrown away: the server must refuse it with 401 `invalid_token` (RFC 6750 §3.1) whichever
 * check it makes first, signature or `exp`. It copies `iss`, `aud`, `sub`, `scope` and the `kid`
 * of --token when that is a JWT, so it reaches the same verification path a real expired token would.
 */
export async function expiredLookalike(like: TokenView | undefined, nowMs: number): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  const now = Math.floor(nowMs / 1000);
  const claims: Record<string, unknown> = {};
  for (const k of ['iss', 'aud', 'sub', 'scope', 'client_id'])
    if (like?.claims[k] !== undefined) claims[k] = like.claims[k];
  const header: { alg: string; typ: string; kid?: string } = { alg: 'ES256', typ: 'at+jwt' };
  if (typeof like?.header.kid === 'string') header.kid = like.header.kid;
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .setJti(`why401-audit-${now}`)
    .sign(privateKey);
}
