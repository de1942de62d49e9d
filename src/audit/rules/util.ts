import { REQUEST_ID_HEADERS } from '../../knowledge/request-ids.js';
import { headerValue, headerValues } from '../../model/http.js';
import { statusWithText } from '../../model/status-text.js';
import { parseWwwAuthenticate, type Challenge } from '../../parse/challenge.js';
import type { Exchange, OperationEvidence, ProbeKind } from '../types.js';

/** What each probe was, in the words a finding's evidence uses. */
const WHO: Record<ProbeKind, string> = {
  anonymous: 'no credentials',
  malformed: 'a malformed credential',
  expired: 'an expired-looking token',
  low: 'the low-privilege token (--token-low)',
  valid: 'the token (--token)',
  preflight: 'a CORS preflight',
  'query-token': 'the token in the query string (access_token=)',
};

export const opLabel = (op: OperationEvidence): string => `${op.operation.method} ${op.operation.path}`;

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** One line of evidence: what was sent and what came back. */
export function said(ex: Exchange, ...headers: string[]): string {
  const what = `${WHO[ex.kind]}: ${ex.method} ${pathOf(ex.url)} → `;
  if (ex.status === undefined) return `${what}no answer (${ex.error ?? 'transport failure'})`;
  const shown = headers
    .map((h) => [h, headerValues(ex.headers, h).join(', ')] as const)
    .map(([h, v]) => (v ? `${h}: ${v}` : `no ${h}`));
  return `${what}${statusWithText(ex.status)}${shown.length ? `; ${shown.join('; ')}` : ''}`;
}

export const is2xx = (ex: Exchange | undefined): boolean =>
  ex?.status !== undefined && ex.status >= 200 && ex.status < 300;

export const isRefusal = (ex: Exchange | undefined): ex is Exchange =>
  ex?.status === 401 || ex?.status === 403;

/** The operation is meant to be protected: the document says so, or the user named it with --path. */
export const isSecured = (op: OperationEvidence): boolean => !op.operation.documentedOpen;

export function challenges(ex: Exchange): Challenge[] {
  return parseWwwAuthenticate(headerValues(ex.headers, 'www-authenticate')).challenges;
}

/** The Bearer challenge of an answer, if it has one. */
export function bearerChallenge(ex: Exchange): Challenge | undefined {
  return challenges(ex).find((c) => c.schemeLower === 'bearer' || c.schemeLower === 'dpop');
}

/** Every refusal (401 or 403) the operation got, preflight aside. */
export function refusals(op: OperationEvidence): Exchange[] {
  return Object.values(op.exchanges).filter(
    (ex): ex is Exchange => !!ex && ex.kind !== 'preflight' && isRefusal(ex),
  );
}

export function contentType(ex: Exchange): string {
  return (headerValue(ex.headers, 'content-type') ?? '').toLowerCase();
}

export function hasRequestId(ex: Exchange): boolean {
  return REQUEST_ID_HEADERS.some(([name]) => headerValue(ex.headers, name) !== undefined);
}

/** A response header's directives, lower-cased (`Cache-Control: Private, max-age=0` → ['private', 'max-age=0']). */
export function directives(ex: Exchange, header: string): string[] {
  return headerValues(ex.headers, header)
    .flatMap((v) => v.split(','))
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
}
