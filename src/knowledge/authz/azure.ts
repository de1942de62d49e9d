import { jsonFrom, sh, str } from './read.js';
import type { AuthzDecision, AuthzInput } from './types.js';

/**
 * Microsoft Azure Resource Manager and Microsoft Graph. ARM answers 403 with
 * `{"error":{"code":"AuthorizationFailed","message":"The client 'X' with object id 'OID' does not
 * have authorization to perform action 'ACTION' over scope 'SCOPE' or the scope is invalid. …"}}`
 * (no role assignment grants the action; a deny assignment says so by name), and
 * `RequestDisallowedByPolicy` when an Azure Policy assignment forbids the resource. Microsoft
 * Graph answers `Authorization_RequestDenied` ("Insufficient privileges to complete the
 * operation.") when the token lacks the delegated or application permission.
 */

const ARM_RBAC = 'https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting';
const ARM_POLICY = 'https://learn.microsoft.com/en-us/azure/governance/policy/troubleshoot/general';
const GRAPH = 'https://learn.microsoft.com/en-us/graph/resolve-auth-errors';

const FAILED =
  /The client '([^']*)' with object id '([^']*)' does not have authorization to perform action '([^']*)' over scope '([^']*)'/;

export function readAzure(input: AuthzInput): AuthzDecision | undefined {
  if (input.status !== 403) return undefined;
  const j = input.bodyJson;
  const code = str(j, 'error', 'code');
  const message = str(j, 'error', 'message');
  if (!code || !message) return undefined;
  const quotes = [
    { text: message, from: jsonFrom('error', 'message') },
    { text: code, from: jsonFrom('error', 'code') },
  ];
  if (code === 'AuthorizationFailed') {
    const m = FAILED.exec(message);
    if (!m) return undefined;
    const [, client, oid, action, scope] = m as unknown as [string, string, string, string, string];
    const deny = /deny assignment/i.test(message);
    return {
      platform: 'Azure Resource Manager',
      principal: client === oid ? oid : `${client} (object id ${oid})`,
      action,
      resource: scope,
      rule: deny ? 'explicit-deny' : 'missing-role',
      quotes,
      confirm: deny
        ? `az rest --method get --url "https://management.azure.com${scope}/providers/Microsoft.Authorization/denyAssignments?api-version=2022-04-01"`
        : `az role assignment list --assignee ${sh(oid)} --scope ${sh(scope)} --include-inherited`,
      fix: deny
        ? 'A deny assignment (from a managed application or a deployment stack) blocks this action for this principal; only its owner can lift it.'
        : `Assign a role that includes \`${action}\` to object id \`${oid}\` at \`${scope}\` or above (\`az role assignment create --assignee ${oid} --role … --scope ${scope}\`), then get a new token: a role granted after the token was issued needs a fresh one.`,
      source: ARM_RBAC,
    };
  }
  if (code === 'RequestDisallowedByPolicy') {
    const resource = /Resource '([^']*)' was disallowed by policy/.exec(message)?.[1];
    const d: AuthzDecision = {
      platform: 'Azure Policy',
      rule: 'tenant-policy',
      quotes,
      confirm:
        'az policy assignment list --disable-scope-strict-match --query "[].{name:displayName, policy:policyDefinitionId, scope:scope}"',
      fix: "An Azure Policy assignment (the policy identifiers in the message name it) forbids this resource or setting: change the request to comply, or ask the policy's owner for an exemption.",
      source: ARM_POLICY,
    };
    if (resource) d.resource = resource;
    return d;
  }
  if (code === 'Authorization_RequestDenied') {
    return {
      platform: 'Microsoft Graph',
      rule: 'missing-scope',
      quotes,
      confirm:
        "Microsoft Entra admin center → App registrations → your app → API permissions (and the token's `scp` or `roles` claim)",
      fix: 'Add the Microsoft Graph permission this operation lists (delegated for a user token, application for an app token), grant admin consent, and get a new token; a directory role may be needed for the signed-in user too.',
      source: GRAPH,
    };
  }
  return undefined;
}
