import {
  identifyLayer,
  matchGateways,
  type GatewayCause,
  type GatewayEntry,
  type GatewayMatch,
} from '../knowledge/gateways.js';
import type { Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { probeName, responseStatus } from './cite.js';
import type { Facts } from '../facts/request.js';
import { CAUSE_WORDS, clip, redactorFor } from './response-util.js';

/**
 * Who answered: a gateway, proxy, identity-aware proxy or web server in front of the
 * application produced the 401/403 (src/knowledge/gateways.ts). The finding names the producer
 * and quotes its words; when its words point to a finer cause ("Jwt is expired"), a
 * `server.says` evidence item carries that cause id for the ranking layer.
 *
 * WAF and bot blocks belong to server.waf-blocked, unknown routes to url.wrong-endpoint, and
 * identity providers' and SaaS APIs' own answers to the checks that read the application's words.
 */

const MAX_BODY = 64 * 1024;

/** Every gateway signature the final response matches, most specific first. */
export function gatewayMatches(f: Facts): GatewayMatch[] {
  const r = f.response;
  if (!r) return [];
  return matchGateways({
    status: r.status,
    headers: r.headers,
    body: r.body.length > MAX_BODY ? r.body.slice(0, MAX_BODY) : r.body,
  });
}

/**
 * Whether a match may speak for this status: any entry on a 401 or 403; otherwise only an entry
 * that lists the status itself (a sign-in redirect, a WAF challenge on 202/405) or, for blocks,
 * one that names no status at all (block pages come with 200 too).
 */
export function appliesTo(entry: GatewayEntry, status: number, anyStatusIfUnlisted = false): boolean {
  if (status === 401 || status === 403) return true;
  const listed = entry.match.status;
  if (listed) return listed.includes(status);
  return anyStatusIfUnlisted;
}

/** Evidence items for a match: where the producer's words and headers were found, redacted. */
export function gatewayEvidence(x: Exchange, m: GatewayMatch, redact: (s: string) => string): EvidenceItem[] {
  const probe = probeName(x);
  return m.evidence.map((ev) => {
    if (ev.where === 'body') return { probe, where: 'response.body', value: redact(clip(ev.value, 200)) };
    if (ev.where === 'challenge')
      return { probe, where: 'response.header.www-authenticate', value: redact(ev.value) };
    return { probe, where: `response.header.${ev.name ?? 'unknown'}`, value: redact(clip(ev.value, 200)) };
  });
}

/** Plain words for the causes gateway answers point to, beyond those shared with credentials.rejected. */
export const GATEWAY_CAUSE_WORDS: Record<string, string> = {
  ...CAUSE_WORDS,
  'authz.forbidden': 'the caller is known but not allowed to do this',
  'login.redirect': 'the request has no session the layer accepts and is sent to sign in',
  'clock.skew': 'a clock is off',
  'token.refresh-rejected': 'the user must sign in again',
  'server.waf-blocked': 'a firewall rule blocked the request',
};

/** Other layers the headers name (Cloudflare in front of Kong, …), for context. */
export function otherLayers(f: Facts, producer: string): string {
  const r = f.response;
  if (!r) return '';
  const first = producer.toLowerCase().match(/[a-z0-9]+/)?.[0] ?? producer.toLowerCase();
  const hints = identifyLayer(r.headers).filter(
    (h) => h.kind !== 'proxy' && h.kind !== 'cache' && !h.layer.toLowerCase().includes(first),
  );
  if (hints.length === 0) return '';
  return ` The headers also name ${hints.map((h) => `${h.layer} (${h.header})`).join(', ')} on the path.`;
}

const SPECIFIC = (cause: GatewayCause) =>
  cause !== 'server.gateway-rejected' && cause !== 'server.waf-blocked' && cause !== 'url.wrong-endpoint';

/** "X answered 401 with "…"." or, on headers alone, "X answered 401 itself (server: …)." */
export function said(m: GatewayMatch, status: number, quote: string): string {
  return m.quoteFrom === 'headers'
    ? `${m.entry.producer} answered ${status} itself (${quote}).`
    : `${m.entry.producer} answered ${status} with "${quote}".`;
}

/** Basic credentials with a user were sent, and the answer is a 401 that asks for Basic again. */
export function refusedBasic(f: Facts): boolean {
  return (
    f.basic?.ok === true && f.status === 401 && f.challenges.challenges.some((c) => c.schemeLower === 'basic')
  );
}

const IN_FRONT = new Set(['gateway', 'cdn', 'identity-proxy', 'web-server']);

function titleFor(m: GatewayMatch, status: number): string {
  const producer = m.entry.producer;
  if (m.entry.cause === 'login.redirect')
    return `${producer} sent the request to its sign-in page; your application never saw it`;
  if (m.entry.kind === 'web-server')
    return `${producer} answered ${status} with its own page, before the application behind it`;
  return `${producer} answered ${status}, not your application`;
}

export default defineCheck(
  {
    id: 'server.gateway-rejected',
    plain: 'A gateway in front of the site refused the request before the site saw it',
    directness: 1.5,
    step: 4,
    kind: 'cause',
    title: 'A gateway or proxy in front of the application answered, not the application',
    fix: 'Find the layer that answered (its own headers and page say which) and send what it expects, or ask whoever runs it to let this request through to the application.',
    ref: 'shared/research/anchors.md §4e–§4g',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const m = gatewayMatches(f).find(
      (m) =>
        IN_FRONT.has(m.entry.kind) &&
        m.entry.cause !== 'server.waf-blocked' &&
        m.entry.cause !== 'url.wrong-endpoint' &&
        appliesTo(m.entry, r.status),
    );
    if (!m) return;
    // Fit the request that was sent: a Basic password refused by the web server's own auth
    // (auth_basic, AuthType Basic) is credentials.rejected's "the password for bob was refused",
    // never advice to send Basic.
    if (refusedBasic(f) && !SPECIFIC(m.entry.cause)) return;
    const redact = redactorFor(f);
    const cause = m.entry.cause;
    const quote = clip(redact(m.quote), 160);
    const points = SPECIFIC(cause)
      ? ` Its words point to ${cause}: ${GATEWAY_CAUSE_WORDS[cause] ?? cause}.`
      : '';
    const evidence: EvidenceItem[] = [...gatewayEvidence(x, m, redact)];
    if (SPECIFIC(cause)) evidence.push({ probe: 'main', where: 'server.says', value: cause });
    evidence.push(responseStatus(x));
    return {
      confidence: m.strength,
      title: titleFor(m, r.status),
      detail: `${said(m, r.status, quote)} ${m.entry.explanation}${points}${otherLayers(f, m.entry.producer)} (Signature ${m.entry.id}; source: ${m.entry.source}.)`,
      fix: m.entry.fix,
      evidence,
    };
  },
);
