import type { GatewayEntry } from '../gateways.js';

/**
 * SaaS APIs answering for themselves: GitHub, GitLab, Stripe, Slack and OpenAI. Named so the
 * report can say who answered; they are the application, not a layer in front of it.
 */

export const SAAS: readonly GatewayEntry[] = [
  {
    id: 'github.bad-credentials',
    producer: 'GitHub REST API',
    kind: 'saas-api',
    match: { status: [401], body: /"message"\s*:\s*"Bad credentials"/ },
    support: { headers: [{ name: 'x-github-request-id' }] },
    cause: 'credentials.rejected',
    explanation: 'GitHub does not know the token: revoked, expired, regenerated or mistyped.',
    fix: 'Create a new personal access token (or refresh the app token) and send it as `Authorization: Bearer <token>`.',
    source: 'https://github.com/PyGithub/PyGithub/issues/934',
  },
  {
    id: 'github.saml-sso',
    producer: 'GitHub REST API',
    kind: 'saas-api',
    match: { status: [403], body: /Resource protected by organization SAML enforcement/ },
    support: { headers: [{ name: 'x-github-sso' }] },
    cause: 'authz.forbidden',
    explanation:
      'The token is valid, but the organization enforces SAML single sign-on and the token has not been authorized for it (the `X-GitHub-SSO` header carries the URL to authorize it).',
    fix: 'Authorize the token for the organization (Settings > Developer settings > token > Configure SSO), or open the URL in `X-GitHub-SSO`.',
    source: 'https://github.com/cli/cli/issues/2661',
  },
  {
    id: 'gitlab.unauthorized',
    producer: 'GitLab API',
    kind: 'saas-api',
    match: { status: [401], body: /^\s*\{\s*"message"\s*:\s*"401 Unauthorized"\s*\}\s*$/ },
    cause: 'credentials.rejected',
    explanation:
      'GitLab did not authenticate the request: the token is missing, unknown, revoked or expired (GitLab answers the same for each).',
    fix: 'Send a valid token (`PRIVATE-TOKEN: <pat>` or `Authorization: Bearer <token>`); check its expiry date and scopes.',
    source: 'gitlab-org/gitlab:lib/api/helpers.rb',
  },
  {
    id: 'gitlab.token-expired',
    producer: 'GitLab (OAuth)',
    kind: 'saas-api',
    match: {
      status: [401],
      body: /Token is expired\. You can either do re-authorization or token refresh\./,
    },
    cause: 'token.expired',
    explanation:
      'GitLab refused the OAuth access token: it has expired (GitLab OAuth access tokens live two hours).',
    fix: 'Use the refresh token to get a new access token, or authorize again.',
    source: 'https://github.com/mattermost/mattermost-plugin-gitlab/issues/316',
  },
  {
    id: 'stripe.no-api-key',
    producer: 'Stripe API',
    kind: 'saas-api',
    match: { status: [401], body: /You did not provide an API key/ },
    cause: 'credentials.missing',
    explanation:
      'No API key reached Stripe; often the variable holding it was empty, so `Authorization: Bearer undefined` or `null` was sent.',
    fix: 'Send the secret key (`sk_test_…` / `sk_live_…`) as `Authorization: Bearer <key>`; check the environment variable is set where the code runs.',
    source: 'https://github.com/stripe/stripe-node/issues/1353',
  },
  {
    id: 'stripe.invalid-api-key',
    producer: 'Stripe API',
    kind: 'saas-api',
    match: { status: [401], body: /Invalid API Key provided: [^"\n]*/ },
    cause: 'credentials.rejected',
    explanation:
      'Stripe does not know the key (the masked prefix shows what was sent): rolled, deleted, from another account, or a publishable key used as a secret key.',
    fix: 'Copy the current secret key of the right account and mode (test or live) from the dashboard.',
    source: 'https://fixerror-dev.pages.dev/stripe/api-key-invalid/',
  },
  {
    id: 'slack.not-authed',
    producer: 'Slack Web API',
    kind: 'saas-api',
    match: { status: [200], body: /"ok"\s*:\s*false[\s\S]*"error"\s*:\s*"not_authed"/ },
    cause: 'credentials.missing',
    explanation: 'Slack received no token (it answers 200 with `"ok": false`).',
    fix: 'Send the token as `Authorization: Bearer xoxb-…` (or the `token` form field).',
    source: 'https://github.com/slackhq/slack-api-docs/blob/master/index_web.md',
  },
  {
    id: 'slack.invalid-auth',
    producer: 'Slack Web API',
    kind: 'saas-api',
    match: { status: [200], body: /"ok"\s*:\s*false[\s\S]*"error"\s*:\s*"invalid_auth"/ },
    cause: 'credentials.rejected',
    explanation:
      'Slack could not validate the token, or the request came from an IP address the workspace does not allow (it answers 200 with `"ok": false`).',
    fix: "Use a valid token of this workspace; check the app's allowed IP address ranges.",
    source: 'https://hexdocs.pm/slack/Slack.Web.Auth.html',
  },
  {
    id: 'openai.no-api-key',
    producer: 'OpenAI API',
    kind: 'saas-api',
    match: { status: [401], body: /You didn't provide an API key/ },
    cause: 'credentials.missing',
    explanation: 'No API key reached OpenAI in `Authorization: Bearer`.',
    fix: 'Send `Authorization: Bearer <key>`; check the environment variable is set where the code runs.',
    source: 'https://github.com/yihong0618/bilingual_book_maker/issues/137',
  },
  {
    id: 'openai.incorrect-api-key',
    producer: 'OpenAI API',
    kind: 'saas-api',
    match: { status: [401], body: /Incorrect API key provided: [^"\n]*/ },
    cause: 'credentials.rejected',
    explanation:
      "OpenAI does not know the key (the masked prefix shows what was sent: another provider's key, a URL, or a revoked key).",
    fix: 'Use a current key from the OpenAI dashboard, or point the client at the base URL of the provider whose key it is.',
    source: 'https://github.com/continuedev/continue/issues/10250',
  },
];
