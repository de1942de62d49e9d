import { preflightReasons } from '../../spec/cors.js';
import perEntry from '../cors-preflight-rejected.js';
import type { SessionEntry, SessionFacts } from '../../facts/session.js';
import type { Confidence, EvidenceItem } from '../../model/finding.js';
import { defineSessionCheck, type SessionDraft } from './define.js';
import { cite, indexList, plural, requestLine } from './util.js';

/**
 * A HAR does not show a failed preflight: the OPTIONS is missing, and the request it guarded is
 * logged with no answer (status 0 or -1, `net::ERR_FAILED`) and only the page's own headers
 * (har-notes.md). So a failed cross-origin request that needed a preflight (it carries
 * Authorization) is a preflight failure until shown otherwise. When the HAR does hold the OPTIONS
 * (Chrome's `preflight` rows), its answer confirms it.
 */

interface Group {
  page: string;
  target: string;
  failures: SessionEntry[];
  reasons: Set<string>;
  authorization: boolean;
  preflight?: SessionEntry;
}

function isSameUrl(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname && x.search === y.search;
  } catch {
    return a === b;
  }
}

export default defineSessionCheck(
  {
    id: 'cors.preflight-rejected',
    plain: "The site refuses the browser's safety check (CORS) that comes before the request",
    directness: 0,
    // The request without an answer is the preflight's doing, not the network's.
    absorbs: ['network.unreachable'],
    step: 0,
    kind: 'cause',
    title:
      "The browser's CORS preflight most likely failed: cross-origin requests with Authorization got no answer",
    fix: perEntry.meta.fix,
    ref: 'Fetch Standard §4.8 CORS-preflight fetch; shared/research/har-notes.md',
  },
  (f: SessionFacts) => {
    const groups = new Map<string, Group>();
    const preflights = f.entries.filter((e) => e.preflight);
    for (const s of f.entries) {
      if (s.status !== null || s.preflight || !s.crossOrigin || !s.pageOrigin || !s.origin) continue;
      const authorization = s.authorization !== undefined;
      // Chromium's net::ERR_FAILED is what a refused preflight leaves; a producer that records no
      // reason (Firefox's status 0) may hide one, but only a request with Authorization is taken
      // for one: the headers a browser adds itself (Cache-Control on a reload) trigger no preflight.
      if (s.noAnswer !== 'cors-or-blocked' && !(s.noAnswer === 'unknown' && authorization)) continue;
      const reasons = preflightReasons({
        method: s.method,
        url: s.url,
        headers: s.headers,
        followRedirects: false,
        insecure: false,
        compressed: false,
      });
      if (!reasons.length && !f.credentialsHidden) continue;
      const key = `${s.pageOrigin} ${s.origin}`;
      const g = groups.get(key) ?? {
        page: s.pageOrigin,
        target: s.origin,
        failures: [],
        reasons: new Set(),
        authorization: false,
      };
      g.failures.push(s);
      for (const r of reasons) g.reasons.add(r);
      g.authorization ||= authorization;
      // The OPTIONS itself, when the HAR has it (answered, and not ok).
      const pf = preflights.findLast((e) => e.startedAt <= s.startedAt && isSameUrl(e.url, s.url));
      if (pf && !g.preflight && (pf.status === null || pf.status < 200 || pf.status > 299)) g.preflight = pf;
      groups.set(key, g);
    }
    return [...groups.values()].map((g): SessionDraft => {
      const first = g.failures[0]!;
      const pf = g.preflight;
      const confidence: Confidence = pf ? 'confirmed' : g.authorization ? 'likely' : 'possible';
      const why = g.reasons.size
        ? [...g.reasons].join('; ')
        : 'the export hides Authorization (a sanitized HAR), so the reason for a preflight cannot be seen';
      const evidence: EvidenceItem[] = [
        cite(first, 'request.url', requestLine(first)),
        cite(first, 'page.origin', g.page),
        cite(first, 'error', first.failure ?? 'no reason recorded'),
      ];
      if (first.authorization)
        evidence.push(cite(first, 'request.header.authorization', first.authorization.short));
      if (pf) {
        evidence.push(cite(pf, 'request.url', requestLine(pf)));
        evidence.push(
          cite(
            pf,
            pf.status === null ? 'error' : 'response.status',
            pf.status === null ? (pf.failure ?? 'no response') : String(pf.status),
          ),
        );
      }
      const n = g.failures.length;
      const failText = first.failure ?? 'no reason recorded';
      const title = pf
        ? `The browser's CORS preflight to ${g.target} was answered ${pf.status ?? 'with an error'}, so the ${n === 1 ? 'request' : 'requests'} from ${g.page} never went out`
        : `The browser's CORS preflight to ${g.target} most likely failed: ${plural(n, 'cross-origin request')} from ${g.page}${g.authorization ? ' with Authorization' : ''} got no answer`;
      const detail = `${n === 1 ? `Entry ${first.index}` : `Entries ${indexList(g.failures)}`} (${requestLine(first)}${n > 1 ? ' …' : ''}) went from the page ${g.page} to ${g.target} and got no answer (${failText}). Such a request needs a preflight (${why}). ${
        pf
          ? `The HAR holds the OPTIONS preflight (entry ${pf.index}), answered ${pf.status ?? 'with an error'}: a preflight carries no credentials and must get 200–299 with the CORS headers.`
          : `A HAR does not show the preflight; a failed cross-origin request with Authorization is a preflight failure until shown otherwise. To see the server's answer: why401 --origin ${g.page} -H 'Authorization: …' ${first.url.split('?')[0]}`
      }`;
      return {
        confidence,
        title,
        detail,
        evidence,
        entries: [...(pf ? [pf.index] : []), ...g.failures.map((s) => s.index)],
      };
    });
  },
);
