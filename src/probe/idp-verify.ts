/**
 * Checks a token's signature against a JWKS already fetched, locally (no network), with jose.
 * Signature only: exp, aud, iss and the rest are judged by pure checks from the decoded claims.
 */
import type * as Jose from 'jose';

/**
 * jose is loaded on first use, not at start-up: the CLI's path to its first request stays short,
 * and `preloadJose()` lets the planner load it while the discovery requests are in flight.
 */
let jose: typeof Jose;
let loading: Promise<typeof Jose> | undefined;
export function preloadJose(): Promise<typeof Jose> {
  loading ??= import('jose').then((m) => (jose = m));
  return loading;
}
import type { FetchedDocument, TokenVerification, VerificationResult } from '../model/evidence.js';
import { isObject } from './idp-http.js';
import { describeKeys, refetchCachedJwks } from './idp-jwks.js';

/**
 * Asymmetric JWS algorithms only (RFC 7518 §3.1, RFC 8037): a resource server that verifies with
 * public keys must refuse `none` and the HMAC family, or a token "signed" with the public key as an
 * HMAC secret passes (RFC 8725 §2.1, §3.1 algorithm confusion).
 */
const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

function isConfusable(alg: string): boolean {
  return alg.toLowerCase() === 'none' || /^HS\d+$/i.test(alg);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** jose's error, in the terms of the evidence. */
function classify(
  e: unknown,
  alg: string,
  kid: string | undefined,
  v: TokenVerification,
): VerificationResult {
  switch (codeOf(e)) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return isConfusable(alg) ? 'alg-not-allowed' : 'unsupported';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      // The key is gone (rotation) when no key has the token's kid; otherwise the kid is there but
      // its kty, alg or use does not fit the token's alg.
      return kid !== undefined && !v.jwksKeys.some((k) => k.kid === kid) ? 'kid-unknown' : 'no-usable-key';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature-invalid';
    case 'ERR_JWS_INVALID':
      return 'not-a-jws';
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
      return 'no-usable-key';
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'unsupported';
    default:
      // jose throws a plain TypeError for an RSA key under 2048 bits (RFC 7518 §3.3): a key, but not a usable one.
      return e instanceof TypeError ? 'no-usable-key' : 'unsupported';
  }
}

/** When several keys match (no kid, or a repeated kid), try each: jose leaves that to the caller. */
async function tryEach(token: string, e: unknown): Promise<boolean> {
  for await (const key of e as AsyncIterable<CryptoKey>) {
    try {
      await jose.compactVerify(token, key, { algorithms: ASYMMETRIC });
      return true;
    } catch {
      // The next key may verify.
    }
  }
  return false;
}

export async function verifySignature(token: string, jwks: FetchedDocument): Promise<TokenVerification> {
  await preloadJose();
  const v: TokenVerification = { jwksUrl: jwks.url, jwksKeys: describeKeys(jwks.json), result: 'valid' };
  const t = token.trim();
  const parts = t.split('.').length;
  if (parts === 5) {
    return {
      ...v,
      result: 'unsupported',
      message: 'an encrypted token (JWE): there is no signature to check',
    };
  }
  let header: Jose.ProtectedHeaderParameters;
  try {
    if (parts !== 3) throw new Error(`a compact JWS has 3 dot-separated parts; this token has ${parts}`);
    header = jose.decodeProtectedHeader(t);
  } catch (e) {
    return { ...v, result: 'not-a-jws', message: message(e) };
  }
  if (typeof header.kid === 'string') v.kid = header.kid;
  if (typeof header.alg === 'string') v.alg = header.alg;
  // A kid the stored key set lacks is what a rotation looks like from a cache: the set is asked
  // again from the server before anything is said about that kid (issue 16).
  if (v.kid !== undefined && !v.jwksKeys.some((k) => k.kid === v.kid) && (await refetchCachedJwks(jwks))) {
    v.jwksUrl = jwks.url;
    v.jwksKeys = describeKeys(jwks.json);
  }
  const alg = v.alg ?? '';

  // The JWKS is built only when jose asks for a key, after it has refused a disallowed alg: an
  // unsigned or HMAC token is reported as such even when the JWKS could not be read.
  const getKey: Jose.CompactVerifyGetKey = (h, tok) => {
    if (!isObject(jwks.json) || !Array.isArray(jwks.json.keys)) {
      throw new jose.errors.JWKSInvalid(`no JSON Web Key Set could be read from ${jwks.url}`);
    }
    return jose.createLocalJWKSet(jwks.json as unknown as Jose.JSONWebKeySet)(h, tok);
  };
  try {
    await jose.compactVerify(t, getKey, { algorithms: ASYMMETRIC });
    return v;
  } catch (e) {
    if (codeOf(e) === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
      if (await tryEach(t, e)) return v;
      return {
        ...v,
        result: 'signature-invalid',
        message: 'no key of the JWKS that fits the token verifies its signature',
      };
    }
    return { ...v, result: classify(e, alg, v.kid, v), message: message(e) };
  }
}
