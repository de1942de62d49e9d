import { SESSION_COOKIE } from '../../facts/cookies.js';
import type { SessionEntry, SessionFacts } from '../../facts/session.js';
import type { Confidence, EvidenceItem } from '../../model/finding.js';
import { pathOf } from '../../parse/url.js';
import { shortFp } from '../../facts/tokens.js';
import { durationWords } from '../credential-util.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import {
  eachRefusalAfterSuccess,
  GENERIC_REFUSALS,
  IDLE_MS,
  idleBefore,
  serverEnded,
  visibleEnd,
  type VisibleEnd,
} from './story.js';
import { cite, entryWords, indexList, iso, requestLine, statusCited } from './util.js';

/**
 * The session worked, then failed: requests to an origin succeeded, and after a sign-out (a
 * request to a logout-like URL, or a Set-Cookie that removed the session cookie), a password
 * change, or a long idle time, the same origin refused them. What ended the session is named.
 *
 * `session.ended` refines this one (ids are never renamed, so this one keeps its meaning): when
 * nothing in the capture ended a cookie session and the server refused the very session cookie it
 * had accepted, with nothing in the request changed, the story is `session.ended`'s (ended on the
 * server's side: signed out elsewhere, revoked, an idle timeout, a restart that lost the
 * sessions), and this check stays quiet about it (`serverEnded` in story.ts decides for both). What
 * stays here: an end the capture shows (a sign-out, a password change, the server removing the
 * cookie), a token or API key refused unchanged, and a long idle time before a refusal whose
 * credentials changed or cannot be seen (Chrome's sanitized export).
 */

type Trigger =
  | VisibleEnd
  | { kind: 'idle'; gapMs: number; last: SessionEntry }
  | { kind: 'same credential'; what: string };

/** What ended the session between the success at position `okAt` and the failure at `failAt` (time order). */
function triggerBetween(f: SessionFacts, okAt: number, failAt: number): Trigger | undefined {
  const visible = visibleEnd(f, okAt, failAt);
  if (visible) return visible;
  // Ended on the server with the same session cookie, nothing changed: session.ended tells it.
  if (serverEnded(f, okAt, failAt)) return undefined;
  const ok = f.entries[okAt]!;
  const fail = f.entries[failAt]!;
  // Idle: nothing was asked of this site for longer than servers keep an idle session.
  const idle = idleBefore(f, failAt);
  if (idle && idle.gapMs > IDLE_MS) return { kind: 'idle', gapMs: idle.gapMs, last: idle.last };
  // Nothing in the HAR ended it, yet the very credential that worked is refused: the server ended
  // the session (a sign-out in another tab or device, a password change, a server-side timeout).
  const same = sameCredential(ok, fail);
  return same ? { kind: 'same credential', what: same } : undefined;
}

/** The session credential both requests carried, unchanged, in words; undefined when it changed. */
function sameCredential(ok: SessionEntry, fail: SessionEntry): string | undefined {
  // The same request that worked, now refused as unauthenticated (a 403 elsewhere is a permission).
  if (ok.method !== fail.method || pathOf(ok.url) !== pathOf(fail.url) || fail.status === 403)
    return undefined;
  const cookies = ok.cookies.filter(
    (c) => SESSION_COOKIE.test(c.name) && fail.cookies.some((x) => x.name === c.name && x.fp === c.fp),
  );
  if (cookies.length)
    return `the session cookie ${cookies.map((c) => `${c.name} (${shortFp(c.fp)})`).join(', ')}`;
  const a = ok.authorization;
  const b = fail.authorization;
  if (!a || !b || a.fp !== b.fp) return undefined;
  // An expired token is token.expired, not a session ended elsewhere.
  if (b.claims?.exp !== undefined && b.claims.exp * 1000 <= fail.startedAt) return undefined;
  return `the token ${a.short}`;
}

const FIX: Record<Trigger['kind'], string> = {
  'sign-out':
    'Sign in again: the session was ended by the sign-out. If nobody meant to sign out, find what called that URL (another tab, a link prefetch, an "auto-logout" timer).',
  'password change':
    'Sign in again with the new password: changing it ended the sessions and revoked the tokens issued before.',
  'cookie cleared':
    'Sign in again: the server removed the session cookie. If that was not a sign-out, find out why the server ended the session there (its log at that time).',
  idle: 'Sign in again. The server ends idle sessions: keep the session alive while the page is open (refresh the token or ping before the idle limit) or raise the idle timeout.',
  'same credential':
    'Sign in again. The server no longer accepts a session it accepted moments before: look in its log at that time for why it ended (a sign-out or password change in another tab or device, a revocation, a session store that was cleared or is not shared between servers).',
};

