import type { Confidence, Finding, FindingKind } from '../model/finding.js';

/**
 * Ranking: a confirmed cause outranks a suspicion; among equals, the cause that most directly
 * explains the status seen comes first (a placeholder token explains a rejection better than the
 * rejection itself does).
 */

const KIND: Record<FindingKind, number> = { cause: 0, warning: 1, info: 2 };
const CONFIDENCE: Record<Confidence, number> = { confirmed: 0, likely: 1, possible: 2 };

/** Lower is more direct. Ids not listed sit in the middle. */
const DIRECTNESS: Record<string, number> = {
  // A middlebox that re-signs TLS explains both a TLS failure and a rewritten request.
  'network.tls-intercepted': 0,
  'network.unreachable': 0,
  'url.redirect-dropped-credentials': 0,
  'server.cached-401': 0,
  // A sign-in redirect is the symptom; an expired session cookie, when shown, is the cause.
  'session.cookie-expired': 0,
  'login.redirect': 1,
  'dpop.required': 0,
  'network.proxy-strips-auth': 0,
  // A browser never sends the request when its preflight fails: nothing else about it matters first.
  'cors.preflight-rejected': 0,
  'cors.header-not-allowed': 1,
  'cors.method-not-allowed': 1,
  'cors.origin-not-allowed': 1,
  'cors.credentials-wildcard': 1,
  'header.placeholder': 1,
  'header.scheme-missing': 1,
  'header.scheme-repeated': 1,
  'header.quoted': 1,
  'header.whitespace': 1,
  'header.non-ascii': 1,
  'header.duplicate': 1,
  'basic.malformed': 1,
  'credentials.missing': 1,
  'token.malformed': 1,
  'jwt.alg-none': 1,
  'jwt.id-token-used': 2,
  'token.expired': 2,
  'token.not-yet-valid': 2,
  'clock.skew': 2,
  'basic.charset': 2,
  'header.scheme-mismatch': 2,
  'authz.forbidden': 2,
  'login.page': 2,
  // After the specific causes it confirms (an expired token), before the server's bare refusal.
  'token.fresh-token-works': 2.5,
  'jwt.alg-confusion': 2,
  'jwt.kid-unknown': 2,
  'jwt.signature-invalid': 2,
  'jwt.issuer-mismatch': 2,
  'jwt.audience-mismatch': 2,
  // The token's own scopes named beside the requirement: more useful than the bare 403.
  'jwt.scope-insufficient': 1,
  'token.inactive': 2,
  'url.environment-mismatch': 2,
  'token.refresh-rejected': 3,
  'idp.jwks-failed': 3,
  'idp.discovery-failed': 4,
  'credentials.not-received': 3,
  'url.double-slash': 3,
  'url.insecure-http': 4,
  'server.unsupported-challenge': 3,
  // A WAF or a gateway that answered itself explains the refusal before anything about the token;
  // but when its words name a token cause, that cause is confirmed by corroborate() and both stand.
  'server.waf-blocked': 0.5,
  'url.wrong-endpoint': 1,
  'server.gateway-rejected': 1.5,
  // Session-level causes (why401 har) explain the entries they list before any one entry does.
  'session.refresh-loop': 0,
  'session.old-token-reused': 0,
  'session.stale': 1,
  'session.cookie-not-sent': 1,
  'credentials.rejected': 5,
};
const MIDDLE = 3;

/**
 * What the server's own words corroborate: when `credentials.rejected` maps the server's message
 * to cause X, a finding whose id is listed under X is confirmed by it.
 */
