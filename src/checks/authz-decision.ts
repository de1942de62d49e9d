import { readAuthzDecision, type AuthzDecision, type AuthzRule } from '../knowledge/authz/index.js';
import type { EvidenceItem } from '../model/finding.js';
import type { CheckMeta, Draft } from './check.js';
import { defineCheck, type Check } from './check.js';
import { probeName, responseStatus } from './cite.js';
import type { Facts } from '../facts/request.js';
import { clip, receivedCredentials, redactorFor, sameAsAnonymous } from './response-util.js';

/**
 * The authz.* family's shared part: the platform's decision read once from the final answer
 * (knowledge/authz), and the finding one rule kind makes of it. Each check of the family is this
 * with its own meta and rule kind, so the decision is told once, by the check of its kind.
 */

const READ = new WeakMap<Facts, { d: AuthzDecision | undefined }>();

/** The decision the final answer states, if a platform's words are recognised (computed once per facts). */
export function decisionOf(f: Facts): AuthzDecision | undefined {
  const cached = READ.get(f);
  if (cached) return cached.d;
  const x = f.final;
  const r = f.response;
  let d: AuthzDecision | undefined;
  if (x && r && !r.bodyTruncated) {
    d = readAuthzDecision({
      status: r.status,
      headers: r.headers,
      body: r.body,
      url: x.request.url,
      ...(f.bodyJson !== undefined ? { bodyJson: f.bodyJson } : {}),
    });
  }
  READ.set(f, { d });
  return d;
}

/** A quote's `from` as an evidence `where`: `header x-y` → `response.header.x-y`, `json $.a.b` → `response.body.a.b`. */
function whereOf(from: string): string {
  const h = /^header (\S+)/.exec(from);
  if (h) return `response.header.${h[1]!.toLowerCase()}`;
  const j = /^json \$\.?(\S*)/.exec(from);
  if (j) return j[1] ? `response.body.${j[1]}` : 'response.body';
  return 'response.body';
}

/** The decision as evidence: the server's words where they stood, then what was read from them. */
export function decisionEvidence(f: Facts, d: AuthzDecision): EvidenceItem[] {
  const x = f.final!;
  const probe = probeName(x);
  const redact = redactorFor(f);
  const out: EvidenceItem[] = d.quotes.map((q) => ({
    probe,
    where: whereOf(q.from),
    value: clip(redact(q.text), 300),
  }));
  const read: Array<[string, string | undefined]> = [
    ['authz.platform', d.platform],
    ['authz.principal', d.principal],
    ['authz.action', d.action],
    ['authz.resource', d.resource],
    ['authz.rule', d.policy ? `${d.rule} (${d.policy} policy)` : d.rule],
    ['authz.confirm', d.confirm],
  ];
  for (const [where, value] of read) if (value) out.push({ probe, where, value: redact(value) });
  out.push({ probe: 'main', where: 'server.says', value: 'authz.forbidden' });
  return out;
}

/** Words for each rule kind, after "refuses …: ". */
const BECAUSE: Record<AuthzRule, string> = {
  'explicit-deny': 'a policy explicitly denies it',
  'no-allow': 'no policy allows it',
  'missing-role': 'no role grants it',
  'missing-scope': 'the token lacks the scope or permission it needs',
  condition: "a policy's condition is not met",
  network: 'a network or IP rule refuses where the request comes from',
  csrf: 'the CSRF token or cookie is missing or wrong',
  'tenant-policy': 'a policy of the organisation or tenant forbids it',
};

export function titleOf(d: AuthzDecision, redact: (s: string) => string): string {
  const who = d.principal ? `"${clip(redact(d.principal), 120)}"` : 'this caller';
  const what = d.action ? `\`${clip(redact(d.action), 100)}\`` : 'this request';
  const on = d.resource ? ` on ${clip(redact(d.resource), 160)}` : '';
  return `${d.platform} refuses ${who} ${what}${on}: ${BECAUSE[d.rule]}`;
}

/** One check of the family: the decision of its rule kind, told with the platform's own words and command. */
export function defineDecisionCheck<const Id extends string>(
  meta: CheckMeta<Id>,
  rule: AuthzRule,
): Check<Id> {
  return defineCheck(meta, (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const d = decisionOf(f);
    if (!d || d.rule !== rule || d.generic) return;
    // A refusal of a request that carried no credentials is about the missing credentials, and one
    // the anonymous request gets word for word is a rule about the request (authz.request-rule).
    if (receivedCredentials(f).length === 0 || sameAsAnonymous(f)) return;
    const redact = redactorFor(f);
    const said = d.quotes[0] ? ` "${clip(redact(d.quotes[0].text), 200)}"` : '';
    const parts = [
      d.principal ? `principal ${redact(d.principal)}` : undefined,
      d.action ? `action ${redact(d.action)}` : undefined,
      d.resource ? `resource ${redact(d.resource)}` : undefined,
      d.policy ? `policy type: ${d.policy}` : undefined,
    ].filter(Boolean);
    return {
      confidence: 'confirmed',
      title: titleOf(d, redact),
      detail: `${d.platform} answered ${r.status}${said}.${parts.length ? ` It names the ${parts.join(', ')}.` : ''} The decision is ${BECAUSE[d.rule]}. Confirm with: ${redact(d.confirm)} (format: ${d.source}).`,
      fix: `${redact(d.fix)} Confirm with: \`${redact(d.confirm)}\`.`,
      evidence: [...decisionEvidence(f, d), responseStatus(x)],
    };
  });
}

/** What every check of the family declares alike: where it stands and what it explains. */
export const FAMILY = {
  step: 4,
  kind: 'cause',
  directness: 1,
  // The generic members: the bare 403, the rejected credentials and the gateway that only relays the words.
  absorbs: ['authz.forbidden', 'credentials.rejected', 'server.gateway-rejected'],
  confirmedBy: ['authz.forbidden'],
} as const;
