import { identifyFrontServers, likelyHeaderLoser, type FrontServer } from '../knowledge/front-servers.js';
import type { EvidenceItem } from '../model/finding.js';
import { defineCheck, type Draft } from './check.js';
import { responseHeader, responseStatus } from './cite.js';
import type { Facts, SentCredential } from '../facts/request.js';
import {
  anonymousDiffers,
  clip,
  messageEvidence,
  receivedCredentials,
  redactorFor,
  sameAsAnonymous,
  serverMessages,
  serverNamedCredentials,
} from './response-util.js';

/**
 * The credentials were sent but did not reach the code that checks them. Two kinds of evidence:
 *
 * - RFC 6750 §3.1: when a request "lacks any authentication information", the resource server
 *   SHOULD NOT include an error code. A Bearer challenge without `error=` in answer to a request
 *   that did send a Bearer token says the token never arrived.
 * - The server's own words say so ("No authorization token was found", "Authentication credentials
 *   were not provided.") to a request that carried credentials.
 *
 * Whatever named the answer (`Server`, `Via`, `X-Powered-By`, an error page) names the layer that
 * most likely lost the header, and src/knowledge/front-servers.ts has its configuration fix
 * (Apache `CGIPassAuth On`, mod_wsgi `WSGIPassAuthorization On`, nginx `proxy_set_header`).
 */

const GENERIC_FIX =
  'Find what removes the Authorization header on the way (a reverse proxy, CDN, load balancer or API gateway; run `why401 echo` behind it to see), or send the token where this server reads it.';

/** The layer to blame: mod_wsgi over the Apache it runs in (its own directive is the fix). */
function loser(servers: FrontServer[]): FrontServer | undefined {
  return servers.find((s) => s.product === 'mod_wsgi') ?? likelyHeaderLoser(servers);
}

function named(s: FrontServer): string {
  return s.version ? `${s.product} ${s.version}` : s.product;
}

/** The known way this layer loses this kind of credential: underscores for underscored custom headers. */
function wayFor(s: FrontServer, c: SentCredential | undefined) {
  const underscored = c?.kind === 'api-key-header' && c.name.includes('_');
  const ways = s.losesAuthorization.filter((w) => /underscore/i.test(w.when) === underscored);
  return ways[0] ?? (underscored ? undefined : s.losesAuthorization[0]);
}

function contradiction(f: Facts): string | undefined {
  return serverNamedCredentials(f) ?? anonymousDiffers(f);
}

export default defineCheck(
  {
    id: 'credentials.not-received',
    plain: 'The site acted as if no sign-in details arrived: something on the way may remove them',
    directness: 3,
    confirmedBy: ['credentials.missing'],
    step: 5,
    kind: 'cause',
    title: 'The server answered as if no credentials had arrived',
    fix: GENERIC_FIX,
    ref: 'RFC 6750 §3.1',
    contradictedBy: contradiction,
    applies: (f) => (receivedCredentials(f).length === 0 ? 'no credentials reached the server' : undefined),
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r || (r.status !== 401 && r.status !== 403)) return;
    const sent = receivedCredentials(f).filter((c) => c.kind !== 'proxy-authorization');
    if (sent.length === 0 || sent.every((c) => !c.value.trim())) return;
    if (f.authorizations.length > 1) return;
    const evidence: EvidenceItem[] = [];
    let reason: string;
    let confidence: Draft['confidence'];

    const redact = redactorFor(f);
    const words = serverMessages(f).find((m) => m.entry.cause === 'credentials.missing');
    const auth = f.authorizations[0];
    const bare =
      r.status === 401 && auth?.schemeLower === 'bearer' && auth.parsed.credentials.trim()
        ? f.challenges.challenges.find((c) => c.schemeLower === 'bearer' && !('error' in c.params))
        : undefined;
    if (words) {
      evidence.push(messageEvidence(x, words, f.challenges.challenges, redact));
      reason = `The request carried credentials, yet the server says none reached it: "${clip(redact(words.quote), 120)}".`;
      confidence = 'confirmed';
    } else if (bare) {
      evidence.push(responseHeader(x, 'www-authenticate', bare.raw));
      reason = `The request sent \`Authorization: ${auth!.parsed.scheme} …\`, yet the server's challenge has no error code, which RFC 6750 reserves for requests with no credentials at all.`;
      confidence = 'possible';
    } else return;
    if (sameAsAnonymous(f)) {
      evidence.push({
        probe: 'anonymous',
        where: 'response.status',
        value: String(f.anonymous!.response!.status),
      });
      reason += ' A request without any credentials got the very same answer.';
      if (confidence === 'possible') confidence = 'likely';
    }
    evidence.push(responseStatus(x));

    const servers = identifyFrontServers(r.headers, r.body);
    const layer = loser(servers);
    if (!layer) return { confidence, detail: reason, evidence };
    evidence.push({ probe: 'main', where: layer.quote.where, value: layer.quote.value });
    const way = wayFor(layer, sent[0]);
    // A layer named with no documented way of losing the header: name it, and where to look.
    if (!way)
      return {
        confidence,
        title: `${named(layer)} answered as if no credentials had arrived`,
        detail: `${reason} The answer names ${named(layer)} (${layer.quote.where.replace(/^response\./, '')}: ${layer.quote.value}): the header was lost there or in a layer behind it.`,
        fix: `Look in the ${layer.product} configuration for a rule that removes or empties ${sent[0]!.name} before the application (a request-header rule or a proxy setting), and check each layer behind it; \`why401 echo\` placed behind a layer shows what gets through.`,
        evidence,
      };
    return {
      confidence,
      title: `${named(layer)} answered as if no credentials had arrived: it most likely did not pass ${sent[0]!.name} on`,
      detail: `${reason} The answer names ${named(layer)} (${layer.quote.where.replace(/^response\./, '')}: ${layer.quote.value}). ${way.when} (${way.source})`,
      fix: `${way.fix}\nIf ${layer.product} is not what drops it, run \`why401 echo\` behind each layer to see which one does.`,
      evidence,
    };
  },
);
