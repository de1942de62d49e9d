import { worked } from './session.js';
import { cookieKey, MAX_HELD_COOKIES } from './cookies.js';
import {
  isAuthFailure,
  isComparableFailure,
  type EntryDiagnosis,
  type SessionEntry,
  type SessionFacts,
} from './session.js';
import { pathOf } from '../parse/url.js';

/**
 * Which entries of a session the session checks get to see, so that memory is bounded by
 * constants and not by the number of entries (a day's capture holds 200,000 of them).
 *
 * A small capture is kept whole (`keepAll` entries): the checks see exactly what they always saw.
 * Past that, the session keeps:
 * - failed entries (the ones that get a per-entry diagnosis): the first `failedHead`, the first of
 *   each kind (status, method, origin and path, ids left out) up to `failedKinds`, and the last
 *   `failedTail`; the others are counted;
 * - for each failed entry kept, the entries its stories compare it with: the last success that
 *   showed the session working on its origin (session.stale, session.ended), the last request to
 *   its site (idle time), the last success with credentials (session.refresh-loop), the last
 *   success with its token and with each cookie that had expired (session.old-token-reused,
 *   session.cookie-expired), the Set-Cookie of each cookie it is judged against (the last entry
 *   that set each cookie is remembered, for as many cookies as the replay holds), the preflight of
 *   its URL (cors.preflight-rejected);
 * - for the first failure, the last success of the same request and of the same kind
 *   (info.changed-since-success);
 * - what a story may name between a success and a failure, up to `own` entries in all: token
 *   endpoint calls, sign-outs and password changes, the first request with each token and the
 *   first success with it on each origin (and the request before it), and the entries whose
 *   Set-Cookie the browser refused or that removed a cookie.
 * The candidates ("the last success on this origin") are held in maps of at most `slots` keys
 * each, so a failure can still name an entry that came long before it. A failed entry dropped
 * from the tail lets go of what it held.
 */

export interface KeepLimits {
  keepAll: number;
  failedHead: number;
  failedTail: number;
  failedKinds: number;
  own: number;
  slots: number;
}

export const KEEP_LIMITS: KeepLimits = {
  keepAll: 2000,
  failedHead: 150,
  failedTail: 150,
  failedKinds: 100,
  own: 2000,
  slots: 512,
};

interface Rec {
  s: SessionEntry;
  /** Arrival (time) order. */
  seq: number;
  /** How many kept failed entries name this one. */
  pins: number;
  /** Kept for its own sake (a token call, a sign-out, …). */
  own: boolean;
  /** A failed entry (one that gets a per-entry diagnosis). */
  failed: boolean;
  /** A failed entry the head, the kinds or the tail hold. */
  held: boolean;
  /** The entries it keeps for its stories. */
  holds?: Rec[];
  /** Its diagnosis, run at the end if it is still kept. */
  defer?: () => EntryDiagnosis;
}

/**
 * A map that remembers at least the `cap` most recently set keys and at most twice as many: two
 * generations, the older dropped whole when the newer fills up (one Map.set per update, where a
 * strict LRU would delete and insert again).
 */
class Recent<K, V> {
  private cur = new Map<K, V>();
  private old = new Map<K, V>();
  constructor(private readonly cap: number) {}
  get(k: K): V | undefined {
    return this.cur.get(k) ?? this.old.get(k);
  }
  has(k: K): boolean {
    return this.cur.has(k) || this.old.has(k);
  }
  set(k: K, v: V): void {
    this.cur.set(k, v);
    if (this.cur.size >= this.cap) {
      this.old = this.cur;
      this.cur = new Map();
    }
  }
  values(): V[] {
    const out = [...this.cur.values()];
    for (const [k, v] of this.old) if (!this.cur.has(k)) out.push(v);
    return out;
  }
  clear(): void {
    this.cur.clear();
    this.old.clear();
  }
}

/** A failure as info.changed-since-success counts one. */
const isFailure = isComparableFailure;
/** Ids and numbers in a path do not make another kind of failure: /v1/items/42 is /v1/items/#. */
const kindPath = (url: string): string => pathOf(url).replace(/[0-9a-f]{8,}(?:-[0-9a-f]{4,})*|\d+/gi, '#');

