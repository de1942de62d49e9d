/**
 * The errors `withAuth` and its adapters throw, each with a stable `code` to switch on (as jose's
 * `JOSEError.code`); the messages are one line for people and never hold a token.
 *
 * - `SIGN_IN_REQUIRED`: the session cannot be saved by a refresh; `onSignInRequired` was called.
 * - `FORBIDDEN`: a 403; refreshing would not help (RFC 9110 §15.5.4: the server understood who you are).
 * - `INSUFFICIENT_SCOPE`: the token lacks a scope the resource asks for (RFC 6750 §3.1).
 * - `NOT_REPLAYABLE`: the token was refused, but the request body was a stream, already spent.
 * - `REFRESH_FAILED`: `refresh` threw or timed out; the cause is the original error.
 */
export type AuthClientErrorCode =
  'SIGN_IN_REQUIRED' | 'FORBIDDEN' | 'INSUFFICIENT_SCOPE' | 'NOT_REPLAYABLE' | 'REFRESH_FAILED';

/** The base of every error why401/client throws on purpose. */
export class AuthClientError extends Error {
  override name = 'AuthClientError';
  /** Stable: what went wrong, for programs (the message is for people). */
  readonly code: AuthClientErrorCode;
  /** The HTTP status of the refusal that ended the request, when there was one. */
  readonly status: number | undefined;

  constructor(code: AuthClientErrorCode, message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = status;
  }
}

/** A second refusal after a refresh, or no way to refresh: the person has to sign in again. */
export class SignInRequiredError extends AuthClientError {
  override name = 'SignInRequiredError';

  constructor(message: string, status?: number, options?: ErrorOptions) {
    super('SIGN_IN_REQUIRED', message, status, options);
  }
}

/**
 * A 403: the server knows who is asking and says no. A new token for the same grant would be
 * refused the same way, so nothing is refreshed.
 */
export class ForbiddenError extends AuthClientError {
  override name = 'ForbiddenError';
  /** The challenge's `error_description`, when the server sent one. */
  readonly description: string | undefined;

  constructor(
    message: string,
    status: number,
    description?: string,
    code: AuthClientErrorCode = 'FORBIDDEN',
  ) {
    super(code, message, status);
    this.description = description;
  }
}

/**
 * RFC 6750 §3.1 `insufficient_scope`: the token is valid but lacks a scope; `scope` is what the
 * challenge asks for, to request in a new authorization (step-up), not a refresh.
 */
export class InsufficientScopeError extends ForbiddenError {
  override name = 'InsufficientScopeError';
  /** The scope the challenge names (space-separated), or undefined when the server named none. */
  readonly scope: string | undefined;

  constructor(status: number, scope: string | undefined, description?: string) {
    super(
      scope
        ? `the token lacks the scope this request needs: ${scope}`
        : 'the token lacks a scope this request needs (the server did not say which)',
      status,
      description,
      'INSUFFICIENT_SCOPE',
    );
    this.scope = scope;
  }
}

/** The token was refused and a fresh one is ready, but the body was a stream that cannot be sent twice. */
export class NotReplayableError extends AuthClientError {
  override name = 'NotReplayableError';

  constructor(what: string, status: number) {
    super(
      'NOT_REPLAYABLE',
      `the token was refused (${status}) and ${what}, so the request was not sent again: the token is refreshed, send it again with a new body`,
      status,
    );
  }
}

/** `refresh` threw, or took longer than `refreshTimeoutMs`. */
export class RefreshFailedError extends AuthClientError {
  override name = 'RefreshFailedError';

  constructor(message: string, options?: ErrorOptions) {
    super('REFRESH_FAILED', message, undefined, options);
  }
}
