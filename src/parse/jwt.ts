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
      /** One sentence for the user: "The token has 2 segments (header.payload) but no signature; was it cut off?". */
      message: string;
    };

type Failure = Extract<JwtDecode, { ok: false }>;

// RFC 7515 §2: base64url without padding.
const B64URL = /^[A-Za-z0-9_-]*$/;

/** A cheap test: does this credential look like it is meant to be a JWT (starts `eyJ`, has dots)? */
export function looksLikeJwt(s: string): boolean {
  if (typeof s !== 'string') return false;
  // `eyJ` is base64 of `{"`, the start of every compactly written JOSE header.
  if (s.startsWith('eyJ') && s.includes('.')) return true;
  const parts = s.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return false;
  const header = decodeSegment(parts[0] as string, 'header');
  return header.ok && isObject(header.value);
}

export function decodeJwt(raw: string): JwtDecode {
  const parts = (typeof raw === 'string' ? raw : '').split('.');
  if (parts.length === 5) {
    // RFC 7516 §7.1: JWE compact serialization has 5 segments.
    return fail('jwe', 'The token is an encrypted JWT (JWE), which cannot be read without the key.');
  }
  if (parts.length === 2) {
    return fail(
      'segments',
      'The token has 2 segments (header.payload) but no signature segment; a signed JWT has 3, so it may have been cut off.',
    );
  }
  if (parts.length !== 3) {
    return fail(
      'segments',
      parts.length === 1
        ? 'The token has no dots; a signed JWT has 3 segments (header.payload.signature).'
        : `The token has ${parts.length} segments; a signed JWT has 3 (header.payload.signature).`,
    );
  }
  const [h, p, signature] = parts as [string, string, string];
  const header = decodeSegment(h, 'header');
  if (!header.ok) return header;
  if (!isObject(header.value)) return notObject('header', header.value);
  const payload = decodeSegment(p, 'payload');
  if (!payload.ok) return payload;
  if (!isObject(payload.value)) return notObject('payload', payload.value);
  // RFC 7515 §7.1: the signature may be empty (unsecured JWT, `alg: none`, RFC 7519 §6).
  if (!B64URL.test(signature)) return fail('base64', badBase64Message('signature', signature));
  return { ok: true, jwt: { header: header.value, payload: payload.value, signature } };
}

/** base64url-decode one segment and parse it as JSON. */
function decodeSegment(seg: string, name: string): { ok: true; value: unknown } | Failure {
  if (seg === '') return fail('json', `The token's ${name} segment is empty.`);
  if (!B64URL.test(seg) || seg.length % 4 === 1) return fail('base64', badBase64Message(name, seg));
  let text: string;
  try {
    const bin = atob(seg.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // RFC 7515 §2: JSON is UTF-8
  } catch {
    return fail('json', `The token's ${name} segment does not decode to UTF-8 text.`);
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail('json', `The token's ${name} segment is not valid JSON.`);
  }
}

function badBase64Message(name: string, seg: string): string {
  if (/[+/]/.test(seg))
    return `The token's ${name} segment uses standard base64 ("+" or "/") where JWTs use base64url.`;
  if (seg.includes('=')) return `The token's ${name} segment ends with "=" padding, which JWTs do not use.`;
  const bad = /[^A-Za-z0-9_-]/.exec(seg);
  if (bad)
    return `The token's ${name} segment contains ${JSON.stringify(bad[0])}, which is not a base64url character.`;
  return `The token's ${name} segment has an impossible base64url length (${seg.length} characters).`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function notObject(name: string, v: unknown): Failure {
  const kind = v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
  return fail('not-object', `The token's ${name} is JSON but ${kind}, not an object.`);
}

function fail(reason: Failure['reason'], message: string): Failure {
  return { ok: false, reason, message };
}

function claimWords(v: unknown): string[] {
  if (typeof v === 'string') return v.split(/\s+/).filter((w) => w !== '');
  if (Array.isArray(v)) return v.filter((w): w is string => typeof w === 'string' && w !== '');
  return [];
}

/**
 * Scopes and roles of an access token: `scope` (RFC 8693 §4.2 / RFC 9068 §2.2.3, space-delimited),
 * `scp` (Entra ID, Okta: a string or an array), `roles` (RFC 9068 §2.2.3.1, Entra app roles).
 * `hasScopeClaim` tells whether `scope` or `scp` is present at all.
 */
export function scopesOf(payload: Record<string, unknown>): {
  scopes: string[];
  roles: string[];
  hasScopeClaim: boolean;
} {
  const scopes = [...new Set([...claimWords(payload['scope']), ...claimWords(payload['scp'])])];
  return {
    scopes,
    roles: claimWords(payload['roles']),
    hasScopeClaim: Object.hasOwn(payload, 'scope') || Object.hasOwn(payload, 'scp'),
  };
}
