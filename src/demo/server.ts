/**
 * The `why401 demo` server: a tiny resource server with deliberately broken endpoints, each
 * answering exactly as a real server in that situation does (RFC 6750 challenges in the style of
 * express-oauth2-jwt-bearer, JSON bodies, real RS256 tokens verified with jose), so the diagnosis
 * shown by the demo is the same one a user gets against a real API.
 *
 * Node only (node:http). One table of routes, one small handler each.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as jose from 'jose';

export interface DemoRequest {
  method: string;
  /** Absolute URL on the server's origin. */
  url: string;
  headers: Array<[string, string]>;
  /** curl -L: the demo's redirect follows, as the printed command (with -L) does. */
  follow?: boolean;
}

export interface DemoEndpoint {
  path: string;
  /** What is broken, in plain words. */
  title: string;
  /** The request the demo sends to show the problem. */
  request: DemoRequest;
  /** The cause id that must come out first; '' when nothing is wrong (the run exits 0). */
  expect: string;
}

export interface DemoServer {
  origin: string;
  close(): Promise<void>;
  endpoints: DemoEndpoint[];
}

const KID = 'demo-1';
const REALM = 'Bearer realm="demo"';
const DPOP_ALGS = 'DPoP algs="ES256"';

/** Everything a handler needs: the server's identity, its keys and the tokens the demo sends. */
interface Ctx {
  origin: string;
  port: number;
  issuer: string;
  audience: string;
  keys: jose.JWTVerifyGetKey;
  publicJwk: jose.JWK;
  /** The nonce the DPoP endpoint currently demands (RFC 9449 §9). */
  dpopNonce: string;
  tokens: DemoTokens;
}

interface DemoTokens {
  /** Valid access token, scope 'read'. */
  access: string;
  /** Same shape, expired 3 hours ago. */
  expired: string;
  /** An OIDC ID token for the web client 'demo-web': the wrong kind of token for an API. */
  idToken: string;
  /** An access token bound to the demo's DPoP key (cnf.jkt), and a proof for GET /api/dpop without a nonce. */
  dpopAccess: string;
  dpopProof: string;
}

interface Route {
  path: string;
  /** Only public routes (shown in the demo table) have these three. */
  title?: string;
  expect?: string;
  request?: (ctx: Ctx) => Omit<DemoRequest, 'url'>;
  handle: (req: IncomingMessage, res: ServerResponse, ctx: Ctx) => void | Promise<void>;
}

const bearerHeader = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

/** A protected API endpoint: 200 `{"ok":true}` for a valid token (with `scope`, when given). */
const protectedApi =
  (scope?: string): Route['handle'] =>
  async (req, res, c) => {
    if (await requireToken(req, res, c, scope)) ok(res);
  };

