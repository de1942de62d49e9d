import { sha256Hex } from '../spec/sha256.js';
import { scopesOf } from '../parse/jwt.js';
import { headerValue, type HeaderList } from '../model/http.js';
import { parseAuthorization } from '../parse/authorization.js';
import { decodeJwt, looksLikeJwt } from '../parse/jwt.js';
import { pathOf } from '../parse/url.js';

/**
 * Tokens across a session: which token each request used (by fingerprint: the sha256 of the
 * credential, never the credential itself), what its claims say, and which entries are calls to a
 * token endpoint and what they issued.
 */

export interface TokenClaims {
  iss?: string;
  aud?: string[];
  sub?: string;
  azp?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  scopes?: string[];
}

export interface TokenInfo {
  /** sha256 of the credential (hex). */
  fp: string;
  /** `sha256:1a2b3c`, as the redacted outputs show it. */
  short: string;
  scheme?: string;
  /** Decoded claims, when the credential is a JWT. */
  claims?: TokenClaims;
}

export interface TokenEndpointCall {
  /** grant_type of the request, when it says. */
  grantType?: string;
  /** Whether the endpoint answered 2xx. */
  ok: boolean;
  /** The new access token (fingerprint and claims), when the response body shows it. */
  issued?: TokenInfo;
  /** The OAuth error of a refused call (`invalid_grant`). */
  error?: string;
}

const memo = new Map<string, string>();

/** sha256 (hex) of a secret, remembered: a session sends the same cookie and token again and again. */
export function fpOf(secret: string): string {
  let fp = memo.get(secret);
  if (fp === undefined) {
    if (memo.size > 50_000) memo.clear();
    fp = sha256Hex(secret);
    memo.set(secret, fp);
  }
  return fp;
}

export function shortFp(fp: string): string {
  return `sha256:${fp.slice(0, 6)}`;
}

function claimsOf(token: string): TokenClaims | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const d = decodeJwt(token);
  if (!d.ok) return undefined;
  const p = d.jwt.payload;
  const out: TokenClaims = {};
  const str = (k: string) => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined);
  const num = (k: string) =>
    typeof p[k] === 'number' && Number.isFinite(p[k]) ? (p[k] as number) : undefined;
  const iss = str('iss');
  if (iss) out.iss = iss;
  const aud = p['aud'];
  if (typeof aud === 'string') out.aud = [aud];
  else if (Array.isArray(aud)) out.aud = aud.filter((a): a is string => typeof a === 'string');
  const sub = str('sub');
  if (sub) out.sub = sub;
  const azp = str('azp') ?? str('client_id');
  if (azp) out.azp = azp;
  for (const k of ['exp', 'nbf', 'iat'] as const) {
    const v = num(k);
    if (v !== undefined) out[k] = v;
  }
  const s = scopesOf(p);
  if (s.hasScopeClaim || s.roles.length) out.scopes = [...s.scopes, ...s.roles];
  return out;
}

/** A credential's fingerprint and claims. */
export function tokenInfo(credential: string, scheme?: string): TokenInfo {
  const fp = fpOf(credential);
  const t: TokenInfo = { fp, short: shortFp(fp) };
  if (scheme) t.scheme = scheme;
  const claims = claimsOf(credential);
  if (claims) t.claims = claims;
  return t;
}

/** The token of a request's Authorization header (any scheme), or undefined. */
export function authorizationToken(headers: HeaderList): TokenInfo | undefined {
  const v = headerValue(headers, 'authorization');
  if (v === undefined) return undefined;
  const p = parseAuthorization(v);
  const creds = p.credentials.trim().replace(/^["']|["']$/g, '');
  if (!creds) return undefined;
  return tokenInfo(creds, p.scheme);
}

const TOKEN_PATH =
  /\/(?:token|tokens|refresh|refresh[-_]?token|refreshtoken|token[-_]?refresh|silent[-_]?renew)\/?$|\/oauth2?\/(?:v\d(?:\.\d)?\/)?token\b|\/openid-connect\/token\b|\/connect\/token\b/i;
const ACCESS_KEYS = ['access_token', 'accessToken', 'AccessToken'];
const GENERIC_KEYS = ['token', 'jwt', 'idToken', 'id_token'];

function parseJson(text: string | undefined): unknown {
  const t = text?.trim();
  if (!t || (!t.startsWith('{') && !t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** A string field named one of `keys`, at the top level or one object down (`{ data: { accessToken } }`). */
function findField(json: unknown, keys: string[], depth = 2): string | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json) || depth === 0) return undefined;
  const o = json as Record<string, unknown>;
  for (const k of keys) if (typeof o[k] === 'string' && o[k] !== '') return o[k] as string;
  for (const v of Object.values(o)) {
    const found = findField(v, keys, depth - 1);
    if (found) return found;
  }
  return undefined;
}

function grantTypeOf(body: string | undefined): string | undefined {
  if (!body) return undefined;
  const json = parseJson(body);
  if (json && typeof json === 'object') {
    const g = (json as Record<string, unknown>)['grant_type'];
    return typeof g === 'string' ? g : undefined;
  }
  if (!/(?:^|&)grant_type=/.test(body)) return undefined;
  return new URLSearchParams(body).get('grant_type') ?? undefined;
}

/**
 * Whether an exchange is a call to a token endpoint (a POST to …/token or …/refresh, a body with
 * grant_type, or an answer with access_token), and what it issued.
 */
export function tokenEndpointCall(
  method: string,
  url: string,
  requestBody: string | undefined,
  status: number | null,
  responseBody: string | undefined,
): TokenEndpointCall | undefined {
  const grantType = grantTypeOf(requestBody);
  const byPath = method.toUpperCase() === 'POST' && TOKEN_PATH.test(pathOf(url));
  // Parse a body only when it may hold a token: most of a session's bodies do not.
  const mayHold =
    responseBody !== undefined && /ccess_?token|"token"|"jwt"|id_?token/i.test(responseBody.slice(0, 65536));
  if (!byPath && !grantType && !mayHold) return undefined;
  const json = mayHold || byPath || grantType ? parseJson(responseBody) : undefined;
  const access = findField(json, ACCESS_KEYS);
  if (!byPath && !grantType && !access) return undefined;
  const token = access ?? (byPath || grantType ? findField(json, GENERIC_KEYS) : undefined);
  const call: TokenEndpointCall = { ok: status !== null && status >= 200 && status < 300 };
  if (grantType) call.grantType = grantType;
  if (token && call.ok) call.issued = tokenInfo(token);
  const err = json && typeof json === 'object' ? (json as Record<string, unknown>)['error'] : undefined;
  if (typeof err === 'string') call.error = err;
  return call;
}
