import { isComparableFailure, type SessionEntry, type SessionFacts } from '../../facts/session.js';
import { pathOf } from '../../parse/url.js';
import { shortFp, type TokenClaims } from '../../facts/tokens.js';
import type { EvidenceItem } from '../../model/finding.js';
import { durationWords } from '../credential-util.js';
import { defineSessionCheck } from './define.js';
import { ago, entryWords, iso } from './util.js';

/**
 * For the first failure of the session: what changed since the last request to the same origin
 * that worked. Headers added, removed or changed (credentials by fingerprint, cookies by name),
 * the token's claims (iss, aud, exp, scope), the path, the page it came from, the status, the time.
 */

/** Headers that change on every request or say nothing about auth. */
const NOISE = new Set([
  'content-length',
  'if-none-match',
  'if-modified-since',
  'cache-control',
  'pragma',
  'priority',
  'accept-encoding',
  'accept-language',
  'connection',
  'host',
  'user-agent',
  'traceparent',
  'tracestate',
  'baggage',
  'x-request-id',
  'x-correlation-id',
  'sentry-trace',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-amzn-trace-id',
  'purpose',
  'sec-purpose',
  'upgrade-insecure-requests',
]);
/** Headers whose values are shown as they are (they hold no secret). */
const SHOW_VALUE = new Set([
  'origin',
  'content-type',
  'accept',
  'sec-fetch-site',
  'sec-fetch-mode',
  'x-requested-with',
]);

export function isNoise(name: string): boolean {
  return NOISE.has(name) || name.startsWith('sec-ch-') || name.startsWith(':');
}

function headerMap(s: SessionEntry): Map<string, string> {
  const m = new Map<string, string>();
  for (const [n, v] of s.headers) {
    const k = n.toLowerCase();
    m.set(k, m.has(k) ? `${m.get(k)}, ${v}` : v);
  }
  return m;
}

function isFailure(s: SessionEntry): boolean {
  return isComparableFailure(s);
}

function words(v: unknown): string {
  if (v === undefined) return '(none)';
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
}

function claimChanges(
  a: TokenClaims | undefined,
  b: TokenClaims | undefined,
  at: number,
): Array<[string, string]> {
  if (!a || !b) return [];
  const out: Array<[string, string]> = [];
  for (const k of ['iss', 'aud', 'sub', 'azp', 'scopes'] as const) {
    const x = words(a[k]);
    const y = words(b[k]);
    if (x !== y) out.push([`token.${k === 'scopes' ? 'scope' : k}`, `${x} → ${y}`]);
  }
  if (a.exp !== b.exp)
    out.push([
      'token.exp',
      `${a.exp ? iso(a.exp * 1000) : '(none)'} → ${b.exp ? iso(b.exp * 1000) : '(none)'}`,
    ]);
  if (b.exp !== undefined && b.exp * 1000 <= at)
    out.push([
      'token.exp',
      `${iso(b.exp * 1000)}: expired ${durationWords(at - b.exp * 1000)} before the failing request`,
    ]);
  return out;
}

function lastSuccessBefore(f: SessionFacts, fail: SessionEntry): SessionEntry | undefined {
  const candidates = f.entries.filter(
    (e) =>
      e.startedAt <= fail.startedAt &&
      e !== fail &&
      e.origin === fail.origin &&
      e.outcome === 'ok' &&
      !e.preflight,
  );
  // The same request first, then the same kind of request (an API call for an API call); a page
  // load against an API call compares nothing useful.
  const samePath = candidates.filter((e) => e.method === fail.method && pathOf(e.url) === pathOf(fail.url));
  if (samePath.length) return samePath.at(-1);
  const sameKind = candidates.filter(
    (e) =>
      !e.signOut &&
      !e.tokenCall &&
      e.navigation === fail.navigation &&
      (e.resourceType ?? '') === (fail.resourceType ?? ''),
  );
  return sameKind.at(-1);
}

