import type { GrantAttempt } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { isOAuthErrorAnswer } from '../spec/oauth-errors.js';
import { clip, redactorFor } from './response-util.js';

/**
 * RFC 6749 §5.2: a token endpoint refuses a grant with `error` (invalid_request, invalid_client,
 * invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope) and an optional
 * `error_description`. For a refresh grant, invalid_grant means the refresh token is expired,
 * revoked, or was issued to another client (§6): only a new sign-in helps.
 */

const GRANT_WORDS: Record<GrantAttempt['grant'], string> = {
  refresh_token: 'refresh grant',
  client_credentials: 'client-credentials grant',
};

function meaning(g: GrantAttempt): { title: string; detail: string; fix: string } {
  const refresh = g.grant === 'refresh_token';
  switch (g.error) {
    case 'invalid_grant':
      return refresh
        ? {
            title: 'The refresh token was rejected (invalid_grant): the user must sign in again',
            detail:
              'invalid_grant on a refresh grant (RFC 6749 §5.2, §6): the refresh token is expired, revoked (sign-out, password change, rotation that already used it), or was issued to another client.',
            fix: 'Sign in again (authorization code flow) to get a new refresh token; if you rotate refresh tokens, always store the newest one and never reuse an old one.',
          }
        : {
            title: `The ${GRANT_WORDS[g.grant]} was rejected (invalid_grant)`,
            detail: 'invalid_grant (RFC 6749 §5.2): the grant presented is invalid, expired or revoked.',
            fix: 'Check the grant parameters against what the authorization server expects.',
          };
    case 'invalid_client':
      return {
        title: `The ${GRANT_WORDS[g.grant]} failed (invalid_client): the client id or secret is not accepted`,
        detail:
          'invalid_client (RFC 6749 §5.2): client authentication failed: unknown client id, wrong or expired secret, or the secret sent in a way the server does not take (Basic header versus form body).',
        fix: 'Check --client-id and --client-secret against the client registration (an expired secret must be renewed), and the client authentication method it is registered with (client_secret_basic or client_secret_post).',
      };
    case 'unauthorized_client':
      return {
        title: `The client may not use the ${GRANT_WORDS[g.grant]} (unauthorized_client)`,
        detail: `unauthorized_client (RFC 6749 §5.2): this client is not allowed to use the ${g.grant} grant type.`,
        fix: refresh
          ? 'Allow the refresh_token grant for this client in its registration (and request the offline_access scope where the provider needs it).'
          : 'Allow the client_credentials grant for this client in its registration (a confidential client or service account, not a public one).',
      };
    case 'invalid_scope':
      return {
        title: `The ${GRANT_WORDS[g.grant]} was refused for its scope (invalid_scope)`,
        detail:
          'invalid_scope (RFC 6749 §5.2): the requested scope is unknown, malformed, or more than the client (or the original grant) is allowed.',
        fix: refresh
          ? 'Ask only for scopes the original sign-in granted (or none, to keep them), or sign in again asking for the new scope.'
          : 'Ask only for scopes this client is allowed to get (check --scope against the client registration; Entra ID wants `<api>/.default` for client credentials).',
      };
    case 'unsupported_grant_type':
      return {
        title: `The token endpoint does not support the ${GRANT_WORDS[g.grant]} (unsupported_grant_type)`,
        detail: `unsupported_grant_type (RFC 6749 §5.2): the authorization server does not offer the ${g.grant} grant${g.from.includes('--token-url') ? ', or --token-url is not its token endpoint' : ''}.`,
        fix: 'Check that the URL is the token endpoint (token_endpoint of the discovery document) and that the server offers this grant type.',
      };
    case 'invalid_request':
      return {
        title: `The token endpoint refused the ${GRANT_WORDS[g.grant]} as malformed (invalid_request)`,
        detail: 'invalid_request (RFC 6749 §5.2): a required parameter is missing, repeated or unsupported.',
        fix: 'Check the grant parameters (client id, refresh token, scope, resource or audience) against the provider documentation.',
      };
    default:
      return {
        title: g.error
          ? `The ${GRANT_WORDS[g.grant]} failed (${g.error})`
          : `The ${GRANT_WORDS[g.grant]} failed: the token endpoint answered ${g.status ?? 'nothing'}`,
        detail: g.error
          ? `The token endpoint answered with error "${g.error}".`
          : `The token endpoint answered ${g.status ?? 'nothing'} without an RFC 6749 §5.2 error.`,
        fix: refresh
          ? 'Sign in again to get a new refresh token, and check the token endpoint URL.'
          : 'Check the token endpoint URL, --client-id and --client-secret against the client registration.',
      };
  }
}

export default defineCheck(
  {
    id: 'token.refresh-rejected',
    plain: 'The sign-in service refused to renew your sign-in',
    directness: 3,
    step: 2,
    kind: 'cause',
    title: 'The token endpoint refused to issue a new token',
    fix: 'Sign in again to get a new refresh token; check the client id, secret and scope of the token request.',
    ref: 'RFC 6749 §5.2, §6',
    applies: (f) => {
      const g = f.ev.idp?.grant;
      if (!g) return 'no fresh token was asked for (--token-url or --issuer with --client-id)';
      // The probe lists it under skippedProbes with the reason (no token endpoint, 404, 500, HTML).
      if (!g.accessToken && !isOAuthErrorAnswer(g))
        return 'the grant got no OAuth answer (RFC 6749 §5.2) from a token endpoint: see the skipped fresh probe';
      return undefined;
    },
  },
  (f): Draft | undefined => {
    const g = f.ev.idp?.grant;
    // Only an OAuth error from a real token endpoint says something about the credentials: an
    // unreachable URL, a 404, a 500 or an HTML page says the URL is wrong or the server failed.
    if (!g || !isOAuthErrorAnswer(g)) return;
    const redact = redactorFor(f);
    const evidence: EvidenceItem[] = [
      { probe: 'grant', where: 'grant.type', value: g.grant },
      { probe: 'grant', where: 'grant.endpoint', value: g.tokenEndpoint },
    ];
    if (g.status !== undefined)
      evidence.push({ probe: 'grant', where: 'grant.status', value: String(g.status) });
    if (g.error !== undefined) evidence.push({ probe: 'grant', where: 'grant.error', value: g.error });
    const description = g.errorDescription ? clip(redact(g.errorDescription), 200) : undefined;
    if (description) evidence.push({ probe: 'grant', where: 'grant.error_description', value: description });
    const m = meaning(g);
    return {
      confidence: 'confirmed',
      title: m.title,
      detail: `The ${GRANT_WORDS[g.grant]} at ${g.tokenEndpoint} (${g.from}) answered${g.status !== undefined ? ` ${g.status}` : ''}${g.error ? ` with error "${g.error}"` : ''}${description ? ` and error_description "${description}"` : ''}. ${m.detail}`,
      fix: m.fix,
      evidence,
    };
  },
);
