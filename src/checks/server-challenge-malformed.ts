import type { EvidenceItem } from '../model/finding.js';
import { headerValues } from '../model/http.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { probeName } from './cite.js';

/**
 * A WWW-Authenticate header that does not parse as RFC 9110 §11.6.1 challenges: clients read
 * the wrong scheme or parameters from it (or none at all), so they cannot tell what to send.
 */
export default defineCheck(
  {
    id: 'server.challenge-malformed',
    plain: 'The site sent sign-in instructions that cannot be read',
    step: 4,
    kind: 'warning',
    title: 'The WWW-Authenticate header does not parse',
    fix: 'Send challenges as RFC 9110 §11.6.1 defines them: `Scheme param="value", param2="value2"`, with values that hold spaces, commas or quotes in a quoted string (escape `"` as `\\"`), one comma between parameters and between challenges.',
    ref: 'RFC 9110 §11.2, §11.6.1',
  },
  (f): Draft[] => {
    const out: Draft[] = [];
    const sources = [
      { x: f.final, parse: f.challenges },
      { x: f.anonymous, parse: f.anonymousChallenges },
    ];
    for (const { x, parse } of sources) {
      if (!x?.response || !parse || parse.problems.length === 0) continue;
      const raw = headerValues(x.response.headers, 'www-authenticate');
      const evidence: EvidenceItem[] = raw.map((value) => ({
        probe: probeName(x),
        where: 'response.header.www-authenticate',
        value,
      }));
      for (const p of parse.problems)
        evidence.push({ probe: probeName(x), where: 'www-authenticate.problem', value: p });
      out.push({
        confidence: 'confirmed',
        title:
          parse.problems.length === 1
            ? `The WWW-Authenticate header does not parse: ${parse.problems[0]}`
            : `The WWW-Authenticate header does not parse (${parse.problems.length} problems)`,
        detail: `${x.probe === 'anonymous' ? 'The anonymous probe received' : 'The server sent'} ${raw.map((v) => `WWW-Authenticate: ${v}`).join(' / ')}. Problems: ${parse.problems.join('; ')}.`,
        evidence,
      });
      // The anonymous probe usually repeats the same header: report it only when it differs.
      if (x === f.final && f.anonymous?.response) {
        const anon = headerValues(f.anonymous.response.headers, 'www-authenticate');
        if (anon.join('\n') === raw.join('\n')) break;
      }
    }
    return out;
  },
);