const ROUTES: Route[] = [
  {
    path: '/api/expired',
    title: 'The access token expired 3 hours ago',
    expect: 'token.expired',
    request: (c) => ({ method: 'GET', headers: [bearerHeader(c.tokens.expired)] }),
    handle: protectedApi(),
  },
  {
    path: '/api/no-scheme',
    title: "The token is sent without the 'Bearer ' scheme",
    expect: 'header.scheme-missing',
    request: (c) => ({ method: 'GET', headers: [['Authorization', c.tokens.access]] }),
    handle: protectedApi(),
  },
  {
    path: '/api/redirect',
    title: 'A redirect to another origin (localhost) drops the Authorization header',
    expect: 'url.redirect-dropped-credentials',
    request: (c) => ({ method: 'GET', headers: [bearerHeader(c.tokens.access)], follow: true }),
    // 127.0.0.1 and localhost are different origins: clients must drop Authorization (Fetch §4.4).
    handle: (_req, res, c) => redirect(res, 301, `http://localhost:${c.port}/api/private`),
  },
  {
    path: '/app/dashboard',
    title: 'The session is gone: the app redirects to its sign-in page',
    expect: 'login.redirect',
    // A stale session cookie, as a browser still holds it after the server forgot the session.
    request: () => ({
      method: 'GET',
      headers: [
        ['Accept', 'text/html'],
        ['Cookie', 'demo_session=s%3A4f1c2e9a7b3d'],
      ],
    }),
    handle: (_req, res) => redirect(res, 302, '/login?next=/app/dashboard'),
  },
  {
    path: '/api/no-challenge',
    title: 'No credentials sent, and the server gives no WWW-Authenticate challenge',
    expect: 'credentials.missing',
    request: () => ({ method: 'GET', headers: [] }),
    // The answer @fastify/jwt gives (deps.md §5): the reason only in the JSON body, no challenge.
    handle: (_req, res) =>
      json(res, 401, {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'No Authorization was found in request.headers',
      }),
  },
  {
    path: '/api/admin',
    title: "The token has scope 'read'; this endpoint needs 'admin'",
    expect: 'jwt.scope-insufficient',
    request: (c) => ({ method: 'GET', headers: [bearerHeader(c.tokens.access)] }),
    handle: protectedApi('admin'),
  },
  {
    path: '/api/cached',
    title: 'A CDN serves a cached 401 to everyone, valid token or not',
    expect: 'server.cached-401',
    request: (c) => ({ method: 'GET', headers: [bearerHeader(c.tokens.access)] }),
    // The edge answers from its cache: the application never sees the request.
    handle: (_req, res) =>
      refuse(res, 401, `${REALM}, error="invalid_token"`, 'invalid_token', 'Unauthorized', {
        Age: '347',
        'X-Cache': 'HIT from edge',
        'Cache-Control': 'public, max-age=600',
      }),
  },
  {
    path: '/api/placeholder',
    title: 'The header holds the placeholder ${TOKEN}, not a token',
    expect: 'header.placeholder',
    request: () => ({ method: 'GET', headers: [['Authorization', 'Bearer ${TOKEN}']] }),
    handle: protectedApi(),
  },
  {
    path: '/api/quoted',
    title: 'The token is wrapped in quotes',
    expect: 'header.quoted',
    request: (c) => ({ method: 'GET', headers: [['Authorization', `Bearer "${c.tokens.access}"`]] }),
    handle: protectedApi(),
  },
  {
    path: '/api/basic',
    title: "Basic credentials without a password: base64 of 'alice', no colon",
    expect: 'basic.malformed',
    request: () => ({
      method: 'GET',
      headers: [['Authorization', `Basic ${Buffer.from('alice').toString('base64')}`]],
    }),
    handle: basic,
  },
  {
    path: '/api/id-token',
    title: 'An OpenID Connect ID token is sent instead of an access token',
    expect: 'jwt.id-token-used',
    request: (c) => ({ method: 'GET', headers: [bearerHeader(c.tokens.idToken)] }),
    handle: protectedApi(),
  },
  {
    path: '/api/dpop',
    title: 'The API requires a DPoP proof with a server nonce',
    expect: 'dpop.required',
    request: (c) => ({
      method: 'GET',
      headers: [
        ['Authorization', `DPoP ${c.tokens.dpopAccess}`],
        ['DPoP', c.tokens.dpopProof],
      ],
    }),
    handle: dpop,
  },
  {
    path: '/api/healthy',
    title: 'Nothing is wrong: a valid token, a 200',
    expect: '',
    request: (c) => ({ method: 'GET', headers: [bearerHeader(c.tokens.access)] }),
    handle: protectedApi(),
  },

  // Supporting routes, not shown in the demo table.
  {
    // Where /api/redirect leads: a normal protected endpoint.
    path: '/api/private',
    handle: protectedApi(),
  },
  { path: '/login', handle: (_req, res) => html(res, 200, LOGIN_PAGE) },
  {
    // Discovery and keys, so a probe that follows the token's `iss` finds a coherent issuer.
    path: '/.well-known/openid-configuration',
    handle: (_req, res, c) =>
      json(res, 200, {
        issuer: c.issuer,
        jwks_uri: `${c.origin}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        scopes_supported: ['openid', 'read', 'admin'],
      }),
  },
  { path: '/.well-known/jwks.json', handle: (_req, res, c) => json(res, 200, { keys: [c.publicJwk] }) },
  {
    path: '/',
    handle: (_req, res) =>
      json(res, 200, {
        endpoints: ROUTES.filter((r) => r.title).map((r) => ({ path: r.path, broken: r.title })),
      }),
  },
];

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Demo</title></head>
<body><h1>Sign in</h1>
<form method="post" action="/login">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></body></html>
`;

// --- responses ---------------------------------------------------------------------------------

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { Location: location, 'Content-Length': 0 });
  res.end();
}

/** A refusal as the demo's resource server words it: the challenge, and the same reason in JSON. */
function refuse(
  res: ServerResponse,
  status: number,
  challenge: string,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  json(res, status, { error, message }, { 'WWW-Authenticate': challenge, ...headers });
}

function ok(res: ServerResponse): void {
  json(res, 200, { ok: true });
}

/** A challenge with its RFC 6750 §3 error, worded as express-oauth2-jwt-bearer words it (" becomes '). */
function withError(challenge: string, error: string, description: string, scope?: string): string {
  const desc = description.replace(/"/g, "'");
  return `${challenge}, error="${error}", error_description="${desc}"${scope ? `, scope="${scope}"` : ''}`;
}

// --- verification, like a real resource server ---------------------------------------------------

/**
 * Verifies the bearer token and, where asked, its scope. On failure answers as
 * express-oauth2-jwt-bearer does and returns undefined; on success returns the claims.
 */
async function requireToken(
  req: IncomingMessage,
  res: ServerResponse,
  c: Ctx,
  scope?: string,
): Promise<jose.JWTPayload | undefined> {
  // RFC 6750 §2.1: `Bearer <token>`. Anything else means no bearer token was seen at all, and
  // §3.1 says such a challenge carries no error code.
  const token = /^Bearer +(\S.*)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined) {
    refuse(res, 401, REALM, '', 'Unauthorized');
    return undefined;
  }
  let claims: jose.JWTPayload;
  try {
    claims = await verifyToken(token, c);
  } catch (e) {
    const message = failureMessage(e);
    refuse(res, 401, withError(REALM, 'invalid_token', message), 'invalid_token', message);
    return undefined;
  }
  const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (scope && !granted.includes(scope)) {
    const challenge = withError(REALM, 'insufficient_scope', 'Insufficient Scope', scope);
    refuse(res, 403, challenge, 'insufficient_scope', 'Insufficient Scope');
    return undefined;
  }
  return claims;
}

async function verifyToken(token: string, c: Ctx): Promise<jose.JWTPayload> {
  // Checked first, as express-oauth2-jwt-bearer does: a token whose header does not decode
  // gets jose's "Invalid Token or Protected Header formatting".
  jose.decodeProtectedHeader(token);
  const { payload } = await jose.jwtVerify(token, c.keys, {
    issuer: c.issuer,
    audience: c.audience,
    algorithms: ['RS256'],
    clockTolerance: 5,
  });
  return payload;
}

/**
 * jose's own message, as express-oauth2-jwt-bearer passes it on (a malformed token is a plain
 * TypeError from jose 6), with iss/aud worded as that library's validators word them.
 */
function failureMessage(e: unknown): string {
  if (e instanceof jose.errors.JWTClaimValidationFailed && (e.claim === 'aud' || e.claim === 'iss')) {
    return `Unexpected '${e.claim}' value`;
  }
  return e instanceof Error && e.message ? e.message : 'Invalid Token';
}

function basic(req: IncomingMessage, res: ServerResponse): void {
  const b64 = /^Basic +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const decoded = b64 === undefined ? '' : Buffer.from(b64, 'base64').toString('utf8');
  // RFC 7617: user-id ":" password. Without the colon there is no password to check.
  if (decoded === 'alice:wonderland') return ok(res);
  refuse(res, 401, 'Basic realm="demo", charset="UTF-8"', 'unauthorized', 'Invalid credentials');
}

/**
 * RFC 9449 resource server that demands a server nonce in every proof. Freshness comes from the
 * nonce (§8), so the proof's `iat` is not bounded here and the demo's prepared proof stays usable.
 */
async function dpop(req: IncomingMessage, res: ServerResponse, c: Ctx): Promise<void> {
  const token = /^DPoP +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const proof = req.headers.dpop;
  // No DPoP credentials at all: the bare challenge, no error code (RFC 9449 §7.1).
  if (token === undefined || typeof proof !== 'string') {
    return refuse(res, 401, DPOP_ALGS, '', 'Unauthorized');
  }
  const invalid = (error: string, why: string, headers?: Record<string, string>) =>
    refuse(res, 401, withError(DPOP_ALGS, error, why), error, why, headers);

  const p = await jose
    .jwtVerify(proof, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] })
    .catch(() => undefined);
  if (!p) return invalid('invalid_dpop_proof', 'Invalid DPoP proof');
  if (p.payload.htm !== req.method || pathOf(p.payload.htu) !== '/api/dpop') {
    return invalid('invalid_dpop_proof', 'DPoP proof htm or htu mismatch');
  }
  if (p.payload.nonce !== c.dpopNonce) {
    const why = 'Resource server requires nonce in DPoP proof';
    return invalid('use_dpop_nonce', why, { 'DPoP-Nonce': c.dpopNonce });
  }
  const claims = await verifyToken(token, c).catch((e: unknown) => failureMessage(e));
  if (typeof claims === 'string') return invalid('invalid_token', claims);
  const jkt = await jose.calculateJwkThumbprint(p.protectedHeader.jwk ?? {});
  if ((claims.cnf as { jkt?: string } | undefined)?.jkt !== jkt || p.payload.ath !== sha256(token)) {
    return invalid('invalid_dpop_proof', 'DPoP proof not bound to the access token');
  }
  ok(res);
}

