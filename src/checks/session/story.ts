import { SESSION_COOKIE, type HeldCookie } from '../../facts/cookies.js';
import {
  isAuthFailure,
  worked,
  type ServerWords,
  type SessionEntry,
  type SessionFacts,
} from '../../facts/session.js';
import { hostnameOf, pathOf } from '../../parse/url.js';
import { isNoise } from './changed-since-success.js';
import { firstCause } from './util.js';

/**
 * The story of a session that worked and then ended, shared by `session.stale` and `session.ended`
 * so that the two tell one story between them and never the same one twice: what in the capture
 * ended the session (a sign-out, a password change, the server removing the cookie), and whether
 * the server refused the very session cookie it had accepted, with nothing in the request changed.
 */

/** Idle time after which servers commonly end a session (OWASP: 15–30 minutes for most applications). */
export const IDLE_MS = 15 * 60 * 1000;

function hostOf(url: string): string {
  return hostnameOf(url) ?? '';
}

function coversHost(c: HeldCookie, host: string): boolean {
  const d = c.domain.replace(/^\./, '');
  return c.hostOnly ? d === host : host === d || host.endsWith(`.${d}`);
}

/** What the capture itself shows ending the session. */
export type VisibleEnd =
  | { kind: 'sign-out'; entry: SessionEntry }
  | { kind: 'password change'; entry: SessionEntry }
  | { kind: 'cookie cleared'; entry?: SessionEntry; cookie: HeldCookie };

/** What in the capture ended the session between the success at position `okAt` and the failure at `failAt` (time order). */
export function visibleEnd(f: SessionFacts, okAt: number, failAt: number): VisibleEnd | undefined {
  const ok = f.entries[okAt]!;
  const fail = f.entries[failAt]!;
  const between = f.entries.slice(okAt, failAt);
  const near = (e: SessionEntry) =>
    e.site === fail.site || e.site === ok.site || e.pageOrigin === fail.pageOrigin;
  const signOut =
    between.find((e) => e.signOut === 'sign-out' && near(e)) ?? between.find((e) => e.signOut === 'sign-out');
  if (signOut) return { kind: 'sign-out', entry: signOut };
  const pw = between.find((e) => e.signOut === 'password change');
  if (pw) return { kind: 'password change', entry: pw };
  const host = hostOf(fail.url);
  const cleared = f.clearings.find(
    (c) =>
      c.setAt >= ok.startedAt &&
      c.setAt <= fail.startedAt &&
      coversHost(c, host) &&
      (SESSION_COOKIE.test(c.name) || ok.cookies.some((x) => x.name === c.name)),
  );
  if (!cleared) return undefined;
  const t: VisibleEnd = { kind: 'cookie cleared', cookie: cleared };
  const by = f.byIndex.get(cleared.setBy);
  if (by) t.entry = by;
  return t;
}

/** The last request to the failure's site before it, and how long nothing was asked of that site. */
export function idleBefore(
  f: SessionFacts,
  failAt: number,
): { last: SessionEntry; gapMs: number } | undefined {
  const fail = f.entries[failAt]!;
  for (let i = failAt - 1; i >= 0; i--) {
    const e = f.entries[i]!;
    if (e.site === fail.site) return { last: e, gapMs: fail.startedAt - (e.startedAt + e.time) };
  }
  return undefined;
}

