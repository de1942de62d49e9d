import { defineCheck } from './check.js';
import { responseHeader } from './cite.js';

/**
 * RFC 6750 §3.1: when a request "lacks any authentication information", the resource server
 * SHOULD NOT include an error code. So a Bearer challenge without `error=` in answer to a request
 * that did send a Bearer token says the token never reached the code that checks it: a proxy
 * stripped it, or the server reads it from elsewhere.
 */
export default defineCheck(
  {
    id: 'credentials.not-received',
    plain: 'The site acted as if no sign-in details arrived: something on the way may remove them',
    directness: 3,
    confirmedBy: ['credentials.missing'],
    step: 5,
    kind: 'cause',
    title: 'The server answered as if no credentials had arrived',
    fix: 'Find what removes the Authorization header on the way (a reverse proxy, CDN, load balancer or API gateway; run `why401 echo` behind it to see), or send the token where this server reads it.',
    ref: 'RFC 6750 §3.1',
  },
  (f) => {
    if (f.status !== 401 || !f.final?.response) return;
    const sent = f.authorizations[0];
    if (!sent || f.authorizations.length !== 1 || !sent.schemeLower) return;
    if (f.final.droppedHeaders?.includes('authorization')) return;
    const same = f.challenges.challenges.find((c) => c.schemeLower === sent.schemeLower);
    if (!same || sent.schemeLower !== 'bearer' || 'error' in same.params) return;
    if (!sent.parsed.credentials.trim()) return;
    const anon = f.anonymous?.response;
    const sameAsAnonymous =
      anon?.status === f.status &&
      f.anonymousChallenges?.challenges.map((c) => c.raw).join() ===
        f.challenges.challenges.map((c) => c.raw).join();
    return {
      confidence: sameAsAnonymous ? 'likely' : 'possible',
      detail: `The request sent \`Authorization: ${sent.parsed.scheme} …\`, yet the server's challenge has no error code, which RFC 6750 reserves for requests with no credentials at all${sameAsAnonymous ? ', and a request without any credentials got the very same answer' : ''}.`,
      evidence: [
        responseHeader(f.final, 'www-authenticate', same.raw),
        ...(sameAsAnonymous
          ? [{ probe: 'anonymous', where: 'response.status', value: String(anon!.status) }]
          : []),
      ],
    };
  },
);
