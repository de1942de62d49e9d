/**
 * The Hono API the audit tests call: Hono 4 on @hono/node-server with hono/jwt verifying the
 * issuer's RS256 tokens (its current public JWK, `iss`, `aud` and `typ: at+jwt` checked), set up as a
 * careful team would (hono/request-id, hono/cors before auth, query tokens refused, a scope check
 * that answers 403 insufficient_scope, an onError that keeps the middleware's challenge and answers
 * problem+json with no-store, RFC 9728 metadata), or with one defect at a time.
 * Its operations are described by test/fixtures/audit/hono-3.1.json.
 *
 * What hono/jwt refuses with (node_modules/hono/dist/middleware/jwt/jwt.js, hono 4.13): it throws
 * `HTTPException(401, { res })` whose `res` is `new Response('Unauthorized', { status: 401 })` with
 * `WWW-Authenticate: Bearer realm="<realm>",error="<code>",error_description="<why>"`, no space
 * after the commas: `invalid_request` + "no authorization included in request" without a token,
 * `invalid_request` + "invalid credentials structure" for a header that is not `Bearer <one word>`,
 * and `invalid_token` + "token verification failure" for any token it cannot verify. Hono's default
 * error handler (hono-base.js `errorHandler`) answers `err.getResponse()`: that text body, that header.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { jwt, verify } from 'hono/jwt';
import { requestId } from 'hono/request-id';
import * as jose from 'jose';

export type HonoDefect =
  /** No app.onError: Hono's default error handler answers the middleware's text/plain "Unauthorized". */
  | 'default-errors'
  /** GET /v1/notes/{noteId} routed outside the jwt middleware. */
  | 'anonymous-open'
  /** An onError that turns every HTTPException into 403 {"error":"forbidden"}, challenge dropped. */
  | 'forbidden-without-challenge'
  /** A scope check throwing HTTPException(401) for a missing scope. */
  | 'scope-401'
  /** Refusals sent with Cache-Control: public, max-age=300. */
  | 'cacheable-401'
  /** An onError that renders the site's HTML error page for API paths too. */
  | 'html-errors'
  /** The jwt middleware registered before hono/cors: the preflight is refused. */
  | 'gated-preflight'
  /** A hand-written check that also takes ?access_token= (the EventSource/WebSocket habit). */
  | 'query-token'
  /** GET /v1/admin/audit-log checks the token but not its scope. */
  | 'low-token-bypass';

export interface HonoAuditApi {
  url: string;
  close(): Promise<void>;
}

type Env = { Variables: { jwtPayload: { scope?: string } } };

async function currentPublicJwk(issuer: string): Promise<jose.JWK> {
  const { keys } = (await (await fetch(`${issuer}/jwks.json`)).json()) as { keys: jose.JWK[] };
  return keys[0]!;
}

