import { header, jsonFrom, str, urlOf } from './read.js';
import type { AuthzDecision, AuthzInput, AuthzQuote } from './types.js';

/**
 * GitHub's REST API. A classic token's scopes come back in `X-OAuth-Scopes`, the scopes the
 * endpoint accepts in `X-Accepted-OAuth-Scopes` (any one of them will do); a fine-grained token or
 * a GitHub App is told the permissions it needs in `X-Accepted-GitHub-Permissions` (comma-separated
 * permissions, `;` between alternative sets). Organisations add their own rules: SAML SSO
 * enforcement (with `X-GitHub-SSO: required; url=…`), IP allow lists and OAuth App access
 * restrictions, each with its own message.
 */

const SCOPES_DOC = 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps';
const TROUBLESHOOT = 'https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api';
const SSO_DOC =
  'https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api#personal-access-tokens-and-saml-sso';
const IP_DOC =
  'https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/managing-allowed-ip-addresses-for-your-organization';
const OAUTH_APPS_DOC =
  'https://docs.github.com/en/organizations/managing-oauth-access-to-your-organizations-data/about-oauth-app-access-restrictions';

/** A scope and the scopes it includes (the OAuth scopes table of SCOPES_DOC). */
const IMPLIES: Record<string, string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  'admin:repo_hook': ['write:repo_hook', 'read:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:org': ['write:org', 'read:org', 'manage_runners:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key', 'read:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:org_hook': [],
  user: ['read:user', 'user:email', 'user:follow'],
  project: ['read:project'],
  'write:packages': ['read:packages'],
  'admin:gpg_key': ['write:gpg_key', 'read:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'admin:ssh_signing_key': ['write:ssh_signing_key', 'read:ssh_signing_key'],
  'write:ssh_signing_key': ['read:ssh_signing_key'],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
  'manage_billing:enterprise': ['read:enterprise'],
};

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function granted(scopes: string[]): Set<string> {
  const out = new Set<string>();
  const add = (s: string): void => {
    if (out.has(s)) return;
    out.add(s);
    for (const i of IMPLIES[s] ?? []) add(i);
  };
  scopes.forEach(add);
  return out;
}

function isGitHub(input: AuthzInput): boolean {
  return (
    header(input, 'x-github-request-id') !== undefined ||
    header(input, 'x-github-media-type') !== undefined ||
    /docs\.github\.com/.test(str(input.bodyJson, 'documentation_url') ?? '')
  );
}

/** Where tokens are managed: github.com for api.github.com, the same host for GitHub Enterprise Server. */
function settings(input: AuthzInput, path: string): string {
  const u = urlOf(input);
  const host = !u || u.hostname === 'api.github.com' ? 'github.com' : u.host;
  return `https://${host}${path}`;
}

function owner(message: string): string | undefined {
  return /the `([^`]+)` organization/.exec(message)?.[1];
}

export function readGitHub(input: AuthzInput): AuthzDecision | undefined {
  if ((input.status !== 403 && input.status !== 404) || !isGitHub(input)) return undefined;
  const message = str(input.bodyJson, 'message') ?? '';
  const quotes: AuthzQuote[] = message ? [{ text: message, from: jsonFrom('message') }] : [];
  const path = urlOf(input)?.pathname;
  const resourceOf = (d: AuthzDecision): AuthzDecision => {
    if (path && d.resource === undefined) d.resource = path;
    return d;
  };

  if (/Resource protected by organization SAML enforcement/.test(message)) {
    const sso = header(input, 'x-github-sso');
    if (sso) quotes.push({ text: sso, from: 'header x-github-sso' });
    const url = sso ? /url=(\S+)/.exec(sso)?.[1] : undefined;
    return resourceOf({
      platform: 'GitHub',
      rule: 'tenant-policy',
      quotes,
      confirm: url ?? `${settings(input, '/settings/tokens')} → the token → Configure SSO → Authorize`,
      fix: 'The organization enforces SAML single sign-on: authorize this token for the organization (Configure SSO on the token, or open the URL GitHub gave), then retry with the same token.',
      source: SSO_DOC,
    });
  }
  if (/has an IP allow list enabled, and your IP address is not permitted/.test(message)) {
    const org = owner(message);
    return resourceOf({
      platform: 'GitHub',
      rule: 'network',
      ...(org ? { resource: `organization ${org}` } : {}),
      quotes,
      confirm: `${settings(input, `/organizations/${org ?? 'ORG'}/settings/security`)} → IP allow list (an owner of the organization sees it)`,
      fix: 'The organization only accepts requests from addresses on its IP allow list: call from an allowed address (a self-hosted runner, the office network, a VPN), or ask an owner to add this one.',
      source: IP_DOC,
    });
  }
  if (/organization has enabled OAuth App access restrictions/.test(message)) {
    const org = owner(message);
    return resourceOf({
      platform: 'GitHub',
      rule: 'tenant-policy',
      ...(org ? { resource: `organization ${org}` } : {}),
      quotes,
      confirm: settings(input, `/organizations/${org ?? 'ORG'}/settings/oauth_application_policy`),
      fix: 'The organization restricts OAuth App access: an owner must approve this OAuth App for the organization (or use a token that is not an OAuth App token).',
      source: OAUTH_APPS_DOC,
    });
  }

  const permissions = header(input, 'x-accepted-github-permissions');
  if (/^Resource not accessible by (?:personal access token|integration)$/.test(message)) {
    if (permissions) quotes.push({ text: permissions, from: 'header x-accepted-github-permissions' });
    const pat = /personal access token/.test(message);
    const need = permissions
      ?.split(';')
      .map((s) => s.trim())
      .filter(Boolean)
      .join(' or ');
    const d: AuthzDecision = {
      platform: 'GitHub',
      rule: 'missing-scope',
      quotes,
      confirm: pat
        ? `${settings(input, '/settings/personal-access-tokens')} → the token → Permissions${need ? `: ${need}` : ''}`
        : `the GitHub App's permissions (or the workflow's \`permissions:\` block for GITHUB_TOKEN)${need ? `: ${need}` : ''}`,
      fix: pat
        ? `Give the fine-grained token ${need ? `the permission ${need}` : 'the permission this endpoint needs'} and access to this repository (the organization may have to approve it).`
        : `Give the GitHub App (or GITHUB_TOKEN) ${need ? `the permission ${need}` : 'the permission this endpoint needs'}; an installation must accept new permissions before they apply.`,
      source: TROUBLESHOOT,
    };
    if (need) d.action = need;
    return resourceOf(d);
  }

  const accepted = list(header(input, 'x-accepted-oauth-scopes'));
  const has = header(input, 'x-oauth-scopes');
  if (accepted.length > 0 && has !== undefined) {
    const mine = granted(list(has));
    if (accepted.some((s) => mine.has(s))) return undefined;
    quotes.push(
      { text: header(input, 'x-accepted-oauth-scopes')!, from: 'header x-accepted-oauth-scopes' },
      { text: has || '(none)', from: 'header x-oauth-scopes' },
    );
    const want =
      accepted.length === 1 ? `\`${accepted[0]}\`` : `one of ${accepted.map((s) => `\`${s}\``).join(', ')}`;
    return resourceOf({
      platform: 'GitHub',
      action: accepted.join(' or '),
      rule: 'missing-scope',
      quotes,
      confirm: `${settings(input, '/settings/tokens')} → the token → add the scope ${accepted[0]} (gh CLI: gh auth refresh -s ${accepted[0]})`,
      fix: `The token has the scopes ${has ? `\`${has}\`` : '(none)'}; this endpoint accepts ${want}. Add it to the classic token (or create a token with it); the token's value does not change.`,
      source: SCOPES_DOC,
    });
  }
  return undefined;
}
