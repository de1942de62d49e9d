import { defineDecisionCheck, FAMILY } from './authz-decision.js';

/**
 * A 403 the platform explains by the token's grants: GitHub (X-Accepted-OAuth-Scopes against X-OAuth-Scopes, X-Accepted-GitHub-Permissions), GitLab insufficient_scope with its scopes, Microsoft Graph Authorization_RequestDenied, Google ACCESS_TOKEN_SCOPE_INSUFFICIENT.
 */
export default defineDecisionCheck(
  {
    ...FAMILY,
    confirmedBy: ['authz.forbidden', 'jwt.scope-insufficient'],
    id: 'authz.scope-missing',
    plain: 'Your token was not given the permission this needs: get a token that has it',
    title: 'The token lacks a scope or permission this request needs',
    fix: 'Get a token with the scope or permission the platform names (classic or fine-grained token settings, app permissions); refreshing the same grant gives the same scopes.',
    ref: "The platform's documentation or source for its refusal format (knowledge/authz)",
  },
  'missing-scope',
);
