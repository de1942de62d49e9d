/** JWT (RFC 7519) compact serialization, decoded without verification. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The signature segment (base64url text), empty for `alg: none`. */
  signature: string;
}

export type JwtDecode =
  | { ok: true; jwt: DecodedJwt }
  | {
      ok: false;
      reason: 'segments' | 'base64' | 'json' | 'not-object' | 'jwe';
      /** One sentence for the user: "has 2 segments; a signed JWT has 3 (header.payload.signature)". */
      message: string;
    };

/** A cheap test: does this credential look like it is meant to be a JWT (starts `eyJ`, has dots)? */
export function looksLikeJwt(_s: string): boolean {
  throw new Error('not implemented');
}

export function decodeJwt(_raw: string): JwtDecode {
  throw new Error('not implemented');
}
