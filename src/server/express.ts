/**
 * why401/server/express: an Express error-handling middleware that turns the refusals of
 * express-oauth2-jwt-bearer and passport (with `failWithError: true`) into correct ones
 * (refusal.ts), and an adapter that serves a web handler such as `authHealth()`.
 *
 * Express is not imported: the request and response are typed by the few members used, so this
 * works with Express 4 and 5 and costs nothing where Express is absent.
 */
import { fromExpressOauth2JwtBearer, fromPassport, fromRefusalError, type RefusalSpec } from './classify.js';
import { refusal, type RefusalDefaults } from './refusal.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** The members of Express's `req` used here. */
export interface ExpressRequestLike {
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  originalUrl?: string;
  url?: string;
  protocol?: string;
}

/** The members of Express's `res` used here (all Node `ServerResponse` members). */
export interface ExpressResponseLike {
  headersSent: boolean;
  statusCode: number;
  getHeader(name: string): number | string | string[] | undefined;
  removeHeader(name: string): void;
  setHeader(name: string, value: string): unknown;
  end(body?: string | Uint8Array): unknown;
}

export type ExpressNext = (err?: unknown) => void;

export interface AuthErrorHandlerOptions extends RefusalDefaults {
  /** Your own errors as refusals (tried first); return undefined to leave an error to the others. */
  classify?: (err: unknown) => RefusalSpec | undefined;
}

function first(v: string | string[] | number | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v);
}

/**
 * Install after the routes: `app.use(authErrorHandler({ realm: 'orders' }))`. An error it does not
 * recognise goes on to the next error handler untouched.
 */
export function authErrorHandler(
  opts: AuthErrorHandlerOptions = {},
): (err: unknown, req: ExpressRequestLike, res: ExpressResponseLike, next: ExpressNext) => void {
  const idHeader = opts.requestIdHeader ?? REQUEST_ID_HEADER;
  // Four parameters: Express tells error handlers from middleware by the function's length.
  return function why401AuthErrors(err, req, res, next) {
    if (res.headersSent) return next(err);
    const spec =
      opts.classify?.(err) ??
      fromRefusalError(err) ??
      fromExpressOauth2JwtBearer(err) ??
      fromPassport(err, first(res.getHeader('WWW-Authenticate')));
    if (!spec) return next(err);
    const r = refusal(spec.kind, {
      ...opts,
      ...spec,
      requestId: first(req.headers[idHeader.toLowerCase()]),
    });
    // passport wrote its own challenge already; this one replaces it.
    res.removeHeader('WWW-Authenticate');
    res.statusCode = r.status;
    for (const [name, value] of Object.entries(r.headers)) res.setHeader(name, value);
    res.end(JSON.stringify(r.body));
  };
}

/**
 * Serves a web handler (`(request: Request) => Promise<Response>`, e.g. `authHealth()`) from Express:
 * `app.get('/health/auth', toExpress(authHealth({ issuer })))`.
 */
export function toExpress(
  handler: (request: Request) => Promise<Response>,
): (req: ExpressRequestLike, res: ExpressResponseLike, next: ExpressNext) => void {
  return (req, res, next) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !k.startsWith(':')) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const url = `${req.protocol ?? 'http'}://${headers.get('host') ?? 'localhost'}${req.originalUrl ?? req.url ?? '/'}`;
    handler(new Request(url, { method: req.method ?? 'GET', headers }))
      .then(async (response) => {
        res.statusCode = response.status;
        response.headers.forEach((value, name) => res.setHeader(name, value));
        res.end(new Uint8Array(await response.arrayBuffer()));
      })
      .catch(next);
  };
}
