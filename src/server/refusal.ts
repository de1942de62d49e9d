/**
 * A correct refusal, whatever the framework: status, challenge, problem+json body, request id and
 * `Cache-Control: no-store`, from one word saying what went wrong.
 *
 * The rules it follows:
 * - RFC 9110 §15.5.2: a 401 MUST carry WWW-Authenticate. RFC 6750 §3.1: 401 for no or a bad token,
 *   403 for `insufficient_scope`, 400 for `invalid_request`; a request that "lacks any
 *   authentication information" gets a challenge with no error code and no error information.
 * - RFC 9470 §3: step-up is a 401 with `insufficient_user_authentication` and `acr_values` and/or `max_age`.
 * - RFC 9111 §5.2.2.5: `no-store`, so no cache or CDN keeps a refusal and serves it to the next
 *   caller (why401's `server.cached-401`).
 */
import { fitDescription, wwwAuthenticate, type ChallengeOptions } from './challenge.js';
import { problem, type ProblemDocument } from './problem.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

/** What went wrong, from the client's side. */
export type RefusalKind =
  /** No credentials at all: 401, a bare challenge. */
  | 'missing'
  /** The request is malformed (a second token, a wrong scheme, `Bearer` with nothing after it): 400. */
  | 'invalid_request'
  /** The token is expired, revoked, malformed or fails verification: 401 `invalid_token`. */
  | 'invalid_token'
  /** The token is good but lacks a scope: 403 `insufficient_scope`. */
  | 'insufficient_scope'
  /** The user must sign in again, more strongly or more recently: 401 `insufficient_user_authentication`. */
  | 'step_up';

/** Why an `invalid_token` was refused; each has a standard description a client (and why401) recognises. */
export type TokenProblem =
  'malformed' | 'expired' | 'not_yet_valid' | 'audience' | 'issuer' | 'signature' | 'unknown_key' | 'revoked';

/**
 * The descriptions of `invalid_token`. The wording is the one ASP.NET Core's JwtBearer handler
 * writes (dotnet/aspnetcore:src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs), which
 * diagnostic tools already read: plain, no token value, no key material.
 */
export const TOKEN_PROBLEM_DESCRIPTIONS: Readonly<Record<TokenProblem, string>> = {
  malformed: 'The token is malformed',
  expired: 'The token is expired',
  not_yet_valid: 'The token is not valid yet',
  audience: 'The audience is invalid',
  issuer: 'The issuer is invalid',
  signature: 'The signature is invalid',
  unknown_key: 'The signature key was not found',
  revoked: 'The token has been revoked',
};

/** Options every refusal of one API shares: the adapters take these once. */
export interface RefusalDefaults {
  /** Default `Bearer`. */
  scheme?: string;
  realm?: string;
  errorUri?: string;
  /** The RFC 9728 metadata URL, sent with every challenge (MCP clients need it on the first 401). */
  resourceMetadata?: string;
  /** The request-id header read and written; default `X-Request-Id`. */
  requestIdHeader?: string;
  /** RFC 9457 `type` of the body; default `about:blank`. */
  problemType?: string;
}

export interface RefusalOptions extends RefusalDefaults {
  /** For `invalid_token`: which check failed (picks the description). */
  problem?: TokenProblem;
  /** Overrides the standard description (made to fit RFC 6750 §3). Ignored for `missing`. */
  errorDescription?: string;
  /** For `insufficient_scope` (required there): the scopes the request needs. */
  scope?: string | readonly string[];
  /** For `step_up`: RFC 9470 §3. At least one of the two is required there. */
  acrValues?: string | readonly string[];
  maxAge?: number;
  /** The request id the request came with (reused when it looks like one) — else one is made. */
  requestId?: string | null;
  /** RFC 9457 `instance`, e.g. the request's path. */
  instance?: string;
}

export interface Refusal {
  status: 400 | 401 | 403;
  /** WWW-Authenticate, Content-Type, Cache-Control and the request id header. */
  headers: Record<string, string>;
  /** RFC 9457 body with the extension members `error`, `scope`, `acr_values`, `max_age`, `request_id`. */
  body: ProblemDocument;
  /** The id sent back; log it with the refusal. */
  requestId: string;
}

const STATUS: Readonly<Record<RefusalKind, 400 | 401 | 403>> = {
  missing: 401,
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  step_up: 401,
};

const ERROR_CODE: Readonly<Record<RefusalKind, string | undefined>> = {
  missing: undefined,
  invalid_request: 'invalid_request',
  invalid_token: 'invalid_token',
  insufficient_scope: 'insufficient_scope',
  step_up: 'insufficient_user_authentication',
};

