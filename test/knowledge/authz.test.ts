import { describe, expect, it } from 'vitest';
import { readAuthzDecision, type AuthzDecision, type AuthzInput } from '../../src/knowledge/authz/index.js';

/**
 * One recorded answer per platform format, with its source; each row asserts what the reader
 * takes from it (principal, action, resource, rule kind) and the confirm command filled in.
 */

interface Row {
  name: string;
  /** Where the answer's format comes from. */
  source: string;
  status: number;
  url?: string;
  headers?: Record<string, string>;
  body: string;
  expect: Partial<AuthzDecision> | undefined;
  /** Substrings of the confirm command. */
  confirm?: string[];
}

function input(r: Row): AuthzInput {
  const i: AuthzInput = {
    status: r.status,
    headers: Object.entries(r.headers ?? {}),
    body: r.body,
    url: r.url ?? 'https://api.example.com/v1/thing',
  };
  try {
    i.bodyJson = JSON.parse(r.body) as unknown;
  } catch {
    // Not JSON: the readers read the text.
  }
  return i;
}

const k8s = (message: string): string =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Forbidden',
    details: { kind: 'pods' },
    code: 403,
  });

const K8S_SRC = 'kubernetes/apiserver pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage';
const S3_SRC = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html';
const s3 = (message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>5Y1SKP3W9Q2B2TMF</RequestId><HostId>EXAMPLEhostid=</HostId></Error>`;
const MARY = 'arn:aws:iam::777788889999:user/MaryMajor';
const OBJECT = 'arn:aws:s3:::amzn-s3-demo-bucket/object-name';
const ENCODED = '4GIOHlTkIaWHQD0Q0m6XSnuUMCm-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGH';
const GITHUB = { 'X-GitHub-Request-Id': 'C0DE:1234:5678:9ABC:65F00000', 'X-GitHub-Media-Type': 'github.v3' };

const rows: Row[] = [
  // --- Kubernetes ----------------------------------------------------------------------------
  {
    name: 'Kubernetes: a user may not list pods in a namespace',
    source: K8S_SRC,
    status: 403,
    body: k8s(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "dev"',
    ),
    expect: { platform: 'Kubernetes API server', principal: 'alice', action: 'list', rule: 'missing-role' },
    confirm: ['kubectl auth can-i list pods --as alice -n dev'],
  },
  {
    name: 'Kubernetes: a service account at the cluster scope, API group apps',
    source: K8S_SRC,
    status: 403,
    body: k8s(
      'deployments.apps is forbidden: User "system:serviceaccount:ci:deployer" cannot create resource "deployments" in API group "apps" at the cluster scope',
    ),
    expect: {
      principal: 'system:serviceaccount:ci:deployer',
      action: 'create',
      resource: 'deployments (API group apps) in the cluster scope',
      rule: 'missing-role',
    },
    confirm: ['kubectl auth can-i create deployments.apps --as system:serviceaccount:ci:deployer'],
  },
  {
    name: 'Kubernetes: a subresource, with the authorizer reason after it',
    source: K8S_SRC,
    status: 403,
    body: k8s(
      'pods "web-0" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the namespace "prod": RBAC: clusterrole.rbac.authorization.k8s.io "log-reader" not found',
    ),
    expect: { principal: 'bob', action: 'get', rule: 'missing-role' },
    confirm: ['kubectl auth can-i get pods --subresource=log --as bob -n prod'],
  },
  {
    name: 'Kubernetes: a non-resource path',
    source: K8S_SRC,
    status: 403,
    body: k8s('forbidden: User "carol" cannot get path "/metrics"'),
    expect: { principal: 'carol', action: 'get', resource: '/metrics', rule: 'missing-role' },
    confirm: ['kubectl auth can-i get /metrics --as carol'],
  },
  // --- AWS ---------------------------------------------------------------------------------------
  {
    name: 'S3: no identity-based policy allows (implicit deny, policy type named)',
    source: S3_SRC,
    status: 403,
    body: s3(
      `User: ${MARY} is not authorized to perform: s3:GetObject on resource: "${OBJECT}" because no identity-based policy allows the s3:GetObject action`,
    ),
    expect: {
      platform: 'Amazon S3',
      principal: MARY,
      action: 's3:GetObject',
      resource: OBJECT,
      rule: 'no-allow',
      policy: 'identity-based',
    },
    confirm: [
      `aws iam simulate-principal-policy --policy-source-arn ${MARY} --action-names s3:GetObject --resource-arns ${OBJECT}`,
    ],
  },
  {
    name: 'S3: an explicit deny in a resource-based policy (the bucket policy)',
    source: S3_SRC,
    status: 403,
    body: s3(
      `User: ${MARY} is not authorized to perform: s3:GetObject on resource: "${OBJECT}" with an explicit deny in a resource-based policy`,
    ),
    expect: { rule: 'explicit-deny', policy: 'resource-based', principal: MARY },
    confirm: ['aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket'],
  },
  {
    name: 'S3: an explicit deny in a service control policy is the organisation’s',
    source: S3_SRC,
    status: 403,
    body: s3(
      `User: ${MARY} is not authorized to perform: s3:GetObject on resource: "${OBJECT}" with an explicit deny in a service control policy`,
    ),
    expect: { rule: 'tenant-policy', policy: 'service control' },
    confirm: [
      'aws organizations list-policies-for-target --target-id 777788889999 --filter SERVICE_CONTROL_POLICY',
    ],
  },
  {
    name: 'S3: no VPC endpoint policy allows it (a network rule)',
    source: S3_SRC,
    status: 403,
    body: s3(
      `User: ${MARY} is not authorized to perform: s3:GetObject on resource: "${OBJECT}" because no VPC endpoint policy allows the s3:GetObject action`,
    ),
    expect: { rule: 'network', policy: 'VPC endpoint' },
    confirm: ['aws ec2 describe-vpc-endpoints'],
  },
  {
    name: 'API Gateway resource policy: an unsigned request, explicit deny',
    source: 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden',
    status: 403,
    headers: { 'x-amzn-ErrorType': 'AccessDeniedException', 'x-amzn-RequestId': 'a1b2c3' },
    body: '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets with an explicit deny"}',
    expect: {
      platform: 'AWS API Gateway',
      principal: 'anonymous',
      action: 'execute-api:Invoke',
      resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets',
      rule: 'explicit-deny',
    },
    confirm: ['aws apigateway get-rest-api --rest-api-id abcdef1234 --region us-east-1 --query policy'],
  },
  {
    name: 'API Gateway IAM authorization: an assumed role no policy allows (simulated as its role)',
    source: 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden',
    status: 403,
    headers: { 'x-amzn-ErrorType': 'AccessDeniedException' },
    body: '{"Message":"User: arn:aws:sts::123456789012:assumed-role/Deployer/ci-session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets"}',
    expect: { principal: 'arn:aws:sts::123456789012:assumed-role/Deployer/ci-session', rule: 'no-allow' },
    confirm: [
      '--policy-source-arn arn:aws:iam::123456789012:role/Deployer --action-names execute-api:Invoke',
    ],
  },
  {
    name: 'API Gateway Lambda authorizer: an explicit deny',
    source: 'https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer',
    status: 403,
    url: 'https://abcdef1234.execute-api.eu-west-1.amazonaws.com/prod/pets',
    headers: { 'x-amzn-ErrorType': 'AccessDeniedException' },
    body: '{"message":"User is not authorized to access this resource with an explicit deny"}',
    expect: {
      platform: 'AWS API Gateway (Lambda authorizer)',
      resource: '/prod/pets',
      rule: 'explicit-deny',
    },
    confirm: ['aws apigateway get-authorizers --rest-api-id abcdef1234 --region eu-west-1'],
  },
  {
    name: 'EC2 UnauthorizedOperation: only the encoded message',
    source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html',
    status: 403,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. Encoded authorization failure message: ${ENCODED}</Message></Error></Errors><RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>`,
    expect: { platform: 'AWS IAM', rule: 'no-allow' },
    confirm: [`aws sts decode-authorization-message --encoded-message ${ENCODED}`],
  },
  {
    name: 'EC2 with the principal and the encoded message: decode is the confirm',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
    status: 403,
    body: `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/bob is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: ${ENCODED}</Message></Error></Errors></Response>`,
    expect: {
      principal: 'arn:aws:iam::123456789012:user/bob',
      action: 'ec2:RunInstances',
      resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*',
      rule: 'no-allow',
    },
    confirm: [`aws sts decode-authorization-message --encoded-message ${ENCODED}`],
  },
  {
    name: 'S3 without the extended message: nothing to read (the gateway entry keeps it)',
    source: S3_SRC,
    status: 403,
    body: s3('Access Denied'),
    expect: undefined,
  },
  // --- Google Cloud ----------------------------------------------------------------------------
  {
    name: 'Google Cloud IAM_PERMISSION_DENIED with metadata.permission',
    source: 'https://cloud.google.com/iam/docs/permission-error-messages; https://google.aip.dev/193',
    status: 403,
    body: JSON.stringify({
      error: {
        code: 403,
        message:
          "Permission 'resourcemanager.projects.getIamPolicy' denied on resource '//cloudresourcemanager.googleapis.com/projects/my-project' (or it may not exist).",
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'IAM_PERMISSION_DENIED',
            domain: 'cloudresourcemanager.googleapis.com',
            metadata: {
              permission: 'resourcemanager.projects.getIamPolicy',
              resource: '//cloudresourcemanager.googleapis.com/projects/my-project',
            },
          },
        ],
      },
    }),
    expect: {
      platform: 'Google Cloud IAM',
      action: 'resourcemanager.projects.getIamPolicy',
      resource: '//cloudresourcemanager.googleapis.com/projects/my-project',
      rule: 'no-allow',
    },
    confirm: [
      'gcloud policy-intelligence troubleshoot-policy iam //cloudresourcemanager.googleapis.com/projects/my-project --principal-email=PRINCIPAL_EMAIL --permission=resourcemanager.projects.getIamPolicy',
    ],
  },
  {
    name: 'Google Cloud ACCESS_TOKEN_SCOPE_INSUFFICIENT with the scope in the challenge',
    source: 'https://google.aip.dev/193 (ErrorInfo reasons of googleapis.com)',
    status: 403,
    headers: {
      'WWW-Authenticate':
        'Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://www.googleapis.com/auth/cloud-platform"',
    },
    body: JSON.stringify({
      error: {
        code: 403,
        message: 'Request had insufficient authentication scopes.',
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
            domain: 'googleapis.com',
            metadata: {
              method: 'google.cloud.resourcemanager.v3.Projects.GetProject',
              service: 'cloudresourcemanager.googleapis.com',
            },
          },
        ],
      },
    }),
    expect: {
      rule: 'missing-scope',
      action: 'google.cloud.resourcemanager.v3.Projects.GetProject',
      resource: 'cloudresourcemanager.googleapis.com',
    },
    confirm: [
      'gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform',
    ],
  },
  {
    name: 'Google Cloud VPC Service Controls',
    source: 'https://cloud.google.com/vpc-service-controls/docs/troubleshooting',
    status: 403,
    body: JSON.stringify({
      error: {
        code: 403,
        message:
          "Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: 2Pgp0N7E1xEXAMPLE",
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'SECURITY_POLICY_VIOLATED',
            domain: 'googleapis.com',
            metadata: { service: 'storage.googleapis.com', uid: '2Pgp0N7E1xEXAMPLE' },
          },
        ],
      },
    }),
    expect: { rule: 'network', resource: 'storage.googleapis.com' },
    confirm: ['2Pgp0N7E1xEXAMPLE'],
  },
  // --- Azure and Microsoft Graph ---------------------------------------------------------------
  {
    name: 'Azure Resource Manager AuthorizationFailed',
    source: 'https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting',
    status: 403,
    body: JSON.stringify({
      error: {
        code: 'AuthorizationFailed',
        message:
          "The client 'dev@contoso.com' with object id '3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f' does not have authorization to perform action 'Microsoft.Web/sites/read' over scope '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-web' or the scope is invalid. If access was recently granted, please refresh your credentials.",
      },
    }),
    expect: {
      platform: 'Azure Resource Manager',
      principal: 'dev@contoso.com (object id 3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f)',
      action: 'Microsoft.Web/sites/read',
      resource: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-web',
      rule: 'missing-role',
    },
    confirm: [
      'az role assignment list --assignee 3f2c1a7e-9b4d-4e21-8c55-0a1b2c3d4e5f --scope /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-web',
    ],
  },
  {
    name: 'Azure Policy RequestDisallowedByPolicy',
    source: 'https://learn.microsoft.com/en-us/azure/governance/policy/troubleshoot/general',
    status: 403,
    body: JSON.stringify({
      error: {
        code: 'RequestDisallowedByPolicy',
        target: 'vm1',
        message:
          'Resource \'vm1\' was disallowed by policy. Policy identifiers: \'[{"policyAssignment":{"name":"Allowed locations"}}]\'.',
      },
    }),
    expect: { platform: 'Azure Policy', resource: 'vm1', rule: 'tenant-policy' },
    confirm: ['az policy assignment list'],
  },
  {
    name: 'Microsoft Graph Authorization_RequestDenied',
    source: 'https://learn.microsoft.com/en-us/graph/resolve-auth-errors',
    status: 403,
    body: '{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2026-11-27T12:00:00","request-id":"8d1c9f54-0000-4c1b-9d1e-000000000000","client-request-id":"8d1c9f54-0000-4c1b-9d1e-000000000000"}}}',
    expect: { platform: 'Microsoft Graph', rule: 'missing-scope' },
    confirm: ['API permissions'],
  },
  // --- Keycloak, OPA, Envoy RBAC ---------------------------------------------------------------
  {
    name: 'Keycloak Authorization Services: not_authorized',
    source: 'keycloak/keycloak AuthorizationTokenService.java',
    status: 403,
    url: 'https://sso.example.com/realms/shop/protocol/openid-connect/token',
    body: '{"error":"access_denied","error_description":"not_authorized"}',
    expect: { platform: 'Keycloak Authorization Services', resource: 'realm shop', rule: 'no-allow' },
    confirm: ['https://sso.example.com/admin/master/console/#/shop/clients', 'Evaluate'],
  },
  {
    name: 'OPA: request rejected by administrative policy',
    source: 'open-policy-agent/opa server/types/types.go (MsgUnauthorizedError)',
    status: 401,
    body: '{"code":"unauthorized","message":"request rejected by administrative policy"}',
    expect: { platform: 'Open Policy Agent', rule: 'no-allow' },
    confirm: ['data.system.authz.allow'],
  },
  {
    name: 'Envoy RBAC filter',
    source: 'envoyproxy/envoy source/extensions/filters/http/rbac/rbac_filter.cc',
    status: 403,
    headers: { server: 'envoy' },
    body: 'RBAC: access denied',
    expect: { rule: 'no-allow' },
    confirm: ['istioctl x authz check'],
  },
  // --- GitHub ------------------------------------------------------------------------------------
  {
    name: 'GitHub classic token: the accepted scope is not among the token’s',
    source: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps',
    status: 403,
    url: 'https://api.github.com/orgs/acme/hooks',
    headers: { ...GITHUB, 'X-OAuth-Scopes': 'repo, read:org', 'X-Accepted-OAuth-Scopes': 'admin:org_hook' },
    body: '{"message":"Must have admin rights to Repository.","documentation_url":"https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks","status":"403"}',
    expect: {
      platform: 'GitHub',
      action: 'admin:org_hook',
      resource: '/orgs/acme/hooks',
      rule: 'missing-scope',
    },
    confirm: ['https://github.com/settings/tokens', 'gh auth refresh -s admin:org_hook'],
  },
  {
    name: 'GitHub classic token: a broader scope includes the accepted one (no decision)',
    source: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps',
    status: 403,
    headers: { ...GITHUB, 'X-OAuth-Scopes': 'admin:org', 'X-Accepted-OAuth-Scopes': 'read:org' },
    body: '{"message":"Forbidden","documentation_url":"https://docs.github.com/rest"}',
    expect: undefined,
  },
  {
    name: 'GitHub fine-grained token: the permission it needs',
    source: 'https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api',
    status: 403,
    url: 'https://api.github.com/repos/acme/widgets/issues',
    headers: { ...GITHUB, 'X-Accepted-GitHub-Permissions': 'issues=write' },
    body: '{"message":"Resource not accessible by personal access token","documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"403"}',
    expect: { action: 'issues=write', resource: '/repos/acme/widgets/issues', rule: 'missing-scope' },
    confirm: ['https://github.com/settings/personal-access-tokens', 'issues=write'],
  },
  {
    name: 'GitHub SAML SSO enforcement (X-GitHub-SSO)',
    source: 'https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api',
    status: 403,
    url: 'https://api.github.com/repos/octodocs-test/test',
    headers: {
      ...GITHUB,
      'X-GitHub-SSO':
        'required; url=https://github.com/orgs/octodocs-test/sso?authorization_request=AZSCKtL4U8yX1H3sCQIVnVgmjmon5fWxks5YrqhJgah0b2tlbl9pZM4EuMz4',
    },
    body: '{"message":"Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.","documentation_url":"https://docs.github.com"}',
    expect: { rule: 'tenant-policy', resource: '/repos/octodocs-test/test' },
    confirm: ['https://github.com/orgs/octodocs-test/sso?authorization_request='],
  },
  {
    name: 'GitHub organization IP allow list',
    source:
      'https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/managing-allowed-ip-addresses-for-your-organization',
    status: 403,
    url: 'https://api.github.com/orgs/acme/repos',
    headers: GITHUB,
    body: '{"message":"Although you appear to have the correct authorization credentials, the `acme` organization has an IP allow list enabled, and your IP address is not permitted to access this resource.","documentation_url":"https://docs.github.com/rest"}',
    expect: { rule: 'network', resource: 'organization acme' },
    confirm: ['https://github.com/organizations/acme/settings/security'],
  },
  // --- GitLab, RFC 6750, CSRF -------------------------------------------------------------------
  {
    name: 'GitLab insufficient_scope with the scopes in the body',
    source: 'gitlab-org/gitlab lib/api/api_guard.rb (InsufficientScopeError, rack-oauth2 Forbidden)',
    status: 403,
    url: 'https://gitlab.example.com/api/v4/projects/42/issues',
    headers: { 'X-Gitlab-Meta': '{"correlation_id":"01HEXAMPLE","version":"1"}' },
    body: '{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}',
    expect: { platform: 'GitLab', action: 'api', rule: 'missing-scope' },
    confirm: ['https://gitlab.example.com/-/user_settings/personal_access_tokens', 'scope api'],
  },
  {
    name: 'RFC 6750 insufficient_scope with scopes: a generic decision',
    source: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1',
    status: 403,
    headers: {
      'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="orders:read orders:write"',
    },
    body: '',
    expect: { action: 'orders:read orders:write', rule: 'missing-scope', generic: true },
    confirm: ['scope=orders:read+orders:write'],
  },
  {
    name: 'Django REST framework CSRF (the server-messages entry, reused)',
    source: 'encode/django-rest-framework rest_framework/authentication.py (enforce_csrf)',
    status: 403,
    url: 'http://127.0.0.1:8000/api/notes',
    body: '{"detail":"CSRF Failed: CSRF token missing."}',
    expect: { rule: 'csrf' },
    confirm: ['X-CSRFToken'],
  },
  {
    name: 'a plain 403 says nothing to read',
    source: 'RFC 9110 §15.5.4',
    status: 403,
    body: 'Forbidden',
    expect: undefined,
  },
];

describe('knowledge/authz: the decision each platform states in its answer', () => {
  for (const r of rows) {
    it(`${r.name} (${r.source})`, () => {
      const d = readAuthzDecision(input(r));
      if (r.expect === undefined) {
        expect(d).toBeUndefined();
        return;
      }
      expect(d).toBeDefined();
      expect(d).toMatchObject(r.expect);
      for (const c of r.confirm ?? []) expect(d!.confirm).toContain(c);
      expect(d!.quotes.length).toBeGreaterThan(0);
      expect(d!.source.length).toBeGreaterThan(10);
      for (const q of d!.quotes) expect(q.from).toMatch(/^(?:header \S+|json \$|body)/);
    });
  }
});
