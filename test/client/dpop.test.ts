import { randomUUID } from 'node:crypto';
import * as jose from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { withAuth, type DpopProofRequest } from '../../src/client/index.js';
import { AUDIENCE, startStack } from './support.js';

/**
 * RFC 9449 §9: a resource server that wants a nonce answers 401 with
 * `WWW-Authenticate: DPoP error="use_dpop_nonce"` and the nonce in `DPoP-Nonce`; the client sends
 * the request again with a proof that carries it. The API here verifies the proofs with jose.
 */

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function dpopKey() {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
  const jwk = await jose.exportJWK(publicKey);
  const jkt = await jose.calculateJwkThumbprint(jwk);
  const proof = async (r: DpopProofRequest, useNonce = true) => {
    const ath = jose.base64url.encode(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(r.accessToken))),
    );
    const claims: jose.JWTPayload = { htm: r.method, htu: r.url.split(/[?#]/)[0], ath, jti: randomUUID() };
    if (useNonce && r.nonce) claims.nonce = r.nonce;
    return new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .sign(privateKey);
  };
  return { jkt, proof };
}

describe('DPoP use_dpop_nonce: one retry with the nonce', () => {
  it('retries once with a proof carrying the nonce, then reuses the nonce for the next request', async () => {
    stack = await startStack({ dpopNonce: 'nonce-from-rs' });
    const { issuer, api } = stack;
    const key = await dpopKey();
    const token = await issuer.sign({ sub: 'user-1', aud: AUDIENCE, scope: 'read', cnf: { jkt: key.jkt } });
    let refreshes = 0;
    const nonces: Array<string | undefined> = [];
    const apiFetch = withAuth(fetch, {
      getToken: () => token,
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      dpop: (r) => (nonces.push(r.nonce), key.proof(r)),
      locks: false,
    });
    const res = await apiFetch(`${api.url}/me?n=1`);
    expect(res.status).toBe(200);
    expect(api.hits.map((h) => h.status)).toEqual([401, 200]);
    expect(nonces).toEqual([undefined, 'nonce-from-rs']);
    const again = await apiFetch(`${api.url}/me?n=2`);
    expect(again.status).toBe(200);
    expect(api.hits).toHaveLength(3);
    expect(refreshes).toBe(0);
  });

  it('a server that keeps asking for a nonce gets one retry, and the 401 back: no loop, no refresh', async () => {
    stack = await startStack({ dpopNonce: 'nonce-from-rs' });
    const { issuer, api } = stack;
    const key = await dpopKey();
    const token = await issuer.sign({ sub: 'user-1', aud: AUDIENCE, scope: 'read', cnf: { jkt: key.jkt } });
    let refreshes = 0;
    const apiFetch = withAuth(fetch, {
      getToken: () => token,
      refresh: () => (refreshes++, null),
      onSignInRequired: () => undefined,
      // A proof maker that forgets the nonce: the server's answer never changes.
      dpop: (r) => key.proof(r, false),
      locks: false,
    });
    const res = await apiFetch(`${api.url}/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/use_dpop_nonce/);
    expect(api.hits).toHaveLength(2);
    expect(refreshes).toBe(0);
  });
});
