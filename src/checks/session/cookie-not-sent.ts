import { domainMatch } from 'tough-cookie';
import { sameSiteCookie, SESSION_COOKIE, type HeldCookie, type RejectedCookie } from '../../facts/cookies.js';
import { isAuthFailure, type SessionEntry, type SessionFacts } from '../../facts/session.js';
import type { Confidence, EvidenceItem } from '../../model/finding.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import { GENERIC_REFUSALS } from './story.js';
import { cite, entryWords, indexList, requestLine, statusCited } from './util.js';
import { hostnameOf } from '../../parse/url.js';

/**
 * A cookie the browser held (replayed from the session's Set-Cookie history) that did not go with
 * a refused request, and the rule that kept it out: Domain, Path, Secure over http, SameSite on a
 * cross-site request, a partition; or a cross-origin fetch that sends no cookies at all without
 * `credentials: 'include'`; or a Set-Cookie the browser never stored. A HAR shows only the
 * absence, so the rule is re-derived (har-notes.md). An expired cookie is `session.cookie-expired`;
 * HttpOnly never keeps a cookie from a request.
 */

type Rule = 'domain' | 'path' | 'secure' | 'samesite' | 'partitioned' | 'credentials-mode' | 'never-stored';

interface Group {
  rule: Rule;
  why: string;
  cookie?: HeldCookie;
  rejected?: RejectedCookie;
  name: string;
  failures: SessionEntry[];
  strong: boolean;
}

const RULE_WORDS: Record<Rule, string> = {
  domain: 'its Domain does not cover the host',
  path: 'its Path does not cover the URL',
  secure: 'Secure cookie on plain http',
  samesite: 'SameSite on a cross-site request',
  partitioned: 'partitioned under another top-level site',
  'credentials-mode': "a cross-origin fetch without credentials: 'include'",
  'never-stored': 'the browser never stored it',
};

function fixFor(g: Group, s: SessionEntry): string {
  const c = g.cookie;
  switch (g.rule) {
    case 'samesite': {
      const local =
        s.pageOrigin &&
        /\/\/(?:localhost|127\.0\.0\.1)\b/.test(s.pageOrigin) &&
        /\/\/(?:localhost|127\.0\.0\.1)\b/.test(s.url)
          ? ' Locally, use the same host name for the page and the API (both localhost or both 127.0.0.1): they are different sites to the browser.'
          : '';
      return `Serve the page and the API from the same site (the same registrable domain and scheme, or proxy the API under the page's origin); if the cookie must work cross-site, set it with SameSite=None; Secure (and protect against CSRF).${local}`;
    }
    case 'domain':
      return c?.hostOnly
        ? `Set the cookie with Domain=${registrable(c.domain)} so that ${hostOf(s.url)} receives it too, or call the API on ${c.domain}.`
        : `Set the cookie with a Domain that covers ${hostOf(s.url)}, or call the API on a host under ${c?.domain ?? 'the cookie domain'}.`;
    case 'path':
      return `Set the cookie with Path=/ (it was set with Path=${c?.path ?? '?'}, so only URLs under that path receive it).`;
    case 'secure':
      return 'Use https: a Secure cookie is never sent over plain http (except to localhost).';
    case 'partitioned':
      return 'A Partitioned (CHIPS) cookie is only sent under the top-level site it was set under: set it without Partitioned if it must be shared, or make the requests from that site.';
    case 'credentials-mode':
      return "Make the page send cookies on cross-origin requests: fetch(url, { credentials: 'include' }) (axios: withCredentials: true), and have the server answer with Access-Control-Allow-Credentials: true and the page's exact origin in Access-Control-Allow-Origin.";
    case 'never-stored':
      return `Fix the Set-Cookie so the browser accepts it: ${g.why}.`;
  }
}

function hostOf(url: string): string {
  return hostnameOf(url) ?? url;
}

function registrable(domain: string): string {
  const parts = domain.replace(/^\./, '').split('.');
  return parts.length > 2 ? parts.slice(-2).join('.') : domain;
}

function sessionLike(name: string, c?: HeldCookie): boolean {
  return SESSION_COOKIE.test(name) || c?.httpOnly === true;
}

function relevant(c: HeldCookie, s: SessionEntry, reliedOn: boolean): boolean {
  if (reliedOn) return true;
  const host = hostOf(s.url);
  return (
    sameSiteCookie(c, s.url) || (c.hostOnly ? c.domain === host : domainMatch(host, c.domain, true) === true)
  );
}

function siteWords(s: SessionEntry): string {
  if (!s.pageOrigin || !s.origin) return 'the request was cross-site';
  return `the page ${s.pageOrigin} and ${s.origin} are different sites${
    /localhost|127\.0\.0\.1/.test(s.pageOrigin + s.origin)
      ? ' (localhost and 127.0.0.1 count as two sites)'
      : ''
  }`;
}