export default defineSessionCheck(
  {
    id: 'session.stale',
    plain: 'Your session worked, then ended',
    directness: 1,
    absorbs: ['credentials.missing', ...GENERIC_REFUSALS],
    step: 2,
    kind: 'cause',
    title: 'The session worked, then ended',
    fix: 'Sign in again, and find what ended the session.',
    ref: 'OWASP Session Management Cheat Sheet (idle and absolute timeouts, logout)',
  },
  (f: SessionFacts) => {
    /** Per origin and success: the story, or null when nothing explains the failure after it. */
    const reported = new Map<
      string,
      { ok: SessionEntry; trigger: Trigger; failures: SessionEntry[] } | null
    >();
    eachRefusalAfterSuccess(f, (s, at, okAt, key) => {
      const have = reported.get(key);
      if (have === null) return;
      if (have) {
        have.failures.push(s);
        return;
      }
      const trigger = triggerBetween(f, okAt, at);
      reported.set(key, trigger ? { ok: f.entries[okAt]!, trigger, failures: [s] } : null);
    });
    const stories = [...reported.values()].filter((r) => r !== null);
    return stories.map(({ ok, trigger, failures }): SessionDraft => {
      const first = failures[0]!;
      const evidence: EvidenceItem[] = [
        cite(ok, 'request.url', requestLine(ok)),
        cite(ok, 'response.status', String(ok.status)),
      ];
      let what: string;
      let title: string;
      let confidence: Confidence = 'likely';
      const triggerEntries: number[] = [];
      switch (trigger.kind) {
        case 'sign-out':
        case 'password change':
          what = `${trigger.kind === 'sign-out' ? 'a sign-out' : 'a password change'}: ${entryWords(trigger.entry)} at ${iso(trigger.entry.startedAt)}`;
          title = `The session worked, then failed after ${trigger.kind === 'sign-out' ? 'a sign-out' : 'a password change'} (entry ${trigger.entry.index}, ${requestLine(trigger.entry)})`;
          evidence.push(cite(trigger.entry, 'request.url', requestLine(trigger.entry)));
          triggerEntries.push(trigger.entry.index);
          break;
        case 'cookie cleared':
          what = `the server removed the session cookie ${trigger.cookie.name}${trigger.entry ? ` in ${entryWords(trigger.entry)}` : ''} ("${trigger.cookie.attributes}") at ${iso(trigger.cookie.setAt)}`;
          title = `The session worked, then failed after the server removed the session cookie ${trigger.cookie.name}${trigger.entry ? ` (entry ${trigger.entry.index})` : ''}`;
          if (trigger.entry) {
            evidence.push(cite(trigger.entry, 'response.header.set-cookie', trigger.cookie.attributes));
            triggerEntries.push(trigger.entry.index);
          }
          break;
        case 'same credential':
          what = `nothing in this capture: ${trigger.what} that worked was sent again and refused, so the server ended the session (elsewhere: another tab or device, a revocation, a server-side timeout)`;
          title = `The session worked, then the server refused the same credential: the session was ended elsewhere`;
          evidence.push({ probe: 'session', where: 'credential', value: `unchanged: ${trigger.what}` });
          break;
        case 'idle':
          what = `${durationWords(trigger.gapMs)} without any request to ${first.site ?? first.origin} (the last was ${entryWords(trigger.last)})`;
          title = `The session worked, then failed after ${durationWords(trigger.gapMs)} of idle time`;
          evidence.push({ probe: 'session', where: 'idle', value: `${Math.round(trigger.gapMs / 1000)} s` });
          confidence = 'possible';
          triggerEntries.push(trigger.last.index);
          break;
      }
      evidence.push(cite(first, 'request.url', requestLine(first)), statusCited(first));
      return {
        confidence,
        title,
        detail: `Requests to ${first.origin} worked (last: ${entryWords(ok)} at ${iso(ok.startedAt)}), then ${entryWords(first)} at ${iso(first.startedAt)} was refused. In between: ${what}.${
          failures.length > 1 ? ` Entries ${indexList(failures.slice(1))} were refused too.` : ''
        }`,
        fix: FIX[trigger.kind],
        evidence,
        entries: [ok.index, ...triggerEntries, ...failures.map((s) => s.index)],
      };
    });
  },
);
