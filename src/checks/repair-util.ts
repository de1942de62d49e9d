import type { HeaderList } from '../model/http.js';
import type { RepairProposal } from './check.js';
import type { Facts } from '../facts/request.js';

/**
 * Building repaired requests: the user's request (method, URL, headers as sent) with one change.
 * Pure helpers for the checks' `repair` functions; the probe engine decides what may be sent.
 */

/** The user's request as a repair starts from it. */
export function userRequest(f: Facts): RepairProposal['request'] {
  return { method: f.ev.request.method, url: f.ev.request.url, headers: [...f.ev.request.headers] };
}

/** The user's request with its Authorization header(s) replaced by one value. */
export function withAuthorization(f: Facts, value: string, drop: string[] = []): RepairProposal['request'] {
  const gone = new Set(['authorization', ...drop.map((d) => d.toLowerCase())]);
  const headers: HeaderList = f.ev.request.headers.filter(([n]) => !gone.has(n.toLowerCase()));
  headers.push(['Authorization', value]);
  return { ...userRequest(f), headers };
}

/** The URL without one query parameter (every occurrence). */
export function withoutQueryParam(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.delete(name);
  return u.toString();
}

/**
 * The credential cleaned of what copying and pasting adds: surrounding quotes (straight or
 * typographic), zero-width and no-break spaces, line breaks and stray spaces, a doubled scheme.
 * Returns the header value as it should have been sent.
 */
export function cleanAuthorization(value: string): string {
  let v = value
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u00A0\u2007\u202F]/g, ' ')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
  const m = /^(\S+)\s+(.*)$/.exec(v);
  let scheme = m ? m[1]! : '';
  let cred = m ? m[2]! : v;
  // "Bearer Bearer x": the scheme once.
  while (scheme && cred.toLowerCase().startsWith(`${scheme.toLowerCase()} `))
    cred = cred.slice(scheme.length + 1).trim();
  cred = cred
    .replace(/^["'\u201C\u201D\u2018\u2019]+|["'\u201C\u201D\u2018\u2019]+$/g, '')
    .replace(/\s+/g, '');
  scheme = scheme.replace(/^["'\u201C\u201D]+/, '');
  v = scheme ? `${scheme} ${cred}` : cred;
  return v;
}
