import { parseAuthorization } from '../parse/authorization.js';
import { parseBasic } from '../parse/basic.js';
import { decodeJwt, looksLikeJwt } from '../parse/jwt.js';

/** The claims that name an account, most readable first (OIDC Core §5.1; Entra's `upn`; RFC 7519 `sub`). */
const ACCOUNT_CLAIMS = ['email', 'preferred_username', 'upn', 'name', 'sub'] as const;

/** A claim value fit to show: a short line of text, nothing that could hide a control character. */
function shown(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!t || t.length > 200 || /[\u0000-\u001f\u007f]/.test(t)) return undefined;
  return t;
}

/**
 * Which account an Authorization header value names: a JWT's `email`, `preferred_username`, `upn`,
 * `name` or `sub` claim (decoded, not verified), or a Basic user name. Never a secret: never the
 * password, never the token, and no Basic user name when the password is empty (then the "user
 * name" is usually an API key, as Stripe and others use it). A bare token (no scheme) is read too.
 */
export function accountFromAuthorization(value: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const a = parseAuthorization(value.trim());
  const scheme = a.scheme?.toLowerCase();
  const creds = a.credentials.trim().replace(/^["']|["']$/g, '');
  if (scheme === 'basic') {
    const b = parseBasic(creds);
    if (!b.ok || b.password === '') return undefined;
    const user = shown(b.user);
    return user !== undefined && user !== b.password ? user : undefined;
  }
  const token = creds.split(/\s+/).at(-1) ?? '';
  if (!looksLikeJwt(token)) return undefined;
  const d = decodeJwt(token);
  if (!d.ok) return undefined;
  for (const claim of ACCOUNT_CLAIMS) {
    const v = shown(d.jwt.payload[claim]);
    if (v !== undefined) return v;
  }
  return undefined;
}