function describe(kind: RefusalKind, opts: RefusalOptions): string | undefined {
  if (kind === 'missing') return undefined;
  if (opts.errorDescription !== undefined) return opts.errorDescription;
  switch (kind) {
    case 'invalid_request':
      return 'The request is malformed: send the token once, as Authorization: Bearer <token>';
    case 'invalid_token':
      return opts.problem ? TOKEN_PROBLEM_DESCRIPTIONS[opts.problem] : 'The access token is invalid';
    case 'insufficient_scope':
      // RFC 6750 §3.1's definition of insufficient_scope, nearly word for word.
      return 'The request requires higher privileges than provided by the access token';
    case 'step_up':
      // RFC 9470 §3's two examples.
      return opts.acrValues !== undefined
        ? 'A different authentication level is required'
        : 'More recent authentication is required';
  }
}

/** The words a person reads in the body; for `missing` too, where the challenge says nothing. */
function detailOf(kind: RefusalKind, description: string | undefined): string {
  return kind === 'missing' ? 'This request needs an access token; none was sent.' : `${description}.`;
}

/**
 * Everything a refusal sends: `{ status, headers, body, requestId }`. Write the headers and
 * `JSON.stringify(body)` with your framework, or use `refusalResponse()` for a web `Response`.
 *
 * ```ts
 * const r = refusal('insufficient_scope', { scope: 'orders:write', realm: 'orders', requestId: req.headers['x-request-id'] });
 * res.status(r.status).set(r.headers).send(JSON.stringify(r.body));
 * ```
 */
export function refusal(kind: RefusalKind, opts: RefusalOptions = {}): Refusal {
  const status = STATUS[kind];
  if (status === undefined) throw new TypeError(`refusal: unknown kind ${JSON.stringify(kind)}`);
  if (kind === 'insufficient_scope' && opts.scope === undefined)
    throw new TypeError('refusal: insufficient_scope needs the scope the request requires');
  if (kind === 'step_up' && opts.acrValues === undefined && opts.maxAge === undefined)
    throw new TypeError('refusal: step_up needs acrValues or maxAge (RFC 9470 §3)');

  const error = ERROR_CODE[kind];
  const description = describe(kind, opts);
  const challenge: ChallengeOptions = {
    scheme: opts.scheme,
    realm: opts.realm,
    resourceMetadata: opts.resourceMetadata,
  };
  if (error !== undefined) {
    Object.assign(challenge, { error, errorDescription: description, errorUri: opts.errorUri });
    if (kind === 'insufficient_scope') challenge.scope = opts.scope;
    if (kind === 'step_up') Object.assign(challenge, { acrValues: opts.acrValues, maxAge: opts.maxAge });
  }
  for (const k of Object.keys(challenge) as Array<keyof ChallengeOptions>)
    if (challenge[k] === undefined) delete challenge[k];
  const header = wwwAuthenticate(challenge);

  const requestId = requestIdFrom(opts.requestId);
  const fitted = description === undefined ? undefined : fitDescription(description);
  const list = (v: string | readonly string[] | undefined) =>
    v === undefined ? undefined : typeof v === 'string' ? v : v.join(' ');
  const p = problem({
    status,
    type: opts.problemType,
    detail: detailOf(kind, fitted),
    instance: opts.instance,
    extensions: {
      error,
      scope: kind === 'insufficient_scope' ? list(opts.scope) : undefined,
      acr_values: kind === 'step_up' ? list(opts.acrValues) : undefined,
      max_age: kind === 'step_up' ? opts.maxAge : undefined,
      request_id: requestId,
    },
  });
  return {
    status,
    headers: {
      'WWW-Authenticate': header,
      ...p.headers,
      'Cache-Control': 'no-store',
      [opts.requestIdHeader ?? REQUEST_ID_HEADER]: requestId,
    },
    body: p.body,
    requestId,
  };
}

/** What one refusal says beyond the API's defaults: what an error carries to an adapter. */
export type RefusalDetails = Pick<
  RefusalOptions,
  'problem' | 'errorDescription' | 'scope' | 'acrValues' | 'maxAge'
>;

/**
 * Throw it from a route or a guard to refuse with `kind`; every adapter turns it into the refusal.
 *
 * ```ts
 * if (!scopes.includes('orders:write')) throw new RefusalError('insufficient_scope', { scope: 'orders:write' });
 * if (authAgeSeconds > 300) throw new RefusalError('step_up', { maxAge: 300 });
 * ```
 */
export class RefusalError extends Error {
  override readonly name = 'RefusalError';
  constructor(
    readonly kind: RefusalKind,
    readonly details: RefusalDetails = {},
  ) {
    super(`refused: ${kind}`);
  }
}

/** The refusal as a web `Response` (workers, Deno, Bun, Hono, Next.js route handlers). */
export function refusalResponse(r: Refusal): Response {
  return new Response(JSON.stringify(r.body), { status: r.status, headers: r.headers });
}
