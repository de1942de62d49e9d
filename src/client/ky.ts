import { sendWithAuth, type FetchLike } from './fetch.js';
import type { AuthOptions } from './options.js';
import { AuthSession } from './session.js';

/**
 * why401/client/ky: `withAuth`'s rules as ky hooks. ky is not a dependency: the hook signatures
 * below are ky 1.x's documented ones (`beforeRequest(request, options)`,
 * `afterResponse(request, options, response)`, a returned Response replacing ky's).
 *
 * The retry is sent by the fetch given here, not by calling ky again: re-entering ky from
 * `afterResponse` runs every hook a second time, which is how a refresh in ky hooks ends up
 * calling the refresh endpoint twice (ky's own tracker).
 */

/** The hooks to pass to `ky.create({ hooks })` or `ky.extend({ hooks })`. */
export interface KyAuthHooks {
  beforeRequest: Array<(request: Request, options: object) => Promise<void>>;
  afterResponse: Array<(request: Request, options: object, response: Response) => Promise<Response | void>>;
}

/**
 * ky hooks that add the token (and DPoP proof) in `beforeRequest`, and in `afterResponse` deal
 * with a refused token as `withAuth` does: one shared refresh per refused token, one retry, sign-in
 * once; 403 and `insufficient_scope` throw `ForbiddenError`/`InsufficientScopeError`. A request
 * whose caller set its own `Authorization`, or to an origin outside `origins`, is left to ky.
 * `fetch` sends the retry (default `globalThis.fetch`; pass the one you gave ky).
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
  const send: FetchLike = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
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
        const final = await sendWithAuth(send, session, request, undefined, response);
        return final === response ? undefined : final;
      },
    ],
  };
}

export type { AuthOptions } from './options.js';
