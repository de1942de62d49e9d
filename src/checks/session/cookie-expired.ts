import { SESSION_COOKIE, type HeldCookie } from '../../facts/cookies.js';
import { isAuthFailure, type SessionEntry, type SessionFacts } from '../../facts/session.js';
import type { Confidence } from '../../model/finding.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import { GENERIC_REFUSALS } from './story.js';
import { ago as agoWords, cite, entryWords, indexList, iso, requestLine, statusCited } from './util.js';

/**
 * The session cookie the requests relied on had expired (its Set-Cookie's Max-Age or Expires, at
 * the capture's time) when a request was refused: the browser dropped it, the request went
 * without it. A cookie the server removed on purpose (Max-Age=0 on sign-out) is `session.stale`.
 */

interface Group {
  cookie: HeldCookie;
  failures: SessionEntry[];
  reliedOn: boolean;
}

function lifetime(c: HeldCookie): string {
  const m = /;\s*max-age\s*=\s*(-?\d+)/i.exec(c.attributes);
  if (m) return `Max-Age=${m[1]}`;
  const e = /;\s*expires\s*=\s*([^;]+)/i.exec(c.attributes);
  return e ? `Expires=${e[1]!.trim()}` : `expiry ${iso(c.expiresAt!)}`;
}

export default defineSessionCheck(
  {
    id: 'session.cookie-expired',
    plain: 'The cookie that keeps you signed in has expired',
    directness: 0,
    absorbs: ['credentials.missing', ...GENERIC_REFUSALS, 'token.fresh-token-works'],
    freshConfirms: true,
    step: 2,
    kind: 'cause',
    title: 'The session cookie had expired',
    fix: 'Sign in again. If sessions should last longer, raise the cookie’s Max-Age/Expires on the server, or renew the cookie on activity (a sliding session) before it runs out.',
    ref: 'RFC 6265bis §5.6.1, §5.6.2 (Expires, Max-Age), §5.8.3 step 1',
  },
  (f: SessionFacts) => {
    if (f.credentialsHidden) return;
    const groups = new Map<string, Group>();
    for (const s of f.entries) {
      if (!isAuthFailure(s) || !s.cookieChecks) continue;
      const sent = new Set(s.cookies.map((c) => c.name));
      for (const cc of s.cookieChecks) {
        if (cc.verdict.send || cc.verdict.rule !== 'expired') continue;
        const c = cc.cookie;
        if (!cc.reliedOn && !SESSION_COOKIE.test(c.name) && !c.httpOnly) continue;
        // Another cookie of that name went along (a fresh one under another path): not the story.
        if (sent.has(c.name)) continue;
        const key = `${c.domain};${c.path};${c.name}`;
        const g = groups.get(key);
        if (g) {
          g.failures.push(s);
          g.reliedOn ||= cc.reliedOn;
        } else groups.set(key, { cookie: c, failures: [s], reliedOn: cc.reliedOn });
      }
    }
    return [...groups.values()].map((g): SessionDraft => {
      const c = g.cookie;
      const first = g.failures[0]!;
      const setter = f.byIndex.get(c.setBy);
      const lastSent = [...f.entries]
        .reverse()
        .find(
          (e) =>
            e.startedAt < first.startedAt && e.outcome === 'ok' && e.cookies.some((x) => x.name === c.name),
        );
      const ago = first.startedAt - c.expiresAt!;
      const confidence: Confidence = g.reliedOn
        ? 'confirmed'
        : SESSION_COOKIE.test(c.name)
          ? 'likely'
          : 'possible';
      const evidence = [
        cite(first, 'request.url', requestLine(first)),
        cite(
          first,
          'request.header.cookie',
          first.cookies.length ? first.cookies.map((x) => x.name).join('; ') : '(no Cookie header)',
        ),
        statusCited(first),
        { probe: 'session', where: `cookie.${c.name}.expires`, value: iso(c.expiresAt!) },
      ];
      if (setter) evidence.push(cite(setter, 'response.header.set-cookie', c.attributes));
      if (lastSent)
        evidence.push(
          cite(lastSent, 'request.header.cookie', lastSent.cookies.map((x) => x.name).join('; ')),
        );
      return {
        confidence,
        title: `The session cookie ${c.name} expired ${agoWords(ago)} before the request, so the browser no longer sent it`,
        detail: `${setter ? `${entryWords(setter)} set ${c.name} with ${lifetime(c)}` : `${c.name} was set at ${iso(c.setAt)} with ${lifetime(c)}`}: it expired at ${iso(c.expiresAt!)}. ${entryWords(first)} at ${iso(first.startedAt)} went without it${
          lastSent ? `; the last request that carried it and worked was ${entryWords(lastSent)}` : ''
        }.${g.failures.length > 1 ? ` The same held for entries ${indexList(g.failures.slice(1))}.` : ''} Times are the capture's own (the browser's clock).`,
        evidence,
        entries: [
          ...(setter ? [setter.index] : []),
          ...(lastSent ? [lastSent.index] : []),
          ...g.failures.map((x) => x.index),
        ],
      };
    });
  },
);
