import { defineCheck } from './check.js';
import type { RepairProposal } from './check.js';
import { userRequest } from './repair-util.js';
import { probeName, requestUrl } from './cite.js';

/** Step 1 of the article: "Watch for extra slashes". Routers often treat /a//b and /a/b/ as other routes. */
export default defineCheck(
  {
    id: 'url.double-slash',
    repairDecides: true,
    plain: 'The address has an extra "/" in it, so it may point to the wrong page',
    directness: 3,
    step: 1,
    kind: 'cause',
    title: 'The path has an extra slash',
    fix: 'Type the path exactly as the API documents it: no `//` and no trailing slash unless it is part of the route.',
  },
  (f) => {
    const first = f.first;
    if (!first) return;
    let path: string;
    try {
      path = new URL(first.request.url).pathname;
    } catch {
      return;
    }
    const out = [];
    if (path.includes('//')) {
      out.push({
        confidence: 'possible' as const,
        title: `The path ${path} has a double slash`,
        evidence: [requestUrl(first)],
      });
    }
    // A redirect that only adds or removes a trailing slash: the server routes the two apart.
    const second = f.main[1];
    if (second && first.response) {
      const a = new URL(first.request.url);
      const b = new URL(second.request.url);
      if (
        a.origin === b.origin &&
        a.pathname !== b.pathname &&
        a.pathname.replace(/\/+$/, '') === b.pathname.replace(/\/+$/, '')
      ) {
        out.push({
          confidence: 'likely' as const,
          kind: 'warning' as const,
          title: `The server redirects ${a.pathname} to ${b.pathname}: the trailing slash matters here`,
          detail:
            'Each such redirect costs a round trip, and clients that drop credentials on redirects lose them here.',
          fix: `Use ${b.pathname} directly.`,
          evidence: [
            requestUrl(first),
            { probe: probeName(first), where: 'response.header.location', value: second.request.url },
          ],
        });
      }
    }
    return out;
  },
  (f): RepairProposal[] => {
    let u: URL;
    try {
      u = new URL(f.ev.request.url);
    } catch {
      return [];
    }
    if (!u.pathname.includes('//')) return [];
    const path = u.pathname.replace(/\/{2,}/g, '/');
    u.pathname = path;
    return [
      {
        change: `the path ${path} without the double slash`,
        request: { ...userRequest(f), url: u.toString() },
      },
    ];
  },
);
