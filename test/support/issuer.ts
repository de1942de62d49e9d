/**
 * A small, real OAuth 2.0 / OpenID Connect issuer for tests (node:http + jose): discovery, JWKS,
 * a token endpoint (client_credentials, refresh_token) and introspection (RFC 7662). It records
 * every request it receives, so a test can assert that no access token was ever sent to it.
 *
 * Why not oidc-provider: deps.md §4 measured it at 330–450 ms per start and unsupported on Node 20;
 * this one starts in one RSA key generation and answers in the same wire format.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as jose from 'jose';

export interface IssuerClient {
  id: string;
  secret: string;
  /** Scopes the client may obtain (space-separated). */
  scope: string;
}

export interface IssuerOptions {
  /** Default: one client `why401-cli` / `test-secret` with scopes `read write admin`. */
  clients?: IssuerClient[];
  /** `aud` of the access tokens the token endpoint issues, unless the request names `audience` or `resource`. */
  audience?: string;
  /** Access-token lifetime in seconds (default 300). */
  ttl?: number;
  /** Fields to add to or override in both discovery documents (for example a wrong `issuer`). */
  discovery?: Record<string, unknown>;
  /** Whether a refresh grant rotates the refresh token, invalidating the old one (default true). */
  rotateRefreshTokens?: boolean;
}

export interface SignOptions {
  /** `kid` in the header; default the current key's. A kid not in the JWKS gives an unknown-kid token. */
  kid?: string;
  /**
   * `RS256` (default, the current key); `none` (unsigned, `x.y.`); `HS256` (HMAC with the secret
   * `hs256-secret`, the algorithm-confusion case); any other JWS algorithm signs with a throwaway
   * key of that kind, which no JWKS holds.
   */
  alg?: string;
  /** Extra protected-header parameters (`typ`, `jku`, …). */
  header?: Record<string, unknown>;
  /** Sign with a throwaway RSA key that the JWKS does not hold (the signature does not verify). */
  foreignKey?: boolean;
}

export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string | string[]>;
  body: string;
}

export interface TestIssuer {
  /** The issuer identifier: origin, no trailing slash. */
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  introspectionEndpoint: string;
  /** Signs claims; `iss`, `iat`, `exp` (+5 min) and `jti` are filled in unless given (pass `undefined` to leave one out). */
  sign(claims: jose.JWTPayload, opts?: SignOptions): Promise<string>;
  /** Replaces the key set with a new key under a new kid: tokens signed before no longer verify. */
  rotateKeys(): Promise<void>;
  /** A refresh token the token endpoint will accept (client credentials grants do not issue one). */
  issueRefreshToken(opts?: { clientId?: string; sub?: string; scope?: string }): string;
  /** Marks an access token (or its jti) revoked: introspection answers `active: false`. */
  revoke(tokenOrJti: string): void;
  /** The current signing key's kid. */
  readonly kid: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: jose.JWK;
}

interface RefreshGrant {
  clientId: string;
  sub: string;
  scope: string;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const HS256_SECRET = new TextEncoder().encode('hs256-secret');
let keyCounter = 0;

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256');
  const kid = `issuer-key-${++keyCounter}`;
  return { kid, privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startIssuer(opts: IssuerOptions = {}): Promise<TestIssuer> {
  const clients = opts.clients ?? [{ id: 'why401-cli', secret: 'test-secret', scope: 'read write admin' }];
  const ttl = opts.ttl ?? 300;
  const rotateRefresh = opts.rotateRefreshTokens ?? true;
  let key = await newKey();
  const refreshTokens = new Map<string, RefreshGrant>();
  const revoked = new Set<string>();
  const received: ReceivedRequest[] = [];

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const issuer = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const jwksUri = `${issuer}/jwks`;
  const tokenEndpoint = `${issuer}/token`;
  const introspectionEndpoint = `${issuer}/introspect`;
  const audience = opts.audience ?? 'https://api.why401.test';

  async function sign(claims: jose.JWTPayload, o: SignOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const full: jose.JWTPayload = { iss: issuer, iat: now, exp: now + ttl, jti: randomUUID(), ...claims };
    // An explicit `undefined` leaves the claim out (a token without `exp`, say).
    for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
    const alg = o.alg ?? 'RS256';
    const header = { typ: 'JWT', kid: o.kid ?? key.kid, ...o.header, alg };
    if (alg === 'none') {
      const { kid: _kid, ...h } = header;
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      return `${enc(h)}.${enc(full)}.`;
    }
    const jwt = new jose.SignJWT(full).setProtectedHeader(header);
    if (alg === 'HS256') return jwt.sign(HS256_SECRET);
    if (alg === 'RS256' && !o.foreignKey) return jwt.sign(key.privateKey);
    return jwt.sign((await jose.generateKeyPair(alg)).privateKey);
  }

  function discoveryDoc(): Record<string, unknown> {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: tokenEndpoint,
      jwks_uri: jwksUri,
      introspection_endpoint: introspectionEndpoint,
      grant_types_supported: ['client_credentials', 'refresh_token'],
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'read', 'write', 'admin'],
      ...opts.discovery,
    };
  }

