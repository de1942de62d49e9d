import type { HeaderReader } from './challenge.js';
import type { AuthOptions, Token } from './options.js';
import { AuthSession, type Attempt, type Replayable } from './session.js';

/**
 * why401/client/axios: `withAuth`'s rules as an axios interceptor pair. axios is not a dependency:
 * these are the parts of its documented interceptor API (`interceptors.request.use`,
 * `interceptors.response.use`, `eject`, `request(config)`, `AxiosError.config/response`) that the
 * adapter touches, declared here so any axios 1.x instance fits without the emitted .d.ts naming
 * 'axios'. test/client/adapters.test.ts passes a real `AxiosInstance` (axios 1.21), so `tsc`
 * checks that it does fit: no index signature on the config, because axios's
 * `InternalAxiosRequestConfig` is an interface, and an interface has no implicit one.
 */

/** A request config, as axios hands it to interceptors. */
export interface AxiosRequestConfigLike {
  url?: string;
  baseURL?: string;
  method?: string;
  headers?: unknown;
  data?: unknown;
  signal?: unknown;
}

/** A response, as axios resolves it or puts it on an `AxiosError`. */
export interface AxiosResponseLike {
  status: number;
  headers?: unknown;
  config?: AxiosRequestConfigLike;
}

interface InterceptorManagerLike<V> {
  use(
    onFulfilled?: ((value: V) => V | Promise<V>) | null,
    onRejected?: ((error: unknown) => unknown) | null,
  ): number;
  eject(id: number): void;
}

/** An axios instance (or the default export). */
export interface AxiosInstanceLike {
  interceptors: {
    request: InterceptorManagerLike<AxiosRequestConfigLike>;
    response: InterceptorManagerLike<AxiosResponseLike>;
  };
  request(config: AxiosRequestConfigLike): Promise<unknown>;
}

/**
 * The state of one request, carried on its config across the retry. A class, not a plain
 * object: axios's mergeConfig deep-copies plain objects, and this must stay one object.
 */
class AxiosAttempt {
  constructor(
    readonly attempt: Attempt,
    public token: Token,
  ) {}
}

const STATE = 'why401Auth';

/** This request's state, if the request interceptor gave it one. */
function stateOf(config: AxiosRequestConfigLike | undefined): AxiosAttempt | undefined {
  const v = (config as Record<string, unknown> | undefined)?.[STATE];
  return v instanceof AxiosAttempt ? v : undefined;
}

function lowerGet(h: unknown, name: string): string | undefined {
  if (!h || typeof h !== 'object') return undefined;
  const getter = (h as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const v: unknown = getter.call(h, name);
    if (v !== undefined && v !== null && v !== false) return Array.isArray(v) ? v.join(', ') : String(v);
  }
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    if (k.toLowerCase() === name && v !== undefined && v !== null)
      return Array.isArray(v) ? v.join(', ') : String(v);
  }
  return undefined;
}

function setHeader(config: AxiosRequestConfigLike, name: string, value: string): void {
  config.headers ??= {};
  const h = config.headers as Record<string, unknown> & { set?: unknown };
  if (typeof h.set === 'function') {
    (h.set as (n: string, v: string) => void).call(h, name, value);
    return;
  }
  for (const k of Object.keys(h)) if (k.toLowerCase() === name) delete h[k];
  h[name] = value;
}

function fullUrl(config: AxiosRequestConfigLike): string {
  const url = config.url ?? '';
  const base = config.baseURL ?? (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

/** axios's `data` after its transforms: strings, bytes, FormData replay; a stream does not. */
function replayableData(data: unknown): Replayable {
  if (data === undefined || data === null || typeof data !== 'object') return true;
  if (typeof ReadableStream !== 'undefined' && data instanceof ReadableStream)
    return 'the body was a ReadableStream, which is spent once sent';
  if (typeof (data as { pipe?: unknown }).pipe === 'function')
    return 'the body was a stream, which is spent once sent';
  return true;
}

/**
 * Installs `withAuth`'s behaviour on an axios instance: a request interceptor that adds the token
 * (and DPoP proof), and a response interceptor that, on a refused token, shares one refresh per
 * refused token and sends the request again once through `instance.request`. 403 and
 * `insufficient_scope` reject with `ForbiddenError`/`InsufficientScopeError`, a second 401 with
 * `SignInRequiredError`; any other error is passed on untouched. Returns a function that removes
 * both interceptors.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachAuth } from 'why401/client/axios';
 * const api = axios.create({ baseURL: 'https://api.example.com' });
 * const detach = attachAuth(api, { getToken, refresh, onSignInRequired, origins: ['https://api.example.com'] });
 * ```
 */
export function attachAuth(instance: AxiosInstanceLike, options: AuthOptions): () => void {
  const session = new AuthSession(options);

  const onRequest = async (config: AxiosRequestConfigLike): Promise<AxiosRequestConfigLike> => {
    const url = fullUrl(config);
    let state = stateOf(config);
    if (!state) {
      if (!session.covers(url) || lowerGet(config.headers, 'authorization') !== undefined) return config;
      state = new AxiosAttempt(session.newAttempt(), await session.tokenForNewRequest());
      (config as Record<string, unknown>)[STATE] = state;
    }
    state.attempt.sends++;
    for (const [k, v] of await session.headersFor(state.token, config.method ?? 'get', url))
      setHeader(config, k, v);
    return config;
  };

  /** The response (or error) decides: the same response, a retry, or a typed error. */
  const settle = async (res: AxiosResponseLike | undefined, config: AxiosRequestConfigLike | undefined) => {
    const state = stateOf(config);
    if (!res || !config || !state) return undefined;
    const headers: HeaderReader = { get: (n) => lowerGet(res.headers, n.toLowerCase()) ?? null };
    const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
    const next = await session.next(
      res.status,
      headers,
      fullUrl(config),
      state.token,
      state.attempt,
      replayableData(config.data),
      signal,
    );
    if (!next.retry) return undefined;
    state.token = next.token;
    return { retried: await instance.request(config) };
  };

  const requestId = instance.interceptors.request.use(onRequest);
  const responseId = instance.interceptors.response.use(
    // A validateStatus that lets 401/403 through resolves instead of rejecting: same rules.
    async (res) => {
      if (res.status !== 401 && res.status !== 403) return res;
      const out = await settle(res, res.config);
      return out ? (out.retried as AxiosResponseLike) : res;
    },
    async (error: unknown) => {
      const e = error as { config?: AxiosRequestConfigLike; response?: AxiosResponseLike } | undefined;
      const out = await settle(e?.response, e?.config);
      if (out) return out.retried;
      throw error;
    },
  );
  return () => {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}

export type { AuthOptions } from './options.js';