const statusKey = (s: SessionEntry): string => (s.status === null ? 'no answer' : String(s.status));

function urlKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** Entries that take part in session.old-token-reused's walk: a token sent on an origin. */
const tokenUse = (s: SessionEntry): boolean =>
  s.authorization !== undefined &&
  s.origin !== undefined &&
  !s.preflight &&
  !(s.tokenCall?.ok && s.tokenCall.issued);

export interface KeepStats {
  /** Entries that failed (got or would have got a per-entry diagnosis). */
  failed: number;
  /** Of those, kept and diagnosed. */
  failedKept: number;
  /** The kept lists were cut: the capture is larger than `keepAll`. */
  bounded: boolean;
  /** Failed entries not kept, by status (`401`, `403`, `no answer`, …). */
  droppedByStatus: Map<string, number>;
}

export class SessionKeeper {
  private readonly lim: KeepLimits;
  private readonly kept = new Map<number, Rec>();
  private seq = 0;
  private bounded = false;
  private owned = 0;
  private head = 0;
  private readonly kinds = new Set<string>();
  private readonly tail: Rec[] = [];
  private firstFail: SessionEntry | undefined;
  /**
   * The URLs of the entries without an answer at the latest start time: a preflight logged after
   * one of them at that same time is the one cors.preflight-rejected names.
   */
  private noAnswerNow: { t: number; urls: Set<string> } = { t: NaN, urls: new Set() };
  private failedCount = 0;
  private readonly failedByStatus = new Map<string, number>();
  private readonly facts: Pick<SessionFacts, 'credentialsHidden'>;

  // The candidates a later failure may name.
  private readonly lastWorked: Recent<string, Rec>;
  private readonly lastBySite: Recent<string, Rec>;
  private readonly lastOkWithKey: Recent<string, Rec>;
  private readonly lastPreflight: Recent<string, Rec>;
  /**
   * The last success with each cookie, and the last one that started before it
   * (session.cookie-expired asks for a success strictly earlier than the failure).
   */
  private readonly lastOkWithCookie: Recent<string, { last: Rec; earlier?: Rec }>;
  private readonly lastTokenUse: Recent<string, Rec>;
  private readonly lastOkByToken: Recent<string, Rec>;
  private readonly lastOkByRequest: Recent<string, Rec>;
  private readonly lastOkByKind: Recent<string, Rec>;
  /** The entry that last set each cookie the browser may hold: its Set-Cookie is what a story cites. */
  private readonly setters: Recent<string, Rec>;
  private readonly seenTokens: Recent<string, true>;
  private readonly firstOkWithToken: Recent<string, true>;

  constructor(credentialsHidden: boolean, limits: Partial<KeepLimits> = {}) {
    this.lim = { ...KEEP_LIMITS, ...limits };
    this.facts = { credentialsHidden };
    const n = this.lim.slots;
    this.lastWorked = new Recent(n);
    this.lastBySite = new Recent(n);
    this.lastOkWithKey = new Recent(n);
    this.lastPreflight = new Recent(n);
    this.lastOkWithCookie = new Recent(n);
    // Few origins matter to a token's story; each token call names the last token of every one.
    this.lastTokenUse = new Recent(16);
    this.lastOkByToken = new Recent(n);
    this.lastOkByRequest = new Recent(n);
    this.lastOkByKind = new Recent(n);
    this.setters = new Recent(MAX_HELD_COOKIES);
    this.seenTokens = new Recent(n);
    this.firstOkWithToken = new Recent(n);
  }

