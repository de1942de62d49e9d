/**
 * The Fastify API the audit tests call: Fastify 5 with @fastify/jwt (fast-jwt), verifying RS256
 * tokens with the issuer's current key, set up well (a request id, preflights answered before
 * auth, query tokens refused, an error handler that answers 401/403 with RFC 6750 challenges,
 * problem+json and no-store, RFC 9728 metadata), or with one defect: Fastify's default error
 * handling left as it is, or a token extractor that also reads ?access_token=.
 * Its operations are described by test/fixtures/audit/fastify-3.0.json.
 */
import { randomUUID } from 'node:crypto';
import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import * as jose from 'jose';

export type FastifyDefect = 'default-errors' | 'query-token';

export interface FastifyAuditApi {
  url: string;
  close(): Promise<void>;
}

async function currentKeyPem(issuer: string): Promise<string> {
  const { keys } = (await (await fetch(`${issuer}/jwks.json`)).json()) as { keys: jose.JWK[] };
  const key = await jose.importJWK(keys[0]!, 'RS256', { extractable: true });
  if (key instanceof Uint8Array) throw new Error('not an RSA key');
  return jose.exportSPKI(key);
}

class Refusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly challenge: string,
  ) {
    super(challenge);
  }
}

export async function startFastifyAuditApi(opts: {
  issuer: string;
  audience: string;
  defects?: FastifyDefect[];
}): Promise<FastifyAuditApi> {
  const has = (d: FastifyDefect) => opts.defects?.includes(d) ?? false;
  const good = !has('default-errors');
  const app = Fastify({ logger: false, forceCloseConnections: true, genReqId: () => randomUUID() });
  let base = '';
  await app.register(fastifyJwt, {
    secret: { public: await currentKeyPem(opts.issuer) },
    verify: {
      allowedAud: opts.audience,
      allowedIss: opts.issuer,
      algorithms: ['RS256'],
      ...(has('query-token')
        ? {
            extractToken: (req: FastifyRequest) =>
              (req.query as Record<string, string | undefined>).access_token ??
              req.headers.authorization?.replace(/^Bearer\s+/i, ''),
          }
        : {}),
    },
  });
  if (good) {
    app.addHook('onSend', async (req, reply) => {
      reply.header('X-Request-Id', req.id);
    });
    app.addHook('onRequest', async (req, reply) => {
      if (has('query-token') || (req.query as Record<string, unknown>).access_token === undefined) return;
      reply
        .code(400)
        .header('WWW-Authenticate', 'Bearer realm="api", error="invalid_request"')
        .type('application/problem+json')
        .send({ title: 'Bad Request', status: 400, detail: 'send the token in the Authorization header' });
    });
    app.options('/v1/*', async (req, reply) => {
      reply
        .code(204)
        .header('Access-Control-Allow-Origin', req.headers.origin ?? '*')
        .header('Access-Control-Allow-Methods', 'GET')
        .header('Access-Control-Allow-Headers', 'authorization');
    });
    app.get('/.well-known/oauth-protected-resource/v1', async () => ({
      resource: `${base}/v1`,
      authorization_servers: [opts.issuer],
    }));
    app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply: FastifyReply) => {
      let status = err.statusCode ?? 500;
      let challenge: string | undefined;
      if (err instanceof Refusal) challenge = err.challenge;
      else if (err.code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER') challenge = 'Bearer realm="api"';
      else if (err.code?.startsWith('FST_JWT_') || err.code?.startsWith('FAST_JWT_')) {
        status = err.code === 'FST_JWT_BAD_REQUEST' ? 400 : 401;
        challenge = `Bearer realm="api", error="${status === 400 ? 'invalid_request' : 'invalid_token'}"`;
      }
      if (challenge) reply.header('WWW-Authenticate', challenge);
      reply
        .code(status)
        .header('Cache-Control', 'no-store')
        .type('application/problem+json')
        .send({ type: 'about:blank', title: status === 403 ? 'Forbidden' : 'Unauthorized', status });
    });
  }

  const needs = (scope: string) => async (req: FastifyRequest) => {
    await req.jwtVerify();
    const granted = String((req.user as { scope?: string }).scope ?? '').split(' ');
    if (!granted.includes(scope))
      throw good
        ? new Refusal(403, `Bearer realm="api", error="insufficient_scope", scope="${scope}"`)
        : Object.assign(new Error('Forbidden'), { statusCode: 403 });
  };
  app.get('/v1/status', async () => ({ ok: true }));
  app.get('/v1/orders', { onRequest: needs('orders:read') }, async () => [{ id: 7 }]);
  app.get('/v1/orders/:orderId', { onRequest: needs('orders:read') }, async () => ({ id: 7 }));
  app.get('/v1/reports', { onRequest: needs('reports:read') }, async () => []);

  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { url: base, close: () => app.close() };
}
