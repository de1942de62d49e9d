import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseHeader } from './cite.js';
import { REQUEST_ID_HEADERS } from '../knowledge/request-ids.js';

/**
 * The ids the server (and every gateway, CDN and cloud in front of it) gave this request, so
 * that whoever runs it can find the request in their logs: what a support ticket needs.
 */

export default defineCheck(
  {
    id: 'info.request-ids',
    plain: 'The reference numbers the site gave this request, for its support team',
    step: 0,
    kind: 'info',
    title: 'The server returned request ids for its logs',
    fix: 'Quote these ids, the time and the URL when you ask the API owner to look up this request in their logs.',
  },
  (f): Draft | undefined => {
    const evidence: EvidenceItem[] = [];
    const seen = new Set<string>();
    const names: string[] = [];
    for (const x of f.main) {
      if (!x.response) continue;
      for (const [name, value] of x.response.headers) {
        const n = name.toLowerCase();
        if (!REQUEST_ID_HEADERS.some(([h]) => h === n)) continue;
        const v = value.trim();
        if (!v || seen.has(`${n}\n${v}`)) continue;
        seen.add(`${n}\n${v}`);
        if (!names.includes(n)) names.push(n);
        evidence.push(responseHeader(x, n, v));
      }
    }
    if (evidence.length === 0) return;
    const who = names.map((n) => `${n} (${REQUEST_ID_HEADERS.find(([h]) => h === n)![1]})`);
    return {
      confidence: 'confirmed',
      // The ids once, in the title (what a person copies); the detail says only who sets each.
      title: `Request ids for the server's log: ${evidence.map((e) => `${e.where.replace('response.header.', '')} ${e.value}`).join(', ')}`,
      detail: `Set by: ${who.join(', ')}.`,
      evidence,
    };
  },
);
