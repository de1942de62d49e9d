import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseBody, responseStatus } from './cite.js';
import {
  challengeEvidence,
  clip,
  errorOf,
  jsonOAuthError,
  messageEvidence,
  receivedCredentials,
  redactorFor,
  sameAsAnonymous,
  serverMessages,
} from './response-util.js';
import type { Facts } from '../facts/request.js';

/**
 * 403: the server accepted who the caller is but will not let them do this. With
 * `error="insufficient_scope"` (RFC 6750 §3.1) the server names the scope to ask for; a bare 403
 * to a request that carried credentials is the same thing said less clearly (RFC 9110 §15.5.4).
 * A new token with the same grants will not help; asking for the role or scope will.
 */

/** The JSON members a server most often puts its human explanation in. */
function jsonMessage(json: unknown): { name: string; text: string } | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  for (const k of ['message', 'detail', 'error_description', 'title', 'error']) {
    const v = o[k];
    if (typeof v === 'string' && v.trim()) return { name: k, text: v };
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const m = (v as Record<string, unknown>)['message'];
      if (typeof m === 'string' && m.trim()) return { name: `${k}.message`, text: m };
    }
  }
  return undefined;
}

/** insufficient_scope, in the challenge or an OAuth-style body: a refusal about the token's grants. */
function isScopeRefusal(f: Facts): boolean {
  return (
    f.challenges.challenges.some((c) => errorOf(c) === 'insufficient_scope') ||
    jsonOAuthError(f.bodyJson)?.error === 'insufficient_scope'
  );
}

export default defineCheck(
  {
    id: 'authz.forbidden',
    plain: 'The site knows who you are, but your account is not allowed to do this',
    directness: 2,
    confirmedBy: ['jwt.scope-insufficient'],
    step: 4,
    kind: 'cause',
    title: 'The server knows who you are but refuses this request (403)',
    fix: 'Ask the API owner for the role or scope this operation needs (or use an account that has it), then get a new token that carries it; refreshing the same token will not help.',
    ref: 'RFC 6750 §3.1 (insufficient_scope); RFC 9110 §15.5.4',
    // A 403 that a request without any credentials gets too is about the request, not the account.
    contradictedBy: (f) =>
      sameAsAnonymous(f) && !isScopeRefusal(f) && !serverMessages(f).some((m) => m.entry.sameForAnyone)
        ? 'the same request without any credentials got the identical 403, so the refusal is not about who you are'
        : undefined,
  },
  (f): Draft | undefined => {
    const x = f.final;
    const r = f.response;
    if (!x || !r) return;
    const redact = redactorFor(f);
    const challenges = f.challenges.challenges;

    // 1. insufficient_scope, in the challenge or in an OAuth-style JSON body.
    const scoped = challenges.find((c) => errorOf(c) === 'insufficient_scope');
    const json = jsonOAuthError(f.bodyJson);
    const known = serverMessages(f).find((m) => m.entry.cause === 'jwt.scope-insufficient');
    if (scoped || json?.error === 'insufficient_scope' || known) {
      const scope = scoped?.params['scope']?.trim();
      const description = scoped?.params['error_description'] ?? json?.description ?? known?.quote;
      const evidence: EvidenceItem[] = [];
      if (scoped) evidence.push(challengeEvidence(x, scoped));
      else if (known) evidence.push(messageEvidence(x, known, challenges, redact));
      else evidence.push({ probe: 'main', where: 'response.body.error', value: 'insufficient_scope' });
      evidence.push(
        { probe: 'main', where: 'server.says', value: 'jwt.scope-insufficient' },
        responseStatus(x),
      );
      const scopes = scope ? scope.split(/\s+/) : [];
      return {
        confidence: 'confirmed',
        title: scope
          ? `The token lacks the scope ${scopes.map((s) => `"${s}"`).join(' ')} that this request needs`
          : 'The token is valid but lacks a scope this request needs',
        detail: `The server answered ${r.status} with error="insufficient_scope"${description ? ` ("${clip(redact(description), 120)}")` : ''}${scope ? ` and scope="${scope}"` : ', without naming the scope'}. The credentials were accepted; the token's grants are not enough (RFC 6750 §3.1).`,
        fix: scope
          ? `Request a token that includes ${scopes.length > 1 ? 'the scopes' : 'the scope'} ${scopes.map((s) => `\`${s}\``).join(' ')} (add ${scopes.length > 1 ? 'them' : 'it'} to the token request's \`scope\`, and make sure the client or user is allowed to get ${scopes.length > 1 ? 'them' : 'it'}); refreshing the same grant gives the same scopes.`
          : undefined,
        evidence,
      };
    }

    // 2. The server's own words for a permission refusal ("You do not have permission to perform
    // this action.", Django REST framework): confirmed, and quoted.
    const words = serverMessages(f);
    const denied = words.find((m) => m.entry.cause === 'authz.forbidden');
    // The same producer naming a credential problem beside it ("invalid token" before "permission
    // denied", Vault 1.17+) is the more specific word: that one is credentials.rejected's.
    const sharper = words.some(
      (m) => m.entry.producer === denied?.entry.producer && m.entry.cause !== 'authz.forbidden',
    );
    if (denied && r.status === 403 && !sharper) {
      const quote = clip(redact(denied.quote), 120);
      return {
        confidence: 'confirmed',
        title: `The server refuses this request for these credentials (403): ${quote}`,
        detail: denied.entry.sameForAnyone
          ? `${denied.entry.producer} answered 403 with "${quote}". ${denied.entry.meaning}`
          : `${denied.entry.producer} answered 403 with "${quote}". ${denied.entry.meaning} The credentials were accepted; this account or token may not do this.`,
        ...(denied.entry.fix ? { fix: denied.entry.fix(x.request.url) } : {}),
        evidence: [messageEvidence(x, denied, challenges, redact), responseStatus(x)],
      };
    }

    // 3. A bare 403 to a request that carried credentials, and nothing more specific to say.
    if (r.status !== 403) return;
    if (receivedCredentials(f).length === 0) return;
    if (challenges.some((c) => errorOf(c) !== undefined)) return;
    if (serverMessages(f).length > 0) return;
    if (
      json &&
      ['invalid_token', 'invalid_request', 'invalid_dpop_proof', 'use_dpop_nonce'].includes(json.error)
    )
      return;
    const said = jsonMessage(f.bodyJson);
    const evidence: EvidenceItem[] = [responseStatus(x)];
    if (said)
      evidence.push({ probe: 'main', where: `response.body.${said.name}`, value: clip(redact(said.text)) });
    else if (r.body.trim() && r.body.trim().length <= 200 && !/</.test(r.body))
      evidence.push(responseBody(x, clip(redact(r.body))));
    return {
      confidence: 'possible',
      title: said
        ? `The server refuses this request for these credentials (403): ${clip(redact(said.text), 100)}`
        : undefined,
      detail:
        'A 403 to a request that carried credentials means they were understood but are not enough for this resource or method (RFC 9110 §15.5.4): a role, scope, group, plan or resource permission is missing. It can also be a WAF or an IP rule; the server gave no more specific reason.',
      evidence,
    };
  },
);
