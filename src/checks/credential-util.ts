import type { Exchange, HeaderOrigin } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { headerValue } from '../model/http.js';
import { KNOWN_SCHEMES } from '../parse/authorization.js';
import type { DecodedJwt } from '../parse/jwt.js';
import { responseHeader } from './cite.js';
import type { Facts, SentAuthorization, SentCredential } from '../facts/request.js';

/**
 * Small helpers shared by the credential, token and clock checks: durations and times in plain
 * words, claim reading, and safe descriptions of secrets (titles never quote a token).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A duration for titles, rounded to one unit: "42 seconds", "5 minutes", "3 hours", "4 days". */
export function durationWords(ms: number): string {
  const a = Math.abs(ms);
  if (a < 90 * SECOND) return plural(Math.round(a / SECOND), 'second');
  if (a < 90 * MINUTE) return plural(Math.round(a / MINUTE), 'minute');
  if (a < 36 * HOUR) return plural(Math.round(a / HOUR), 'hour');
  return plural(Math.round(a / DAY), 'day');
}

/** A duration for details, two units at most: "42 s", "4 min 10 s", "3 h 5 min", "2 d 3 h". */
export function durationShort(ms: number): string {
  let s = Math.round(Math.abs(ms) / SECOND);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: Array<[number, string]> = [
    [d, 'd'],
    [h, 'h'],
    [m, 'min'],
    [s, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}

/** A signed skew for details: "+2 s", "-4 min 10 s". */
export function signedDuration(ms: number): string {
  if (Math.round(ms / SECOND) === 0) return '0 s';
  return `${ms < 0 ? '-' : '+'}${durationShort(ms)}`;
}

/** Epoch milliseconds as ISO 8601 without milliseconds: "2026-11-27T09:12:00Z". */
export function isoFromMs(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return String(ms);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A NumericDate (epoch seconds, RFC 7519 §2) as ISO 8601. */
export function isoFromSeconds(sec: number): string {
  return isoFromMs(sec * 1000);
}

/** The decoded JWT of the bearer-style credential, when there is one and it decodes. */
export function decodedJwt(f: Facts): DecodedJwt | undefined {
  const d = f.token?.decode;
  return d?.ok ? d.jwt : undefined;
}

/** A NumericDate claim: only a finite JSON number counts (RFC 7519 §2; a string is not a NumericDate). */
export function numericClaim(payload: Record<string, unknown>, name: string): number | undefined {
  const v = payload[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringClaim(payload: Record<string, unknown>, name: string): string | undefined {
  const v = payload[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The Date response header that the skew was measured from, as evidence. */
export function dateEvidence(f: Facts): EvidenceItem | undefined {
  if (f.serverDate === undefined) return undefined;
  const x: Exchange | undefined = f.ev.exchanges.find(
    (e) => e.response !== undefined && headerValue(e.response.headers, 'date') === f.serverDate,
  );
  return x
    ? responseHeader(x, 'Date', f.serverDate)
    : { probe: 'main', where: 'response.header.date', value: f.serverDate };
}

/** "server clock 2026-11-27T12:14:03Z (skew +2 s)", or the local clock when no Date was seen. */
export function serverClockWords(f: Facts): string {
  // Date has one-second resolution: show whole seconds.
  const now = isoFromMs(Math.round(f.serverNow / SECOND) * SECOND);
  if (f.skewMs === undefined) return `local clock ${now} (no server Date header to compare with)`;
  return `server clock ${now} (skew ${signedDuration(f.skewMs)})`;
}

/** A query parameter of the user's request, as evidence (cite.ts has headers only). */
export function requestQuery(name: string, value: string): EvidenceItem {
  return { probe: 'input', where: `request.query.${name}`, value };
}

/** Evidence for any sent credential: a header or a query parameter. */
export function citeCredential(c: SentCredential): EvidenceItem {
  return c.kind === 'api-key-query'
    ? requestQuery(c.name, c.value)
    : { probe: 'input', where: `request.header.${c.name.toLowerCase()}`, value: c.value };
}

/** "the Authorization header", "the X-API-Key header", "the query parameter api_key". */
export function credentialLabel(c: Pick<SentCredential, 'kind' | 'name'>): string {
  if (c.kind === 'api-key-query') return `the query parameter \`${c.name}\``;
  if (c.kind === 'authorization') return 'the Authorization header';
  return `the ${c.name} header`;
}

/** Which flag produced the nth header of this name (0-based among headers of that name). */
export function headerOrigin(f: Facts, name: string, nth = 0): HeaderOrigin | undefined {
  const want = name.toLowerCase();
  let seen = 0;
  const hs = f.ev.request.headers;
  for (let i = 0; i < hs.length; i++) {
    if ((hs[i]?.[0] ?? '').toLowerCase() !== want) continue;
    if (seen++ === nth) return f.ev.request.headerOrigins?.[i];
  }
  return undefined;
}

/**
 * A description of a secret that never quotes it: "a JWT (eyJ…, 812 characters)", "a 40-character value".
 * The three letters `eyJ` are base64 of `{"` and common to every JWT, so they reveal nothing.
 */
export function shapeOf(secret: string): string {
  const n = Array.from(secret).length;
  if (/^eyJ[A-Za-z0-9_-]*\./.test(secret)) return `a JWT (eyJ…, ${n} characters)`;
  return `a ${n}-character value`;
}

/** Scheme words that people put into Authorization, lower case: the parser's list plus common mistakes. */
export const SCHEME_WORDS: readonly string[] = [
  ...KNOWN_SCHEMES,
  'api-key',
  'oauth',
  'bearer-token',
  'bearertoken',
];

/**
 * The word in front of the credentials as the user wrote it, read more loosely than the parser
 * (which only accepts RFC 9110 tchars), so that `Bearer:` counts. Undefined when that word cannot
 * be a scheme name (a JWT fragment, a long key), so that it is never quoted as one.
 */
export function schemeWord(a: SentAuthorization): string | undefined {
  const v = a.value.replace(/^[ \t]+/, '');
  const m = /^(\S+)\s+(?=\S)/.exec(v);
  if (m) return isSchemeLike(m[1] as string) ? m[1] : undefined;
  const lone = v.trim();
  return SCHEME_WORDS.includes(lone.toLowerCase()) ? lone : undefined;
}

/** Could this word be a scheme name (rather than a token or key)? */
export function isSchemeLike(w: string): boolean {
  if (SCHEME_WORDS.includes(w.toLowerCase().replace(/:$/, ''))) return true;
  // Scheme names are short words of letters and dashes (maybe a version number, maybe a stray
  // colon). Tokens are long or hold dots, slashes, underscores, equals signs or digits inside.
  return /^[A-Za-z][A-Za-z-]{1,19}[0-9]{0,3}:?$/.test(w) && !w.startsWith('eyJ');
}

/** Is this standard base64 of printable `user:password` text (so it was meant as Basic credentials)? */
export function looksLikeBasicPair(s: string): boolean {
  if (!/^[A-Za-z0-9+/]{4,}={0,2}$/.test(s) || s.length % 4 !== 0) return false;
  let text: string;
  try {
    const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return /^[^\s:\p{Cc}]+:[^\p{Cc}]*$/u.test(text);
}

/** The header credentials the header lint checks look at: each Authorization header, and API-key headers. */
export function headerCredentialTargets(f: Facts): Array<{ c: SentCredential; scheme: boolean }> {
  return [
    ...f.authorizations.map((a) => ({
      c: { kind: 'authorization' as const, name: 'Authorization', value: a.value },
      scheme: schemeWord(a) !== undefined,
    })),
    ...f.credentials.filter((c) => c.kind === 'api-key-header').map((c) => ({ c, scheme: false })),
  ];
}

/** A token this far past exp or before nbf is refused by every common default leeway: Envoy 60 s, Spring 60 s, ASP.NET Core 5 min. */
export const LEEWAY_MS = 5 * 60_000;