export async function startHonoAuditApi(opts: {
  issuer: string;
  audience: string;
  defects?: HonoDefect[];
}): Promise<HonoAuditApi> {
  const has = (d: HonoDefect) => opts.defects?.includes(d) ?? false;
  const key = await currentPublicJwk(opts.issuer);
  let base = '';
  const app = new Hono<Env>();

  app.use(requestId());
  // The metadata's path is the resource's, after the well-known prefix (RFC 9728 §3.1).
  app.get('/.well-known/oauth-protected-resource/v1', (c) =>
    c.json({
      resource: `${base}/v1`,
      authorization_servers: [opts.issuer],
      scopes_supported: ['notes:read', 'admin'],
    }),
  );
  const verification = { iss: opts.issuer, aud: opts.audience, typ: 'at+jwt' };
  const checkJwt: MiddlewareHandler<Env> = has('query-token')
    ? async (c, next) => {
        const token =
          c.req.query('access_token') ?? c.req.header('Authorization')?.replace(/^Bearer\s+/i, '');
        const challenge = (extra: string) =>
          new HTTPException(401, {
            res: new Response('Unauthorized', {
              headers: { 'WWW-Authenticate': `Bearer realm="api"${extra}` },
            }),
          });
        if (!token) throw challenge('');
        try {
          c.set(
            'jwtPayload',
            (await verify(token, key, { alg: 'RS256', ...verification })) as { scope?: string },
          );
        } catch {
          throw challenge(', error="invalid_token"');
        }
        await next();
      }
    : jwt({ secret: key, alg: 'RS256', realm: 'api', verification });
  const corsed = cors({
    origin: (origin) => origin,
    allowMethods: ['GET'],
    allowHeaders: ['authorization'],
    maxAge: 600,
  });
  if (has('gated-preflight')) {
    app.use('/v1/notes/*', checkJwt);
    app.use('/v1/notes', checkJwt);
    app.use('/v1/admin/*', checkJwt);
  }
  app.use('/v1/*', corsed);
  if (!has('query-token'))
    app.use('/v1/*', async (c, next) => {
      if (c.req.query('access_token') === undefined) return next();
      return c.json(
        { title: 'Bad Request', status: 400, detail: 'send the token in the Authorization header' },
        400,
        {
          'Content-Type': 'application/problem+json',
          'WWW-Authenticate': 'Bearer realm="api", error="invalid_request"',
        },
      );
    });
  if (!has('gated-preflight')) {
    app.use('/v1/notes', checkJwt);
    if (!has('anonymous-open')) app.use('/v1/notes/*', checkJwt);
    app.use('/v1/admin/*', checkJwt);
  }

  const scope =
    (s: string): MiddlewareHandler<Env> =>
    async (c, next) => {
      const granted = String(c.get('jwtPayload').scope ?? '').split(' ');
      if (granted.includes(s)) return next();
      if (has('scope-401'))
        throw new HTTPException(401, {
          res: new Response('Unauthorized', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }),
        });
      throw new HTTPException(403, {
        message: 'Forbidden',
        res: new Response('Forbidden', {
          headers: { 'WWW-Authenticate': `Bearer realm="api", error="insufficient_scope", scope="${s}"` },
        }),
      });
    };
  const notes = [{ id: 'note-1' }];
  app.get('/v1/ping', (c) => c.json({ ok: true }));
  app.get('/v1/notes', scope('notes:read'), (c) => c.json(notes));
  if (has('anonymous-open')) app.get('/v1/notes/:noteId', (c) => c.json(notes[0]));
  else app.get('/v1/notes/:noteId', scope('notes:read'), (c) => c.json(notes[0]));
  if (has('low-token-bypass')) app.get('/v1/admin/audit-log', (c) => c.json([]));
  else app.get('/v1/admin/audit-log', scope('admin'), (c) => c.json([]));

  if (has('html-errors'))
    app.onError((err, c) => {
      const status = err instanceof HTTPException ? err.status : 500;
      return c.html(
        `<!doctype html><html><body><h1>${status}</h1><p>Something went wrong.</p></body></html>`,
        status,
      );
    });
  else if (has('forbidden-without-challenge'))
    app.onError((err, c) =>
      err instanceof HTTPException ? c.json({ error: 'forbidden' }, 403) : c.text('error', 500),
    );
  else if (!has('default-errors'))
    app.onError((err, c) => {
      if (!(err instanceof HTTPException))
        return c.json({ title: 'Internal Server Error', status: 500 }, 500);
      // The middleware's own answer carries the challenge: keep it, replace only the text body; but a
      // request that sent no token gets no error code (RFC 6750 §3.1), where hono/jwt says invalid_request.
      const anonymous = err.status === 401 && c.req.header('Authorization') === undefined;
      const challenge = anonymous ? 'Bearer realm="api"' : err.getResponse().headers.get('WWW-Authenticate');
      if (challenge) c.header('WWW-Authenticate', challenge);
      c.header('Cache-Control', has('cacheable-401') ? 'public, max-age=300' : 'no-store');
      c.header('Content-Type', 'application/problem+json');
      const title = err.status === 403 ? 'Forbidden' : 'Unauthorized';
      return c.body(
        JSON.stringify({ type: 'about:blank', title, status: err.status, detail: err.message }),
        err.status,
      );
    });

  const server: Server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
