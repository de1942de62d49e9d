import { readRefusal, type HeaderReader } from './challenge.js';
import {
  AuthClientError,
  ForbiddenError,
  InsufficientScopeError,
  NotReplayableError,
  RefreshFailedError,
  SignInRequiredError,
} from './errors.js';
import type { AuthOptions, LockManagerLike, SignInRequired, Token } from './options.js';

/**
 * The bookkeeping behind `withAuth` and its adapters, shared by every request of one client:
 * which tokens were refused, the one refresh each of them gets, and which dead tokens already
 * sent the person to sign in. An adapter sends; this decides what the next send carries.
 *
 * The recipe (issue 18, and the bugs it names): one refresh per refused token, keyed by that
 * token, so a hundred requests refused at once share one refresh; one retry; and a request that
 * was refused with a token that has since been replaced retries with the replacement instead of
 * refreshing again, which is what spends a rotated refresh token twice.
 */

const DEFAULT_LOCK_NAME = 'why401-token-refresh';
const DEFAULT_REFRESH_TIMEOUT_MS = 30_000;
/** Tokens remembered (refused, refreshed, dead, nonces): enough for any real overlap, bounded all the same. */
const MEMORY = 32;
/** Sends of one request, whatever happens: the first, a nonce retry, the retry after a refresh, one more if the token changed meanwhile. */
export const MAX_SENDS = 4;

/** One request's progress: what it sent, and whether it already had its refresh and its nonce retry. */
export interface Attempt {
  sends: number;
  refreshed: boolean;
  nonceRetried: boolean;
  tried: Set<string>;
}

/** What the adapter does next: hand the response over, or send again with `token`. */
export type Next = { retry: false } | { retry: true; token: Token };

/** Why a request could not be sent again: `true` when it can, else the reason, for `NotReplayableError`. */
export type Replayable = true | string;

interface Refresh {
  promise: Promise<Token>;
  settled: boolean;
  value: Token;
}

/** Map with a size bound: the oldest entry goes first. */
class Bounded<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > MEMORY) this.delete(this.keys().next().value as string);
    return this;
  }
}

function defaultLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : undefined;
}

/** Rejects with the signal's reason as soon as it aborts; the shared promise goes on for the others. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The page's or worker's own origin, where there is one (browsers, workers, Deno with --location). */
function hereOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}

