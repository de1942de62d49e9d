import type { EvidenceItem } from '../model/finding.js';
import { headerValues } from '../model/http.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseHeader, responseStatus } from './cite.js';
import { lastHop } from './idp-util.js';
import { proxied } from './network-proxy-util.js';
import { proxyDisplay } from '../parse/proxy-url.js';
import { hostOf } from '../parse/url.js';
import { errorOf, messageEvidence, redactorFor, serverMessages } from './response-util.js';

/**
 * The differential probe of issue 4: the user's request sent once more, unchanged, without the
 * proxy (probe `direct`). Refused through the proxy and accepted directly proves the proxy path
 * is what fails (anchors §3.2: "I can PostMan to my api gateway url just fine … through the custom
 * domain, it always returns a 401"). Short of a success, a server that answers the proxied
 * request as if no credentials had arrived (RFC 6750 §3.1: no error code; or its own "no token"
 * words) and the direct one differently shows the credentials reach it only without the proxy.
 */

const FIX =
  'Make the proxy pass the Authorization header through unchanged (Squid, nginx, CloudFront and API gateways can each drop or replace it), or exempt this host from the proxy with NO_PROXY or --noproxy. `why401 echo` placed behind the proxy shows exactly which headers get through.';

export default defineCheck(
  {
    id: 'network.proxy-strips-auth',
    plain: 'A proxy on your network removes the sign-in details: it works without the proxy',
    directness: 0,
    absorbs: ['credentials.not-received', 'credentials.rejected'],
    step: 5,
    kind: 'cause',
    title: 'The proxy removes or changes the credentials: refused through it, accepted without it',
    fix: FIX,
    ref: 'RFC 9110 §7.6 (intermediaries); RFC 6750 §3.1',
  },
  (f): Draft | undefined => {
    if (!proxied(f.ev) || !f.ev.proxy) return;
    const main = f.final;
    const r = main?.response;
    if (!main || !r || (r.status !== 401 && r.status !== 403)) return;
    const direct = lastHop(f, 'direct');
    const d = direct?.response;
    if (!direct || !d) return;

    const shown = proxyDisplay(f.ev.proxy.url);
    const host = hostOf(f.ev.request.url);
    const https = f.ev.request.url.toLowerCase().startsWith('https:');
    const challenges = headerValues(r.headers, 'www-authenticate');
    const evidence: EvidenceItem[] = [
      responseStatus(main),
      responseStatus(direct),
      { probe: 'input', where: 'proxy.url', value: shown },
      ...challenges.slice(0, 2).map((c) => responseHeader(main, 'www-authenticate', c)),
    ];
    // Credentials a proxy can take off a request: headers (a query key travels in the URL).
    const sent = f.credentials.filter((c) => c.kind !== 'api-key-query' && c.kind !== 'proxy-authorization');
    const how = https
      ? `An https:// request passes the proxy inside a CONNECT tunnel, so the proxy can change it only if it intercepts TLS (the certificate findings show whose certificate came back); otherwise ${host} treats requests from the proxy's address differently (an IP allowlist, a WAF rule).`
      : `An http:// request reaches the proxy in absolute form, every header readable: the proxy can drop or replace Authorization before it forwards the request.`;

    if (d.status >= 200 && d.status < 300) {
      const tokenArrived = f.challenges.challenges.some((c) => errorOf(c) !== undefined);
      return {
        confidence: 'confirmed',
        title:
          sent.length > 0 && !tokenArrived
            ? `The proxy ${shown} removes or changes the credentials: ${r.status} through it, ${d.status} without it`
            : `Through the proxy ${shown} the request is refused (${r.status}); sent directly it succeeds (${d.status})`,
        detail: `The same request, sent again unchanged but without the proxy, answered ${d.status}; through the proxy it answered ${r.status}. So the proxy path is what fails, not the credentials themselves. ${how}${
          sent.length === 0
            ? ` The request carried no credentials for the proxy to remove, which points at ${host} refusing the proxy's address.`
            : tokenArrived
              ? ` The refusal names an error about the credentials, so they did arrive: the proxy changed them, or ${host} refuses the proxy's address.`
              : ''
        }`,
        evidence,
      };
    }

    // Likely: the proxied request looks credential-less to the server; the direct one does not.
    const sentAuth = f.authorizations.length > 0 && f.authorizations.some((a) => a.parsed.credentials.trim());
    if (!sentAuth) return;
    const bare = f.challenges.challenges.find((c) => c.schemeLower === 'bearer' && errorOf(c) === undefined);
    const words = serverMessages(f).filter((m) => m.entry.cause === 'credentials.missing');
    if (!bare && words.length === 0) return;
    const directChallenges = headerValues(d.headers, 'www-authenticate');
    const different = d.status !== r.status || directChallenges.join('\n') !== challenges.join('\n');
    if (!different) return;
    const redact = redactorFor(f);
    if (words[0]) evidence.push(messageEvidence(main, words[0], f.challenges.challenges, redact));
    if (directChallenges[0]) evidence.push(responseHeader(direct, 'www-authenticate', directChallenges[0]));
    const said = bare
      ? `a Bearer challenge without an error code (\`${bare.raw}\`), which RFC 6750 §3.1 reserves for requests that carry no credentials`
      : `"${words[0]!.quote}"`;
    return {
      confidence: 'likely',
      title: `Through the proxy ${shown} the server sees no credentials; sent directly, it does`,
      detail: `Through the proxy ${shown}, the server answered ${r.status} with ${said}, although the request sent Authorization. Sent directly, it answered ${d.status}${directChallenges[0] ? ` (\`${directChallenges[0]}\`)` : ''}: without the proxy the credentials do arrive. ${how}`,
      evidence,
    };
  },
);