export default defineSessionCheck(
  {
    id: 'info.changed-since-success',
    plain: 'What changed between the last request that worked and the first that failed',
    step: 0,
    kind: 'info',
    title: 'What changed since the last request that worked',
    fix: 'Compare the two requests: the change that matters for authentication is usually a credential, a cookie or the page it came from.',
  },
  (f: SessionFacts) => {
    const fail = f.entries.find((s) => isFailure(s) && !s.preflight);
    if (!fail) return;
    const ok = lastSuccessBefore(f, fail);
    if (!ok) return;
    const changes: Array<[string, string]> = [];
    if (ok.method !== fail.method) changes.push(['request.method', `${ok.method} → ${fail.method}`]);
    if (pathOf(ok.url) !== pathOf(fail.url))
      changes.push(['request.path', `${pathOf(ok.url)} → ${pathOf(fail.url)}`]);
    if ((ok.pageOrigin ?? '') !== (fail.pageOrigin ?? ''))
      changes.push(['page.origin', `${ok.pageOrigin ?? '(unknown)'} → ${fail.pageOrigin ?? '(unknown)'}`]);

    const a = headerMap(ok);
    const b = headerMap(fail);
    const added = [...b.keys()].filter((k) => !a.has(k) && !isNoise(k));
    const removed = [...a.keys()].filter((k) => !b.has(k) && !isNoise(k));
    if (added.length) changes.push(['request.headers.added', added.join(', ')]);
    if (removed.length) changes.push(['request.headers.removed', removed.join(', ')]);
    for (const [k, v] of b) {
      const old = a.get(k);
      if (
        old === undefined ||
        old === v ||
        isNoise(k) ||
        k === 'cookie' ||
        k === 'authorization' ||
        k === 'referer'
      )
        continue;
      if (SHOW_VALUE.has(k)) changes.push([`request.header.${k}`, `${old} → ${v}`]);
      // Any other value is only said to have changed: it may be a credential under a name no list
      // foresaw, and the one credential rule (knowledge/credential-rule.ts) is the report's to apply.
      else changes.push([`request.header.${k}`, 'value changed']);
    }
    const ta = ok.authorization;
    const tb = fail.authorization;
    if (ta?.fp !== tb?.fp) {
      changes.push([
        'request.header.authorization',
        `${ta ? `${ta.scheme ?? ''} ${ta.short}`.trim() : '(none)'} → ${tb ? `${tb.scheme ?? ''} ${tb.short}`.trim() : '(none)'}`,
      ]);
      changes.push(...claimChanges(ta?.claims, tb?.claims, fail.startedAt));
    } else if (tb?.claims?.exp !== undefined && tb.claims.exp * 1000 <= fail.startedAt) {
      changes.push(...claimChanges(ta?.claims, tb.claims, fail.startedAt));
    }
    const ca = new Map(ok.cookies.map((c) => [c.name, c.fp]));
    const cb = new Map(fail.cookies.map((c) => [c.name, c.fp]));
    const cAdded = [...cb.keys()].filter((k) => !ca.has(k));
    const cRemoved = [...ca.keys()].filter((k) => !cb.has(k));
    const cChanged = [...cb.keys()].filter((k) => ca.has(k) && ca.get(k) !== cb.get(k));
    if (cRemoved.length) changes.push(['request.cookies.removed', cRemoved.join(', ')]);
    if (cAdded.length) changes.push(['request.cookies.added', cAdded.join(', ')]);
    for (const k of cChanged)
      changes.push([`request.cookie.${k}`, `${shortFp(ca.get(k)!)} → ${shortFp(cb.get(k)!)}`]);
    changes.push([
      'response.status',
      `${ok.status} → ${fail.status ?? `no answer (${fail.failure ?? 'failed'})`}`,
    ]);
    const elapsed = fail.startedAt - ok.startedAt;

    const evidence: EvidenceItem[] = changes.map(([where, value]) => ({
      probe: `entry#${ok.index}→entry#${fail.index}`,
      where,
      value,
    }));
    evidence.push({ probe: 'session', where: 'elapsed', value: ago(elapsed) });
    const meaningful = changes.filter(([w]) => w !== 'response.status');
    return {
      confidence: 'confirmed',
      title: `What changed between the last success (entry ${ok.index}) and the first failure (entry ${fail.index})`,
      detail: `${entryWords(ok)} worked; ${ago(elapsed)} later ${entryWords(fail)} did not. ${
        meaningful.length
          ? `Changed: ${meaningful.map(([w, v]) => `${w.replace(/^request\./, '')} ${v}`).join('; ')}.`
          : 'Nothing in the request changed that matters for authentication: what changed is on the server side (the session or token was ended or revoked, a permission was removed) or in time.'
      }`,
      evidence,
      entries: [ok.index, fail.index],
    };
  },
);
