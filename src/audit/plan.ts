import type { HeaderList } from '../model/http.js';
import { isSafeMethod } from '../model/http.js';
import type { Operation, PlannedRequest, ProbeKind, SecurityScheme } from './types.js';

/**
 * Per operation, the requests that tell how its auth layer answers: nobody, a malformed credential,
 * an expired-looking token, the low-privilege token, the good token, a browser's CORS preflight,
 * and the good token in the query string. Pure: the runner sends what this returns.
 */

export interface PlanInput {
  baseUrl: string;
  /** --token, --token-low. */
  token?: string;
  tokenLow?: string;
  /** A JWT with `exp` in the past, signed with a throwaway key (tokens.ts). */
  expiredToken: string;
  /** --header, sent on every request but the preflight (a browser sends none of them there). */
  headers: HeaderList;
  allowUnsafe: boolean;
  userAgent: string;
}

/** The order probes are listed in (evidence, tables), whatever order their answers came in. */
export const PROBE_ORDER: readonly ProbeKind[] = [
  'anonymous',
  'malformed',
  'expired',
  'low',
  'valid',
  'query-token',
  'preflight',
];

/** A token no server can take for a valid one: not base64url JWS, not any vendor's key format. */
export const MALFORMED_TOKEN = 'why401-malformed-token';
/** The page a cross-origin browser caller would be on. `.invalid` is reserved (RFC 6761 §6.4): it names nobody's site. */
export const PREFLIGHT_ORIGIN = 'https://app.why401-audit.invalid';

/** Whether a scheme takes a bearer token (`Authorization: Bearer`). */
export function isBearerish(s: SecurityScheme): boolean {
  return (
    (s.type === 'http' && s.httpScheme === 'bearer') ||
    s.type === 'oauth2' ||
    s.type === 'openIdConnect' ||
    s.type === 'unknown'
  );
}

function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function withQuery(url: string, name: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
}

/** The request that presents `credential` the way `scheme` says, or undefined when it cannot be presented (mutual TLS). */
function present(
  scheme: SecurityScheme,
  credential: string,
  url: string,
): { url: string; headers: HeaderList } | undefined {
  if (isBearerish(scheme)) return { url, headers: [['Authorization', `Bearer ${credential}`]] };
  if (scheme.type === 'http' && scheme.httpScheme === 'basic') {
    const value = credential.includes(':') ? base64(credential) : credential;
    return { url, headers: [['Authorization', `Basic ${value}`]] };
  }
  if (scheme.type === 'http')
    return { url, headers: [['Authorization', `${scheme.httpScheme} ${credential}`]] };
  if (scheme.type === 'apiKey' && scheme.paramName) {
    if (scheme.in === 'query') return { url: withQuery(url, scheme.paramName, credential), headers: [] };
    if (scheme.in === 'cookie') return { url, headers: [['Cookie', `${scheme.paramName}=${credential}`]] };
    return { url, headers: [[scheme.paramName, credential]] };
  }
  return undefined;
}

/** The base URL and an operation's path joined: the base's path is a prefix, as OpenAPI's server URL is. */
export function operationUrl(baseUrl: string, target: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${target.startsWith('/') ? '' : '/'}${target}`;
}

export function planOperation(op: Operation, schemes: SecurityScheme[], input: PlanInput): PlannedRequest[] {
  if (!isSafeMethod(op.method) && !input.allowUnsafe) return [];
  const url = operationUrl(input.baseUrl, op.target);
  const common: HeaderList = [
    ['Accept', 'application/json'],
    ['User-Agent', input.userAgent],
    ...input.headers,
  ];
  const body = isSafeMethod(op.method) ? undefined : op.jsonBody ? '{}' : '';
  const bodyHeaders: HeaderList = body === '{}' ? [['Content-Type', 'application/json']] : [];
  const out: PlannedRequest[] = [];
  const add = (kind: PlannedRequest['kind'], p: { url: string; headers: HeaderList } | undefined) => {
    if (!p) return;
    const r: PlannedRequest = {
      kind,
      method: op.method,
      url: p.url,
      headers: [...common, ...bodyHeaders, ...p.headers],
    };
    if (body !== undefined) r.body = body;
    out.push(r);
  };
  add('anonymous', { url, headers: [] });
  const scheme = schemes[0];
  if (scheme) {
    add('malformed', present(scheme, MALFORMED_TOKEN, url));
    if (isBearerish(scheme)) add('expired', present(scheme, input.expiredToken, url));
    if (input.tokenLow) add('low', present(scheme, input.tokenLow, url));
    if (input.token) add('valid', present(scheme, input.token, url));
    if (input.token && isBearerish(scheme))
      add('query-token', { url: withQuery(url, 'access_token', input.token), headers: [] });
  }
  if (op.method !== 'OPTIONS') {
    const credentialHeader =
      scheme?.type === 'apiKey' && scheme.in === 'header' && scheme.paramName
        ? scheme.paramName.toLowerCase()
        : 'authorization';
    // Fetch §4.8 (CORS-preflight fetch): no credentials, the method and the non-safelisted header names.
    out.push({
      kind: 'preflight',
      method: 'OPTIONS',
      url,
      headers: [
        ['Origin', PREFLIGHT_ORIGIN],
        ['Access-Control-Request-Method', op.method],
        ['Access-Control-Request-Headers', credentialHeader],
        ['User-Agent', input.userAgent],
      ],
    });
  }
  return out;
}
