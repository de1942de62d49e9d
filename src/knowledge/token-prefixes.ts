/**
 * Opaque credentials that say what they are by their prefix. A token that is not a JWT cannot be
 * judged offline (RFC 6749 §1.4: an access token is usually opaque to the client); its prefix can
 * still name the vendor and the kind, and so the vendor's own "who am I" request and the mistakes
 * that kind invites (a publishable key where a secret one is needed, a refresh token sent as an
 * access token, a test-mode key against live data).
 *
 * Platform-neutral data and a pure matcher. Every entry cites where its prefix is documented: the
 * vendor's documentation, or the rule files of the secret scanners gitleaks
 * (config/gitleaks.toml, cmd/generate/config/rules/*.go at b58d3f1), Nosey Parker
 * (crates/noseyparker/data/default/builtin/rules/*.yml) and TruffleHog (pkg/detectors/*).
 *
 * Left out because no source could be found for them: Google refresh tokens (`1//…` is common in
 * examples, but no Google page or scanner rule states the format); Okta API tokens have no
 * documented prefix of their own (gitleaks matches `00…` only beside the word "okta"), so Okta is
 * recognised by its `SSWS` scheme instead (see SCHEME_HINTS).
 */

export type TokenKind =
  | 'access token'
  | 'refresh token'
  | 'personal access token'
  | 'secret key'
  | 'restricted key'
  | 'publishable key'
  | 'api key'
  | 'access key id'
  | 'shared secret'
  | 'shared access signature';

/** A mistake the kind itself invites, said in its own words when the prefix shows it. */
export interface TokenMisuse {
  /** A short title ("a publishable key, not a secret key"). */
  title: string;
  detail: string;
  fix: string;
}

export interface TokenPrefix {
  /** Stable id for tests and evidence: `github-pat`, `stripe-publishable-live`. */
  id: string;
  vendor: string;
  /** What it is, in words: "GitHub personal access token (classic)". */
  name: string;
  kind: TokenKind;
  /** Tested against the whole credential. */
  match: RegExp;
  /** The prefix as people write it, for titles: `ghp_`. */
  prefix: string;
  /** The vendor's own request that says whose credential this is and whether it is valid. */
  whoami?: string;
  /** How the vendor wants it sent, when that is not `Authorization: Bearer`. */
  sendAs?: string;
  /** Test mode / sandbox: it sees only test data. */
  testMode?: boolean;
  misuse?: TokenMisuse;
  source: string;
}

const GITLEAKS = 'gitleaks config/gitleaks.toml';
const NOSEY = 'Nosey Parker crates/noseyparker/data/default/builtin/rules';
const GITHUB_WHOAMI =
  'GET https://api.github.com/user (the authenticated user; docs.github.com/rest/users/users#get-the-authenticated-user)';
const STRIPE_WHOAMI =
  'GET https://api.stripe.com/v1/account (retrieve the account the key belongs to; docs.stripe.com/api/accounts/retrieve)';
const SLACK_WHOAMI =
  'POST https://slack.com/api/auth.test ("checks authentication and tells you who you are"; docs.slack.dev/reference/methods/auth.test)';

const REFRESH_SENT: TokenMisuse = {
  title: 'a refresh token, not an access token',
  detail:
    'A refresh token is sent only to the token endpoint, to get a new access token (RFC 6749 §1.5, §6); an API refuses it in Authorization.',
  fix: 'Exchange it at the token endpoint (grant_type=refresh_token) and send the access token you get back.',
};

