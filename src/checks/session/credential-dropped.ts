import { headerValues } from '../../model/http.js';
import { isPlaceholder } from '../../knowledge/credential-rule.js';
import {
  isAuthFailure,
  type CredentialHeader,
  type SessionEntry,
  type SessionFacts,
} from '../../facts/session.js';
import { pathOf } from '../../parse/url.js';
import type { EvidenceItem } from '../../model/finding.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import { GENERIC_REFUSALS } from './story.js';
import { ago, cite, entryWords, indexList, iso, statusCited } from './util.js';

/**
 * A credential header that worked and then went missing. Requests to an origin succeeded with a
 * header that carried a credential other than Authorization and Cookie (`X-Auth-Token: …`, or a
 * JWT under any name, `token: eyJ…`); a later request to that origin sent the header empty, as a
 * placeholder (`null`, `undefined`) or not at all, with no other credential in its place, and was
 * refused. On its own that request only shows "no credentials were sent" (credentials.missing) or
 * "the token header is empty" (header.placeholder); the session shows which header carried the
 * credential a moment before, and that the page lost it: read before it was stored, cleared by a
 * sign-out elsewhere or a reload, or left out by code that builds its own request.
 *
 * The header is judged by the one credential rule (knowledge/credential-rule.ts headerRule) or by its
 * value being a JWT, whatever its name: a generic `token` or `x-user` carrying `eyJ…` counts.
 */

interface Dropped {
  header: CredentialHeader;
  /** How the failure sent it: `empty`, `not sent`, or the placeholder text it carried. */
  how: { kind: 'empty' } | { kind: 'absent' } | { kind: 'placeholder'; text: string };
}

interface Story {
  ok: SessionEntry;
  dropped: Dropped[];
  failures: SessionEntry[];
}

/** How a failure sent the header that carried a credential on the success; undefined when it still carried one. */
function howSent(fail: SessionEntry, name: string): Dropped['how'] | undefined {
  const values = headerValues(fail.headers, name);
  if (values.length === 0) return { kind: 'absent' };
  const v = values.map((x) => x.trim()).find((x) => x !== '' && !isPlaceholder(x));
  if (v !== undefined) return undefined;
  const text = values.map((x) => x.trim()).find((x) => x !== '');
  return text === undefined ? { kind: 'empty' } : { kind: 'placeholder', text };
}

function carried(h: CredentialHeader): string {
  const c = h.token?.claims;
  const who = c?.sub ? `, sub ${c.sub}` : '';
  return h.token ? `a JWT (${h.token.short}${who})` : `a credential (sha256:${h.fp.slice(0, 6)})`;
}

function sentWords(d: Dropped): string {
  return d.how.kind === 'empty'
    ? 'empty'
    : d.how.kind === 'absent'
      ? 'not at all'
      : `with the placeholder "${d.how.text}" in its place`;
}

function sentShort(d: Dropped): string {
  return d.how.kind === 'empty' ? '(empty)' : d.how.kind === 'absent' ? '(not sent)' : d.how.text;
}

/** The names as one phrase: "the header token", "the headers token and x-tenant-key". */
function names(ds: Dropped[]): string {
  const n = ds.map((d) => d.header.name);
  return n.length === 1 ? `the header ${n[0]}` : `the headers ${n.slice(0, -1).join(', ')} and ${n.at(-1)}`;
}

/** Another credential took the place of the one dropped (a switch to Authorization, another key): not this story. */
function replaced(ok: SessionEntry, fail: SessionEntry): boolean {
  if (fail.authorization && fail.authorization.fp !== ok.authorization?.fp) return true;
  const before = new Set((ok.credentialHeaders ?? []).map((h) => h.name.toLowerCase()));
  return (fail.credentialHeaders ?? []).some((h) => !before.has(h.name.toLowerCase()));
}

