/**
 * A small real Hono resource server for end-to-end tests: Hono 4 on @hono/node-server with the
 * built-in `hono/jwt` middleware on `/api/*`, set up as its documentation shows (a shared HS256
 * secret, `verification: { aud }` when an audience is given) and Hono's default error handling,
 * so a refusal is the middleware's own: 401, text `Unauthorized`, and
 * `WWW-Authenticate: Bearer realm="<request URL>",error="…",error_description="…"`.
 * (test/audit/support/hono-api.ts is the audit's careful RS256 API; this one is the quick start.)
 */
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { jwt, sign } from 'hono/jwt';
import { listenLocal } from './http-server.js';

export interface HonoApi {
  /** The API's origin, no trailing slash. */
  url: string;
  /** Signs an HS256 token with the API's secret (or `secret`); `exp` +10 min unless given. */
  token(claims: Record<string, unknown>, secret?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHonoApi(opts: { secret?: string; audience?: string } = {}): Promise<HonoApi> {
  const secret = opts.secret ?? 'hono-test-secret';
  const app = new Hono();
  app.use(
    '/api/*',
    jwt({ secret, alg: 'HS256', ...(opts.audience ? { verification: { aud: opts.audience } } : {}) }),
  );
  app.get('/api/me', (c) => c.json({ ok: true, sub: (c.get('jwtPayload') as { sub?: string }).sub }));
  const server = createServer(getRequestListener(app.fetch));
  const { url, close } = await listenLocal(server);
  return {
    url,
    token: (claims, other) =>
      sign({ exp: Math.floor(Date.now() / 1000) + 600, ...claims }, other ?? secret, 'HS256'),
    close,
  };
}
