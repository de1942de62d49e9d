/**
 * A real resource server for end-to-end tests: Fastify 5 with @fastify/jwt 10 (fast-jwt underneath),
 * the setup deps.md §5 measured. It verifies RS256 tokens against a static public key, as many
 * Fastify APIs do: @fastify/jwt fetches no JWKS itself (that needs get-jwks), so the key is read
 * from the issuer's JWKS once, at start, and turned into a PEM. A key rotation at the issuer
 * afterwards is therefore not seen: tokens signed with the new key fail with a bad signature.
 *
 * Errors are left to @fastify/jwt and Fastify's default error handler: a 401 with a JSON body
 * `{statusCode, code, error, message}` and no WWW-Authenticate header at all.
 */
import type { IncomingHttpHeaders } from 'node:http';
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import * as jose from 'jose';

export interface FastifyApiOptions {
  /** The `iss` the API allows; also where the key is discovered when neither key option is given. */
  issuer: string;
  /** The `aud` the API allows. */
  audience: string;
  /** Where to read the key at start (default: the issuer's discovery document's `jwks_uri`). */
  jwksUri?: string;
  /** The key itself (SPKI PEM); nothing is fetched then. */
  publicKeyPem?: string;
}

export interface FastifyApi {
  /** The API's origin, no trailing slash. */
  url: string;
  /** Every request the API received, recorded before authentication runs. */
  received: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.json();
}

/** The first RS256-capable signing key of the issuer's JWKS, as an SPKI PEM. */
async function fetchPublicKeyPem(issuer: string, jwksUri?: string): Promise<string> {
  let uri = jwksUri;
  if (!uri) {
    const doc = (await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)) as {
      jwks_uri?: unknown;
    };
    if (typeof doc.jwks_uri !== 'string') throw new Error(`no jwks_uri in ${issuer}'s discovery document`);
    uri = doc.jwks_uri;
  }
  const { keys } = (await getJson(uri)) as { keys?: jose.JWK[] };
  const jwk = keys?.find(
    (k) => k.kty === 'RSA' && (k.use === undefined || k.use === 'sig') && (!k.alg || k.alg === 'RS256'),
  );
  if (!jwk) throw new Error(`no RS256 key in ${uri}`);
  const key = await jose.importJWK(jwk, 'RS256', { extractable: true });
  if (key instanceof Uint8Array) throw new Error(`the key in ${uri} is not an RSA public key`);
  return jose.exportSPKI(key);
}

export async function startFastifyApi(opts: FastifyApiOptions): Promise<FastifyApi> {
  const pem = opts.publicKeyPem ?? (await fetchPublicKeyPem(opts.issuer, opts.jwksUri));
  const received: FastifyApi['received'] = [];

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addHook('onRequest', async (req) => {
    received.push({ method: req.method, path: req.url, headers: { ...req.headers } });
  });
  await app.register(fastifyJwt, {
    secret: { public: pem },
    verify: { allowedAud: opts.audience, allowedIss: opts.issuer, algorithms: ['RS256'] },
  });
  app.get(
    '/api/me',
    {
      onRequest: async (req) => {
        await req.jwtVerify();
      },
    },
    async (req) => ({ ok: true, sub: (req.user as { sub?: string }).sub }),
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    received,
    close: () => app.close(),
  };
}
