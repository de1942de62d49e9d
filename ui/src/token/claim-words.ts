/** What each registered claim means, in plain words (RFC 7519 §4.1, RFC 9068, OpenID Connect Core §2). */

const CLAIM_WORDS: Record<string, string> = {
  iss: 'who issued the token',
  sub: 'who the token is about (the user or the app)',
  aud: 'which API the token is meant for',
  exp: 'when the token stops working',
  nbf: 'when the token starts working',
  iat: 'when the token was made',
  jti: 'the token’s own id',
  scope: 'what the token allows',
  scp: 'what the token allows',
  roles: 'the roles the token carries',
  client_id: 'the app that asked for the token',
  azp: 'the app that asked for the token',
  appid: 'the app that asked for the token',
  email: 'the account’s e-mail address',
  preferred_username: 'the account’s user name',
  upn: 'the account’s user name',
  name: 'the account’s display name',
  nonce: 'a one-time value from the sign-in',
  auth_time: 'when the person signed in',
  cnf: 'the key the token is bound to (DPoP or mTLS)',
};

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time']);

export function claimMeaning(name: string): string | undefined {
  return CLAIM_WORDS[name];
}

export function isTimeClaim(name: string, value: unknown): value is number {
  return TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value);
}
