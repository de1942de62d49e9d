/**
 * The Authorization request header, RFC 9110 §11.6.2: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ].
 * Parsing is literal: it reports what is there; the header.* checks judge it.
 */
export interface AuthorizationParse {
  raw: string;
  /** The first word when it is followed by whitespace and more text, or when it alone is a known scheme; else undefined. */
  scheme?: string;
  /** Everything after the scheme and the whitespace after it (or the whole value when there is no scheme). */
  credentials: string;
}

/**
 * Scheme words that mean "a scheme with its credentials missing" when they stand alone
 * (IANA HTTP Authentication Scheme Registry plus common vendor schemes), lower case.
 */
export const KNOWN_SCHEMES: readonly string[] = [
  'basic',
  'bearer',
  'digest',
  'dpop',
  'negotiate',
  'ntlm',
  'hoba',
  'mutual',
  'vapid',
  'scram-sha-1',
  'scram-sha-256',
  'privatetoken',
  'concealed',
  'gnap',
  'aws4-hmac-sha256',
  'token',
  'jwt',
  'apikey',
];

// auth-scheme = token (RFC 9110 §11.1, tchar from §5.6.2). Separators are matched loosely
// (any whitespace, e.g. a tab or a non-breaking space) so that the scheme is still found and the
// whitespace checks can name the odd character.
const WITH_CREDENTIALS = /^(\s*)([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(\s+)(?=\S)/;
const LONE = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*$/;

export function parseAuthorization(raw: string): AuthorizationParse {
  const value = typeof raw === 'string' ? raw : '';
  const m = WITH_CREDENTIALS.exec(value);
  if (m) return { raw: value, scheme: m[2] as string, credentials: value.slice(m[0].length) };
  const lone = LONE.exec(value)?.[1];
  if (lone !== undefined && KNOWN_SCHEMES.includes(lone.toLowerCase())) {
    return { raw: value, scheme: lone, credentials: '' };
  }
  return { raw: value, credentials: value };
}
