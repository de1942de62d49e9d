/**
 * The Express API the audit tests call: Express 5 with express-oauth2-jwt-bearer (real discovery,
 * real JWKS, real scope checks), set up as a careful team would (CORS before auth, problem+json
 * errors with the library's challenge, no-store, a request id, query tokens refused, RFC 9728
 * metadata), or with one defect at a time, each the way it happens in real code.
 * Its operations are described by test/fixtures/audit/express-3.1.yaml (and swagger-2.0.json).
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';

export type ExpressDefect =
  /** GET /v1/items/{itemId} mounted without the auth middleware. */
  | 'anonymous-open'
  /** A hand-written error handler that answers every refusal 403, with no challenge. */
  | 'forbidden-without-challenge'
  /** A hand-written scope check answering 401 for a missing scope. */
  | 'scope-401'
  /** Refusals sent with Cache-Control: public, max-age=300. */
  | 'cacheable-401'
  /** Express's own default error handler (an HTML page) left in place. */
  | 'html-errors'
  /** Authentication runs before CORS: the preflight is refused. */
  | 'gated-preflight'
  /** The library's own reading of ?access_token= left on. */
  | 'query-token'
  /** GET /v1/admin/stats checks the token but not its scope. */
  | 'low-token-bypass';

export interface ExpressAuditApi {
  url: string;
  /** How many requests were in flight at once, at most (the per-host limit's witness). */
  peak: number;
  close(): Promise<void>;
}

export async function startExpressAuditApi(opts: {
  issuer: string;
  defects?: ExpressDefect[];
  /** Delay (ms) before answering each API request: lets the concurrency test see overlap. */
  delayMs?: number;
}): Promise<ExpressAuditApi> {
  const has = (d: ExpressDefect) => opts.defects?.includes(d) ?? false;
  let base = '';
  const app = express();
  const state = { inFlight: 0, peak: 0 };
  app.use((req, res, next) => {
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    res.on('close', () => state.inFlight--);
    res.set('X-Request-Id', randomUUID());
    if (opts.delayMs) setTimeout(next, opts.delayMs);
    else next();
  });
  // The metadata's path is the resource's, after the well-known prefix (RFC 9728 §3.1).
  app.get('/.well-known/oauth-protected-resource/v1', (_req, res) => {
    res.json({
      resource: `${base}/v1`,
      authorization_servers: [opts.issuer],
      scopes_supported: ['read:items', 'admin'],
    });
  });
  const checkJwt = auth({ issuerBaseURL: opts.issuer, audience: 'https://api.example.test' });
  const cors: RequestHandler = (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    res.set({
      'Access-Control-Allow-Origin': req.get('Origin') ?? '*',
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'authorization, content-type',
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
  if (has('gated-preflight'))
    app.use('/v1', (req, res, next) => (req.method === 'OPTIONS' ? checkJwt(req, res, next) : next()));
  app.use(cors);
  if (!has('query-token'))
    app.use((req, res, next) => {
      if (req.query.access_token === undefined) return next();
      res.status(400).set('WWW-Authenticate', 'Bearer realm="api", error="invalid_request"');
      res
        .type('application/problem+json')
        .json({ title: 'Bad Request', status: 400, detail: 'send the token in the Authorization header' });
    });

  const scope = (s: string): RequestHandler =>
    has('scope-401')
      ? (req, res, next) => {
          const granted = String(req.auth?.payload.scope ?? '').split(' ');
          if (granted.includes(s)) return next();
          res.status(401).set('WWW-Authenticate', 'Bearer realm="api"').json({ error: 'unauthorized' });
        }
      : requiredScopes(s);
  const items = [{ id: 'item-1' }];
  app.get('/v1/health', (_req, res) => void res.json({ ok: true }));
  app.get('/v1/items', checkJwt, scope('read:items'), (_req, res) => void res.json(items));
  if (has('anonymous-open')) app.get('/v1/items/:itemId', (_req, res) => void res.json(items[0]));
  else app.get('/v1/items/:itemId', checkJwt, scope('read:items'), (_req, res) => void res.json(items[0]));
  if (has('low-token-bypass'))
    app.get('/v1/admin/stats', checkJwt, (_req, res) => void res.json({ users: 1 }));
  else app.get('/v1/admin/stats', checkJwt, scope('admin'), (_req, res) => void res.json({ users: 1 }));

  if (!has('html-errors')) {
    const onError: ErrorRequestHandler = (
      err: { status?: number; headers?: Record<string, string>; code?: string; message?: string },
      _req,
      res,
      _next,
    ) => {
      const status = err.status ?? 500;
      if (has('forbidden-without-challenge') && status === 401) {
        res.status(403).json({ error: 'forbidden' });
        return;
      }
      res.status(status);
      if (err.headers) res.set(err.headers);
      res.set('Cache-Control', has('cacheable-401') ? 'public, max-age=300' : 'no-store');
      res
        .type('application/problem+json')
        .json({ type: 'about:blank', title: err.code ?? 'error', status, detail: err.message });
    };
    app.use(onError);
  }

  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url: base,
    get peak() {
      return state.peak;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
