/**
 * The identity provider and resource servers the token tests stand on, checked with plain fetch:
 * a real oidc-provider (discovery, JWKS, client_credentials with JWT access tokens) and Fastify 5
 * with @fastify/jwt, whose 401 bodies are asserted word for word as deps.md §5 recorded them.
 */
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExpressApi, type ExpressApi } from '../support/express-rs.js';
import { startFastifyApi, type FastifyApi } from '../support/fastify-rs.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { startOidcProvider, type OidcProvider } from '../support/oidc-provider.js';

const AUD = 'https://api.why401.test';
const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, json: (await res.json()) as Record<string, unknown> };
}

describe('oidc-provider', () => {
  let op: OidcProvider;
  let api: ExpressApi;
  beforeAll(async () => {
    op = await startOidcProvider({ audience: AUD, scope: 'read write', ttl: 120 });
    api = await startExpressApi({ issuer: op.issuer, audience: AUD });
  });
  afterAll(async () => {
    await api?.close();
    await op?.close();
  });

  const clientCredentials = (fields: Record<string, string>, secret = op.clientSecret) =>
    fetch(op.tokenEndpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basicAuth(op.clientId, secret),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...fields }).toString(),
    });

  it('serves its discovery document, naming itself without a trailing slash', async () => {
    const { res, json } = await getJson(`${op.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(op.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(json).toMatchObject({ issuer: op.issuer, token_endpoint: op.tokenEndpoint, jwks_uri: op.jwksUri });
    expect(json.grant_types_supported).toContain('client_credentials');
    expect(json.token_endpoint_auth_methods_supported).toContain('client_secret_basic');
  });

  it('publishes one RS256 public key, without private parts', async () => {
    const { res, json } = await getJson(op.jwksUri);
    expect(res.status).toBe(200);
    const keys = json.keys as jose.JWK[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'op-key-1' });
    for (const p of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(p);
  });

  it('client_credentials (client_secret_basic) issues an RFC 9068 at+jwt access token', async () => {
    const res = await clientCredentials({ scope: 'read' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'read' });
    const token = json.access_token as string;
    const { payload, protectedHeader } = await jose.jwtVerify(
      token,
      jose.createRemoteJWKSet(new URL(op.jwksUri)),
      { issuer: op.issuer, audience: AUD, typ: 'at+jwt', algorithms: ['RS256'] },
    );
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'op-key-1' });
    expect(payload).toMatchObject({ sub: op.clientId, client_id: op.clientId, scope: 'read', aud: AUD });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);

    // What the provider received is recorded, body included.
    const tokenRequest = op.received.findLast((r) => r.path === '/token');
    expect(tokenRequest).toMatchObject({ method: 'POST', body: 'grant_type=client_credentials&scope=read' });
    expect(tokenRequest?.headers.authorization).toBe(basicAuth(op.clientId, op.clientSecret));
  });

  it('a wrong client secret is a 401 invalid_client with a Basic challenge', async () => {
    const res = await clientCredentials({}, 'wrong-secret');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+", error="invalid_client"/);
    expect(await res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
  });

  it('an Express API with the provider as issuer accepts its token; the token never reaches the provider', async () => {
    const res = await clientCredentials({});
    const token = ((await res.json()) as { access_token: string }).access_token;

    const ok = await getJson(`${api.url}/api/me`, { Authorization: `Bearer ${token}` });
    expect(ok.res.status).toBe(200);
    expect(ok.json).toEqual({ ok: true, sub: op.clientId });

    // The API itself fetched discovery and JWKS from the provider, carrying no token.
    const paths = op.received.map((r) => r.path);
    expect(paths).toContain('/.well-known/openid-configuration');
    expect(paths).toContain('/jwks');
    for (const r of op.received) {
      expect(JSON.stringify(r.headers)).not.toContain(token);
      expect(r.body).not.toContain(token);
    }
  });
});

describe('Fastify 5 + @fastify/jwt', () => {
  let iss: TestIssuer;
  let api: FastifyApi;
  beforeAll(async () => {
    iss = await startIssuer({ audience: AUD });
    api = await startFastifyApi({ issuer: iss.issuer, audience: AUD });
  });
  afterAll(async () => {
    await api?.close();
    await iss?.close();
  });

  const call = (token?: string) =>
    getJson(`${api.url}/api/me`, token === undefined ? {} : { Authorization: `Bearer ${token}` });
  const unauthorized = (code: string, message: string) => ({
    statusCode: 401,
    code,
    error: 'Unauthorized',
    message,
  });

  it('answers 200 to a good token from the test issuer, and records the request before auth', async () => {
    const token = await iss.sign({ sub: 'user-1', aud: AUD });
    const { res, json } = await call(token);
    expect(res.status).toBe(200);
    expect(json).toEqual({ ok: true, sub: 'user-1' });
    expect(api.received.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
  });

  it('reads the key from a given jwksUri, or takes a PEM', async () => {
    const token = await iss.sign({ sub: 'user-2', aud: AUD });
    const pem = await jose.exportSPKI(
      (await jose.importJWK(
        ((await (await fetch(iss.jwksUri)).json()) as { keys: jose.JWK[] }).keys[0]!,
        'RS256',
      )) as CryptoKey,
    );
    for (const extra of [{ jwksUri: iss.jwksUri }, { publicKeyPem: pem }]) {
      const other = await startFastifyApi({ issuer: iss.issuer, audience: AUD, ...extra });
      try {
        const res = await fetch(`${other.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
      } finally {
        await other.close();
      }
    }
  });

  const cases: Array<[string, () => Promise<string | undefined>, string, string]> = [
    [
      'missing',
      async () => undefined,
      'FST_JWT_NO_AUTHORIZATION_IN_HEADER',
      'No Authorization was found in request.headers',
    ],
    [
      'expired',
      async () => iss.sign({ sub: 'u1', aud: AUD, exp: Math.floor(Date.now() / 1000) - 60 }),
      'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED',
      'Authorization token expired',
    ],
    [
      'wrong aud',
      async () => iss.sign({ sub: 'u1', aud: 'https://other.example' }),
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The aud claim value is not allowed.',
    ],
    [
      'wrong iss',
      async () => iss.sign({ sub: 'u1', aud: AUD, iss: `${iss.issuer}/` }),
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The iss claim value is not allowed.',
    ],
    [
      'bad signature',
      async () => iss.sign({ sub: 'u1', aud: AUD }, { foreignKey: true }),
      'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
      'Authorization token is invalid: The token signature is invalid.',
    ],
  ];
  it.each(cases)(
    '%s: 401 with @fastify/jwt JSON body and no WWW-Authenticate',
    async (_name, token, code, msg) => {
      const { res, json } = await call(await token());
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(json).toEqual(unauthorized(code, msg));
    },
  );

  it('a key rotated at the issuer after start is not seen: bad signature', async () => {
    const rotated = await startIssuer({ audience: AUD });
    const stale = await startFastifyApi({ issuer: rotated.issuer, audience: AUD });
    try {
      await rotated.rotateKeys();
      const token = await rotated.sign({ sub: 'u1', aud: AUD });
      const res = await fetch(`${stale.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(
        unauthorized(
          'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
          'Authorization token is invalid: The token signature is invalid.',
        ),
      );
    } finally {
      await stale.close();
      await rotated.close();
    }
  });
});