export const TOKEN_PREFIXES: readonly TokenPrefix[] = [
  // GitHub: "Behind GitHub's new authentication token formats" (github.blog, 2021-04-05).
  {
    id: 'github-pat',
    vendor: 'GitHub',
    name: 'GitHub personal access token (classic)',
    kind: 'personal access token',
    match: /^ghp_[0-9A-Za-z]{36}$/,
    prefix: 'ghp_',
    whoami: GITHUB_WHOAMI,
    source: `${GITLEAKS} github-pat; github.blog/2021-04-05-behind-githubs-new-authentication-token-formats`,
  },
  {
    id: 'github-fine-grained-pat',
    vendor: 'GitHub',
    name: 'GitHub fine-grained personal access token',
    kind: 'personal access token',
    match: /^github_pat_\w{20,}$/,
    prefix: 'github_pat_',
    whoami: GITHUB_WHOAMI,
    source: `${GITLEAKS} github-fine-grained-pat`,
  },
  {
    id: 'github-oauth',
    vendor: 'GitHub',
    name: 'GitHub OAuth access token',
    kind: 'access token',
    match: /^gho_[0-9A-Za-z]{36}$/,
    prefix: 'gho_',
    whoami: GITHUB_WHOAMI,
    source: `${GITLEAKS} github-oauth`,
  },
  {
    id: 'github-user-to-server',
    vendor: 'GitHub',
    name: 'GitHub App user access token',
    kind: 'access token',
    match: /^ghu_[0-9A-Za-z]{36}$/,
    prefix: 'ghu_',
    whoami: GITHUB_WHOAMI,
    source: `${GITLEAKS} github-app-token`,
  },
  {
    id: 'github-installation',
    vendor: 'GitHub',
    name: 'GitHub App installation access token',
    kind: 'access token',
    match: /^ghs_[0-9A-Za-z]{36}$/,
    prefix: 'ghs_',
    source: `${GITLEAKS} github-app-token`,
  },
  {
    id: 'github-refresh',
    vendor: 'GitHub',
    name: 'GitHub App refresh token',
    kind: 'refresh token',
    match: /^ghr_[0-9A-Za-z]{36,}$/,
    prefix: 'ghr_',
    misuse: REFRESH_SENT,
    source: `${GITLEAKS} github-refresh-token`,
  },
  // GitLab: default prefix glpat- since GitLab 14.5 (gitlab.com/gitlab-org/gitlab/-/issues/342327).
  {
    id: 'gitlab-pat',
    vendor: 'GitLab',
    name: 'GitLab personal access token',
    kind: 'personal access token',
    match: /^glpat-[\w.-]{20,}$/,
    prefix: 'glpat-',
    whoami: 'GET https://gitlab.com/api/v4/user (or /api/v4/user on your own GitLab)',
    source: `${GITLEAKS} gitlab-pat, gitlab-pat-routable; gitlab.com/gitlab-org/gitlab/-/issues/342327`,
  },
  // Slack: docs.slack.dev/authentication/tokens (xoxb-, xoxp-, xapp-, xoxe.xoxp-), gitleaks slack-*.
  {
    id: 'slack-bot',
    vendor: 'Slack',
    name: 'Slack bot token',
    kind: 'access token',
    match: /^xoxb-[0-9A-Za-z-]{10,}$/,
    prefix: 'xoxb-',
    whoami: SLACK_WHOAMI,
    source: `docs.slack.dev/authentication/tokens; ${GITLEAKS} slack-bot-token`,
  },
  {
    id: 'slack-user',
    vendor: 'Slack',
    name: 'Slack user token',
    kind: 'access token',
    match: /^xoxp-[0-9A-Za-z-]{10,}$/,
    prefix: 'xoxp-',
    whoami: SLACK_WHOAMI,
    source: `docs.slack.dev/authentication/tokens; ${GITLEAKS} slack-user-token`,
  },
  {
    id: 'slack-app',
    vendor: 'Slack',
    name: 'Slack app-level token',
    kind: 'access token',
    match: /^xapp-[0-9A-Za-z-]{10,}$/,
    prefix: 'xapp-',
    source: `docs.slack.dev/authentication/tokens; ${GITLEAKS} slack-app-token`,
  },
  {
    id: 'slack-config',
    vendor: 'Slack',
    name: 'Slack app configuration token',
    kind: 'access token',
    match: /^xoxe\.xox[bp]-[0-9A-Za-z-]{10,}$/,
    prefix: 'xoxe.xoxp-',
    source: `docs.slack.dev/authentication/tokens; ${GITLEAKS} slack-config-access-token`,
  },
  {
    id: 'slack-refresh',
    vendor: 'Slack',
    name: 'Slack refresh token (token rotation)',
    kind: 'refresh token',
    match: /^xoxe-[0-9A-Za-z-]{10,}$/,
    prefix: 'xoxe-',
    misuse: REFRESH_SENT,
    source: `docs.slack.dev/authentication/using-token-rotation; ${GITLEAKS} slack-config-refresh-token`,
  },
  {
    id: 'slack-legacy-workspace',
    vendor: 'Slack',
    name: 'Slack legacy workspace app token',
    kind: 'access token',
    match: /^xox[ar]-[0-9A-Za-z-]{8,}$/,
    prefix: 'xoxa-',
    whoami: SLACK_WHOAMI,
    source: `${GITLEAKS} slack-legacy-workspace-token`,
  },
  // Stripe: docs.stripe.com/keys (publishable pk_, secret sk_, restricted rk_; test and live modes).
  ...(['live', 'test'] as const).flatMap((mode): TokenPrefix[] => {
    const test = mode === 'test';
    const t = test ? { testMode: true } : {};
    return [
      {
        id: `stripe-secret-${mode}`,
        vendor: 'Stripe',
        name: `Stripe ${mode}-mode secret key`,
        kind: 'secret key',
        match: new RegExp(`^sk_${mode}_[0-9A-Za-z]{10,}$`),
        prefix: `sk_${mode}_`,
        whoami: STRIPE_WHOAMI,
        ...t,
        source: `docs.stripe.com/keys; ${GITLEAKS} stripe-access-token; ${NOSEY}/stripe.yml`,
      },
      {
        id: `stripe-restricted-${mode}`,
        vendor: 'Stripe',
        name: `Stripe ${mode}-mode restricted key`,
        kind: 'restricted key',
        match: new RegExp(`^rk_${mode}_[0-9A-Za-z]{10,}$`),
        prefix: `rk_${mode}_`,
        whoami: STRIPE_WHOAMI,
        ...t,
        source: `docs.stripe.com/keys; ${GITLEAKS} stripe-access-token`,
      },
      {
        id: `stripe-publishable-${mode}`,
        vendor: 'Stripe',
        name: `Stripe ${mode}-mode publishable key`,
        kind: 'publishable key',
        match: new RegExp(`^pk_${mode}_[0-9A-Za-z]{10,}$`),
        prefix: `pk_${mode}_`,
        ...t,
        misuse: {
          title: 'a publishable key, not a secret key',
          detail:
            'A Stripe publishable key is meant for the browser or app (Stripe.js, mobile SDKs): it identifies the account and can create tokens, but it cannot call the server-side API, which needs the secret key (sk_) or a restricted key (rk_) (docs.stripe.com/keys).',
          fix: `Send the ${mode}-mode secret key (\`sk_${mode}_…\`) or a restricted key (\`rk_${mode}_…\`) from the server; keep the publishable key in the browser.`,
        },
        source: `docs.stripe.com/keys; ${NOSEY}/stripe.yml`,
      },
    ];
  }),
  // AWS: docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids.
  {
    id: 'aws-access-key-id',
    vendor: 'AWS',
    name: 'AWS access key id (long-term IAM user key)',
    kind: 'access key id',
    match: /^AKIA[A-Z0-9]{16}$/,
    prefix: 'AKIA',
    whoami: 'aws sts get-caller-identity (STS GetCallerIdentity)',
    sendAs:
      'not as a bearer token: AWS requests are signed with the key id and its secret (Signature Version 4)',
    misuse: {
      title: 'an AWS access key id, which is not a bearer token',
      detail:
        'An AWS access key id names a key; it authenticates nothing on its own. AWS APIs take requests signed with the key id and its secret access key (Signature Version 4, `Authorization: AWS4-HMAC-SHA256 Credential=…`).',
      fix: 'Sign the request with the key id and the secret access key (an AWS SDK or `aws` CLI, or curl --aws-sigv4), instead of sending the key id as a token.',
    },
    source: `${GITLEAKS} aws-access-token (keywords cite docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html)`,
  },
  {
    id: 'aws-temporary-key-id',
    vendor: 'AWS',
    name: 'AWS temporary access key id (STS)',
    kind: 'access key id',
    match: /^ASIA[A-Z0-9]{16}$/,
    prefix: 'ASIA',
    whoami: 'aws sts get-caller-identity (STS GetCallerIdentity)',
    sendAs:
      'not as a bearer token: signed with Signature Version 4, with its secret and X-Amz-Security-Token',
    misuse: {
      title: 'an AWS access key id, which is not a bearer token',
      detail:
        'An AWS temporary key id (from STS) names a key; requests are signed with it, its secret access key and the session token in X-Amz-Security-Token (Signature Version 4).',
      fix: 'Sign the request with the key id, the secret access key and the session token (an AWS SDK or `aws` CLI), instead of sending the key id as a token.',
    },
    source: `${GITLEAKS} aws-access-token ("ASIA: Temporary (AWS STS) access key")`,
  },
  // Google: cloud.google.com/docs/authentication/token-types (access tokens are opaque).
  {
    id: 'google-access',
    vendor: 'Google',
    name: 'Google OAuth 2.0 access token',
    kind: 'access token',
    match: /^ya29\.[0-9A-Za-z_.-]{10,}$/,
    prefix: 'ya29.',
    whoami:
      'GET https://oauth2.googleapis.com/tokeninfo?access_token=… (cloud.google.com/docs/authentication/token-types)',
    source: `${NOSEY}/google.yml np.google.4; TruffleHog pkg/detectors/googleoauth2 (cites cloud.google.com/docs/authentication/token-types)`,
  },
  {
    id: 'google-api-key',
    vendor: 'Google',
    name: 'Google API key',
    kind: 'api key',
    match: /^AIza[\w-]{35}$/,
    prefix: 'AIza',
    sendAs: 'in the `key` query parameter or the `X-goog-api-key` header, not as a bearer token',
    misuse: {
      title: 'a Google API key, which is not an OAuth access token',
      detail:
        'A Google API key identifies a project; it is sent as `?key=…` or `X-goog-api-key`, and APIs that need a user or service account refuse it in Authorization (cloud.google.com/docs/authentication/api-keys).',
      fix: 'Send it as `?key=…` or `X-goog-api-key: …`; where the API needs OAuth, get an access token (ya29.…) instead.',
    },
    source: `${GITLEAKS} gcp-api-key; ${NOSEY}/google.yml np.google.5 (cites cloud.google.com/docs/authentication/api-keys)`,
  },
  // OpenAI and Anthropic.
  {
    id: 'anthropic-api-key',
    vendor: 'Anthropic',
    name: 'Anthropic API key',
    kind: 'api key',
    match: /^sk-ant-(?:api|admin)\d\d-[\w-]{20,}$/,
    prefix: 'sk-ant-',
    sendAs: 'in the `x-api-key` header (with `anthropic-version`), not `Authorization: Bearer`',
    whoami: 'GET https://api.anthropic.com/v1/models with `x-api-key`',
    source: `${GITLEAKS} anthropic-api-key, anthropic-admin-api-key`,
  },
  {
    id: 'openai-project-key',
    vendor: 'OpenAI',
    name: 'OpenAI project API key',
    kind: 'api key',
    match: /^sk-(?:proj|svcacct|admin)-[\w-]{20,}$/,
    prefix: 'sk-proj-',
    whoami: 'GET https://api.openai.com/v1/models',
    source: `${GITLEAKS} openai-api-key`,
  },
  {
    id: 'openai-key',
    vendor: 'OpenAI',
    name: 'OpenAI API key (legacy user key)',
    kind: 'api key',
    match: /^sk-[A-Za-z0-9]{20,}$/,
    prefix: 'sk-',
    whoami: 'GET https://api.openai.com/v1/models',
    source: `${GITLEAKS} openai-api-key (sk-…T3BlbkFJ…)`,
  },
  // Package registries and SaaS APIs.
  {
    id: 'npm-token',
    vendor: 'npm',
    name: 'npm access token',
    kind: 'access token',
    match: /^npm_[A-Za-z0-9]{36}$/,
    prefix: 'npm_',
    whoami: 'GET https://registry.npmjs.org/-/whoami (what `npm whoami` asks)',
    source: `${GITLEAKS} npm-access-token`,
  },
  {
    id: 'shopify-admin',
    vendor: 'Shopify',
    name: 'Shopify Admin API access token',
    kind: 'access token',
    match: /^shp(?:at|ca|pa)_[a-fA-F0-9]{32}$/,
    prefix: 'shpat_',
    sendAs: 'in the `X-Shopify-Access-Token` header, not `Authorization: Bearer`',
    source: `${GITLEAKS} shopify-access-token, shopify-custom-access-token, shopify-private-app-access-token`,
  },
  {
    id: 'shopify-shared-secret',
    vendor: 'Shopify',
    name: 'Shopify app shared secret',
    kind: 'shared secret',
    match: /^shpss_[a-fA-F0-9]{32}$/,
    prefix: 'shpss_',
    misuse: {
      title: 'an app shared secret, not an access token',
      detail:
        "A Shopify shared secret signs and verifies (webhooks, OAuth); it is never sent as a request's credential.",
      fix: 'Send the Admin API access token (`shpat_…`) in `X-Shopify-Access-Token`.',
    },
    source: `${GITLEAKS} shopify-shared-secret`,
  },
  {
    id: 'twilio-api-key',
    vendor: 'Twilio',
    name: 'Twilio API key SID',
    kind: 'api key',
    match: /^SK[0-9a-fA-F]{32}$/,
    prefix: 'SK',
    sendAs: 'as the user name of Basic authentication, with the API key secret as the password',
    misuse: {
      title: 'a Twilio API key SID, which is not a bearer token',
      detail:
        'A Twilio API key SID names the key; Twilio takes it as the Basic user name, with the API key secret as the password.',
      fix: 'Send `-u SK…:<API key secret>` (Basic authentication) instead of a bearer token.',
    },
    source: `${GITLEAKS} twilio-api-key`,
  },
  {
    id: 'sendgrid-api-key',
    vendor: 'SendGrid',
    name: 'SendGrid API key',
    kind: 'api key',
    match: /^SG\.[\w-]{16,}\.[\w-]{16,}$/,
    prefix: 'SG.',
    whoami: 'GET https://api.sendgrid.com/v3/scopes (the scopes of this key)',
    source: `${GITLEAKS} sendgrid-api-token; ${NOSEY}/sendgrid.yml`,
  },
  {
    id: 'atlassian-api-token',
    vendor: 'Atlassian',
    name: 'Atlassian API token',
    kind: 'api key',
    match: /^ATATT[A-Za-z0-9_=-]{20,}$/,
    prefix: 'ATATT',
    sendAs: 'as the password of Basic authentication, with your Atlassian account email as the user name',
    whoami: 'GET https://<site>.atlassian.net/rest/api/3/myself (Jira)',
    misuse: {
      title: 'an Atlassian API token, which is sent with Basic authentication',
      detail:
        'Atlassian Cloud REST APIs take an API token as the password of Basic authentication, with the account email as the user name; as a bearer token it is refused.',
      fix: 'Send `-u you@example.com:<API token>` (Basic authentication) instead of `Authorization: Bearer`.',
    },
    source: `${GITLEAKS} atlassian-api-token (ATATT3…)`,
  },
  {
    id: 'huggingface-token',
    vendor: 'Hugging Face',
    name: 'Hugging Face user access token',
    kind: 'access token',
    match: /^hf_[A-Za-z]{34}$/,
    prefix: 'hf_',
    source: `${GITLEAKS} huggingface-access-token`,
  },
  {
    id: 'digitalocean-pat',
    vendor: 'DigitalOcean',
    name: 'DigitalOcean personal access token',
    kind: 'personal access token',
    match: /^dop_v1_[a-f0-9]{64}$/,
    prefix: 'dop_v1_',
    source: `${GITLEAKS} digitalocean-pat`,
  },
  // Azure Storage: a shared access signature is a query string (learn.microsoft.com, "Identify URI
  // and SAS parameters": sv= storage version … sig= signature).
  {
    id: 'azure-sas',
    vendor: 'Azure Storage',
    name: 'Azure Storage shared access signature (SAS) token',
    kind: 'shared access signature',
    match: /^\??(?=.*(?:^|&)sv=\d{4}-\d\d-\d\d)(?=.*(?:^|&)sig=)[\w%=&.:~+/-]+$/,
    prefix: 'sv=…&sig=',
    sendAs: 'appended to the resource URL as its query string, not in Authorization',
    misuse: {
      title: 'a shared access signature, which belongs in the URL',
      detail:
        'An Azure Storage SAS token (sv=…&sig=…) is the query string of the resource URL; Azure Storage does not read it from Authorization.',
      fix: 'Append the SAS token to the blob, queue, table or file URL (`https://account.blob.core.windows.net/container/blob?sv=…&sig=…`) and send no Authorization header.',
    },
    source:
      'learn.microsoft.com/training/modules/configure-storage-security/4-identify-uri-sas-parameters; learn.microsoft.com/dotnet/api/azure.storage.sas.sasqueryparameters',
  },
];

/** Authorization schemes that name a vendor's own opaque token (`SSWS` is Okta's API token). */
export const SCHEME_HINTS: readonly TokenPrefix[] = [
  {
    id: 'okta-api-token',
    vendor: 'Okta',
    name: 'Okta API token (SSWS)',
    kind: 'api key',
    match: /^ssws$/i,
    prefix: 'SSWS',
    whoami: 'GET https://<your-org>.okta.com/api/v1/users/me',
    source:
      'developer.okta.com/docs/guides/create-an-api-token (Authorization: SSWS ${api_token}); gitleaks okta-access-token',
  },
];

/** The entry whose pattern the whole credential matches, most specific first (table order). */
export function tokenPrefixOf(token: string): TokenPrefix | undefined {
  const t = token.trim();
  return TOKEN_PREFIXES.find((p) => p.match.test(t));
}

/** The entry for a vendor scheme (`SSWS`). */
export function schemeHintOf(scheme: string | undefined): TokenPrefix | undefined {
  if (!scheme) return undefined;
  return SCHEME_HINTS.find((p) => p.match.test(scheme));
}