  /** RFC 6749 §2.3.1: client_secret_basic (form-encoded id and secret) or client_secret_post. */
  function authenticateClient(req: IncomingMessage, form: URLSearchParams): IssuerClient {
    const basic = /^Basic +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let id: string | undefined;
    let secret: string | undefined;
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
        secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      }
    } else {
      id = form.get('client_id') ?? undefined;
      secret = form.get('client_secret') ?? undefined;
    }
    const client = clients.find((c) => c.id === id);
    if (!client || client.secret !== secret) {
      // §5.2: a client that tried the Authorization header gets a 401 with a matching challenge.
      const headers: Record<string, string> =
        basic !== undefined ? { 'WWW-Authenticate': `Basic realm="${issuer}"` } : {};
      throw new OAuthError(401, 'invalid_client', 'client authentication failed', headers);
    }
    return client;
  }

  async function issueAccessToken(client: IssuerClient, sub: string, scope: string, aud: string) {
    const access_token = await sign({ sub, aud, scope, client_id: client.id }, { header: { typ: 'at+jwt' } });
    return { access_token, token_type: 'Bearer', expires_in: ttl, scope };
  }

  async function token(req: IncomingMessage, form: URLSearchParams): Promise<unknown> {
    const client = authenticateClient(req, form);
    const grant = form.get('grant_type');
    if (!grant) throw new OAuthError(400, 'invalid_request', 'missing required parameter grant_type');
    const aud = form.get('audience') ?? form.get('resource') ?? audience;

    if (grant === 'client_credentials') {
      const allowed = client.scope.split(' ');
      const asked = form.get('scope')?.split(' ').filter(Boolean) ?? allowed;
      const denied = asked.filter((s) => !allowed.includes(s));
      if (denied.length) throw new OAuthError(400, 'invalid_scope', `scope not allowed: ${denied.join(' ')}`);
      return issueAccessToken(client, client.id, asked.join(' '), aud);
    }
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token');
      if (!rt) throw new OAuthError(400, 'invalid_request', 'missing required parameter refresh_token');
      const g = refreshTokens.get(rt);
      if (!g || g.clientId !== client.id)
        throw new OAuthError(400, 'invalid_grant', 'grant request is invalid');
      const out = await issueAccessToken(client, g.sub, g.scope, aud);
      if (!rotateRefresh) return { ...out, refresh_token: rt };
      refreshTokens.delete(rt);
      return {
        ...out,
        refresh_token: issueRefreshToken({ clientId: g.clientId, sub: g.sub, scope: g.scope }),
      };
    }
    throw new OAuthError(400, 'unsupported_grant_type', `unsupported grant_type: ${grant}`);
  }

  /** RFC 7662: active only for a token this issuer signed with its current key, unexpired, not revoked. */
  async function introspect(req: IncomingMessage, form: URLSearchParams): Promise<unknown> {
    authenticateClient(req, form);
    const t = form.get('token');
    if (!t) throw new OAuthError(400, 'invalid_request', 'missing required parameter token');
    try {
      const jwks = jose.createLocalJWKSet({ keys: [key.jwk] });
      const { payload } = await jose.jwtVerify(t, jwks, { issuer, algorithms: ['RS256'] });
      if (revoked.has(t) || (payload.jti && revoked.has(payload.jti))) return { active: false };
      return { active: true, token_type: 'Bearer', ...payload };
    } catch {
      return { active: false };
    }
  }

  function issueRefreshToken(o: { clientId?: string; sub?: string; scope?: string } = {}): string {
    const clientId = o.clientId ?? clients[0]?.id ?? 'why401-cli';
    const rt = randomBytes(24).toString('base64url');
    refreshTokens.set(rt, { clientId, sub: o.sub ?? 'user-1', scope: o.scope ?? 'read' });
    return rt;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
      const path = req.url ?? '/';
      received.push({ method: req.method ?? 'GET', path, headers, body });
      void route(req, res, path.split('?')[0] ?? '/', body);
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
    // Token responses must not be cached (RFC 6749 §5.1).
    const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
    try {
      if (
        req.method === 'GET' &&
        (path === '/.well-known/openid-configuration' || path === '/.well-known/oauth-authorization-server')
      ) {
        return send(res, 200, discoveryDoc());
      }
      if (req.method === 'GET' && path === '/jwks') return send(res, 200, { keys: [key.jwk] });
      if (path === '/token' || path === '/introspect') {
        if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'POST required');
        const form = new URLSearchParams(body);
        return send(res, 200, await (path === '/token' ? token(req, form) : introspect(req, form)), noStore);
      }
      send(res, 404, { error: 'not_found' });
    } catch (e) {
      if (!(e instanceof OAuthError))
        return send(res, 500, { error: 'server_error', error_description: String(e) });
      send(res, e.status, { error: e.error, error_description: e.description }, { ...noStore, ...e.headers });
    }
  }

  return {
    issuer,
    jwksUri,
    tokenEndpoint,
    introspectionEndpoint,
    sign,
    get kid() {
      return key.kid;
    },
    rotateKeys: async () => {
      key = await newKey();
    },
    issueRefreshToken,
    revoke: (tokenOrJti) => {
      revoked.add(tokenOrJti);
    },
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}
