/**
 * why401/server/fastify: an error handler (and a plugin that installs it on the root instance)
 * that turns @fastify/jwt's `FST_JWT_*` errors into correct refusals (refusal.ts), and an adapter
 * that serves a web handler such as `authHealth()`.
 *
 * Fastify is not imported: the request and reply are typed by the few members used.
 */
import { fromFastifyJwt, fromRefusalError, type RefusalSpec } from './classify.js';
import { refusal, type RefusalDefaults } from './refusal.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** The members of Fastify's `request` used here. */
export interface FastifyRequestLike {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
  protocol?: string;
}

/** The members of Fastify's `reply` used here. */
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

export interface FastifyAuthErrorOptions extends RefusalDefaults {
  /** Your own errors as refusals (tried first); return undefined to leave an error to @fastify/jwt's rules. */
  classify?: (err: unknown) => RefusalSpec | undefined;
  /**
   * What to do with any other error. Default: throw it again, which hands it to the parent error
   * handler (Fastify's own, at the root).
   */
  fallback?: (error: unknown, request: FastifyRequestLike, reply: FastifyReplyLike) => unknown;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** `app.setErrorHandler(authErrorHandler({ realm: 'orders' }))`. */
export function authErrorHandler(
  opts: FastifyAuthErrorOptions = {},
): (error: unknown, request: FastifyRequestLike, reply: FastifyReplyLike) => unknown {
  const idHeader = (opts.requestIdHeader ?? REQUEST_ID_HEADER).toLowerCase();
  return function why401AuthErrors(error, request, reply) {
    const spec = opts.classify?.(error) ?? fromRefusalError(error) ?? fromFastifyJwt(error);
    if (!spec) {
      if (opts.fallback) return opts.fallback(error, request, reply);
      throw error;
    }
    const r = refusal(spec.kind, {
      ...opts,
      ...spec,
      requestId: first(request.headers[idHeader]),
    });
    reply.code(r.status);
    for (const [name, value] of Object.entries(r.headers)) reply.header(name, value);
    return reply.send(JSON.stringify(r.body));
  };
}

/**
 * A plugin: `await app.register(why401Fastify, { realm: 'orders' })`. It sets the error handler of
 * the instance it is registered on, not of a child context (`skip-override`, what fastify-plugin
 * sets), so register it on the root to cover every route.
 */
export const why401Fastify = Object.assign(
  async function why401Fastify(
    app: { setErrorHandler(handler: ReturnType<typeof authErrorHandler>): unknown },
    opts: FastifyAuthErrorOptions,
  ): Promise<void> {
    app.setErrorHandler(authErrorHandler(opts));
  },
  { [Symbol.for('skip-override')]: true },
);

/** Serves a web handler from Fastify: `app.get('/health/auth', toFastify(authHealth({ issuer })))`. */
export function toFastify(
  handler: (request: Request) => Promise<Response>,
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike> {
  return async (request, reply) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(request.headers))
      if (v !== undefined && !k.startsWith(':')) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const url = `${request.protocol ?? 'http'}://${headers.get('host') ?? 'localhost'}${request.url}`;
    const response = await handler(new Request(url, { method: request.method, headers }));
    reply.code(response.status);
    response.headers.forEach((value, name) => reply.header(name, value));
    return reply.send(await response.text());
  };
}
