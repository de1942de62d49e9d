/** A value or a promise of it: every callback may be synchronous or not. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** An access token, or nothing (signed out, or not fetched yet). */
export type Token = string | null | undefined;

/**
 * Where the access token is shared, between tabs for a browser app (`localStorage`, IndexedDB).
 * `withAuth` reads it once it holds the refresh lock, because another tab may have refreshed while
 * this one waited, and writes the token `refresh` returns before it lets the lock go.
 */
export interface TokenStorage {
  get(): MaybePromise<Token>;
  set(token: string): MaybePromise<void>;
}

/** What `onSignInRequired` is told. Never the token itself. */
export interface SignInRequired {
  /** Why: the refreshed token was refused too, or `refresh` had nothing to give. */
  reason: 'refreshed-token-refused' | 'refresh-returned-nothing';
  /** The status of the refusal that ended the session (401). */
  status: number;
}

/** The input of a DPoP proof (RFC 9449 §4.2): sign a JWT with `htm`, `htu`, `ath` and this `nonce`. */
export interface DpopProofRequest {
  /** `htm`: the request method. */
  method: string;
  /** The request URL; `htu` is it without query and fragment (RFC 9449 §4.2). */
  url: string;
  /** The access token, for `ath` (base64url SHA-256 of it). */
  accessToken: string;
  /** The latest `DPoP-Nonce` this origin sent (RFC 9449 §9), if any. */
  nonce: string | undefined;
}

/** The part of the Web Locks API `withAuth` uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, options: { signal?: AbortSignal }, callback: () => Promise<T>): Promise<T>;
}

/** Options of `withAuth` and of the axios and ky adapters. */
export interface AuthOptions {
  /** The access token to send now. Called for every request. */
  getToken(): MaybePromise<Token>;
  /**
   * Gets a new access token for the one the server refused (`rejected`; undefined when the
   * request carried none). Called once per refused token however many requests saw it refused.
   * Store what it returns where `getToken` reads it (or pass `storage`), and with refresh-token
   * rotation store the new refresh token before returning: the old one is spent. Return null when
   * there is no session to refresh (then `onSignInRequired`). A throw rejects the waiting requests
   * with `RefreshFailedError`; the next refused request tries again. `signal` aborts at
   * `refreshTimeoutMs`.
   */
  refresh(rejected: string | undefined, context: { signal: AbortSignal }): MaybePromise<Token>;
  /** The session is over: send the person to sign in. Called once per dead token, however many requests failed. */
  onSignInRequired(info: SignInRequired): MaybePromise<void>;
  /** Where tabs share the token (see `TokenStorage`). Without it, the re-read after the lock uses `getToken`. */
  storage?: TokenStorage;
  /** The Web Lock's name (default `why401-token-refresh`): one per token family if an app has several. */
  lockName?: string;
  /** The lock manager (default `navigator.locks` where it exists); `false` for none. */
  locks?: LockManagerLike | false;
  /** The Authorization scheme (default `Bearer`, or `DPoP` when `dpop` is given). */
  scheme?: string;
  /** Makes a DPoP proof (RFC 9449 §4), sent in the `DPoP` header of every request, with the server's nonce. */
  dpop?: (request: DpopProofRequest) => MaybePromise<string>;
  /**
   * The origins (`https://api.example.com`) that get the token. Default: in a page or a worker, its
   * own origin only (relative URLs included); where there is no origin of one's own (Node, Bun),
   * every request the wrapped fetch sends, so pass this whenever that fetch also reaches third parties.
   */
  origins?: string[];
  /** How long a request waits for the lock and the refresh together (default 30 000 ms). */
  refreshTimeoutMs?: number;
}