  /**
   * One entry, in time order, with its outcome settled. `failed`: it gets a per-entry diagnosis
   * (`defer` runs it at the end, if the entry is still kept). `setCookies`: the keys of the cookies
   * its Set-Cookie stored (cookies.ts `cookieKey`). `storyOfItsOwn`: the browser refused one of its
   * cookies, or it removed one.
   */
  add(
    s: SessionEntry,
    o: { failed: boolean; defer?: () => EntryDiagnosis; setCookies: string[]; storyOfItsOwn: boolean },
  ): void {
    const r: Rec = { s, seq: this.seq++, pins: 0, own: false, failed: o.failed, held: false };
    if (o.defer) r.defer = o.defer;
    if (!this.bounded) this.kept.set(r.seq, r);
    if (o.failed) this.holdFor(r);
    this.firstFailure(s);
    this.ownStory(r, o.storyOfItsOwn);
    this.remember(r, o.setCookies);
    if (o.failed) this.place(r);
    if (!this.bounded && this.seq > this.lim.keepAll) {
      this.bounded = true;
      for (const x of [...this.kept.values()]) this.drop(x);
    }
  }

  /** The kept entries in time order, the deferred diagnoses run. */
  finish(): { entries: SessionEntry[]; stats: KeepStats } {
    const recs = [...this.kept.values()].sort((a, b) => a.seq - b.seq);
    const dropped = new Map(this.failedByStatus);
    let failedKept = 0;
    for (const r of recs) {
      if (!r.failed) continue;
      failedKept++;
      const k = statusKey(r.s);
      dropped.set(k, dropped.get(k)! - 1);
      if (r.defer) {
        r.s.diagnosis = r.defer();
        r.defer = undefined;
      }
    }
    for (const [k, n] of dropped) if (n === 0) dropped.delete(k);
    return {
      entries: recs.map((r) => r.s),
      stats: { failed: this.failedCount, failedKept, bounded: this.bounded, droppedByStatus: dropped },
    };
  }

  private keep(r: Rec): void {
    this.kept.set(r.seq, r);
  }

  private own(r: Rec | undefined): void {
    if (!r || r.own || this.owned >= this.lim.own) return;
    r.own = true;
    this.owned++;
    this.keep(r);
  }

  /** Drops an entry nothing needs any more (only once the capture is too large to keep whole). */
  private drop(r: Rec): void {
    if (this.bounded && !r.own && !r.held && r.pins === 0) this.kept.delete(r.seq);
  }

  /** What a failed entry's stories compare it with, as it stands just before it. */
  private holdFor(r: Rec): void {
    const s = r.s;
    const holds = new Set<Rec | undefined>();
    if (isAuthFailure(s)) {
      if (s.origin) {
        holds.add(this.lastWorked.get(s.origin));
        holds.add(this.lastOkWithKey.get(s.origin));
      }
      if (s.site) holds.add(this.lastBySite.get(s.site));
      if (s.authorization) holds.add(this.lastOkByToken.get(s.authorization.fp));
      for (const cc of s.cookieChecks ?? []) {
        const setter = this.setters.get(cookieKey(cc.cookie));
        if (setter?.s.index === cc.cookie.setBy) holds.add(setter);
        if (!cc.verdict.send && cc.verdict.rule === 'expired') {
          const sent = this.lastOkWithCookie.get(cc.cookie.name);
          holds.add(sent?.last);
          if (sent && sent.last.s.startedAt >= s.startedAt) holds.add(sent.earlier);
        }
      }
    }
    if (s.status === null) {
      const key = urlKey(s.url);
      holds.add(this.lastPreflight.get(key));
      if (this.noAnswerNow.t !== s.startedAt) this.noAnswerNow = { t: s.startedAt, urls: new Set() };
      this.noAnswerNow.urls.add(key);
    }
    holds.delete(undefined);
    if (holds.size === 0) return;
    r.holds = [...holds] as Rec[];
    for (const x of r.holds) {
      x.pins++;
      this.keep(x);
    }
  }

  private letGo(r: Rec): void {
    for (const x of r.holds ?? []) {
      x.pins--;
      this.drop(x);
    }
    r.holds = undefined;
  }

  /** info.changed-since-success compares the first failure with the last success like it. */
  private firstFailure(s: SessionEntry): void {
    if (this.firstFail || s.preflight || !isFailure(s)) return;
    this.firstFail = s;
    this.own(this.lastOkByRequest.get(`${s.origin} ${s.method} ${pathOf(s.url)}`));
    this.own(this.lastOkByKind.get(`${s.origin} ${s.navigation} ${s.resourceType ?? ''}`));
    this.lastOkByRequest.clear();
    this.lastOkByKind.clear();
  }

