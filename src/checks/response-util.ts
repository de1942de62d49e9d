import { matchServerMessages, type ServerMessageMatch } from '../knowledge/server-messages.js';
import type { Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { headerValue, headerValues } from '../model/http.js';
import type { Challenge, ChallengeParse } from '../parse/challenge.js';
import { probeName } from './cite.js';
import { credentialsOf, type Facts, type SentCredential } from '../facts/request.js';

/** Shared helpers for the checks that read the server's answer. Pure and platform-neutral. */

/** The `error` auth-param of a challenge, lower case, or undefined. */
export function errorOf(c: Challenge): string | undefined {
  const e = c.params['error'];
  return e === undefined ? undefined : e.trim().toLowerCase();
}

/** The challenges of the final response, or when it has none, those of the anonymous probe. */
export function offeredChallenges(f: Facts): { challenges: Challenge[]; from?: Exchange } {
  if (f.challenges.challenges.length > 0 && f.final)
    return { challenges: f.challenges.challenges, from: f.final };
  if (f.anonymousChallenges && f.anonymousChallenges.challenges.length > 0 && f.anonymous) {
    return { challenges: f.anonymousChallenges.challenges, from: f.anonymous };
  }
  return { challenges: [] };
}

/** Evidence for one challenge: its source text in the WWW-Authenticate header. */
export function challengeEvidence(x: Exchange, c: Challenge): EvidenceItem {
  return { probe: probeName(x), where: 'response.header.www-authenticate', value: c.raw };
}

/** What the server received: the credentials on the request of the final hop (a redirect may have dropped some). */
export function receivedCredentials(f: Facts): SentCredential[] {
  if (!f.final) return f.credentials;
  return credentialsOf(f.final.request.headers, f.final.request.url);
}

/** The server's known messages on the final response (shared/knowledge catalog). */
export function serverMessages(f: Facts): ServerMessageMatch[] {
  const r = f.response;
  if (!r) return [];
  const input: Parameters<typeof matchServerMessages>[0] = {
    status: r.status,
    challenges: f.challenges.challenges,
    body: r.bodyTruncated ? r.body.slice(0, 64 * 1024) : r.body,
    headers: r.headers,
  };
  if (f.bodyJson !== undefined) input.bodyJson = f.bodyJson;
  return matchServerMessages(input);
}

/** Evidence for a matched server message: where its words were found. */
export function messageEvidence(
  x: Exchange,
  m: ServerMessageMatch,
  challenges: Challenge[],
  redact: (s: string) => string,
): EvidenceItem {
  const probe = probeName(x);
  if (m.where === 'challenge') {
    const c =
      challenges.find((c) => c.params['error_description'] === m.quote) ??
      challenges.find((c) => m.quote === `error="${errorOf(c)}"`);
    return { probe, where: 'response.header.www-authenticate', value: redact(c ? c.raw : m.quote) };
  }
  if (m.where === 'header')
    return { probe, where: `response.header.${m.name ?? 'unknown'}`, value: redact(m.quote) };
  return { probe, where: m.name ? `response.body.${m.name}` : 'response.body', value: redact(clip(m.quote)) };
}

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/**
 * A redactor for text the server wrote: it may echo the credentials (AWS quotes the whole
 * Authorization header). Replaces every credential the request carried, and anything shaped like
 * a JWT, with `…`.
 */
export function redactorFor(f: Facts): (s: string) => string {
  const secrets = new Set<string>();
  for (const c of f.credentials) {
    secrets.add(c.value.trim());
    const sp = c.value.trim().indexOf(' ');
    if (c.kind === 'authorization' && sp > 0)
      secrets.add(
        c.value
          .trim()
          .slice(sp + 1)
          .trim(),
      );
  }
  if (f.token?.value) secrets.add(f.token.value);
  const list = [...secrets].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
  return (s: string) => {
    let out = s;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join('…');
    return out.replace(JWT_SHAPE, '…');
  };
}

/** Shortens a quote for a title or an evidence value. */
export function clip(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** An OAuth-style error in a JSON body: `{"error":"invalid_token","error_description":"…"}`. */
export function jsonOAuthError(json: unknown): { error: string; description?: string } | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if (typeof o['error'] !== 'string') return undefined;
  const r: { error: string; description?: string } = { error: o['error'] };
  const d = o['error_description'] ?? o['message'];
  if (typeof d === 'string' && d.trim()) r.description = d;
  return r;
}

/** The media type of a response, lower case, without parameters. */
export function mediaType(headers: Array<[string, string]>): string | undefined {
  const ct = headerValues(headers, 'content-type')[0];
  return ct?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** Plain words for the causes a server message can point to. */
export const CAUSE_WORDS: Record<string, string> = {
  'token.expired': 'the token has expired',
  'token.not-yet-valid': 'the token is not valid yet (a clock is off)',
  'token.malformed': 'the token is malformed',
  'token.inactive': 'the token was revoked',
  'jwt.audience-mismatch': 'the token was issued for another audience',
  'jwt.issuer-mismatch': 'the token comes from an issuer the server does not trust',
  'jwt.signature-invalid': "the token's signature does not verify",
  'jwt.kid-unknown': "the token's signing key is not among the server's keys",
  'jwt.alg-none': 'the token is unsigned',
  'jwt.scope-insufficient': 'the token lacks a required scope',
  'credentials.missing': 'no credentials reached the server',
  'credentials.rejected': 'the credentials were refused',
  'header.scheme-mismatch': 'the Authorization scheme is not the one expected',
  'header.duplicate': 'the token was sent in more than one place',
  'idp.jwks-failed': 'the server could not load its signing keys',
  'dpop.required': 'the server wants a DPoP-bound token with a valid proof',
  'url.wrong-endpoint': 'the path or method does not exist',
  'authz.forbidden': 'the caller is known but not allowed to do this',
  'authz.csrf-rejected': "the request lacks the CSRF token or cookie the server's form protection wants",
  'basic.malformed': 'the Basic credentials are not base64 of user:password',
};

/**
 * What the server said about the credentials it got, if anything: an RFC 6750 error code in a
 * challenge or an OAuth-style body, or known words that name the token (expired, bad signature…).
 * When the server names the credentials, they arrived.
 */
export function serverNamedCredentials(f: Facts): string | undefined {
  const coded = f.challenges.challenges.find((c) => NAMES_TOKEN.has(errorOf(c) ?? ''));
  if (coded) return `the server's challenge says error="${errorOf(coded)}"`;
  const json = jsonOAuthError(f.bodyJson);
  if (json && NAMES_TOKEN.has(json.error)) return `the server's answer says "error": "${json.error}"`;
  const named = serverMessages(f).find((m) => !SAYS_NOTHING_ARRIVED.has(m.entry.cause));
  if (named) return `the server's words name the credentials ("${clip(named.quote, 80)}")`;
  return undefined;
}

/** RFC 6750 §3.1 and RFC 9449 §7.1 error codes that judge a token the server got. */
const NAMES_TOKEN = new Set(['invalid_token', 'insufficient_scope', 'invalid_dpop_proof', 'use_dpop_nonce']);
/** Known words that do not show the credentials arrived (or say they did not). */
const SAYS_NOTHING_ARRIVED = new Set(['credentials.missing', 'url.wrong-endpoint', 'authz.csrf-rejected']);

/**
 * Did the request without credentials get a different answer? Then the credentials reached the
 * server and changed its answer (a 401 for nobody, a 403 for this account).
 */
export function anonymousDiffers(f: Facts): string | undefined {
  const a = f.anonymous?.response;
  const r = f.response;
  if (!a || !r) return undefined;
  if (a.status !== r.status)
    return `the same request without credentials got ${a.status}, this one ${r.status}: the credentials arrived and changed the answer`;
  const mine = gist(r.body);
  const theirs = gist(a.body);
  if (mine !== undefined && theirs !== undefined && mine !== theirs)
    return `the same request without credentials got another answer ("${clip(theirs, 60)}" against "${clip(mine, 60)}"): the credentials arrived and changed it`;
  return undefined;
}

/**
 * The words of a short answer, without what changes on every request (request ids, timestamps,
 * hex and digits): two refusals with the same gist said the same thing. Long pages say nothing here.
 */
function gist(body: string): string | undefined {
  const t = body.trim();
  if (!t || t.length > 2048) return undefined;
  return t
    .replace(/<[^>]*>/g, ' ')
    .replace(/[0-9a-f]{8,}(?:-[0-9a-f]{4,})*/gi, '#')
    .replace(/[0-9]+/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The anonymous probe got the identical refusal: same status, same challenges, same body. */
export function sameAsAnonymous(f: Facts): boolean {
  const a = f.anonymous?.response;
  const r = f.response;
  if (!a || !r || a.status !== r.status) return false;
  const ch = (x: ChallengeParse | undefined) => (x?.challenges ?? []).map((c) => c.raw).join('\n');
  return (
    ch(f.anonymousChallenges) === ch(f.challenges) &&
    (gist(a.body) ?? a.body.trim()) === (gist(r.body) ?? r.body.trim())
  );
}

/** The statuses that send a client on to `Location` (RFC 9110 §15.4; 300 and 304 do not). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect answer points: its Location resolved against the request's URL, whatever the
 * scheme. Undefined for an answer that is not a redirect, has no Location, or one that is no URL.
 */
export function redirectTarget(x: Exchange): { location: string; target: URL } | undefined {
  const r = x.response;
  if (!r || !REDIRECT_STATUSES.has(r.status)) return undefined;
  const location = headerValue(r.headers, 'location');
  if (!location) return undefined;
  try {
    return { location, target: new URL(location, x.request.url) };
  } catch {
    return undefined;
  }
}
