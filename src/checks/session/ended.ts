import type { SessionEntry, SessionFacts } from '../../facts/session.js';
import { pathOf } from '../../parse/url.js';
import { shortFp } from '../../facts/tokens.js';
import type { Confidence, EvidenceItem } from '../../model/finding.js';
import { durationWords } from '../credential-util.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import {
  eachRefusalAfterSuccess,
  GENERIC_REFUSALS,
  IDLE_MS,
  serverEnded,
  type ServerEnded,
} from './story.js';
import { ago, cite, entryWords, indexList, iso, requestLine, statusCited } from './util.js';

/**
 * A cookie session that ended on the server's side. Requests to an origin worked with a session
 * cookie; later the browser sent the very same cookie value, with the same headers, and the
 * server refused it (401 `{"message":"Session not found"}`, a sign-in page): the cookie only
 * names a session the server keeps, and the server no longer has it. Signed out on another tab or
 * device, revoked by an administrator, an idle timeout (named when nothing was asked of the site
 * for longer than servers commonly keep an idle session), a restart that lost sessions kept in
 * memory, a session store not shared between servers. The fix is to sign in again, never "retry
 * with a fresh token": the same cookie will be refused every time.
 *
 * Told apart from:
 * - `session.cookie-expired`: the cookie's own Expires/Max-Age passed, so the browser stopped
 *   sending it; here the browser did send it, unchanged, and the server refused it.
 * - `session.stale`: refined by this one (it keeps its id and meaning). Where the capture shows
 *   what ended the session (a sign-out, a password change, a Set-Cookie that removed the cookie)
 *   the story is `session.stale`'s, which names that entry; where nothing in the capture ended a
 *   cookie session and the same cookie is refused, the story is this one's, and `session.stale`
 *   stays quiet (both ask `serverEnded` in story.ts, so one story is told once). `session.stale`
 *   keeps a token refused unchanged and a long idle time whose credentials cannot be compared.
 * - `session.refresh-loop`: new credentials, each refused again; here nothing changed at all.
 */

interface Story extends ServerEnded {
  failures: SessionEntry[];
}

function cookieWords(s: ServerEnded): string {
  return s.cookies.map((c) => `${c.name} (${shortFp(c.fp)})`).join(', ');
}

function cookieNames(s: ServerEnded): string {
  const names = s.cookies.map((c) => c.name);
  return names.length === 1 ? `cookie ${names[0]}` : `cookies ${names.join(', ')}`;
}

/** The server's words say the session is gone: confirmed. The same request refused: likely. */
function confidenceOf(s: ServerEnded): Confidence {
  if (s.wordsSayGone) return 'confirmed';
  return s.ok.method === s.fail.method && pathOf(s.ok.url) === pathOf(s.fail.url) ? 'likely' : 'possible';
}

const WHY_IDLE =
  'an idle timeout is the likeliest reason (servers commonly end sessions idle for 15 to 30 minutes); otherwise it was signed out elsewhere, revoked, or lost in a restart';
const WHY =
  'it was signed out on another tab or device, revoked, or lost when the server restarted (sessions kept in memory) or when the request reached a server that does not share the session store';

export default defineSessionCheck(
  {
    id: 'session.ended',
    plain: "Your session ended on the site's side (signed out elsewhere, timed out, or reset): sign in again",
    directness: 1,
    absorbs: GENERIC_REFUSALS,
    step: 2,
    kind: 'cause',
    title: 'The session ended on the server: the same session cookie that worked was refused',
    fix: 'Sign in again: the site no longer knows this session, so sending the same cookie again will not work.',
    ref: 'OWASP Session Management Cheat Sheet (session expiration: idle and absolute timeouts; manual session expiration); RFC 6265 §8.4 (session identifiers: the cookie names a session the server keeps)',
  },
  (f: SessionFacts) => {
    /** Per origin and success: the story, or null when the failure after it is not this one. */
    const stories = new Map<string, Story | null>();
    eachRefusalAfterSuccess(f, (s, at, okAt, key) => {
      const have = stories.get(key);
      if (have === null) return;
      if (have) {
        // The same session cookie refused again: the same story (a cheap test, once per failure).
        if (have.cookies.every((c) => s.cookies.some((x) => x.name === c.name && x.fp === c.fp)))
          have.failures.push(s);
        return;
      }
      const found = serverEnded(f, okAt, at);
      stories.set(key, found ? { ...found, failures: [s] } : null);
    });
    return [...stories.values()]
      .filter((s) => s !== null)
      .map((s): SessionDraft => {
        const { ok, fail } = s;
        const idle = s.idleMs > IDLE_MS;
        const words = s.words ? `"${s.words.text}"` : undefined;
        const evidence: EvidenceItem[] = [
          cite(ok, 'request.url', requestLine(ok)),
          cite(ok, 'response.status', String(ok.status)),
          cite(ok, 'request.header.cookie', cookieWords(s)),
          cite(fail, 'request.url', requestLine(fail)),
          cite(fail, 'request.header.cookie', `${cookieWords(s)} (unchanged)`),
          statusCited(fail),
        ];
        if (s.words) evidence.push(cite(fail, s.words.where, s.words.text));
        evidence.push({
          probe: 'session',
          where: idle ? 'idle' : 'since-success',
          value: `${Math.round((idle ? s.idleMs : s.sinceOkMs) / 1000)} s`,
        });
        const when = idle ? `after ${durationWords(s.idleMs)} idle` : `${ago(s.sinceOkMs)} after it worked`;
        const more = s.failures.slice(1);
        return {
          confidence: confidenceOf(s),
          title: `The session ended on the server ${when}: the unchanged session ${cookieNames(s)} was refused${words ? ` with ${words}` : ''}`,
          detail: `${entryWords(ok)} at ${iso(ok.startedAt)} worked with the session ${s.cookies.length === 1 ? 'cookie' : 'cookies'} ${cookieWords(s)}. ${entryWords(fail)} at ${iso(fail.startedAt)}, ${ago(s.sinceOkMs)} later, sent the very same cookie value and the same headers, and the server answered ${fail.status ?? 'nothing'}${words ? ` ${words}` : ''}. Nothing in this capture ended the session (no sign-out, no password change, no Set-Cookie that removed the cookie, and the cookie had not expired in the browser): the server ended it on its side.${
            idle
              ? ` Nothing was asked of the site ${fail.site ?? fail.origin} for ${durationWords(s.idleMs)} before that: ${WHY_IDLE}.`
              : ` It had not been idle long: ${WHY}.`
          }${more.length ? ` ${more.length === 1 ? 'Entry' : 'Entries'} ${indexList(more)} sent the same cookie and ${more.length === 1 ? 'was' : 'were'} refused too.` : ''}`,
          fix: idle
            ? `Sign in again. The site ended the session after ${durationWords(s.idleMs)} without a request (an idle timeout): to stay signed in, keep the session alive while the page is open (a request before the limit) or ask for a longer idle timeout.`
            : 'Sign in again. If it keeps happening without a sign-out, look in the site’s log at that time for why the session was dropped (signed out elsewhere, revoked, a restart that lost in-memory sessions, servers that do not share sessions).',
          evidence,
          entries: [ok.index, ...s.failures.map((x) => x.index)],
        };
      });
  },
);
