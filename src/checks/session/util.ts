import type { EvidenceItem, Finding } from '../../model/finding.js';
import { durationWords } from '../credential-util.js';
import { entryProbe, type SessionEntry } from '../../facts/session.js';
import { shortUrl } from '../../parse/url.js';

/** Small helpers the session checks share: citing entries, naming them, and their diagnoses. */

export function cite(s: SessionEntry, where: string, value: string): EvidenceItem {
  return { probe: entryProbe(s.index), where, value };
}

/** `GET http://localhost:3000/api/me` (no query: it may hold a key). */
export function requestLine(s: SessionEntry): string {
  return `${s.method} ${shortUrl(s.url)}`;
}

/** What the entry got: `401`, `302 to a sign-in page`, `no answer (net::ERR_FAILED)`. */
export function resultWords(s: SessionEntry): string {
  if (s.status === null) return `no answer (${s.failure ?? 'no reason recorded'})`;
  if (s.outcome === 'login') return `${s.status} (a sign-in page)`;
  return String(s.status);
}

/** `entry 7 (GET http://localhost:3000/api/me → 401)`. */
export function entryWords(s: SessionEntry): string {
  return `entry ${s.index} (${requestLine(s)} → ${resultWords(s)})`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function cited(s: SessionEntry): EvidenceItem {
  return cite(s, 'request.url', requestLine(s));
}

export function statusCited(s: SessionEntry): EvidenceItem {
  return s.status === null
    ? cite(s, 'error', s.failure ?? 'no reason recorded')
    : cite(s, 'response.status', String(s.status));
}

/** The per-entry diagnosis's first cause, when it is more than a suspicion (not the bare fallback). */
export function firstCause(s: SessionEntry): Finding | undefined {
  const f = s.diagnosis?.findings.find((x) => x.kind === 'cause');
  return f && f.confidence !== 'possible' ? f : undefined;
}

/** Entries listed in words, at most `max` of them: "7, 9 and 12". */
export function indexList(entries: SessionEntry[], max = 8): string {
  const ids = entries.map((e) => String(e.index));
  const shown = ids.slice(0, max);
  const more = ids.length > max ? ` and ${ids.length - max} more` : '';
  if (shown.length <= 1) return shown.join('') + more;
  return more ? `${shown.join(', ')}${more}` : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A duration in words; "less than a second" rather than "0 seconds". */
export function ago(ms: number): string {
  return Math.abs(ms) < 1000 ? 'less than a second' : durationWords(ms);
}
