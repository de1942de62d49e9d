import { parseWwwAuthenticate } from '../../parse/challenge.js';
import { headerValues } from '../../model/http.js';
import { header, jsonFrom, str, urlOf } from './read.js';
import type { AuthzDecision, AuthzInput, AuthzQuote } from './types.js';

/**
 * RFC 6750 §3.1 `insufficient_scope`: the token is valid but lacks a scope, and the server may
 * name the scopes it needs in the challenge's `scope` (or, with rack-oauth2 servers such as
 * GitLab, in the JSON body's `scope`). GitLab's API guard raises it with the scopes of the
 * endpoint (gitlab-org/gitlab: lib/api/api_guard.rb, InsufficientScopeError; rack-oauth2 joins
 * them with spaces).
 */

const RFC6750 = 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1';
const GITLAB =
  'gitlab-org/gitlab:lib/api/api_guard.rb; https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes';

function scopeRefusal(input: AuthzInput): { scopes: string[]; quotes: AuthzQuote[] } | undefined {
  const challenges = parseWwwAuthenticate(headerValues(input.headers, 'www-authenticate')).challenges;
  const c = challenges.find((c) => c.params['error']?.trim().toLowerCase() === 'insufficient_scope');
  if (c) {
    return {
      scopes: (c.params['scope'] ?? '').split(/\s+/).filter(Boolean),
      quotes: [{ text: c.raw, from: 'header www-authenticate' }],
    };
  }
  if (str(input.bodyJson, 'error') !== 'insufficient_scope') return undefined;
  const quotes: AuthzQuote[] = [{ text: 'insufficient_scope', from: jsonFrom('error') }];
  const scope = str(input.bodyJson, 'scope');
  if (scope) quotes.push({ text: scope, from: jsonFrom('scope') });
  return { scopes: (scope ?? '').split(/\s+/).filter(Boolean), quotes };
}

function isGitLab(input: AuthzInput): boolean {
  return header(input, 'x-gitlab-meta') !== undefined || /\/api\/v4\//.test(urlOf(input)?.pathname ?? '');
}

export function readOAuthScope(input: AuthzInput): AuthzDecision | undefined {
  if (input.status !== 403 && input.status !== 401) return undefined;
  const r = scopeRefusal(input);
  if (!r || r.scopes.length === 0) return undefined;
  const list = r.scopes.map((s) => `\`${s}\``).join(' ');
  if (isGitLab(input)) {
    const u = urlOf(input);
    return {
      platform: 'GitLab',
      action: r.scopes.join(' or '),
      ...(u ? { resource: u.pathname } : {}),
      rule: 'missing-scope',
      quotes: r.quotes,
      confirm: `${u ? u.origin : 'https://gitlab.example.com'}/-/user_settings/personal_access_tokens → create a token with the scope ${r.scopes[0]}`,
      fix: `The token lacks the scope this endpoint needs (${r.scopes.length > 1 ? 'one of ' : ''}${list}). A personal, project or group access token's scopes cannot be changed: create one with ${r.scopes.length > 1 ? 'one of them' : 'it'}.`,
      source: GITLAB,
    };
  }
  return {
    platform: 'OAuth 2.0 resource server (RFC 6750)',
    action: r.scopes.join(' '),
    rule: 'missing-scope',
    quotes: r.quotes,
    confirm: `request a token with scope=${r.scopes.join('+')} from the authorization server, then decode it and check its \`scope\` (or \`scp\`) claim`,
    fix: `Request a token that includes ${list} (the client must be allowed to ask for ${r.scopes.length > 1 ? 'them' : 'it'}).`,
    source: RFC6750,
    generic: true,
  };
}
