/**
 * A real resource server for end-to-end tests: Express 5 with express-oauth2-jwt-bearer, the
 * setup deps.md §5 measured, with its "custom JSON error handler" (err.status, err.headers with
 * the WWW-Authenticate challenge, and a JSON body). Verification is the library's own: discovery
 * and JWKS fetched from the issuer, so rotation, audience and scope failures are the real ones.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import { listenLocal } from './http-server.js';

export interface ExpressApiOptions {
  /** The issuer's URL (discovery at `${issuer}/.well-known/openid-configuration`). */
  issuer: string;
  audience: string;
  /** Scopes `/api/me` requires on top of a valid token (default none). */
  scopes?: string[];
}

export interface ExpressApi {
  /** The API's origin, no trailing slash. */
  url: string;
  /** Every request the app received, recorded before authentication runs. */
  received: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startExpressApi(opts: ExpressApiOptions): Promise<ExpressApi> {
  const received: ExpressApi['received'] = [];
  const app = express();
  app.use((req, _res, next) => {
    received.push({ path: req.originalUrl, headers: { ...req.headers } });
    next();
  });

  const checkJwt = auth({ issuerBaseURL: opts.issuer, audience: opts.audience });
  const me = opts.scopes?.length ? [checkJwt, requiredScopes(opts.scopes)] : [checkJwt];
  const answer: express.RequestHandler = (req, res) => {
    res.json({ ok: true, sub: req.auth?.payload.sub });
  };
  app.get('/api/me', ...me, answer);
  app.get('/api/read', checkJwt, requiredScopes('read'), answer);
  app.get('/api/admin', checkJwt, requiredScopes('admin'), answer);

  // Express's default handler renders HTML with a stack trace; real APIs install one like this.
  const onError: ErrorRequestHandler = (
    err: { status?: number; headers?: Record<string, string>; code?: string; message?: string },
    _req,
    res,
    _next,
  ) => {
    res.status(err.status ?? 500);
    if (err.headers) res.set(err.headers);
    res.json({ error: err.code, message: err.message });
  };
  app.use(onError);

  const server = createServer(app);
  const { url, close } = await listenLocal(server);
  return {
    url,
    received,
    close,
  };
}