  /** Entries a story may name between a success and a failure, kept whatever comes after them. */
  private ownStory(r: Rec, storyOfItsOwn: boolean): void {
    const s = r.s;
    if (storyOfItsOwn || s.signOut || s.tokenCall?.ok) this.own(r);
    // A token call that issued a token replaces the last token used on each origin.
    if (s.tokenCall?.ok && s.tokenCall.issued) for (const x of this.lastTokenUse.values()) this.own(x);
    if (!tokenUse(s)) return;
    const fp = s.authorization!.fp;
    if (!this.seenTokens.has(fp)) {
      this.seenTokens.set(fp, true);
      this.own(r);
    }
    const k = `${s.origin} ${fp}`;
    if (s.outcome === 'ok' && !this.firstOkWithToken.has(k)) {
      // The first success with a token: it shows the token working, and replaces the one before it.
      this.firstOkWithToken.set(k, true);
      this.own(r);
      this.own(this.lastTokenUse.get(s.origin!));
    }
  }

  /** The candidates this entry now is. */
  private remember(r: Rec, setCookies: string[]): void {
    const s = r.s;
    const ok = s.outcome === 'ok';
    if (s.site) this.lastBySite.set(s.site, r);
    if (s.origin && worked(s, this.facts as SessionFacts)) this.lastWorked.set(s.origin, r);
    if (
      s.origin &&
      ok &&
      !s.preflight &&
      !s.tokenCall &&
      (s.authorization || s.cookies.length || s.credentialHeaders)
    )
      this.lastOkWithKey.set(s.origin, r);
    if (s.preflight) {
      const key = urlKey(s.url);
      this.lastPreflight.set(key, r);
      // cors.preflight-rejected takes the last preflight that started no later than the request.
      if (this.noAnswerNow.t === s.startedAt && this.noAnswerNow.urls.has(key)) this.own(r);
    }
    if (ok)
      for (const c of s.cookies) {
        const had = this.lastOkWithCookie.get(c.name);
        const earlier = had && had.last.s.startedAt < s.startedAt ? had.last : had?.earlier;
        this.lastOkWithCookie.set(c.name, earlier ? { last: r, earlier } : { last: r });
      }
    // info.changed-since-success takes the last success that started no later than the first failure.
    const ff = this.firstFail;
    if (ff && ok && !s.preflight && s.origin === ff.origin && s.startedAt === ff.startedAt) this.own(r);
    if (tokenUse(s)) {
      this.lastTokenUse.set(s.origin!, r);
      if (ok) this.lastOkByToken.set(s.authorization!.fp, r);
    }
    if (!this.firstFail && ok && !s.preflight && s.origin) {
      this.lastOkByRequest.set(`${s.origin} ${s.method} ${pathOf(s.url)}`, r);
      if (!s.signOut && !s.tokenCall)
        this.lastOkByKind.set(`${s.origin} ${s.navigation} ${s.resourceType ?? ''}`, r);
    }
    for (const k of setCookies) this.setters.set(k, r);
  }

  /** A failed entry joins the head, the kinds or the tail; one pushed out of the tail lets go. */
  private place(r: Rec): void {
    this.failedCount++;
    const k = statusKey(r.s);
    this.failedByStatus.set(k, (this.failedByStatus.get(k) ?? 0) + 1);
    const s = r.s;
    const kind = `${s.status ?? s.failure ?? ''} ${s.method} ${s.origin ?? ''}${kindPath(s.url)}`;
    const known = this.kinds.has(kind);
    const room = this.kinds.size < this.lim.failedHead + this.lim.failedKinds;
    r.held = true;
    this.keep(r);
    if (this.head < this.lim.failedHead) {
      this.head++;
      if (room) this.kinds.add(kind);
      return;
    }
    if (!known && room) {
      this.kinds.add(kind);
      return;
    }
    this.tail.push(r);
    if (this.tail.length > this.lim.failedTail) {
      const out = this.tail.shift()!;
      out.held = false;
      this.letGo(out);
      this.drop(out);
    }
  }
}
