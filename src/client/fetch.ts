import type { AuthOptions, Token } from './options.js';
import { AuthSession, MAX_SENDS, type Replayable } from './session.js';

/** The shape of `fetch`: what `withAuth` takes and returns, so it wraps any implementation. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request;
}

/**
 * Whether a body can be sent twice. Strings, bytes, Blobs, FormData and URLSearchParams are
 * values the Fetch standard re-extracts for each request; a ReadableStream (or Node's async
 * iterable) is read as it is sent and then gone. A `Request` is replayed with `clone()`.
 */
export function replayableBody(init: RequestInit | undefined): Replayable {
  const body = init?.body;
  if (body === undefined || body === null) return true;
  if (typeof body === 'string' || body instanceof URLSearchParams) return true;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return true;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return true;
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream
    ? 'the body was a ReadableStream, which is spent once sent'
    : 'the body was a stream, which is spent once sent';
}

function urlOf(input: RequestInfo | URL): string {
  const raw = isRequest(input) ? input.url : String(input);
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(raw, base).href;
  } catch {
    return raw;
  }
}

function hasOwnAuthorization(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  if (init?.headers !== undefined) return new Headers(init.headers).has('authorization');
  return isRequest(input) && input.headers.has('authorization');
}

/**
 * Lets the connection go: a response the caller never sees is cancelled, not left half read.
 * Not awaited: cancelling one branch of a teed body (a `response.clone()`, as ky hands its hooks)
 * settles only once the other branch is cancelled too, which may be never.
 */
function discard(res: Response): void {
  res.body?.cancel().catch(() => undefined);
}

/**
 * Wraps `fetch` so that every request carries the access token, and a refused token is handled
 * the way the standards and the bugs of the usual libraries say it must be:
 *
 * - 401 with `invalid_token` or no error code: one refresh per refused token, shared by every
 *   request refused with it (a hundred at once cause one refresh), then one retry with the new
 *   token. A request refused with a token that was replaced meanwhile retries with the current
 *   one and refreshes nothing. A second 401 calls `onSignInRequired` (once per dead token) and
 *   rejects with `SignInRequiredError`: never a loop.
 * - 401 `insufficient_scope` and every 403: no refresh; `InsufficientScopeError` (with the
 *   `scope` the challenge asks for) or `ForbiddenError`.
 * - 401 DPoP `use_dpop_nonce` with a `DPoP-Nonce` header (RFC 9449 §9): one retry with a proof
 *   that carries the nonce.
 * - Other 401s (`invalid_request`…) and every other status: the response, untouched.
 * - Across tabs, when `navigator.locks` exists, the refresh runs under one Web Lock and the
 *   stored token is re-read once the lock is held, so the whole browser refreshes once.
 * - A body that cannot be replayed (a stream) is not sent twice: `NotReplayableError`.
 * - A request that fails before any refresh (network error, 500) never waits for one.
 * - A request that sets its own `Authorization`, or goes to an origin outside `origins`, is sent as is.
 *
 * Uses only `fetch`, `Request`, `Headers` and `URL`: browsers, Node ≥ 18, Deno, Bun and workers.
 *
 * @example
 * ```ts
 * import { withAuth } from 'why401/client';
 * const api = withAuth(fetch, {
 *   getToken: () => localStorage.getItem('at'),
 *   refresh: async () => (await renewTokens()).access_token,
 *   onSignInRequired: () => location.assign('/login'),
 *   origins: ['https://api.example.com'],
 * });
 * const me = await api('https://api.example.com/me');
 * ```
 */
export function withAuth(fetch: FetchLike, options: AuthOptions): FetchLike {
  if (typeof fetch !== 'function')
    throw new TypeError('withAuth: the first argument must be a fetch function');
  const session = new AuthSession(options);
  return (input, init) => sendWithAuth(fetch, session, input, init);
}

/**
 * One request's life over a session: send, read the refusal, send again as the session says.
 * `first` is a response to this very request already sent with its token (the ky adapter's).
 */
export async function sendWithAuth(
  fetch: FetchLike,
  session: AuthSession,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  first?: Response,
): Promise<Response> {
  const url = urlOf(input);
  if (!session.covers(url) || (!first && hasOwnAuthorization(input, init)))
    return first ?? fetch(input, init);
  const replayable = replayableBody(init);
  const method = init?.method ?? (isRequest(input) ? input.method : 'GET');
  const signal = init?.signal ?? (isRequest(input) ? input.signal : undefined) ?? undefined;
  const attempt = session.newAttempt();
  const baseHeaders = new Headers(init?.headers ?? (isRequest(input) ? input.headers : undefined));

  const send = async (token: Token): Promise<Response> => {
    attempt.sends++;
    const headers = new Headers(baseHeaders);
    for (const [k, v] of await session.headersFor(token, method, url)) headers.set(k, v);
    // A Request's body is read by the send: each send gets a copy, the original stays unread.
    const source = isRequest(input) ? input.clone() : input;
    return fetch(source, { ...init, headers });
  };

  let token: Token;
  let res: Response;
  if (first) {
    attempt.sends++;
    token = tokenIn(baseHeaders, session.scheme);
    res = first;
  } else {
    token = await session.tokenForNewRequest();
    res = await send(token);
  }
  // session.next bounds the sends (MAX_SENDS); the guard here only makes that visible.
  while (attempt.sends <= MAX_SENDS) {
    const next = await session.next(res.status, res.headers, url, token, attempt, replayable, signal);
    if (!next.retry) return res;
    discard(res);
    token = next.token;
    res = await send(token);
  }
  return res;
}

/** The token a request already sent carried (the ky adapter's first send). */
function tokenIn(headers: Headers, scheme: string): string | undefined {
  const value = headers.get('authorization');
  const prefix = `${scheme.toLowerCase()} `;
  return value && value.toLowerCase().startsWith(prefix) ? value.slice(prefix.length).trim() : undefined;
}
