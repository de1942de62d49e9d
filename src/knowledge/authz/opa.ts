import { jsonFrom, str } from './read.js';
import type { AuthzDecision, AuthzInput } from './types.js';

/**
 * Open Policy Agent and Envoy's policy filters. OPA's own API, guarded by its `system.authz`
 * policy, answers `{"code":"unauthorized","message":"request rejected by administrative policy"}`
 * (open-policy-agent/opa: server/types/types.go, MsgUnauthorizedError). Envoy's RBAC filter (Istio
 * AuthorizationPolicy) answers a bare `RBAC: access denied` (envoyproxy/envoy:
 * source/extensions/filters/http/rbac/rbac_filter.cc). Both mean no rule of the policy allowed it.
 */

const OPA_SOURCE = 'open-policy-agent/opa:server/types/types.go';
const OPA_DOCS = 'https://www.openpolicyagent.org/docs/latest/security/#authentication-and-authorization';
const RBAC_SOURCE = 'envoyproxy/envoy:source/extensions/filters/http/rbac/rbac_filter.cc';

export function readOpa(input: AuthzInput): AuthzDecision | undefined {
  const j = input.bodyJson;
  if (
    (input.status === 401 || input.status === 403) &&
    str(j, 'code') === 'unauthorized' &&
    str(j, 'message') === 'request rejected by administrative policy'
  ) {
    return {
      platform: 'Open Policy Agent',
      rule: 'no-allow',
      quotes: [{ text: 'request rejected by administrative policy', from: jsonFrom('message') }],
      confirm:
        'opa eval --data system-authz.rego --input input.json "data.system.authz.allow" (the server\'s `system.authz` policy, with this request\'s input: method, path, identity)',
      fix: "OPA's `system.authz` policy did not allow this call: send the identity (bearer token) the policy checks, or extend the policy's allow rules.",
      source: `${OPA_SOURCE}; ${OPA_DOCS}`,
    };
  }
  if (input.status === 403 && /^\s*RBAC: access denied\s*$/.test(input.body)) {
    return {
      platform: 'Envoy RBAC filter (Istio AuthorizationPolicy)',
      rule: 'no-allow',
      quotes: [{ text: 'RBAC: access denied', from: 'body' }],
      confirm:
        'istioctl x authz check POD -n NAMESPACE (the policies that apply to the workload behind this URL)',
      fix: "No AuthorizationPolicy rule allows this caller (its principal, request principal from a JWT, namespace or source IP), path and method, or a DENY rule matches: compare the workload's policies with the request.",
      source: RBAC_SOURCE,
    };
  }
  return undefined;
}
