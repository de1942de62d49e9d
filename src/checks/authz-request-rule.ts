import { identifyFrontServers } from '../knowledge/front-servers.js';
import type { EvidenceItem } from '../model/finding.js';
import { decisionEvidence, decisionOf } from './authz-decision.js';
import { defineCheck, type Draft } from './check.js';
import { responseStatus } from './cite.js';
import {
  clip,
  errorOf,
  receivedCredentials,
  redactorFor,
  sameAsAnonymous,
  serverMessages,
} from './response-util.js';

/**
 * A 403 that the same request without any credentials gets too, word for word: the refusal does
 * not depend on who is asking, so it is a rule about the request (the client's address, the
 * path, the method, a WAF or bot rule, a maintenance switch), not about the account (RFC 9110
 * §15.5.4: the server "understood the request but refuses to fulfill it"). Another token or a role
 * will not help; the rule's owner can.
 */

/** What each front server's request rules are called, so the owner knows where to look. */
const RULES: Record<string, string> = {
  nginx: 'nginx `deny`/`allow`, a `location` that returns 403, or `limit_except`',
  'Apache httpd': 'Apache `Require` directives (`Require all denied`, `Require ip …`) or `<Limit>`',
  HAProxy: 'HAProxy `http-request deny` rules',
  lighttpd: 'lighttpd `url.access-deny` or `$HTTP["remoteip"]` conditions',
  Caddy: 'Caddy `respond 403` or `remote_ip` matchers',
  squid: 'squid `http_access deny` rules',
  'Microsoft IIS': 'IIS IP and Domain Restrictions or Request Filtering',
};

export default defineCheck(
  {
    id: 'authz.request-rule',
    plain:
      'The site refuses this request whoever sends it: a rule about the address, network or page, not about your account',
    directness: 2,
    absorbs: ['authz.forbidden', 'credentials.rejected', 'server.gateway-rejected'],
    step: 4,
    kind: 'cause',
    title: 'The refusal does not depend on who you are: a request without credentials gets the same 403',
    fix: "Ask the API's owner which rule refuses this request (client address or network, path, method, a firewall rule); a new token or another role will not change it.",
    ref: 'RFC 9110 §15.5.4',
    applies: (f) => (f.anonymous ? undefined : 'no request without credentials was sent to compare with'),
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r || r.status !== 403 || receivedCredentials(f).length === 0) return;
    if (!sameAsAnonymous(f)) return;
    // Some servers give their credential refusals to everyone in the same words (Vault's
    // "permission denied"): then the identical anonymous answer is no sign of a rule on the request.
    // Nor is it when the words say no credentials reached the server (FastAPI's "Not
    // authenticated" to a key in the wrong place): the anonymous request naturally gets them too.
    if (serverMessages(f).some((m) => m.entry.sameForAnyone || m.entry.cause === 'credentials.missing'))
      return;
    if (f.challenges.challenges.some((c) => errorOf(c) !== undefined)) return;
    const redact = redactorFor(f);
    const evidence: EvidenceItem[] = [
      responseStatus(x),
      { probe: 'anonymous', where: 'response.status', value: String(f.anonymous!.response!.status) },
    ];
    const front = identifyFrontServers(r.headers, r.body).find((s) => RULES[s.product] !== undefined);
    if (front) evidence.push({ probe: 'main', where: front.quote.where, value: front.quote.value });
    const text = r.body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const words = text && text.length <= 300 ? clip(redact(text), 120) : undefined;
    // The platform's own words name the rule (an API Gateway resource policy for `anonymous`, an IP
    // allow list): they say which rule to look at, never that the server knows who you are.
    const d = decisionOf(f);
    const named = d && !d.generic && d.rule !== 'csrf' ? d : undefined;
    if (named) evidence.push(...decisionEvidence(f, named).filter((e) => e.where !== 'server.says'));
    return {
      confidence: 'likely',
      title: front
        ? `${front.product} refuses this request for anyone: a request without credentials gets the same 403`
        : undefined,
      detail: `The request with credentials and the same request without any got the identical 403${words ? ` ("${words}")` : ''}. The refusal does not look at the credentials: it is a rule about the request itself, such as the client's address, the path or the method.${front ? ` Where ${front.product} is the one refusing, look at ${RULES[front.product]}.` : ''}${named ? ` ${named.platform} names the rule (${named.rule}${named.resource ? ` on ${redact(named.resource)}` : ''}): look at it with ${redact(named.confirm)}.` : ''}`,
      evidence,
    };
  },
);
