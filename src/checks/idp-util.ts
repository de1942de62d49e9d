import type { ServerMessageCause } from '../knowledge/server-messages.js';
import type { DocumentKind, Exchange, FetchedDocument, TokenVerification } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Facts } from '../facts/request.js';
import { clip, messageEvidence, redactorFor, serverMessages } from './response-util.js';

/**
 * Shared helpers for the checks that read identity-provider evidence (issue 3): the documents
 * fetched around the token, its verification, the fresh grant and introspection. Pure and
 * platform-neutral.
 */

/** The final response was a refusal (401 or 403). */
export function isRefused(f: Facts): boolean {
  return f.status === 401 || f.status === 403;
}

/** The final hop of a probe other than `main` (`fresh`, …). */
export function lastHop(f: Facts, probe: string): Exchange | undefined {
  return f.ev.exchanges
    .filter((x) => x.probe === probe)
    .sort((a, b) => a.hop - b.hop)
    .at(-1);
}

/** The `aud` claim as a list (RFC 7519 §4.1.3: a string or an array of strings); undefined when absent. */
export function audiencesOf(payload: Record<string, unknown>): string[] | undefined {
  const aud = payload['aud'];
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return undefined;
}

const GRAPH_AUDIENCES = [
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  'https://graph.windows.net',
  'https://graph.windows.net/',
];
const GRAPH_HOSTS = [
  'graph.microsoft.com',
  'graph.windows.net',
  'graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
];

/** A Microsoft Graph access token (its aud) sent to a host other than Graph (anchors §3.5). */
export function isGraphTokenElsewhere(payload: Record<string, unknown>, requestUrl: string): boolean {
  let host = '';
  try {
    host = new URL(requestUrl).hostname.toLowerCase();
  } catch {
    // An unparsable URL is not Graph.
  }
  return (
    (audiencesOf(payload) ?? []).some((a) => GRAPH_AUDIENCES.includes(a.toLowerCase())) &&
    !GRAPH_HOSTS.includes(host)
  );
}