// --- tokens ------------------------------------------------------------------------------------

function pathOf(url: unknown): string | undefined {
  try {
    return typeof url === 'string' ? new URL(url).pathname : undefined;
  } catch {
    return undefined;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * The tokens the demo sends. Valid ones last a day, so `why401 demo --serve` stays demonstrable;
 * the expired one expired 3 hours before the server started.
 */
async function mintDemoTokens(
  privateKey: CryptoKey,
  issuer: string,
  audience: string,
  origin: string,
): Promise<DemoTokens> {
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: jose.JWTPayload, typ = 'at+jwt') =>
    new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ }).sign(privateKey);
  const base = { iss: issuer, sub: 'alice', aud: audience, client_id: 'demo-cli', scope: 'read' };

  const access = await sign({ ...base, iat: now, exp: now + 86_400, jti: randomUUID() });
  const expired = await sign({ ...base, iat: now - 4 * 3600, exp: now - 3 * 3600, jti: randomUUID() });
  // at_hash: left half of SHA-256 of the access token (OIDC Core §3.1.3.6).
  const atHash = createHash('sha256').update(access).digest().subarray(0, 16).toString('base64url');
  const idToken = await sign(
    {
      iss: issuer,
      sub: 'alice',
      aud: 'demo-web',
      azp: 'demo-web',
      nonce: randomBytes(12).toString('base64url'),
      at_hash: atHash,
      auth_time: now - 60,
      iat: now,
      exp: now + 3600,
      name: 'Alice Example',
    },
    'JWT',
  );

  const dpopKey = await jose.generateKeyPair('ES256', { extractable: true });
  const dpopJwk = await jose.exportJWK(dpopKey.publicKey);
  const dpopAccess = await sign({
    ...base,
    iat: now,
    exp: now + 86_400,
    jti: randomUUID(),
    cnf: { jkt: await jose.calculateJwkThumbprint(dpopJwk) },
  });
  // No `nonce` claim: the client does not know the server's nonce yet.
  const dpopProof = await new jose.SignJWT({
    htm: 'GET',
    htu: `${origin}/api/dpop`,
    jti: randomUUID(),
    iat: now,
    ath: sha256(dpopAccess),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: dpopJwk })
    .sign(dpopKey.privateKey);

  return { access, expired, idToken, dpopAccess, dpopProof };
}

