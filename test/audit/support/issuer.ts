/**
 * A small issuer for the audit's tests (node:http + jose): OIDC discovery and a JWKS with two RSA
 * keys (the current one and the next, published ahead of a rotation), served with a cache
 * lifetime, and `sign()` for RFC 9068 access tokens. Options make it unhealthy on purpose.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as jose from 'jose';

export interface AuditIssuerOptions {
  /** Publish only the current key (no rotation in view). */
  singleKey?: boolean;
  /** No Cache-Control on the JWKS. */
  noCache?: boolean;
}

export interface AuditIssuer {
  issuer: string;
  /** An RFC 9068 access token: typ at+jwt, iss, aud, sub, client_id, iat, exp (+5 min), jti, and `scope`. */
  sign(opts: { audience: string; scope: string; claims?: jose.JWTPayload; ttl?: number }): Promise<string>;
  close(): Promise<void>;
}

async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, jwk };
}

export async function startAuditIssuer(o: AuditIssuerOptions = {}): Promise<AuditIssuer> {
  const [current, next] = await Promise.all([rsaKey('key-2026-1'), rsaKey('key-2026-2')]);
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const json = (body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration')
      return json({ issuer, jwks_uri: `${issuer}/jwks.json`, token_endpoint: `${issuer}/token` });
    if (req.url === '/jwks.json')
      return json(
        { keys: o.singleKey ? [current.jwk] : [current.jwk, next.jwk] },
        o.noCache ? {} : { 'Cache-Control': 'public, max-age=600' },
      );
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  issuer = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    issuer,
    sign: ({ audience, scope, claims, ttl = 300 }) =>
      new jose.SignJWT({ scope, client_id: 'audit-client', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: current.kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject('user-1')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
        .setJti(randomUUID())
        .sign(current.privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
