/**
 * WWW-Authenticate / Proxy-Authenticate parsing, RFC 9110 §11.6.1 and §11.2 (auth-param,
 * token68, quoted-string with quoted-pair). Tolerant: returns what it could read plus the
 * problems it met, never throws.
 */
export interface Challenge {
  /** The scheme as the server wrote it (`Bearer`, `bearer`, `DPoP`). */
  scheme: string;
  /** Lower-cased scheme, for comparisons (schemes are case-insensitive). */
  schemeLower: string;
  /** auth-params with lower-cased names; for a repeated name the first value is kept. */
  params: Record<string, string>;
  token68?: string;
  /** The source text of this challenge. */
  raw: string;
}

export interface ChallengeParse {
  challenges: Challenge[];
  /** Human-readable problems, each naming where it was found ("header 1, column 14: unterminated quoted string"). */
  problems: string[];
}

export function parseWwwAuthenticate(_values: string[]): ChallengeParse {
  throw new Error('not implemented');
}
