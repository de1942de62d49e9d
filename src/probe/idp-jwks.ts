/** The issuer's JSON Web Key Set (RFC 7517 §5), fetched and described, never judged. */
import type { FetchedDocument, TokenVerification } from '../model/evidence.js';
import { bodyProblem, failedDocument, recording, statusProblem, urlProblem } from './idp-answer.js';
import {
  cachedOnlyIfSound,
  idpFetch,
  isObject,
  jsonOf,
  noteCached,
  since,
  type IdpHttp,
} from './idp-http.js';

/** Key types that can verify a JWS signature: RFC 7518 §6.1 (RSA, EC) and RFC 8037 (OKP). */
const SIGNING_KTY = new Set(['RSA', 'EC', 'OKP']);

/** A key a resource server could verify with: an asymmetric type, `use` absent or "sig" (RFC 7517 §4.2). */
export function isSigningKey(k: unknown): boolean {
  return isObject(k) && SIGNING_KTY.has(k.kty as string) && (k.use === undefined || k.use === 'sig');
}

/** kid, kty, alg and use of every key in a JWKS document (not the key material). */
export function describeKeys(json: unknown): TokenVerification['jwksKeys'] {
  if (!isObject(json) || !Array.isArray(json.keys)) return [];
  return json.keys.map((k: unknown) => {
    const out: TokenVerification['jwksKeys'][number] = {};
    if (!isObject(k)) return out;
    for (const f of ['kid', 'kty', 'alg', 'use'] as const) if (typeof k[f] === 'string') out[f] = k[f];
    return out;
  });
}

function keysProblem(json: Record<string, unknown>): string | undefined {
  if (!Array.isArray(json.keys)) return 'the document has no "keys" array (RFC 7517 §5)';
  if (json.keys.some(isSigningKey)) return undefined;
  if (json.keys.length === 0) return 'the "keys" array is empty: there is no key to verify a signature with';
  const found = describeKeys(json)
    .map((k) => `${k.kty ?? 'no kty'}${k.use ? ` use ${k.use}` : ''}${k.kid ? ` (kid ${k.kid})` : ''}`)
    .join(', ');
  return `no key is usable for signatures (an RSA, EC or OKP key with use "sig" or no use); it holds: ${found}`;
}

/**
 * How to ask the server again for a JWKS the cache gave: verifySignature does when the token's kid
 * is not in the stored set (the keys were rotated since), before it says anything about that kid.
 */
const reloaders = new WeakMap<FetchedDocument, () => Promise<FetchedDocument>>();

/**
 * Fetches the JWKS again from the server, unconditionally, when `doc` came from the cache (true);
 * else does nothing (false: it is already the server's current answer). The document is replaced
 * in place, so the evidence that already holds it shows the set that was actually used.
 */
export async function refetchCachedJwks(doc: FetchedDocument): Promise<boolean> {
  const reload = reloaders.get(doc);
  if (!reload) return false;
  reloaders.delete(doc);
  const fresh = await reload();
  for (const k of Object.keys(doc)) delete (doc as unknown as Record<string, unknown>)[k];
  Object.assign(doc, fresh);
  return true;
}

/** GETs the JWKS at `url` (`from`: "jwks_uri of the discovery document", …) and says what is wrong with it. */
export async function fetchJwks(url: string, from: string, http: IdpHttp): Promise<FetchedDocument> {
  const doc = await cachedOnlyIfSound((reload) => fetchJwksOnce(url, from, http, reload));
  if (doc.cached) reloaders.set(doc, () => fetchJwksOnce(url, from, http, true));
  return doc;
}

async function fetchJwksOnce(
  url: string,
  from: string,
  http: IdpHttp,
  reload: boolean,
): Promise<FetchedDocument> {
  const t0 = performance.now();
  const bad = urlProblem(url, 'jwks_uri');
  if (bad) return { kind: 'jwks', url, from, problem: bad, ms: 0 };
  const f = recording(idpFetch(http, { scope: 'jwks', reload }));
  let res: Response;
  try {
    // The media type of RFC 7517 §8.5 first, as jose asks for it.
    res = await f.fetch(url, {
      method: 'GET',
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
  } catch (e) {
    return failedDocument('jwks', url, from, e, since(t0));
  }
  const json = await jsonOf(res);
  const doc: FetchedDocument = { kind: 'jwks', url, from, status: res.status, ms: 0 };
  if (json !== undefined) doc.json = json;
  noteCached(doc, res);
  const problem =
    statusProblem(res) ?? bodyProblem(res, json) ?? (isObject(json) ? keysProblem(json) : undefined);
  if (problem) doc.problem = problem;
  doc.ms = since(t0);
  return doc;
}
