import check from '../../src/checks/authz-scope-missing.js';
import { testCheck } from '../support/check-tester.js';

const GH_TOKEN = { Authorization: 'Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a' };
const GITHUB = {
  'X-GitHub-Request-Id': 'C0DE:1234:5678:9ABC:65F00000',
  'X-GitHub-Media-Type': 'github.v3',
  'Content-Type': 'application/json',
};

testCheck(check, {
  valid: [
    {
      name: 'RFC 6750 insufficient_scope from an unnamed server: authz.forbidden and jwt.scope-insufficient tell it',
      input: {
        headers: GH_TOKEN,
        status: 403,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' },
      },
    },
    {
      name: 'GitHub: the token has a scope that includes the accepted one',
      input: {
        headers: GH_TOKEN,
        status: 403,
        responseHeaders: { ...GITHUB, 'X-OAuth-Scopes': 'admin:org', 'X-Accepted-OAuth-Scopes': 'read:org' },
        responseBody: '{"message":"Forbidden","documentation_url":"https://docs.github.com/rest"}',
      },
    },
  ],
  invalid: [
    {
      // docs.github.com: scopes-for-oauth-apps (X-OAuth-Scopes, X-Accepted-OAuth-Scopes).
      name: 'GitHub classic token without the accepted scope',
      input: {
        url: 'https://api.github.com/orgs/acme/hooks',
        headers: GH_TOKEN,
        status: 403,
        responseHeaders: {
          ...GITHUB,
          'X-OAuth-Scopes': 'repo, read:org',
          'X-Accepted-OAuth-Scopes': 'admin:org_hook',
        },
        responseBody:
          '{"message":"Must have admin rights to Repository.","documentation_url":"https://docs.github.com/rest/orgs/webhooks"}',
      },
      expect: {
        id: 'authz.scope-missing',
        confidence: 'confirmed',
        title:
          'GitHub refuses this caller `admin:org_hook` on /orgs/acme/hooks: the token lacks the scope or permission it needs',
        evidence: [
          { where: 'response.header.x-accepted-oauth-scopes', value: 'admin:org_hook' },
          { where: 'response.header.x-oauth-scopes', value: 'repo, read:org' },
        ],
        mentions: ['gh auth refresh -s admin:org_hook'],
      },
    },
    {
      // docs.github.com: troubleshooting-the-rest-api (X-Accepted-GitHub-Permissions).
      name: 'GitHub fine-grained token without the permission',
      input: {
        url: 'https://api.github.com/repos/acme/widgets/issues',
        method: 'POST',
        headers: { Authorization: 'Bearer github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz' },
        status: 403,
        responseHeaders: { ...GITHUB, 'X-Accepted-GitHub-Permissions': 'issues=write' },
        responseBody:
          '{"message":"Resource not accessible by personal access token","documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"403"}',
      },
      expect: { mentions: ['issues=write', 'https://github.com/settings/personal-access-tokens'] },
    },
    {
      // gitlab-org/gitlab lib/api/api_guard.rb: InsufficientScopeError with the endpoint's scopes.
      name: 'GitLab insufficient_scope with its scope',
      input: {
        url: 'https://gitlab.example.com/api/v4/projects/42/issues',
        headers: { 'PRIVATE-TOKEN': 'glpat-abcdefghijklmnopqrst' },
        status: 403,
        responseHeaders: { 'Content-Type': 'application/json' },
        responseBody:
          '{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}',
      },
      expect: {
        title:
          'GitLab refuses this caller `api` on /api/v4/projects/42/issues: the token lacks the scope or permission it needs',
        mentions: ['https://gitlab.example.com/-/user_settings/personal_access_tokens'],
        evidence: [{ where: 'response.body.scope', value: 'api' }],
      },
    },
    {
      name: 'Microsoft Graph Authorization_RequestDenied',
      input: {
        url: 'https://graph.microsoft.com/v1.0/users',
        headers: GH_TOKEN,
        status: 403,
        responseBody:
          '{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2026-11-27T12:00:00"}}}',
      },
      expect: { mentions: ['Microsoft Graph', 'Insufficient privileges to complete the operation.'] },
    },
  ],
});
