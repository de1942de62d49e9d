import { API_KEY_HEADERS, API_KEY_PARAMS, headerRule, secretName } from '../knowledge/credential-rule.js';
import type { Evidence, Exchange, RepairSent, ResponseData } from '../model/evidence.js';
import { headerValue, headerValues, type HeaderList } from '../model/http.js';
import { parseAuthorization, type AuthorizationParse } from '../parse/authorization.js';
import { parseBasic, type BasicParse } from '../parse/basic.js';
import { parseWwwAuthenticate, type ChallengeParse } from '../parse/challenge.js';
import { decodeJwt, looksLikeJwt, type JwtDecode } from '../parse/jwt.js';

/**
 * Facts: the views of the evidence that many checks share, computed once per diagnosis.
 * Pure and platform-neutral, like the checks that read them.
 */

export { API_KEY_HEADERS, API_KEY_PARAMS };

export interface SentCredential {
  kind: 'authorization' | 'cookie' | 'api-key-header' | 'api-key-query' | 'proxy-authorization';
  /** Header or parameter name as sent. */
  name: string;
  value: string;
}

export interface SentAuthorization {
  value: string;
  parsed: AuthorizationParse;
  schemeLower?: string;
}

export interface Facts {
  ev: Evidence;
  /** The user's own request hops, in order (probe `main`). */
  main: Exchange[];
  first?: Exchange;
  final?: Exchange;
  response?: ResponseData;
  status?: number;
  /** The anonymous probe's final hop, when it was sent. */
  anonymous?: Exchange;
  /** Every Authorization header of the user's request, as typed. */
  authorizations: SentAuthorization[];
  /** Every credential of the user's request, in any place. */
  credentials: SentCredential[];
  /** The bearer-style credential (Bearer/DPoP/no scheme) when there is exactly one Authorization header. */
  token?: { value: string; scheme?: string; decode: JwtDecode | undefined };
  basic?: BasicParse;
  /** Challenges of the final response (WWW-Authenticate). */
  challenges: ChallengeParse;
  /** Challenges the anonymous probe received. */
  anonymousChallenges?: ChallengeParse;
  /** Server clock minus local clock, in milliseconds, from the first response `Date`. */
  skewMs?: number;
  /** Where the skew came from. */
  serverDate?: string;
  /** Best estimate of the server's "now" in epoch ms: local now corrected by the skew. */
  serverNow: number;
  /** The final response body parsed as JSON, when it is JSON. */
  bodyJson?: unknown;
  /** The repaired requests sent and their final hop, per proposing cause. */
  repairs: Array<RepairSent & { final?: Exchange }>;
}

function finalHop(ev: Evidence, probe: string): Exchange[] {
  return ev.exchanges.filter((x) => x.probe === probe).sort((a, b) => a.hop - b.hop);
}

function parseJsonBody(r: ResponseData | undefined): unknown {
  if (!r || r.bodyTruncated) return undefined;
  const text = r.body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A header that authenticates the request by the one credential rule (X-Vault-Token, DD-API-KEY,
 * Authentication…), beyond the well-known list. A CSRF token and a DPoP proof travel with a
 * credential but are not one: a request carrying only them was sent without credentials.
 */
function carriesApiCredential(lowerName: string): boolean {
  if (/csrf|xsrf/.test(lowerName) || lowerName === 'dpop') return false;
  const rule = headerRule(lowerName);
  return rule === 'credential' || rule === 'authorization';
}

export function credentialsOf(headers: HeaderList, url: string): SentCredential[] {
  const out: SentCredential[] = [];
  for (const [name, value] of headers) {
    const n = name.toLowerCase();
    if (n === 'authorization') out.push({ kind: 'authorization', name, value });
    else if (n === 'proxy-authorization') out.push({ kind: 'proxy-authorization', name, value });
    else if (n === 'cookie') out.push({ kind: 'cookie', name, value });
    else if (API_KEY_HEADERS.includes(n) || carriesApiCredential(n))
      out.push({ kind: 'api-key-header', name, value });
  }
  try {
    const u = new URL(url);
    for (const [k, v] of u.searchParams) {
      if (API_KEY_PARAMS.includes(k.toLowerCase()) || secretName(k, 'query') === 'secret')
        out.push({ kind: 'api-key-query', name: k, value: v });
    }
  } catch {
    // An unparsable URL has no query credentials we can name; url checks report the URL itself.
  }
  return out;
}

export function deriveFacts(ev: Evidence): Facts {
  const main = finalHop(ev, 'main');
  const anon = finalHop(ev, 'anonymous');
  const final = main.at(-1);
  const response = final?.response;
  const authorizations: SentAuthorization[] = headerValues(ev.request.headers, 'authorization').map(
    (value) => {
      const parsed = parseAuthorization(value);
      const a: SentAuthorization = { value, parsed };
      if (parsed.scheme !== undefined) a.schemeLower = parsed.scheme.toLowerCase();
      return a;
    },
  );

  const facts: Facts = {
    ev,
    main,
    authorizations,
    credentials: credentialsOf(ev.request.headers, ev.request.url),
    challenges: parseWwwAuthenticate(response ? headerValues(response.headers, 'www-authenticate') : []),
    serverNow: ev.now,
    repairs: (ev.repairs ?? []).map((r) => {
      const last = finalHop(ev, r.probe).at(-1);
      return last ? { ...r, final: last } : { ...r };
    }),
  };
  if (main[0]) facts.first = main[0];
  if (final) facts.final = final;
  if (response) {
    facts.response = response;
    facts.status = response.status;
  }
  const anonFinal = anon.at(-1);
  if (anonFinal) {
    facts.anonymous = anonFinal;
    if (anonFinal.response) {
      facts.anonymousChallenges = parseWwwAuthenticate(
        headerValues(anonFinal.response.headers, 'www-authenticate'),
      );
    }
  }

  const only = authorizations.length === 1 ? authorizations[0] : undefined;
  if (only) {
    const s = only.schemeLower;
    if (s === 'basic') {
      facts.basic = parseBasic(only.parsed.credentials);
    } else if (s === undefined || s === 'bearer' || s === 'dpop' || s === 'jwt' || s === 'token') {
      const value = only.parsed.credentials.trim().replace(/^["']|["']$/g, '');
      const t: Facts['token'] = { value, decode: looksLikeJwt(value) ? decodeJwt(value) : undefined };
      if (only.parsed.scheme !== undefined) t.scheme = only.parsed.scheme;
      facts.token = t;
    }
  }

  // Clock skew from the first response that carries a Date (RFC 9110 §6.6.1), against the
  // local time midway through that exchange. Date has one-second resolution.
  for (const x of ev.exchanges) {
    const date = x.response ? headerValue(x.response.headers, 'date') : undefined;
    if (!date) continue;
    const server = Date.parse(date);
    if (Number.isNaN(server)) continue;
    const local = x.startedAt + x.ms / 2;
    facts.skewMs = server - local;
    facts.serverDate = date;
    facts.serverNow = ev.now + facts.skewMs;
    break;
  }

  const json = parseJsonBody(response);
  if (json !== undefined) facts.bodyJson = json;
  return facts;
}

/** 2xx, or 304: the server gave the resource (a redirect or a sign-in page is not a success). */
export function isSuccess(x: Exchange | undefined): boolean {
  const s = x?.response?.status;
  return s !== undefined && ((s >= 200 && s < 300) || s === 304);
}
