import { AuthClientError } from './errors.js';
import { sendWithAuth, type FetchLike } from './fetch.js';
import type { AuthOptions } from './options.js';
import { AuthSession } from './session.js';

/**
 * why401/client/ky: `withAuth`'s rules as ky hooks. ky is not a dependency: the hook signatures
 * below are the parts of ky 1.x's documented ones this uses (`beforeRequest(request, options)`,
 * `afterResponse(request, options, response)` where a returned Response replaces ky's, and
 * `beforeRetry({ error })` where a throw ends ky's retries); test/client/adapters.test.ts runs
 * them in ky 1.14 itself.
 *
 * The retry is sent by fetch from `afterResponse`, not by calling ky again: re-entering ky from
 * `afterResponse` runs every hook a second time, which is how a refresh in ky hooks ends up
 * calling the refresh endpoint twice (ky's own tracker). The request ky hands `afterResponse` is
 * the unsent clone ky keeps for its own retries (Ky.#fetch: `this.request = original.clone()`),
 * so its body, a stream included, is still whole and is sent again as it was.
 */

/** The hooks to pass to `ky.create({ hooks })` or `ky.extend({ hooks })`. */
export interface KyAuthHooks {
  beforeRequest: Array<(request: Request, options: object) => Promise<void>>;
  afterResponse: Array<(request: Request, options: object, response: Response) => Promise<Response | void>>;
  beforeRetry: Array<(state: { error: Error }) => void>;
}

/**
 * ky hooks that add the token (and DPoP proof) in `beforeRequest`, and in `afterResponse` deal
 * with a refused token as `withAuth` does: one shared refresh per refused token, one retry, sign-in
 * once; 403 and `insufficient_scope` throw `ForbiddenError`/`InsufficientScopeError`. A request
 * whose caller set its own `Authorization`, or to an origin outside `origins`, is left to ky.
 * `fetch` sends the retry (default: the `fetch` ky was given, else `globalThis.fetch`).
 *
 * ky retries a GET, PUT, DELETE… that failed with any error that is not an `HTTPError` (limit 2,
 * after 300 ms and 600 ms), and an error thrown by `afterResponse` is one: it would send a refused
 * request again with the same token. The `beforeRetry` hook ends that for why401's errors. To
 * skip ky's delay before it, add `retry: { shouldRetry: ({ error }) => (error instanceof
 * AuthClientError ? false : undefined) }`.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import { authHooks } from 'why401/client/ky';
 * const api = ky.create({ prefixUrl: 'https://api.example.com', hooks: authHooks({ getToken, refresh, onSignInRequired }) });
 * ```
 */
export function authHooks(options: AuthOptions & { fetch?: FetchLike }): KyAuthHooks {
  const session = new AuthSession(options);
  // ky hands both hooks the same options object for one call: that is how a response is known to be ours.
  const ours = new WeakSet<object>();
  return {
    beforeRequest: [
      async (request, kyOptions) => {
        if (!session.covers(request.url) || request.headers.has('authorization')) return;
        ours.add(kyOptions);
        const token = await session.tokenForNewRequest();
        for (const [k, v] of await session.headersFor(token, request.method, request.url))
          request.headers.set(k, v);
      },
    ],
    afterResponse: [
      async (request, kyOptions, response) => {
        if (!ours.has(kyOptions)) return;
        const kyFetch = (kyOptions as { fetch?: unknown }).fetch;
        const fetch = options.fetch ?? (typeof kyFetch === 'function' ? (kyFetch as FetchLike) : undefined);
        const send: FetchLike = (input, init) => (fetch ?? globalThis.fetch)(input, init);
        const final = await sendWithAuth(send, session, request, undefined, response);
        return final === response ? undefined : final;
      },
    ],
    beforeRetry: [
      ({ error }) => {
        // ky's docs: a throw here ends the retries and reaches the caller as is.
        if (error instanceof AuthClientError) throw error;
      },
    ],
  };
}

export type { AuthOptions } from './options.js';
