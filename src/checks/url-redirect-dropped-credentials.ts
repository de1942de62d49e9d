import { isCredentialHeader } from '../knowledge/credential-rule.js';
import { defineCheck, type RepairProposal } from './check.js';
import { probeName, requestUrl } from './cite.js';
import type { Facts } from '../facts/request.js';
import { userRequest } from './repair-util.js';

/**
 * The repair: the user's request sent to where the redirect pointed. The probe engine sends it
 * only where the user's credentials may go: the same origin, or the same host upgraded from http
 * to https (src/probe/repairs.ts); a redirect to another host stays advice.
 */
function repair(f: Facts): RepairProposal[] | undefined {
  const hop = f.main.find((x) => x.droppedHeaders?.some(isCredentialHeader));
  if (!hop || hop.hop === 0 || !f.final?.response) return undefined;
  const target = f.final.request.url;
  return [{ change: `the request sent to ${target} directly`, request: { ...userRequest(f), url: target } }];
}

/**
 * Fetch §4.4 (HTTP-redirect fetch) removes Authorization when a redirect crosses origins, and
 * curl, undici, axios and requests do the same: the final request arrives without credentials.
 * why401 drops every credential header by the one credential rule (X-Api-Key, X-Auth-Token …),
 * so any of them dropped is the same cause.
 */
export default defineCheck(
  {
    id: 'url.redirect-dropped-credentials',
    plain:
      'The address sent the request on to a different site, and your sign-in details were left behind on the way',
    directness: 0,
    absorbs: ['credentials.not-received', 'credentials.missing', 'credentials.rejected'],
    confirmedBy: ['credentials.missing'],
    step: 1,
    kind: 'cause',
    title: 'A redirect crossed origins and the credentials were dropped',
    fix: 'Call the final URL directly (the scheme, host, port and path the redirect points at), so the credentials go to the server that checks them.',
    ref: 'Fetch Standard §4.4 HTTP-redirect fetch; RFC 9110 §15.4',
  },
  (f) => {
    const hop = f.main.find((x) => x.droppedHeaders?.some(isCredentialHeader));
    if (!hop || hop.hop === 0) return;
    const from = f.main[hop.hop - 1];
    if (!from) return;
    const a = new URL(from.request.url);
    const b = new URL(hop.request.url);
    const what =
      a.protocol !== b.protocol
        ? `${a.protocol.slice(0, -1)} to ${b.protocol.slice(0, -1)}`
        : a.hostname !== b.hostname
          ? `host ${a.host} to ${b.host}`
          : `port ${a.port || 'default'} to ${b.port || 'default'}`;
    const dropped = hop.droppedHeaders!.join(', ');
    return {
      confidence: f.status === 401 || f.status === 403 ? 'confirmed' : 'likely',
      title: `The redirect from ${a.origin} to ${b.origin} crossed origins, so ${dropped} was dropped`,
      detail: `The ${from.response?.status ?? '3xx'} redirect changed the ${what}; a client must not carry credentials to another origin, so the request to ${hop.request.url} arrived without them and got ${f.status ?? 'no answer'}.`,
      fix: `Send the request to ${b.origin}${b.pathname}${b.search} directly.`,
      evidence: [
        requestUrl(from),
        { probe: probeName(from), where: 'response.header.location', value: hop.request.url },
        { probe: probeName(hop), where: 'request.dropped', value: dropped },
      ],
    };
  },
  repair,
);
