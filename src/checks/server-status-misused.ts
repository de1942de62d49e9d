import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseStatus } from './cite.js';
import {
  challengeEvidence,
  clip,
  errorOf,
  receivedCredentials,
  redactorFor,
  serverMessages,
} from './response-util.js';

/**
 * The status code says something else than the server means (a warning for whoever runs it;
 * clients that branch on the status do the wrong thing):
 * - 401 with `insufficient_scope`: the token was accepted, so 403 is right (RFC 6750 §3.1);
 * - 403 to a request without any credentials: "who are you" is a 401 with a challenge (RFC 9110 §15.5.2, §15.5.4);
 * - 2xx with an authentication error in the body (Slack's `{"ok": false, "error": "invalid_auth"}`).
 */

/** Error codes that mean "authentication failed" when found in a 2xx JSON body. */
const AUTH_ERROR_CODES = new Set([
  'invalid_auth',
  'not_authed',
  'invalid_token',
  'token_expired',
  'token_revoked',
  'not_bearer_token',
  'account_inactive',
  'unauthorized',
  'unauthenticated',
  'authentication_failed',
  'invalidauthenticationtoken',
]);

/** The first authentication error code in a JSON body: `error`, `error.code`, `code`, or GraphQL `errors[].extensions.code`. */
function authErrorInBody(json: unknown): { where: string; value: string } | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const candidates: Array<[string, unknown]> = [
    ['error', o['error']],
    ['code', o['code']],
    [
      'error.code',
      o['error'] && typeof o['error'] === 'object'
        ? (o['error'] as Record<string, unknown>)['code']
        : undefined,
    ],
  ];
  if (Array.isArray(o['errors'])) {
    o['errors'].slice(0, 8).forEach((e, i) => {
      const ext = e && typeof e === 'object' ? (e as Record<string, unknown>)['extensions'] : undefined;
      const code = ext && typeof ext === 'object' ? (ext as Record<string, unknown>)['code'] : undefined;
      candidates.push([`errors[${i}].extensions.code`, code]);
    });
  }
  for (const [where, v] of candidates) {
    if (typeof v === 'string' && AUTH_ERROR_CODES.has(v.toLowerCase())) return { where, value: v };
  }
  return undefined;
}

export default defineCheck(
  {
    id: 'server.status-misused',
    plain: 'The site uses the wrong kind of refusal code',
    step: 4,
    kind: 'warning',
    title: 'The server uses the wrong status code for this refusal',
    fix: 'Answer 401 with a WWW-Authenticate challenge when credentials are missing or invalid, and 403 when valid credentials are not allowed (insufficient_scope).',
    ref: 'RFC 6750 §3.1; RFC 9110 §15.5.2, §15.5.4',
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const challenges = f.challenges.challenges;

    // 401 + insufficient_scope.
    const scoped = challenges.find((c) => errorOf(c) === 'insufficient_scope');
    if (r.status === 401 && scoped) {
      return {
        confidence: 'confirmed',
        title: 'The server answers 401 for a missing scope; 403 is right',
        detail:
          'error="insufficient_scope" means the token was accepted but does not carry enough scope; RFC 6750 §3.1 says to answer 403. A 401 makes clients refresh the token and retry in vain.',
        fix: 'Answer insufficient_scope with 403 Forbidden (keep the challenge and its scope parameter).',
        evidence: [responseStatus(x), challengeEvidence(x, scoped)],
      };
    }

    // 403 to a request that carried no credentials at all.
    if (r.status === 403 && receivedCredentials(f).length === 0) {
      // AWS API Gateway's 403 "Missing Authentication Token" is its answer for an unknown route: url.wrong-endpoint says so.
      if (serverMessages(f).some((m) => m.entry.cause === 'url.wrong-endpoint')) return;
      const challenge = challenges[0];
      const evidence: EvidenceItem[] = [
        responseStatus(x),
        { probe: 'main', where: 'request.credentials', value: 'none' },
      ];
      if (challenge) evidence.push(challengeEvidence(x, challenge));
      return {
        // With a challenge the server plainly asks for credentials; without one, the 403 may be a deliberate "forbidden to everyone" (an IP rule).
        confidence: challenge ? 'confirmed' : 'likely',
        title: 'The server answers 403 to a request without credentials; 401 with a challenge is right',
        detail: `No Authorization, cookie or API key reached the server, so it cannot know who is asking: RFC 9110 §15.5.2 calls for 401 with a WWW-Authenticate challenge${challenge ? `, and this 403 even carries one (${clip(challenge.raw, 80)})` : ''}. A 403 tells clients not to retry with credentials (§15.5.4).`,
        fix: 'Answer requests that carry no credentials with 401 and a WWW-Authenticate challenge naming the scheme to use; keep 403 for authenticated callers who are not allowed.',
        evidence,
      };
    }

    // 2xx with an authentication error in the body.
    if (r.status >= 200 && r.status <= 299) {
      const inBody = authErrorInBody(f.bodyJson);
      // Only catalog entries known to come with a success status (Slack); a page may mention "jwt expired" harmlessly.
      const known = serverMessages(f).find((m) => m.entry.match.status?.includes(r.status));
      if (!inBody && !known) return;
      const redact = redactorFor(f);
      const quote = inBody ? `${inBody.where}: "${inBody.value}"` : `"${clip(redact(known!.quote), 100)}"`;
      return {
        confidence: 'confirmed',
        title: `The server answers ${r.status} although authentication failed (${quote})`,
        detail: `The body reports an authentication error while the status says success${known ? ` (${known.entry.producer}: ${known.entry.meaning})` : ''}. Clients, proxies and monitors that look at the status see a success.`,
        fix: 'Answer authentication failures with 401 and a WWW-Authenticate challenge (or 403 for valid credentials without permission), not 200.',
        evidence: [
          responseStatus(x),
          inBody
            ? { probe: 'main', where: `response.body.${inBody.where}`, value: inBody.value }
            : { probe: 'main', where: 'response.body', value: clip(redact(known!.quote)) },
        ],
      };
    }
    return;
  },
);
