import { bodyText } from '../knowledge/gateways.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { probeName, responseStatus } from './cite.js';
import { clip, redactorFor } from './response-util.js';
import { appliesTo, gatewayEvidence, gatewayMatches, otherLayers, said } from './server-gateway-rejected.js';

/**
 * A WAF, bot rule, geographic restriction or IP allowlist blocked the request before the
 * application: a known block signature (src/knowledge/gateways.ts: Cloudflare, AWS WAF,
 * CloudFront, Akamai, Imperva, Sucuri, F5, ModSecurity, Azure, Kong ip-restriction …), or, on a
 * 401/403 without one, words that say the caller's IP address is not allowed.
 */

/** IP allowlist wording, whoever wrote it: "Your IP address is not allowed", "IP not whitelisted", … */
const IP_WORDING =
  /\b(?:your |client |caller |source |remote )?IP(?:v[46])?(?: address)?(?: \S+)? (?:is |has been )?(?:not (?:allowed|permitted|whitelisted|authori[sz]ed|in the allow ?list)|blocked|banned|denied|blacklisted|forbidden)\b|\b(?:not in|missing from) the (?:IP )?(?:allow ?list|whitelist)\b/i;

export default defineCheck(
  {
    id: 'server.waf-blocked',
    plain: 'A firewall in front of the site blocked the request',
    directness: 0.5,
    absorbs: ['authz.forbidden'],
    step: 4,
    kind: 'cause',
    title: 'A firewall (WAF, bot rule or IP allowlist) blocked the request',
    fix: 'Give whoever runs the site the block reference (Ray ID, incident or support ID, request id) and the time, so they can find the rule that matched and allow your client; changing credentials will not help.',
    ref: 'shared/research/anchors.md §4e–§4g',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const redact = redactorFor(f);
    const m = gatewayMatches(f).find(
      (m) => m.entry.cause === 'server.waf-blocked' && appliesTo(m.entry, r.status, true),
    );
    if (m) {
      const quote = clip(redact(m.quote), 160);
      return {
        confidence: m.strength,
        title: `${m.entry.producer} blocked the request before it reached the application`,
        detail: `${said(m, r.status, quote)} ${m.entry.explanation}${otherLayers(f, m.entry.producer)} (Signature ${m.entry.id}; source: ${m.entry.source}.)`,
        fix: m.entry.fix,
        evidence: [...gatewayEvidence(x, m, redact), responseStatus(x)],
      };
    }

    // No known signature: words about the caller's IP address on a refusal.
    if (r.status !== 401 && r.status !== 403) return;
    const text = bodyText(r.body);
    const hit = IP_WORDING.exec(text);
    if (!hit) return;
    const line = text.split('\n').find((l) => IP_WORDING.test(l)) ?? hit[0];
    const quote = clip(redact(line), 160);
    const evidence: EvidenceItem[] = [
      { probe: probeName(x), where: 'response.body', value: quote },
      responseStatus(x),
    ];
    return {
      confidence: 'likely',
      title: "An IP allowlist refused the request: the server says the caller's address is not allowed",
      detail: `The server answered ${r.status} with "${quote}": an IP allowlist or blocklist (in the application, a gateway or a firewall) refused the address the request came from, whatever the credentials. Behind NAT, a VPN, a proxy or a cloud egress, that address is not this machine's.`,
      fix: 'Ask whoever runs the API to allow the public address your requests leave from (check it with an IP echo service from the same network), or call from an allowed network.',
      evidence,
    };
  },
);