export default defineSessionCheck(
  {
    id: 'session.credential-dropped',
    plain: 'The page sent its sign-in token with earlier requests, then left it out of this one',
    directness: 1,
    absorbs: ['credentials.missing', 'header.placeholder', ...GENERIC_REFUSALS],
    step: 3,
    kind: 'cause',
    title: 'A header that carried the credential was sent empty or left out',
    fix: 'Make every request take the token from the one place the page keeps it, at the moment it is sent (a request interceptor), and hold requests until a token is there; if the token is gone (signed out), sign in again.',
    ref: 'RFC 9110 §11.4 (credentials travel in a request header); RFC 6750 §2.1',
  },
  (f: SessionFacts) => {
    /** The last success on each origin that carried a credential, as session-keep.ts keeps it. */
    const lastOk = new Map<string, SessionEntry>();
    const stories = new Map<string, Story>();
    for (const s of f.entries) {
      if (!s.origin || s.preflight) continue;
      if (s.outcome === 'ok') {
        if (!s.tokenCall && (s.authorization || s.cookies.length || s.credentialHeaders))
          lastOk.set(s.origin, s);
        continue;
      }
      if (!isAuthFailure(s)) continue;
      const ok = lastOk.get(s.origin);
      if (!ok?.credentialHeaders || replaced(ok, s)) continue;
      const dropped: Dropped[] = [];
      for (const h of ok.credentialHeaders) {
        const how = howSent(s, h.name);
        if (how) dropped.push({ header: h, how });
      }
      if (!dropped.length) continue;
      const key = `${ok.index}|${dropped.map((d) => `${d.header.name.toLowerCase()}:${d.how.kind}`).join(',')}`;
      const story = stories.get(key);
      if (story) story.failures.push(s);
      else stories.set(key, { ok, dropped, failures: [s] });
    }
    return [...stories.values()].map(({ ok, dropped, failures }): SessionDraft => {
      const fail = failures[0]!;
      const first = dropped[0]!;
      const sameRequest = ok.method === fail.method && pathOf(ok.url) === pathOf(fail.url);
      const evidence: EvidenceItem[] = [];
      for (const d of dropped)
        evidence.push(cite(ok, `request.header.${d.header.name.toLowerCase()}`, carried(d.header)));
      evidence.push(cite(ok, 'response.status', String(ok.status)));
      for (const d of dropped)
        evidence.push(cite(fail, `request.header.${d.header.name.toLowerCase()}`, sentShort(d)));
      evidence.push(statusCited(fail));
      const what = dropped.map((d) => `${d.header.name} with ${carried(d.header)}`).join(' and ');
      const how =
        dropped.length === 1
          ? sentWords(first)
          : dropped.map((d) => `${d.header.name} ${sentWords(d)}`).join(', ');
      const more = failures.slice(1);
      return {
        confidence: sameRequest && fail.status === 401 ? 'confirmed' : 'likely',
        title: `The credential in ${names(dropped)} went missing: it worked on entry ${ok.index}, and entry ${fail.index} sent ${dropped.length === 1 ? `it ${sentWords(first)}` : 'them without it'} and got ${fail.status ?? 'no answer'}`,
        detail: `${entryWords(ok)} at ${iso(ok.startedAt)} sent ${what}. ${entryWords(fail)}, ${ago(fail.startedAt - (ok.startedAt + ok.time))} later, sent ${dropped.length === 1 ? `${first.header.name} ${how}` : how}, with no other credential in its place, and was refused: the server got no credential at all. The page lost the token between the two requests: it read it before it was stored (a race at start-up or after a refresh), the place it keeps it was cleared (a sign-out in another tab, cleared storage, a reload that lost a token kept in memory), or this request is built by code that does not add the header.${more.length ? ` ${more.length === 1 ? 'Entry' : 'Entries'} ${indexList(more)} went the same way.` : ''}`,
        fix: `Send ${names(dropped)}, with the token in it, on every request to ${fail.origin}: take it from the one place the page keeps it at the moment the request is sent (a request interceptor), and hold requests until a token is there; if it is gone because the user signed out, sign in again.`,
        evidence,
        entries: [ok.index, ...failures.map((x) => x.index)],
      };
    });
  },
);
