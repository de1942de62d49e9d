import { parseWwwAuthenticate } from '../parse/challenge.js';

/**
 * What a refusal asks of the client, read from its `WWW-Authenticate` challenges (RFC 9110
 * §11.6.1) and its `DPoP-Nonce` header. Only the parameters that decide what to do next: the
 * error code (RFC 6750 §3.1, RFC 9449 §7.1), the scope a 403 or 401 names (RFC 6750 §3), and the
 * nonce a resource server hands out (RFC 9449 §9).
 */
export interface Refusal {
  /** `invalid_token`, `insufficient_scope`, `use_dpop_nonce`, …; absent when the challenge names none. */
  error?: string;
  /** The scope the challenge says the request needs (space-separated, as sent). */
  scope?: string;
  /** The challenge's `error_description`, for people. */
  description?: string;
  /** The `DPoP-Nonce` response header (RFC 9449 §9): the nonce the next proof must carry. */
  nonce?: string;
}

/** The headers of any response: a fetch `Headers` or an adapter's view of axios's. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Reads the challenge for the scheme the request used. RFC 9449 §7.2 lets one header carry a
 * Bearer and a DPoP challenge side by side, each with its own error: taking the first `error=`
 * would read one scheme's complaint as the other's, so the request's own scheme comes first,
 * then any challenge that names an error.
 */
export function readRefusal(headers: HeaderReader, scheme: string): Refusal {
  const value = headers.get('www-authenticate');
  const out: Refusal = {};
  const nonce = headers.get('dpop-nonce');
  if (nonce) out.nonce = nonce.trim();
  if (!value) return out;
  const { challenges } = parseWwwAuthenticate([value]);
  const want = scheme.toLowerCase();
  const chosen =
    challenges.find((c) => c.schemeLower === want && c.params.error) ??
    challenges.find((c) => c.schemeLower === want) ??
    challenges.find((c) => c.params.error);
  if (!chosen) return out;
  const { error, scope, error_description: description } = chosen.params;
  if (error) out.error = error;
  if (scope) out.scope = scope;
  if (description) out.description = description;
  return out;
}
