/**
 * why401/client: a fetch that handles refused tokens the way RFC 6750, RFC 9449 and the bug
 * trackers of the usual client libraries say it must (issue 18). Fetch only, no dependencies, no
 * Node built-in: browsers, Node, Deno, Bun and workers run this same file.
 */
export { withAuth, type FetchLike } from './fetch.js';
export type {
  AuthOptions,
  DpopProofRequest,
  LockManagerLike,
  MaybePromise,
  SignInRequired,
  Token,
  TokenStorage,
} from './options.js';
export {
  AuthClientError,
  ForbiddenError,
  InsufficientScopeError,
  NotReplayableError,
  RefreshFailedError,
  SignInRequiredError,
  type AuthClientErrorCode,
} from './errors.js';
