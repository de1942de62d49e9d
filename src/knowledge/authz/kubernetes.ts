import { jsonFrom, sh, str } from './read.js';
import type { AuthzDecision, AuthzInput } from './types.js';

/**
 * The Kubernetes API server's refusal: a `Status` with `reason: "Forbidden"`, its message built by
 * `forbiddenMessage` (kubernetes/apiserver: pkg/endpoints/handlers/responsewriters/errors.go):
 *
 *   pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "dev"
 *   nodes is forbidden: User "x" cannot list resource "nodes" in API group "" at the cluster scope
 *   forbidden: User "x" cannot get path "/metrics"
 *
 * followed by `: REASON` when an authorizer gave one. No authorizer allowed it: with RBAC, no
 * Role or ClusterRole bound to the user (or their groups) grants the verb.
 */

const SOURCE = 'kubernetes/apiserver:pkg/endpoints/handlers/responsewriters/errors.go (forbiddenMessage)';

const RESOURCE =
  /User "((?:[^"\\]|\\.)*)" cannot (\S+) resource "([^"]*)" in API group "([^"]*)" (?:in the namespace "([^"]*)"|at the cluster scope)(?:: (.+))?/;
const PATH = /User "((?:[^"\\]|\\.)*)" cannot (\S+) path "([^"]*)"(?:: (.+))?/;

export function readKubernetes(input: AuthzInput): AuthzDecision | undefined {
  if (input.status !== 403) return undefined;
  const j = input.bodyJson;
  if (str(j, 'kind') !== 'Status' || str(j, 'reason') !== 'Forbidden') return undefined;
  const message = str(j, 'message');
  if (!message) return undefined;
  const quotes = [{ text: message, from: jsonFrom('message') }];
  const anonymous =
    'The API server did not accept the credentials and treated the request as `system:anonymous`: fix the token or client certificate first (`kubectl auth whoami`), then the role.';
  const r = RESOURCE.exec(message);
  if (r) {
    const [, user, verb, res, group, ns, reason] = r as unknown as [
      string,
      string,
      string,
      string,
      string,
      string?,
      string?,
    ];
    const [base, sub] = res.split('/', 2) as [string, string?];
    const target = group ? `${base}.${group}` : base;
    const confirm = `kubectl auth can-i ${verb} ${target}${sub ? ` --subresource=${sub}` : ''} --as ${sh(user)}${ns !== undefined ? ` -n ${sh(ns)}` : ''}`;
    const where = ns !== undefined ? `namespace "${ns}"` : 'the cluster scope';
    const d: AuthzDecision = {
      platform: 'Kubernetes API server',
      principal: user,
      action: verb,
      resource: `${res}${group ? ` (API group ${group})` : ''} in ${where}`,
      rule: 'missing-role',
      quotes,
      confirm,
      fix:
        user === 'system:anonymous'
          ? anonymous
          : `Bind a Role (or ClusterRole) that allows \`${verb}\` on \`${target}\` to \`${user}\`${ns !== undefined ? ` in namespace \`${ns}\`` : ' cluster-wide (a ClusterRoleBinding)'}: e.g. \`kubectl create ${ns !== undefined ? 'rolebinding' : 'clusterrolebinding'} … --${ns !== undefined ? 'role' : 'clusterrole'}=… --${user.startsWith('system:serviceaccount:') ? `serviceaccount=${user.split(':').slice(2).join(':')}` : `user=${user}`}${ns !== undefined ? ` -n ${ns}` : ''}\`; \`kubectl auth can-i --list --as ${user}${ns !== undefined ? ` -n ${ns}` : ''}\` shows what it may do now.`,
      source: SOURCE,
    };
    if (reason) d.quotes.push({ text: reason, from: "json $.message (the authorizer's reason)" });
    return d;
  }
  const p = PATH.exec(message);
  if (p) {
    const [, user, verb, path] = p as unknown as [string, string, string, string];
    return {
      platform: 'Kubernetes API server',
      principal: user,
      action: verb,
      resource: path,
      rule: 'missing-role',
      quotes,
      confirm: `kubectl auth can-i ${verb} ${sh(path)} --as ${sh(user)}`,
      fix:
        user === 'system:anonymous'
          ? anonymous
          : `Bind a ClusterRole whose \`nonResourceURLs\` include \`${path}\` with the verb \`${verb}\` to \`${user}\` (a ClusterRoleBinding).`,
      source: SOURCE,
    };
  }
  return undefined;
}