/** Words of a server that no longer knows the session ("Session not found", "session expired", "invalid session"). */
export const SESSION_GONE =
  /\bsession\b[^.;]{0,40}?\b(?:not found|(?:has |was )?expired|timed? ?out|invalid|no longer valid|not valid|revoked|ended|terminated|unknown|does ?n[o']t exist|missing|gone)\b|\b(?:invalid|expired|unknown|stale|no(?: active| valid)?)\s+session\b|\bsession_(?:expired|not_found|invalid|unknown)\b/i;

/** Request headers that say nothing about who is asking, beside those `info.changed-since-success` ignores. */
const NOT_IDENTITY = new Set(['cookie', 'referer', 'accept', 'content-type']);

/** Headers that differ between two requests (names only), leaving out noise and the Cookie header. */
export function changedHeaders(a: SessionEntry, b: SessionEntry): string[] {
  const map = (s: SessionEntry) => {
    const m = new Map<string, string>();
    for (const [n, v] of s.headers) {
      const k = n.toLowerCase();
      if (isNoise(k) || NOT_IDENTITY.has(k)) continue;
      m.set(k, m.has(k) ? `${m.get(k)}, ${v}` : v);
    }
    return m;
  };
  const x = map(a);
  const y = map(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((k) => x.get(k) !== y.get(k)).sort();
}

/** A session that ended on the server: the same session cookie that worked, sent again unchanged, refused. */
export interface ServerEnded {
  ok: SessionEntry;
  fail: SessionEntry;
  /** The session cookies both requests carried, value unchanged (names and fingerprints). */
  cookies: Array<{ name: string; fp: string }>;
  /** From the end of the last success to the failure. */
  sinceOkMs: number;
  /** Nothing was asked of the site for this long before the failure (an idle timeout when long). */
  idleMs: number;
  words?: ServerWords;
  /** The server's words say the session is gone. */
  wordsSayGone: boolean;
}

/** Per-entry causes that only restate a refusal: a session-level story explains them (its meta's `absorbs`). */
export const GENERIC_REFUSALS = ['credentials.rejected', 'login.redirect', 'login.page'] as const;
const GENERIC = new Set<string>(GENERIC_REFUSALS);

/**
 * Did the server end the session between the success at `okAt` and the failure at `failAt`? Yes
 * when nothing in the capture ended it (no sign-out, password change or removed cookie), the
 * failure sent the very session cookie the success carried (same value), with the same
 * Authorization (or none), API keys and headers, and got a 401, a sign-in page, or a 403 whose
 * words say the session is gone; and no specific per-entry cause explains the failure instead.
 */
export function serverEnded(f: SessionFacts, okAt: number, failAt: number): ServerEnded | undefined {
  if (f.credentialsHidden) return undefined;
  const ok = f.entries[okAt]!;
  const fail = f.entries[failAt]!;
  if (!isAuthFailure(fail) || ok.origin !== fail.origin) return undefined;
  const session = ok.cookies.filter((c) => SESSION_COOKIE.test(c.name));
  const carried = session.length || ok.authorization || ok.apiKeys.length ? session : ok.cookies;
  if (!carried.length) return undefined;
  if (!carried.every((c) => fail.cookies.some((x) => x.name === c.name && x.fp === c.fp))) return undefined;
  if ((ok.authorization?.fp ?? '') !== (fail.authorization?.fp ?? '')) return undefined;
  const keys = (s: SessionEntry) =>
    s.apiKeys
      .map((k) => `${k.name.toLowerCase()}=${k.fp}`)
      .sort()
      .join(';');
  if (keys(ok) !== keys(fail)) return undefined;
  if (changedHeaders(ok, fail).length) return undefined;
  if (visibleEnd(f, okAt, failAt)) return undefined;
  const wordsSayGone = fail.words !== undefined && SESSION_GONE.test(fail.words.text);
  // A 403 is a permission unless the server says the session is gone.
  if (fail.status === 403 && !wordsSayGone) return undefined;
  // A specific per-entry cause (or a refusal whose words name one) explains the failure instead.
  const own = firstCause(fail);
  const says = own?.evidence.filter((e) => e.where === 'server.says').map((e) => e.value) ?? [];
  if (own && (!GENERIC.has(own.id) || says.some((x) => !GENERIC.has(x)))) return undefined;
  // Another request than the one that worked, refused without a word about the session: not enough.
  const sameRequest = ok.method === fail.method && pathOf(ok.url) === pathOf(fail.url);
  if (!sameRequest && !wordsSayGone && fail.words !== undefined) return undefined;
  const idle = idleBefore(f, failAt);
  const out: ServerEnded = {
    ok,
    fail,
    cookies: carried,
    sinceOkMs: fail.startedAt - (ok.startedAt + ok.time),
    idleMs: idle?.gapMs ?? 0,
    wordsSayGone,
  };
  if (fail.words) out.words = fail.words;
  return out;
}

/**
 * Walks the session's refusals that follow a success on the same origin: `visit` gets each
 * refused entry with the index of the last success before it, and a key naming that success (so a
 * check can tell one story per success). Shared by session.ended and session.stale.
 */
export function eachRefusalAfterSuccess(
  f: SessionFacts,
  visit: (s: SessionEntry, at: number, okAt: number, key: string) => void,
): void {
  const lastOk = new Map<string, number>();
  f.entries.forEach((s, at) => {
    if (!s.origin) return;
    if (worked(s, f)) {
      lastOk.set(s.origin, at);
      return;
    }
    if (!isAuthFailure(s)) return;
    const okAt = lastOk.get(s.origin);
    if (okAt !== undefined) visit(s, at, okAt, `${s.origin}|${okAt}`);
  });
}