export default defineSessionCheck(
  {
    id: 'session.cookie-not-sent',
    plain: 'Your browser held the sign-in cookie but did not send it to this address',
    directness: 1,
    absorbs: ['credentials.missing', ...GENERIC_REFUSALS],
    step: 2,
    kind: 'cause',
    title: 'The browser held the session cookie but did not send it',
    fix: 'Make the cookie match the request: its Domain, Path, Secure and SameSite attributes decide where the browser sends it.',
    ref: 'RFC 6265bis §5.8.3 (cookie retrieval), §5.6.7 (SameSite); Fetch §3.1 credentials mode',
  },
  (f: SessionFacts) => {
    if (f.credentialsHidden) return;
    const groups = new Map<string, Group>();
    const add = (key: string, g: Omit<Group, 'failures'>, s: SessionEntry) => {
      const have = groups.get(key);
      if (have) {
        if (!have.failures.includes(s)) have.failures.push(s);
        have.strong ||= g.strong;
      } else groups.set(key, { ...g, failures: [s] });
    };

    for (const s of f.entries) {
      if (!isAuthFailure(s) || !s.cookieChecks) continue;
      const sentNames = new Set(s.cookies.map((c) => c.name));
      let wouldSend = 0;
      const candidates: Array<{ c: HeldCookie; strong: boolean }> = [];
      for (const cc of s.cookieChecks) {
        if (cc.sent) continue;
        const v = cc.verdict;
        if (!relevant(cc.cookie, s, cc.reliedOn)) continue;
        const strong = cc.reliedOn || sessionLike(cc.cookie.name, cc.cookie);
        if (v.send) {
          wouldSend++;
          candidates.push({ c: cc.cookie, strong });
          continue;
        }
        if (v.rule === 'expired' || v.rule === 'cleared') continue;
        add(
          `${cc.cookie.name}|${cc.cookie.domain}|${v.rule}`,
          { rule: v.rule, why: v.why, cookie: cc.cookie, name: cc.cookie.name, strong },
          s,
        );
      }
      // Every rule lets the cookie through, yet a cross-origin request carried no cookie at all: the
      // page's fetch did not ask for credentials (Fetch's default is same-origin).
      if (wouldSend > 0 && s.crossOrigin && s.cookies.length === 0) {
        for (const { c, strong } of candidates)
          add(
            `${c.name}|${c.domain}|credentials-mode`,
            {
              rule: 'credentials-mode',
              why: `every cookie rule lets it through, but the request from ${s.pageOrigin} to ${s.origin} is cross-origin and carried no cookie at all: fetch() and XHR send cookies cross-origin only with credentials: 'include' / withCredentials`,
              cookie: c,
              name: c.name,
              strong,
            },
            s,
          );
      }
      // A Set-Cookie that the browser refused to store, for this site, and nothing of that name held.
      for (const r of f.rejectedCookies) {
        if (r.setAt > s.startedAt || sentNames.has(r.name)) continue;
        if (s.cookieChecks.some((cc) => cc.cookie.name === r.name && cc.verdict.send)) continue;
        const setter = f.byIndex.get(r.setBy);
        if (!setter || setter.site !== s.site) continue;
        add(
          `${r.name}|${r.setBy}|never-stored`,
          { rule: 'never-stored', why: r.reason, rejected: r, name: r.name, strong: sessionLike(r.name) },
          s,
        );
      }
    }

    const all = [...groups.values()];
    if (all.length === 0) return;
    const strong = all.filter((g) => g.strong);
    const chosen = (strong.length ? strong : all).slice(0, 5);
    return chosen.map((g): SessionDraft => {
      const first = g.failures[0]!;
      const setterIndex = g.cookie?.setBy ?? g.rejected?.setBy;
      const setter = setterIndex !== undefined ? f.byIndex.get(setterIndex) : undefined;
      const confidence: Confidence = g.strong ? 'likely' : 'possible';
      const evidence: EvidenceItem[] = [
        cite(first, 'request.url', requestLine(first)),
        cite(
          first,
          'request.header.cookie',
          first.cookies.length ? first.cookies.map((c) => c.name).join('; ') : '(no Cookie header)',
        ),
        statusCited(first),
      ];
      if (setter)
        evidence.push(
          cite(
            setter,
            'response.header.set-cookie',
            g.cookie?.attributes ?? g.rejected?.attributes ?? g.name,
          ),
        );
      if (g.rule === 'samesite' || g.rule === 'credentials-mode' || g.rule === 'partitioned') {
        const sfs = first.headers.find(([n]) => n.toLowerCase() === 'sec-fetch-site')?.[1];
        if (sfs) evidence.push(cite(first, 'request.header.sec-fetch-site', sfs));
        if (first.pageOrigin) evidence.push(cite(first, 'page.origin', first.pageOrigin));
      }
      evidence.push({ probe: 'session', where: 'cookie.rule', value: `${g.rule}: ${g.why}` });
      const why = g.rule === 'samesite' ? `${g.why} (${siteWords(first)})` : g.why;
      const setWords = setter
        ? `${g.name} was set by ${entryWords(setter)}${g.cookie ? ` as "${g.cookie.attributes}"` : ''}`
        : `${g.name} was set earlier`;
      const detail =
        g.rule === 'never-stored'
          ? `${setWords}, but the browser refused to store it: ${g.why}. The later ${g.failures.length === 1 ? 'request' : 'requests'} (entries ${indexList(g.failures)}) went without it and ${g.failures.length === 1 ? 'was' : 'were'} refused.`
          : `${setWords}. ${entryWords(first)} went without it: ${why}.${
              g.failures.length > 1 ? ` The same held for entries ${indexList(g.failures.slice(1))}.` : ''
            }${g.rule === 'samesite' && f.chromium ? " A HAR does not show the browser's reason; it is re-derived from the Set-Cookie history and the two origins." : ''}`;
      return {
        confidence,
        title: `The browser ${g.rule === 'never-stored' ? 'never stored' : 'held'} the cookie ${g.name} but did not send it: ${RULE_WORDS[g.rule]}`,
        detail,
        fix: fixFor(g, first),
        evidence,
        entries: [...(setterIndex !== undefined ? [setterIndex] : []), ...g.failures.map((x) => x.index)],
      };
    });
  },
);
