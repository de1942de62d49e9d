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

export function parseAuthorization(_raw: string): AuthorizationParse {
  throw new Error('not implemented');
}
