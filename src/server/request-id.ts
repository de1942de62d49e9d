/**
 * The request id a refusal carries, so the person who got it and the person reading the server's
 * logs can find the same request ("log relevant request IDs"). An id the client or a proxy sent is
 * reused when it looks like an id; anything else (too long, spaces, quotes, control characters: a
 * log-injection vector) is replaced by a fresh UUID.
 */

/** The header read and written unless told otherwise; why401 lists it among request-id headers (knowledge/request-ids.ts). */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const LOOKS_LIKE_ID = /^[A-Za-z0-9._~:+/=-]{1,128}$/;

/** The incoming id when it is safe to echo and log, else a new random UUID (Web Crypto: every runtime has it). */
export function requestIdFrom(incoming: string | null | undefined): string {
  const v = incoming?.trim();
  return v && LOOKS_LIKE_ID.test(v) ? v : crypto.randomUUID();
}
