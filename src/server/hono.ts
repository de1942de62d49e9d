/**
 * why401/server/hono: an `onError` handler that turns hono/jwt's (and hono/jwk's) `HTTPException`
 * 401s into correct refusals (refusal.ts), and an adapter for web handlers such as `authHealth()`.
 *
 * Hono is not imported: the context is typed by the one member used.
 */
import { fromHonoJwt, fromRefusalError, type RefusalSpec } from './classify.js';
import { refusal, refusalResponse, type RefusalDefaults } from './refusal.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** The member of Hono's `Context` used here. */
export interface HonoContextLike {
  req: { raw: Request };
}

export interface HonoAuthErrorOptions extends RefusalDefaults {
  /** Your own errors as refusals (tried first). */
  classify?: (err: unknown) => RefusalSpec | undefined;
  /** Any other error. Default: what Hono does without an onError (an HTTPException's own response, else a 500). */
  fallback?: (err: Error, c: HonoContextLike) => Response | Promise<Response>;
}

/** Hono's default error handler (honojs/hono:src/hono-base.ts `errorHandler`). */
function honoDefault(err: Error): Response {
  const e = err as Error & { getResponse?: () => Response };
  if (typeof e.getResponse === 'function') return e.getResponse();
  console.error(err);
  return new Response('Internal Server Error', { status: 500, headers: { 'Content-Type': 'text/plain' } });
}

/** `app.onError(authOnError({ realm: 'orders' }))`. */
export function authOnError(
  opts: HonoAuthErrorOptions = {},
): (err: Error, c: HonoContextLike) => Response | Promise<Response> {
  return (err, c) => {
    const spec = opts.classify?.(err) ?? fromRefusalError(err) ?? fromHonoJwt(err);
    if (!spec) return opts.fallback ? opts.fallback(err, c) : honoDefault(err);
    const r = refusal(spec.kind, {
      ...opts,
      ...spec,
      requestId: c.req.raw.headers.get(opts.requestIdHeader ?? REQUEST_ID_HEADER),
    });
    return refusalResponse(r);
  };
}

/** Serves a web handler from Hono: `app.get('/health/auth', toHono(authHealth({ issuer })))`. */
export function toHono(
  handler: (request: Request) => Promise<Response>,
): (c: HonoContextLike) => Promise<Response> {
  return (c) => handler(c.req.raw);
}
