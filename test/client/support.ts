import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

/**
 * A real resource server for the client's tests: node:http, tokens verified with jose against a
 * real issuer's JWKS (test/support/issuer.ts), refusals as RFC 6750 §3 and RFC 9449 §7.1/§9
 * write them. It counts every request by path, token and the `n` the test put in the query.
 */

export const AUDIENCE = 'https://api.why401.test';
export const CLIENT = { id: 'why401-cli', secret: 'test-secret' };

export interface Hit {
  path: string;
  n: string | null;
  token: string | undefined;
  status: number;
  body: string;
}

export interface ApiOptions {
  /** Require DPoP-bound tokens and a proof carrying the server's current nonce (RFC 9449 §9). */
  dpopNonce?: string;
  /** The audience the API accepts (default AUDIENCE). */
  audience?: string;
}

export interface TestApi {
  url: string;
  hits: Hit[];
  /** Tokens (by jti) the API now refuses as revoked. */
  revoked: Set<string>;
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, challenge: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { 'WWW-Authenticate': challenge, 'Cache-Control': 'no-store', ...extra });
  res.end(JSON.stringify({ status }));
}

export async function startApi(issuer: TestIssuer, o: ApiOptions = {}): Promise<TestApi> {
  const jwks = jose.createRemoteJWKSet(new URL(issuer.jwksUri));
  const hits: Hit[] = [];
  const revoked = new Set<string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? '';
    const scheme = o.dpopNonce ? 'DPoP' : 'Bearer';
    const m = new RegExp(`^${scheme} (\\S+)$`, 'i').exec(auth);
    const token = m?.[1];
    const hit: Hit = { path: u.pathname, n: u.searchParams.get('n'), token, status: 0, body };
    hits.push(hit);
    const done = (status: number) => (hit.status = status);
    if (u.pathname === '/public') {
      done(200);
      res.end('public');
      return;
    }
    if (u.pathname === '/boom') {
      done(500);
      res.writeHead(500).end('boom');
      return;
    }
    if (!token) {
      done(401);
      return refuse(res, 401, `${scheme} realm="api"`);
    }
    let payload: jose.JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(token, jwks, {
        issuer: issuer.issuer,
        audience: o.audience ?? AUDIENCE,
      }));
      if (payload.jti && revoked.has(payload.jti)) throw new Error('revoked');
    } catch (e) {
      done(401);
      const why =
        e instanceof jose.errors.JWTExpired ? 'The access token expired' : 'The access token is invalid';
      return refuse(res, 401, `${scheme} realm="api", error="invalid_token", error_description="${why}"`);
    }
    if (o.dpopNonce) {
      const problem = await checkDpop(req, token, payload, o.dpopNonce);
      if (problem === 'nonce') {
        done(401);
        return refuse(
          res,
          401,
          'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
          {
            'DPoP-Nonce': o.dpopNonce,
          },
        );
      }
      if (problem) {
        done(401);
        return refuse(res, 401, `DPoP error="invalid_dpop_proof", error_description="${problem}"`);
      }
    }
    const scopes = String(payload.scope ?? '').split(' ');
    if (u.pathname === '/write' && !scopes.includes('write')) {
      done(403);
      return refuse(res, 403, `${scheme} realm="api", error="insufficient_scope", scope="write"`);
    }
    if (u.pathname === '/admin') {
      done(403);
      res.writeHead(403).end('no');
      return;
    }
    done(200);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sub: payload.sub, n: hit.n, body }));
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    revoked,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** RFC 9449 §4.3: the proof's signature, typ, htm, htu, ath, the token's cnf.jkt, and §9 the nonce. */
async function checkDpop(
  req: IncomingMessage,
  token: string,
  payload: jose.JWTPayload,
  nonce: string,
): Promise<string | 'nonce' | undefined> {
  const proof = req.headers.dpop;
  if (typeof proof !== 'string') return 'no DPoP proof';
  let claims: jose.JWTPayload;
  let jwk: jose.JWK;
  try {
    const r = await jose.jwtVerify(proof, jose.EmbeddedJWK, { typ: 'dpop+jwt', maxTokenAge: 300 });
    claims = r.payload;
    jwk = r.protectedHeader.jwk as jose.JWK;
  } catch {
    return 'bad proof';
  }
  const url = `http://${req.headers.host}${(req.url ?? '/').split('?')[0]}`;
  if (claims.htm !== req.method || claims.htu !== url) return 'htm/htu mismatch';
  const ath = jose.base64url.encode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))),
  );
  if (claims.ath !== ath) return 'ath mismatch';
  const cnf = payload.cnf as { jkt?: string } | undefined;
  if (cnf?.jkt !== (await jose.calculateJwkThumbprint(jwk))) return 'key not bound';
  if (claims.nonce !== nonce) return 'nonce';
  return undefined;
}

/** An issuer and an API that trusts it. */
export async function startStack(o: ApiOptions & { issuerAudience?: string } = {}) {
  const issuer = await startIssuer({ audience: o.issuerAudience ?? AUDIENCE });
  const api = await startApi(issuer, o);
  return {
    issuer,
    api,
    close: async () => {
      await api.close();
      await issuer.close();
    },
  };
}

/** A token the API refuses as expired (RFC 6750 invalid_token). */
export function expiredToken(issuer: TestIssuer, scope = 'read'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return issuer.sign({ sub: 'user-1', aud: AUDIENCE, scope, iat: now - 600, exp: now - 60 });
}

/**
 * The app's side of a session as a careful app writes it: tokens kept in one place, refresh by
 * the refresh_token grant (RFC 6749 §6) at the real issuer, the rotated refresh token stored
 * before the new access token is handed back.
 */
export function tokenStore(issuer: TestIssuer, accessToken: string, refreshToken: string) {
  const s = {
    accessToken: accessToken as string | null,
    refreshToken,
    refreshCalls: 0,
    /** Every refresh token sent to the issuer, in order. */
    spent: [] as string[],
    getToken: () => s.accessToken,
    refresh: async (): Promise<string> => {
      s.refreshCalls++;
      s.spent.push(s.refreshToken);
      const r = await fetch(issuer.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: s.refreshToken,
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
        }),
      });
      const j = (await r.json()) as { access_token?: string; refresh_token?: string; error?: string };
      if (!r.ok || !j.access_token) throw new Error(`token endpoint: ${r.status} ${j.error ?? ''}`);
      if (j.refresh_token) s.refreshToken = j.refresh_token;
      s.accessToken = j.access_token;
      return j.access_token;
    },
  };
  return s;
}

/** Token requests the issuer received. */
export function tokenRequests(issuer: TestIssuer) {
  return issuer.received.filter((r) => r.path === '/token');
}
