import { isAuthFailure, type SessionEntry, type SessionFacts } from '../../facts/session.js';
import { shortFp, type TokenClaims } from '../../facts/tokens.js';
import type { EvidenceItem } from '../../model/finding.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import { GENERIC_REFUSALS } from './story.js';
import { cite, firstCause, requestLine, statusCited } from './util.js';

/**
 * 401 → token endpoint → 401 with the new token, twice or more: the client refreshes on every
 * refusal and every new token is refused again, so the tokens are wrong for this API in a way a
 * refresh cannot change (audience, scope, issuer, a key the API does not know).
 */

interface Cycle {
  before: SessionEntry;
  refresh: SessionEntry;
  after: SessionEntry;
}

/** What identifies the credential a request used: its Authorization token, else its cookies. */
function credKey(s: SessionEntry): string | undefined {
  if (s.authorization) return s.authorization.fp;
  if (s.cookies.length)
    return s.cookies
      .map((c) => `${c.name}=${c.fp}`)
      .sort()
      .join(';');
  return undefined;
}

function credWords(s: SessionEntry): string {
  if (s.authorization) return `token ${s.authorization.short}`;
  if (s.cookies.length) return `cookies ${s.cookies.map((c) => `${c.name} (${shortFp(c.fp)})`).join(', ')}`;
  return 'no visible credential';
}

function sameAll<T>(values: T[]): T | undefined {
  const s = values.map((v) => JSON.stringify(v));
  return s.length && s.every((x) => x === s[0]) && values[0] !== undefined ? values[0] : undefined;
}

function claimWords(claims: Array<TokenClaims | undefined>): string | undefined {
  if (!claims.length || claims.some((c) => !c)) return undefined;
  const parts: string[] = [];
  const aud = sameAll(claims.map((c) => c!.aud));
  if (aud) parts.push(`aud ${aud.join(' ')}`);
  const iss = sameAll(claims.map((c) => c!.iss));
  if (iss) parts.push(`iss ${iss}`);
  const scopes = sameAll(claims.map((c) => c!.scopes));
  if (scopes) parts.push(`scope "${scopes.join(' ')}"`);
  return parts.length ? parts.join(', ') : undefined;
}

function loops(f: SessionFacts): Cycle[][] {
  const origins = new Set(f.entries.filter((s) => isAuthFailure(s) && s.origin).map((s) => s.origin!));
  const out: Cycle[][] = [];
  for (const origin of origins) {
    let lastFail: SessionEntry | undefined;
    let pending: SessionEntry | undefined;
    let run: Cycle[] = [];
    const close = () => {
      if (run.length >= 2) out.push(run);
      run = [];
    };
    for (const s of f.entries) {
      if (s.tokenCall) {
        if (s.tokenCall.ok && lastFail) pending = s;
        continue;
      }
      if (s.origin !== origin || s.preflight) continue;
      const key = credKey(s);
      if (isAuthFailure(s) && (key || f.credentialsHidden)) {
        if (lastFail && key && key === credKey(lastFail)) continue; // the old credential again: not a new try
        if (lastFail && pending) {
          if (run.length && run.at(-1)!.after !== lastFail) close();
          run.push({ before: lastFail, refresh: pending, after: s });
        } else close();
        lastFail = s;
        pending = undefined;
      } else if (s.outcome === 'ok' && key) {
        close();
        lastFail = undefined;
        pending = undefined;
      }
    }
    close();
  }
  return out;
}

export default defineSessionCheck(
  {
    id: 'session.refresh-loop',
    plain: 'The app keeps renewing your sign-in, and each renewed sign-in is refused again',
    directness: 0,
    absorbs: GENERIC_REFUSALS,
    step: 2,
    kind: 'cause',
    title: 'The client refreshes its token on every refusal, and every new token is refused again',
    fix: 'Refreshing cannot help: the new tokens fail for the same reason. Fix what the tokens are issued with (audience/resource, scope, issuer or tenant) in the token request, or what the API expects; and let the client give up after one refresh that did not help instead of looping.',
    ref: 'RFC 6749 §6 (refreshing an access token); RFC 6750 §3.1',
  },
  (f: SessionFacts) => {
    return loops(f).map((run): SessionDraft => {
      const failures = [run[0]!.before, ...run.map((c) => c.after)];
      const issuedMatch = run.every((c) => {
        const issued = c.refresh.tokenCall?.issued?.fp;
        return issued !== undefined && c.after.authorization?.fp === issued;
      });
      const causes = run.map((c) => firstCause(c.after));
      const shared = causes.every((c) => c && c.id === causes[0]!.id) ? causes[0] : undefined;
      const claims = claimWords(run.map((c) => c.after.authorization?.claims));
      const reason = [
        shared ? `every new token is refused for the same reason: “${shared.title}” (${shared.id})` : '',
        claims
          ? `the new tokens all carry ${claims}: if the API expects another audience, scope or issuer, no refresh will change that`
          : '',
      ]
        .filter((x) => x !== '')
        .join('; ');
      const fail = (s: SessionEntry) => `entry ${s.index} (${s.status ?? 'no answer'} with ${credWords(s)})`;
      const steps = [
        fail(run[0]!.before),
        ...run.map(
          (c) =>
            `entry ${c.refresh.index} (${requestLine(c.refresh)}${c.refresh.tokenCall?.issued ? `, issued ${c.refresh.tokenCall.issued.short}` : ''}) → ${fail(c.after)}`,
        ),
      ].join(' → ');
      const evidence: EvidenceItem[] = [];
      for (const c of run) {
        evidence.push(cite(c.refresh, 'request.url', requestLine(c.refresh)));
        if (c.refresh.tokenCall?.issued)
          evidence.push(cite(c.refresh, 'response.body.access_token', c.refresh.tokenCall.issued.short));
        evidence.push(statusCited(c.after));
        if (c.after.authorization)
          evidence.push(cite(c.after, 'request.header.authorization', c.after.authorization.short));
      }
      if (shared)
        evidence.push({
          probe: `entry#${run.at(-1)!.after.index}`,
          where: `diagnosis.${shared.id}`,
          value: shared.title,
        });
      return {
        confidence: issuedMatch || shared ? 'confirmed' : 'likely',
        title: `The client refreshed its token ${run.length} times and each new token was refused again${shared ? ` for the same reason (${shared.id})` : ''}`,
        detail: `${steps}.${reason ? ` ${reason.charAt(0).toUpperCase()}${reason.slice(1)}.` : ' The refusals do not say why; the per-entry diagnoses below show what each response said.'}`,
        // The server's bare refusal has no fix of its own beyond "get fresh credentials": the loop's advice is better.
        fix:
          shared && shared.id !== 'credentials.rejected'
            ? `Refreshing cannot help: fix what the entries share. ${shared.fix} Then let the client give up after one refresh that did not help instead of looping.`
            : undefined,
        evidence,
        entries: [...failures.map((s) => s.index), ...run.map((c) => c.refresh.index)],
      };
    });
  },
);