// --- the server ----------------------------------------------------------------------------------

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startDemoServer(opts: { port?: number } = {}): Promise<DemoServer> {
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256');
  const publicJwk: jose.JWK = { ...(await jose.exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };

  // The origin is known only once the port is: listen first, attach the handler after. Nobody can
  // reach the server in between, since the port is not known outside yet.
  const main = createServer();
  const port = await listen(main, opts.port ?? 0, '127.0.0.1');
  // Best effort: where `localhost` resolves to ::1 first, the redirect target must still answer.
  const v6 = createServer();
  await listen(v6, port, '::1').catch(() => undefined);

  const origin = `http://127.0.0.1:${port}`;
  const issuer = `${origin}/`;
  const audience = `${origin}/api`;
  const ctx: Ctx = {
    origin,
    port,
    issuer,
    audience,
    publicJwk,
    keys: jose.createLocalJWKSet({ keys: [publicJwk] }),
    dpopNonce: randomBytes(16).toString('base64url'),
    tokens: await mintDemoTokens(privateKey, issuer, audience, origin),
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // Node adds `Date` itself (sendDate); every answer also gets a request id, as real APIs do.
    res.setHeader('X-Request-Id', randomUUID());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = ROUTES.find((r) => r.path === path);
    if (!route) return json(res, 404, { error: 'not_found', message: `No route for ${path}` });
    Promise.resolve(route.handle(req, res, ctx)).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'server_error', message: 'Internal error' });
      else res.end();
    });
  };
  main.on('request', onRequest);
  v6.on('request', onRequest);

  const endpoints: DemoEndpoint[] = ROUTES.flatMap((r) => {
    if (!r.title || r.expect === undefined || !r.request) return [];
    const { method, headers, follow } = r.request(ctx);
    const request: DemoRequest = { method, url: origin + r.path, headers };
    if (follow) request.follow = true;
    return [{ path: r.path, title: r.title, expect: r.expect, request }];
  });

  return {
    origin,
    endpoints,
    close: async () => {
      await Promise.all([closeServer(main), closeServer(v6)]);
    },
  };
}
