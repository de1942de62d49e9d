import { isAuthFailure, type SessionEntry, type SessionFacts } from '../../facts/session.js';
import { shortFp, type TokenInfo } from '../../facts/tokens.js';
import { durationWords } from '../credential-util.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import { GENERIC_REFUSALS } from './story.js';
import { cite, entryWords, indexList, iso, requestLine, statusCited } from './util.js';

/**
 * After a token endpoint issued a new access token (or a request with a new token succeeded), a
 * later request still sent the token it replaced, and was refused: some part of the client keeps
 * its own copy of the token (a cached header, a second HTTP client, another tab or worker).
 */

interface Replacement {
  old: TokenInfo;
  by: TokenInfo;
  /** The entry that showed the replacement: a token call that issued it, or a success with it. */
  at: SessionEntry;
  how: 'issued' | 'worked';
  /** When the client had the new token (the response's end). */
  from: number;
}

/** Two tokens are one lineage unless their claims say otherwise (another audience, issuer or subject). */
function sameLineage(a: TokenInfo, b: TokenInfo): boolean {
  const x = a.claims;
  const y = b.claims;
  if (!x || !y) return true;
  if (x.iss && y.iss && x.iss !== y.iss) return false;
  if (x.sub && y.sub && x.sub !== y.sub) return false;
  if (x.aud && y.aud && [...x.aud].sort().join(' ') !== [...y.aud].sort().join(' ')) return false;
  return true;
}

export default defineSessionCheck(
  {
    id: 'session.old-token-reused',
    plain: 'After renewing your sign-in, an old, replaced one was still being sent',
    directness: 0,
    absorbs: GENERIC_REFUSALS,
    step: 2,
    kind: 'cause',
    title: 'After a refresh, a request still sent the replaced token',
    fix: 'Read the token from one shared place at the moment each request is sent (a request interceptor), not from a copy taken earlier (a default header set once, a second HTTP client, a closure); hold requests while a refresh is in flight and retry them with the new token.',
    ref: 'RFC 6749 §6; RFC 9700 §4.14 (refresh token rotation)',
  },
  (f: SessionFacts) => {
    /** The token last used on each origin, and whether that request was refused. */
    const lastOnOrigin = new Map<string, { t: TokenInfo; failed: boolean; at: number }>();
    const replaced = new Map<string, Replacement>();
    const found = new Map<string, { r: Replacement; failures: SessionEntry[] }>();
    const seen = new Set<string>();

    for (const s of f.entries) {
      const end = s.startedAt + s.time;
      const issued = s.tokenCall?.ok ? s.tokenCall.issued : undefined;
      if (issued) {
        // A refresh replaces the token that was just refused; a refresh ahead of time, the one last used.
        const uses = [...lastOnOrigin.values()].filter(
          (u) => u.t.fp !== issued.fp && sameLineage(u.t, issued),
        );
        const refused = uses.filter((u) => u.failed);
        const latest = uses.sort((a, b) => b.at - a.at)[0];
        for (const u of refused.length ? refused : latest ? [latest] : [])
          if (!replaced.has(u.t.fp))
            replaced.set(u.t.fp, { old: u.t, by: issued, at: s, how: 'issued', from: end });
        continue;
      }
      const t = s.authorization;
      if (!t || !s.origin || s.preflight) continue;
      if (isAuthFailure(s)) {
        const r = replaced.get(t.fp);
        if (r && s.startedAt >= r.from) {
          const g = found.get(t.fp);
          if (g) g.failures.push(s);
          else found.set(t.fp, { r, failures: [s] });
        }
      } else if (s.outcome === 'ok') {
        const prev = lastOnOrigin.get(s.origin)?.t;
        // A token seen for the first time that works replaces the one used before it.
        if (prev && !seen.has(t.fp) && prev.fp !== t.fp && sameLineage(prev, t) && !replaced.has(prev.fp))
          replaced.set(prev.fp, { old: prev, by: t, at: s, how: 'worked', from: end });
        // A token that still works was not replaced after all.
        replaced.delete(t.fp);
      }
      lastOnOrigin.set(s.origin, { t, failed: isAuthFailure(s), at: s.startedAt });
      seen.add(t.fp);
    }

    return [...found.values()].map(({ r, failures }): SessionDraft => {
      const first = failures[0]!;
      const worked = f.entries.find(
        (e) => e.outcome === 'ok' && e.authorization?.fp === r.by.fp && e.origin === first.origin,
      );
      const exp = r.old.claims?.exp;
      const expired = exp !== undefined && exp * 1000 <= first.startedAt;
      const how =
        r.how === 'issued'
          ? `${entryWords(r.at)} issued a new access token (${r.by.short}) at ${iso(r.from)}`
          : `${entryWords(r.at)} worked with a new token (${r.by.short})`;
      const evidence = [
        cite(r.at, 'request.url', requestLine(r.at)),
        r.how === 'issued'
          ? cite(r.at, 'response.body.access_token', r.by.short)
          : cite(r.at, 'request.header.authorization', r.by.short),
        cite(first, 'request.url', requestLine(first)),
        cite(first, 'request.header.authorization', r.old.short),
        statusCited(first),
      ];
      if (worked && worked !== r.at) evidence.push(cite(worked, 'request.header.authorization', r.by.short));
      return {
        confidence: worked ? 'confirmed' : 'likely',
        title: `A request still sent the replaced token ${shortFp(r.old.fp)} after the refresh in entry ${r.at.index}, and was refused`,
        detail: `${how}. Afterwards ${entryWords(first)} still sent the old token ${r.old.short}${
          expired ? `, which had expired ${durationWords(first.startedAt - exp! * 1000)} before` : ''
        }.${failures.length > 1 ? ` So did entries ${indexList(failures.slice(1))}.` : ''}${
          worked ? ` The new token works: ${entryWords(worked)}.` : ''
        } Some part of the client keeps its own copy of the token.`,
        evidence,
        entries: [r.at.index, ...(worked ? [worked.index] : []), ...failures.map((s) => s.index)],
      };
    });
  },
);
