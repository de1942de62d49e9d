/**
 * Four real resource servers, each with the JWT middleware people use and why401/server's adapter
 * installed the way its docs say: Express 5 + express-oauth2-jwt-bearer, Express 5 + passport +
 * passport-http-bearer (verifying with jose), Fastify 5 + @fastify/jwt, Hono + hono/jwt on
 * @hono/node-server. Every one serves `/me` (any valid token) and `/admin` (scope `admin`), and
 * verifies tokens from the given issuer for the given audience.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fastifyJwt from '@fastify/jwt';
import { serve } from '@hono/node-server';
import express from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
import * as jose from 'jose';
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { protectedResourceMetadata, RefusalError } from '../../src/server/index.js';
import { authErrorHandler as expressErrors, toExpress } from '../../src/server/express.js';
import { toFastify, why401Fastify } from '../../src/server/fastify.js';
import { authOnError, toHono } from '../../src/server/hono.js';

export interface Api {
  name: string;
  url: string;
  close(): Promise<void>;
}

export interface ApiOptions {
  issuer: string;
  jwksUri: string;
  audience: string;
}

function scopesOf(payload: { scope?: unknown } | undefined): string[] {
  return typeof payload?.scope === 'string' ? payload.scope.split(' ') : [];
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

async function firstJwk(jwksUri: string): Promise<jose.JWK> {
  const { keys } = (await (await fetch(jwksUri)).json()) as { keys: jose.JWK[] };
  return keys[0]!;
}

/**
 * RFC 9728: the protected resource's metadata, built by why401/server once the server knows its
 * own URL (an ephemeral port), served at the well-known path of its origin.
 */
const METADATA_PATH = '/.well-known/oauth-protected-resource';
const metadata = (resource: string, o: ApiOptions) =>
  protectedResourceMetadata({ resource, authorizationServers: [o.issuer], scopesSupported: ['admin'] });

export async function expressOauth2JwtBearer(o: ApiOptions): Promise<Api> {
  const app = express();
  let base = '';
  app.get(METADATA_PATH, (req, res, next) => toExpress(metadata(base, o).handler)(req, res, next));
  // express-oauth2-jwt-bearer also reads ?access_token= (RFC 6750 §2.3), which OAuth 2.1 drops:
  // refused before it is read, with the library's invalid_request.
  app.use((req, _res, next) => {
    if (req.query.access_token === undefined) return next();
    next(
      new RefusalError('invalid_request', { errorDescription: 'send the token in the Authorization header' }),
    );
  });
  const checkJwt = auth({ issuerBaseURL: o.issuer, audience: o.audience });
  app.get('/me', checkJwt, (_req, res) => void res.json({ ok: true }));
  app.get('/admin', checkJwt, requiredScopes('admin'), (_req, res) => void res.json({ ok: true }));
  app.use(expressErrors({ realm: 'api' }));
  const server = createServer(app);
  base = await listen(server);
  return { name: 'Express + express-oauth2-jwt-bearer', url: base, close: closer(server) };
}

export async function expressPassport(o: ApiOptions): Promise<Api> {
  const jwks = jose.createRemoteJWKSet(new URL(o.jwksUri));
  const pp = new passport.Passport();
  // The usual passport-http-bearer verify callback: jose verifies, its message becomes the challenge's description.
  pp.use(
    new BearerStrategy((token, done) => {
      jose
        .jwtVerify(token, jwks, { issuer: o.issuer, audience: o.audience })
        .then(({ payload }) => done(null, payload))
        .catch((e: Error) => done(null, false, e.message));
    }),
  );
  const app = express();
  app.use(pp.initialize());
  const bearer = pp.authenticate('bearer', { session: false, failWithError: true });
  app.get('/me', bearer, (_req, res) => void res.json({ ok: true }));
  app.get('/admin', bearer, (req, res) => {
    if (!scopesOf(req.user as { scope?: unknown }).includes('admin'))
      throw new RefusalError('insufficient_scope', { scope: 'admin' });
    res.json({ ok: true });
  });
  app.use(expressErrors({ realm: 'api' }));
  const server = createServer(app);
  return { name: 'Express + passport-http-bearer', url: await listen(server), close: closer(server) };
}

export async function fastifyJwtApi(o: ApiOptions): Promise<Api> {
  const key = await jose.importJWK(await firstJwk(o.jwksUri), 'RS256', { extractable: true });
  const pem = await jose.exportSPKI(key as CryptoKey);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(why401Fastify, { realm: 'api' });
  await app.register(fastifyJwt, {
    secret: { public: pem },
    verify: { allowedAud: o.audience, allowedIss: o.issuer, algorithms: ['RS256'] },
  });
  const verify = async (req: { jwtVerify(): Promise<unknown> }) => {
    await req.jwtVerify();
  };
  app.get('/me', { onRequest: verify }, async () => ({ ok: true }));
  app.get('/admin', { onRequest: verify }, async (req) => {
    if (!scopesOf(req.user as { scope?: unknown }).includes('admin'))
      throw new RefusalError('insufficient_scope', { scope: 'admin' });
    return { ok: true };
  });
  app.get('/boom', async () => {
    throw new Error('not an auth error');
  });
  let base = '';
  app.get(METADATA_PATH, (req, reply) => toFastify(metadata(base, o).handler)(req, reply));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  base = url;
  return { name: 'Fastify + @fastify/jwt', url, close: () => app.close() };
}

export async function honoJwtApi(o: ApiOptions): Promise<Api> {
  const jwk = await firstJwk(o.jwksUri);
  const app = new Hono();
  let base = '';
  app.get(METADATA_PATH, (c) => toHono(metadata(base, o).handler)(c));
  // hono/jwt takes only `typ: JWT` unless told; RFC 9068 §2.1 access tokens say `at+jwt`.
  const verify = jwt({
    secret: jwk,
    alg: 'RS256',
    verification: { iss: o.issuer, aud: o.audience, typ: ['JWT', 'at+jwt'] },
  });
  // On the GET routes, as Express and Fastify install theirs: `app.use('/me', verify)` would also
  // refuse the CORS preflight (OPTIONS carries no token), which why401 audit reports.
  app.get('/me', verify, (c) => c.json({ ok: true }));
  app.get('/admin', verify, (c) => {
    if (!scopesOf(c.get('jwtPayload') as { scope?: unknown }).includes('admin'))
      throw new RefusalError('insufficient_scope', { scope: 'admin' });
    return c.json({ ok: true });
  });
  app.get('/boom', () => {
    throw new Error('not an auth error');
  });
  app.onError(
    authOnError({ realm: 'api', fallback: () => new Response('Internal Server Error', { status: 500 }) }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = url;
  return { name: 'Hono + hono/jwt', url, close: closer(server) };
}