/** A URL's origin; a relative URL is the page's own. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url, hereOrigin()).origin;
  } catch {
    return undefined;
  }
}

export class AuthSession {
  readonly scheme: string;
  private readonly locks: LockManagerLike | undefined;
  private readonly lockName: string;
  private readonly timeoutMs: number;
  private readonly origins: Set<string> | undefined;
  /** Refused token ('' for none) → its one refresh. */
  private readonly refreshes = new Bounded<Refresh>();
  /** Tokens refused after their own refresh, or with no refresh to give: only sign-in helps. */
  private readonly dead = new Bounded<true>();
  /** Dead token → the one call of onSignInRequired for it. */
  private readonly signIns = new Bounded<Promise<void>>();
  /** Origin → the latest DPoP-Nonce it sent (RFC 9449 §9: any response may carry a new one). */
  private readonly nonces = new Bounded<string>();

  constructor(private readonly o: AuthOptions) {
    if (typeof o?.getToken !== 'function' || typeof o.refresh !== 'function')
      throw new TypeError('withAuth: getToken and refresh must be functions');
    if (typeof o.onSignInRequired !== 'function')
      throw new TypeError('withAuth: onSignInRequired must be a function');
    this.scheme = o.scheme ?? (o.dpop ? 'DPoP' : 'Bearer');
    this.locks = o.locks === false ? undefined : (o.locks ?? defaultLocks());
    this.lockName = o.lockName ?? DEFAULT_LOCK_NAME;
    this.timeoutMs = o.refreshTimeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
    // Without a list, a page or worker sends the token to its own origin only: the token must not
    // reach a third party (an analytics endpoint, a CDN) that the same fetch also calls. Where there
    // is no origin of one's own (Node, Bun), every request gets it, and `origins` should be given.
    const here = hereOrigin();
    this.origins = o.origins
      ? new Set(o.origins.map((s) => originOf(s) ?? s))
      : here !== undefined
        ? new Set([here])
        : undefined;
  }

  newAttempt(): Attempt {
    return { sends: 0, refreshed: false, nonceRetried: false, tried: new Set() };
  }

  /** Whether this URL gets the token at all (the `origins` option). */
  covers(url: string): boolean {
    if (!this.origins) return true;
    const origin = originOf(url);
    return origin !== undefined && this.origins.has(origin);
  }

  /**
   * The token for a new request: `getToken`'s, or, when that one is already known to be refused
   * and its refresh has finished, the refreshed one (so a `getToken` that lags behind costs no
   * extra 401). Never waits for a refresh in flight: a request that fails for another reason
   * must not be held up by one.
   */
  async tokenForNewRequest(): Promise<Token> {
    const t = await this.o.getToken();
    const r = this.refreshes.get(t ?? '');
    return r?.settled && r.value && !this.dead.has(r.value) ? r.value : t;
  }

  /** The `Authorization` value and, with DPoP, the proof: the headers this send carries. */
  async headersFor(token: Token, method: string, url: string): Promise<Array<[string, string]>> {
    if (!token) return [];
    const out: Array<[string, string]> = [['authorization', `${this.scheme} ${token}`]];
    if (this.o.dpop) {
      const origin = originOf(url);
      const nonce = origin ? this.nonces.get(origin) : undefined;
      out.push(['dpop', await this.o.dpop({ method: method.toUpperCase(), url, accessToken: token, nonce })]);
    }
    return out;
  }

  /**
   * Reads a response to a request sent with `sent` and says what to do next. Throws the typed
   * errors: 403 and insufficient_scope (no refresh), sign-in, a spent stream body, a failed refresh.
   */
  async next(
    status: number,
    headers: HeaderReader,
    url: string,
    sent: Token,
    attempt: Attempt,
    replayable: Replayable,
    signal?: AbortSignal,
  ): Promise<Next> {
    const refusal = readRefusal(headers, this.scheme);
    const origin = originOf(url);
    if (refusal.nonce && origin && this.o.dpop) this.nonces.set(origin, refusal.nonce);
    if (status === 403) {
      if (refusal.error === 'insufficient_scope' || refusal.scope)
        throw new InsufficientScopeError(status, refusal.scope, refusal.description);
      throw new ForbiddenError(
        'the server refused this request (403): a new token would not change that',
        status,
        refusal.description,
      );
    }
    if (status !== 401) return { retry: false };
    if (refusal.error === 'insufficient_scope')
      throw new InsufficientScopeError(status, refusal.scope, refusal.description);
    if (refusal.error === 'use_dpop_nonce') {
      // RFC 9449 §9: not a refused token, a request for a proof with the server's nonce; once.
      if (!this.o.dpop || !refusal.nonce || attempt.nonceRetried || attempt.sends >= MAX_SENDS)
        return { retry: false };
      attempt.nonceRetried = true;
      if (replayable !== true) throw new NotReplayableError(replayable, status);
      return { retry: true, token: sent };
    }
    // RFC 6750 §3.1: invalid_token is an expired, revoked or malformed token; no error code at all
    // is what a server sends when it does not say (§3: a request without credentials, or a terse
    // one). Any other code (invalid_request, invalid_dpop_proof…) is not cured by a new token.
    if (refusal.error && refusal.error !== 'invalid_token') return { retry: false };
    const token = await this.replacement(sent, attempt, signal);
    if (replayable !== true) throw new NotReplayableError(replayable, status);
    if (token) attempt.tried.add(token);
    return { retry: true, token };
  }

  /** The token to retry with after `sent` was refused, refreshing only if nothing newer exists. */
  private async replacement(sent: Token, attempt: Attempt, signal?: AbortSignal): Promise<Token> {
    if (sent) attempt.tried.add(sent);
    const fresh = (t: Token): t is string => !!t && !attempt.tried.has(t) && !this.dead.has(t);
    const key = sent ?? '';
    // Someone already refreshed this very token (or is doing it): share that refresh.
    const shared = this.refreshes.get(key);
    if (shared) {
      attempt.refreshed = true;
      const t = await this.await(shared.promise, signal);
      if (fresh(t)) return t;
    }
    // The token changed meanwhile (another request's refresh, the app, another tab): use it, no refresh.
    const current = await this.o.getToken();
    if (fresh(current)) return current;
    if (attempt.refreshed || this.dead.has(key) || attempt.sends >= MAX_SENDS) {
      // A second refusal: the refreshed token is refused too. Give up to sign-in, never loop.
      return this.signIn(key, 'refreshed-token-refused');
    }
    attempt.refreshed = true;
    const t = await this.await(this.refreshOnce(key, sent), signal);
    if (fresh(t)) return t;
    return this.signIn(key, 'refresh-returned-nothing');
  }

  private async await(p: Promise<Token>, signal: AbortSignal | undefined): Promise<Token> {
    return abortable(p, signal);
  }

  /** The one refresh for `key`: under the Web Lock when there is one, after re-reading the stored token. */
  private refreshOnce(key: string, sent: Token): Promise<Token> {
    const existing = this.refreshes.get(key);
    if (existing) return existing.promise;
    const ac = new AbortController();
    const timer = setTimeout(
      () => ac.abort(new RefreshFailedError(`the refresh took longer than ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    const run = async (): Promise<Token> => {
      // Another tab may have refreshed while this one waited for the lock: what it stored is
      // newer than the refused token, and refreshing again would spend a rotated refresh token twice.
      const stored = await (this.o.storage ? this.o.storage.get() : this.o.getToken());
      if (stored && stored !== sent && !this.dead.has(stored)) return stored;
      const t = await this.o.refresh(sent ?? undefined, { signal: ac.signal });
      if (t && this.o.storage) await this.o.storage.set(t);
      return t;
    };
    const locked = this.locks ? this.locks.request(this.lockName, { signal: ac.signal }, run) : run();
    const entry: Refresh = {
      settled: false,
      value: undefined,
      promise: undefined as unknown as Promise<Token>,
    };
    entry.promise = abortable(locked, ac.signal)
      .then(
        (t) => {
          entry.settled = true;
          entry.value = t;
          return t;
        },
        (e: unknown) => {
          // A failed refresh is not remembered: the next refused request may try again.
          if (this.refreshes.get(key) === entry) this.refreshes.delete(key);
          if (e instanceof AuthClientError) throw e;
          const why = e instanceof Error ? e.message : String(e);
          throw new RefreshFailedError(`the refresh failed: ${why}`, { cause: e });
        },
      )
      .finally(() => clearTimeout(timer));
    // The waiters handle the rejection; this keeps an unwatched one from being reported as unhandled.
    entry.promise.catch(() => undefined);
    this.refreshes.set(key, entry);
    return entry.promise;
  }

  /** Marks `key` dead, calls onSignInRequired once for it, and rejects this request. */
  private async signIn(key: string, reason: SignInRequired['reason']): Promise<never> {
    // A request refused with T that joined T's refresh late may find its replacement N already
    // dead: the session ended at N, not at T, and has already sent the person to sign in once.
    let end = key;
    for (let hops = 0; hops < MEMORY; hops++) {
      const r = this.refreshes.get(end);
      if (!r?.settled || !r.value || r.value === end) break;
      end = r.value;
    }
    this.dead.set(key, true);
    this.dead.set(end, true);
    let call = this.signIns.get(end);
    if (!call) {
      call = Promise.resolve().then(() => this.o.onSignInRequired({ reason, status: 401 }));
      this.signIns.set(end, call);
    }
    let cause: unknown;
    await call.catch((e: unknown) => {
      cause = e;
    });
    const message =
      reason === 'refresh-returned-nothing'
        ? 'the token was refused and there is no session to refresh: sign in again'
        : 'the token was refused again after a refresh: sign in again';
    throw new SignInRequiredError(message, 401, cause === undefined ? undefined : { cause });
  }
}