/** `'a', 'b' and 'c'` */
export function quoteList(xs: readonly string[], quote = "'"): string {
  const q = xs.map((x) => `${quote}${x}${quote}`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------
// The server's own words.

export interface ServerWords {
  /** The words, redacted and clipped, for a title or detail. */
  quote: string;
  producer: string;
  meaning: string;
  /** Where the words were found, as evidence. */
  evidence: EvidenceItem;
  status: number;
}

/**
 * The first known server message on the final response that points to `cause`. As in
 * credentials.rejected, only a refusal counts (or a status the message is known to come with).
 */
export function serverWordsFor(f: Facts, cause: ServerMessageCause): ServerWords | undefined {
  const x = f.final;
  const r = f.response;
  if (!x || !r) return undefined;
  const m = serverMessages(f).find(
    (m) => m.entry.cause === cause && (r.status >= 400 || m.entry.match.status?.includes(r.status)),
  );
  if (!m) return undefined;
  const redact = redactorFor(f);
  return {
    quote: clip(redact(m.quote), 160),
    producer: m.entry.producer,
    meaning: m.entry.meaning,
    evidence: messageEvidence(x, m, f.challenges.challenges, redact),
    status: r.status,
  };
}

// ---------------------------------------------------------------------------------------------
// Fetched documents.

/** The probe name a document's evidence carries. */
export function docProbe(kind: DocumentKind): string {
  if (kind === 'jwks') return 'jwks';
  if (kind === 'protected-resource') return 'resource-metadata';
  return 'discovery';
}

/** Evidence: one member of a fetched document (`document.issuer`), or its url/status. */
export function docItem(doc: FetchedDocument, where: string, value: string): EvidenceItem {
  return { probe: docProbe(doc.kind), where: `document.${where}`, value };
}

/** Evidence for a verification fact (`verification.result`, `verification.message`). */
export function verificationItem(where: string, value: string): EvidenceItem {
  return { probe: 'verification', where: `verification.${where}`, value };
}

export function isIssuerMetadata(doc: FetchedDocument): boolean {
  return doc.kind === 'oidc-discovery' || doc.kind === 'oauth-metadata';
}

/** The document's JSON when it is an object. */
export function docJson(doc: FetchedDocument): Record<string, unknown> | undefined {
  const j = doc.json;
  return j !== null && typeof j === 'object' && !Array.isArray(j)
    ? (j as Record<string, unknown>)
    : undefined;
}

/** A string member of the document's JSON. */
export function docString(doc: FetchedDocument, name: string): string | undefined {
  const v = docJson(doc)?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Fetched, 200, JSON object, and no problem noted. */
export function docUsable(doc: FetchedDocument): boolean {
  return (
    doc.error === undefined &&
    doc.problem === undefined &&
    (doc.status === undefined || doc.status === 200) &&
    docJson(doc) !== undefined
  );
}

/**
 * Why a document is unusable, in words; undefined when it is usable. The probe's own sentence
 * (`problem`) is the most precise; the rest is said here when it is missing.
 */
export function docFailure(doc: FetchedDocument): string | undefined {
  if (doc.error) {
    const e = doc.error;
    return `unreachable (${e.phase}${e.code ? ` ${e.code}` : ''}: ${clip(e.message, 160)})`;
  }
  if (doc.problem) return clip(doc.problem, 300);
  if (doc.status !== undefined && doc.status !== 200) {
    const redirect =
      doc.status >= 300 && doc.status < 400 ? ', a redirect (metadata clients do not follow them)' : '';
    return `answered ${doc.status}${redirect}, not 200`;
  }
  if (docJson(doc) === undefined)
    return doc.json === undefined ? 'the answer is not JSON' : 'the answer is JSON but not an object';
  return undefined;
}

const WELL_KNOWN_OIDC = '/.well-known/openid-configuration';

/**
 * The identifier a metadata URL was built from: the issuer for OIDC discovery (§4: issuer +
 * `/.well-known/openid-configuration`) and RFC 8414 §3 (`/.well-known/oauth-authorization-server`
 * inserted before the path), the resource for RFC 9728 §3. Without a trailing slash.
 */
export function metadataSubject(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const path = u.pathname;
  if (path.endsWith(WELL_KNOWN_OIDC)) return `${u.origin}${path.slice(0, -WELL_KNOWN_OIDC.length)}`;
  for (const wk of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource']) {
    if (path === wk || path.startsWith(`${wk}/`))
      return `${u.origin}${path.slice(wk.length)}`.replace(/\/$/, '');
  }
  return undefined;
}

export function sameIgnoringSlash(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** An issuer-metadata document fetched for this issuer (its URL built from it, or `from` says the token's iss). */
export function isMetadataFor(doc: FetchedDocument, iss: string): boolean {
  if (!isIssuerMetadata(doc)) return false;
  const subject = metadataSubject(doc.url);
  if (subject !== undefined) return sameIgnoringSlash(subject, iss);
  return /\biss\b/.test(doc.from);
}

// ---------------------------------------------------------------------------------------------
// Comparing identifiers (issuers, audiences).

const ENTRA_V1 = /^https:\/\/sts\.windows\.net\/([^/]+)\/?$/i;
const ENTRA_V2 = /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0\/?$/i;

export interface Difference {
  /** What kind of difference: the first that applies. */
  kind: 'trailing-slash' | 'case' | 'entra-version' | 'scheme' | 'host' | 'port' | 'path' | 'other';
  /** What differs, in a few words: "a trailing slash", "the host (a versus b)". */
  summary: string;
  /** In words, naming both sides: "a trailing slash: the token has …, … is expected". */
  words: string;
}

/** A difference in a few words, for titles. */
export const DIFFERENCE_SHORT: Record<Difference['kind'], string> = {
  'trailing-slash': 'a trailing slash differs',
  case: 'letter case differs',
  'entra-version': 'Entra ID v1.0 versus v2.0',
  scheme: 'http versus https',
  host: 'another host',
  port: 'another port',
  path: 'another path',
  other: 'they differ',
};

/**
 * The exact difference between an identifier in the token (`actual`) and the one expected,
 * compared byte for byte (RFC 9068 §4, OpenID Connect Core §3.1.3.7: exact match). Undefined when
 * they are identical.
 */
export function identifierDifference(
  actual: string,
  expected: string,
  what = 'the token',
): Difference | undefined {
  if (actual === expected) return undefined;
  const v1a = ENTRA_V1.exec(actual);
  const v2a = ENTRA_V2.exec(actual);
  const v1e = ENTRA_V1.exec(expected);
  const v2e = ENTRA_V2.exec(expected);
  if ((v1a && v2e) || (v2a && v1e)) {
    const [tokenV, expV] = v1a ? ['v1.0', 'v2.0'] : ['v2.0', 'v1.0'];
    const ta = (v1a ?? v2a)![1]!;
    const te = (v1e ?? v2e)![1]!;
    const tenant =
      ta.toLowerCase() === te.toLowerCase() ? '' : `; the tenants differ too (${ta} versus ${te})`;
    return {
      kind: 'entra-version',
      summary: 'the Entra ID token version',
      words: `the Entra ID token version: ${what} carries the ${tokenV} issuer (${actual}) and the ${expV} issuer (${expected}) is expected; Entra ID issues v1.0 tokens (sts.windows.net) to APIs whose manifest has accessTokenAcceptedVersion null or 1, v2.0 tokens (login.microsoftonline.com/…/v2.0) when it is 2${tenant}`,
    };
  }
  if (sameIgnoringSlash(actual, expected)) {
    const has = /\/$/.test(actual);
    return {
      kind: 'trailing-slash',
      summary: 'a trailing slash',
      words: `a trailing slash: ${what} has ${actual} ${has ? 'with' : 'without'} the final "/", ${expected} is expected ${has ? 'without' : 'with'} it`,
    };
  }
  if (actual.toLowerCase() === expected.toLowerCase()) {
    return {
      kind: 'case',
      summary: 'letter case only',
      words: `letter case only: ${what} has ${actual}, ${expected} is expected (compared exactly)`,
    };
  }
  let a: URL, e: URL;
  try {
    a = new URL(actual);
    e = new URL(expected);
  } catch {
    return {
      kind: 'other',
      summary: 'the text',
      words: `the text: ${what} has ${actual}, ${expected} is expected`,
    };
  }
  const parts: string[] = [];
  const kinds: Difference['kind'][] = [];
  const note = (k: Difference['kind'], w: string) => {
    kinds.push(k);
    parts.push(w);
  };
  if (a.protocol !== e.protocol)
    note('scheme', `the scheme (${a.protocol.slice(0, -1)} versus ${e.protocol.slice(0, -1)})`);
  if (a.hostname !== e.hostname) note('host', `the host (${a.hostname} versus ${e.hostname})`);
  if (a.port !== e.port) note('port', `the port (${a.port || 'default'} versus ${e.port || 'default'})`);
  if (a.pathname.replace(/\/$/, '') !== e.pathname.replace(/\/$/, ''))
    note('path', `the path (${a.pathname} versus ${e.pathname})`);
  else if (actual.endsWith('/') !== expected.endsWith('/')) parts.push('a trailing slash');
  if (a.search !== e.search || a.hash !== e.hash) note('other', 'the query or fragment');
  // The most telling difference names the kind: another host matters more than its scheme.
  const kind =
    (['host', 'path', 'port', 'scheme', 'other'] as const).find((k) => kinds.includes(k)) ?? 'other';
  const summary =
    parts.length === 0
      ? 'the text'
      : parts.length === 1
        ? parts[0]!
        : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return { kind, summary, words: `${summary}: ${what} has ${actual}, ${expected} is expected` };
}

// ---------------------------------------------------------------------------------------------
// Algorithms.

const ASYMMETRIC_KTY = ['RSA', 'EC', 'OKP'];

/** An HMAC algorithm (RFC 7518 §3.2): a shared secret, not a key pair. */
export function isHmacAlg(alg: unknown): alg is string {
  return typeof alg === 'string' && /^HS(?:256|384|512)$/i.test(alg);
}

/** The JWKS holds public keys (RSA, EC, OKP) and no shared-secret (`oct`) key. */
export function publishesPublicKeys(keys: TokenVerification['jwksKeys']): boolean {
  return keys.some((k) => ASYMMETRIC_KTY.includes(k.kty ?? '')) && !keys.some((k) => k.kty === 'oct');
}

/**
 * RFC 8725 §2.1: an HMAC-signed token where the issuer publishes only public keys. The verifier's
 * failure (whatever it was called) is then jwt.alg-confusion's to explain, not a rotated kid's.
 */
export function isAlgConfusion(alg: unknown, v: TokenVerification | undefined): boolean {
  return v !== undefined && v.result !== 'valid' && isHmacAlg(alg) && publishesPublicKeys(v.jwksKeys);
}