const EXPLAINS: Record<string, string[]> = {
  'token.expired': ['token.expired', 'clock.skew'],
  'token.not-yet-valid': ['token.not-yet-valid', 'clock.skew'],
  'token.malformed': [
    'token.malformed',
    'header.placeholder',
    'header.quoted',
    'header.scheme-repeated',
    'header.whitespace',
    'header.non-ascii',
    'jwt.alg-none',
  ],
  'jwt.audience-mismatch': ['jwt.audience-mismatch', 'jwt.id-token-used', 'url.environment-mismatch'],
  'jwt.issuer-mismatch': ['jwt.issuer-mismatch', 'url.environment-mismatch'],
  'jwt.signature-invalid': ['jwt.signature-invalid', 'jwt.alg-none', 'jwt.kid-unknown', 'jwt.alg-confusion'],
  'jwt.kid-unknown': ['jwt.kid-unknown', 'url.environment-mismatch', 'jwt.alg-confusion'],
  'idp.jwks-failed': ['idp.jwks-failed', 'jwt.kid-unknown'],
  'token.inactive': ['token.inactive', 'token.fresh-token-works'],
  'credentials.missing': [
    'credentials.missing',
    'credentials.not-received',
    'header.scheme-missing',
    'header.scheme-mismatch',
    'url.redirect-dropped-credentials',
    'header.placeholder',
  ],
  'jwt.scope-insufficient': ['jwt.scope-insufficient', 'authz.forbidden'],
};

function serverSays(f: Finding): string[] {
  return f.evidence.filter((e) => e.where === 'server.says').map((e) => e.value);
}

/**
 * A freshly issued token that succeeds where the old one failed is the strongest evidence there
 * is: it confirms the causes that are about the old token's staleness.
 */
const FRESH_CONFIRMS = [
  'token.expired',
  'token.inactive',
  'jwt.kid-unknown',
  'session.cookie-expired',
  'clock.skew',
  'jwt.signature-invalid',
];

export function corroborate(findings: Finding[]): Finding[] {
  const out = findings.map((f) => ({ ...f, evidence: [...f.evidence] }));
  const fresh = out.find((f) => f.id === 'token.fresh-token-works' && f.kind === 'cause');
  if (fresh) {
    for (const f of out) {
      if (f.kind !== 'cause' || !FRESH_CONFIRMS.includes(f.id)) continue;
      f.confidence = 'confirmed';
      f.evidence.push(...fresh.evidence.filter((e) => e.probe === 'fresh'));
    }
  }
  // The server's words come from the application (credentials.rejected) or from the layer in front of it.
  for (const r of out.filter((f) => f.id === 'credentials.rejected' || f.id === 'server.gateway-rejected')) {
    for (const cause of serverSays(r)) {
      for (const f of out) {
        if (f === r || f.kind !== 'cause' || !(EXPLAINS[cause] ?? [cause]).includes(f.id)) continue;
        f.confidence = 'confirmed';
        const quote = r.evidence.find((e) => e.where !== 'server.says');
        if (quote && !f.evidence.some((e) => e.where === quote.where && e.value === quote.value))
          f.evidence.push(quote);
      }
    }
  }
  return out;
}

/**
 * When the request succeeded, nothing failed it: its "causes" are worth knowing, as warnings.
 * CORS causes stay causes: curl's request succeeding is exactly what a browser's does not.
 */
export function settleForOutcome(findings: Finding[], succeeded: boolean): Finding[] {
  if (!succeeded) return findings;
  return findings.map((f) =>
    f.kind === 'cause' && !f.id.startsWith('cors.') ? { ...f, kind: 'warning' as const } : f,
  );
}

/** Does another cause stand for what this finding's server words say? Then that cause is the diagnosis. */
function namesAnotherCause(f: Finding, all: Finding[]): boolean {
  return serverSays(f).some((cause) =>
    all.some((g) => g !== f && g.kind === 'cause' && (EXPLAINS[cause] ?? [cause]).includes(g.id)),
  );
}

export function rank(findings: Finding[]): Finding[] {
  // A gateway whose words name a cause we also found ("Jwt is expired" → token.expired) steps
  // behind that cause: the fix is the token's, the gateway is who said it.
  const directness = (f: Finding) =>
    f.id === 'server.gateway-rejected' && namesAnotherCause(f, findings)
      ? DIRECTNESS['credentials.rejected']!
      : (DIRECTNESS[f.id] ?? MIDDLE);
  const order = (f: Finding) => [KIND[f.kind], CONFIDENCE[f.confidence], directness(f)];
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const x = order(a.f),
        y = order(b.f);
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
      return a.i - b.i;
    })
    .map((e) => e.f);
}
