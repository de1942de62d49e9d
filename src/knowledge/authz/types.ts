import type { HeaderList } from '../../model/http.js';

/**
 * A 403 is a decision. The platforms that make them say a great deal in their answers: who was
 * refused, what they tried, on what, and by which kind of rule. An `AuthzDecision` is that
 * decision read from one answer, quoted with the header or JSON path each word came from, and
 * the platform's own command (or console page) that confirms it, filled in with the answer's values.
 */

/** The kind of rule that refused the request. */
export type AuthzRule =
  /** A policy says Deny for this principal and action (AWS, IAM deny policies, deny assignments). */
  | 'explicit-deny'
  /** Nothing allows it: no policy statement, binding or permission grants the action (the default deny). */
  | 'no-allow'
  /** The principal lacks a role (Kubernetes RBAC, Azure RBAC role assignment). */
  | 'missing-role'
  /** The token lacks a scope or permission (OAuth scopes, GitHub and GitLab token scopes, Graph permissions). */
  | 'missing-scope'
  /** A policy condition was not met (MFA, time, tags, attributes). */
  | 'condition'
  /** An IP, network or perimeter rule (IP allow lists, VPC endpoint policies, VPC Service Controls). */
  | 'network'
  /** A CSRF or origin rule: no role helps, only the token or cookie. */
  | 'csrf'
  /** A rule of the tenant or organisation above the account (SCPs, Azure Policy, SAML SSO enforcement). */
  | 'tenant-policy';

export interface AuthzQuote {
  /** The server's words, as sent (the checks redact them by the one rule before showing them). */
  text: string;
  /** Where they were: `header x-accepted-oauth-scopes`, `json $.error.message`, `body`. */
  from: string;
}

export interface AuthzDecision {
  /** Who decided, as a person would name it: "Kubernetes API server", "Amazon S3". */
  platform: string;
  /** Who was refused, as the server named them (an ARN, a user name, an object id). */
  principal?: string;
  /** What they tried: the verb, action or permission. */
  action?: string;
  /** On what: the resource, scope or path. */
  resource?: string;
  rule: AuthzRule;
  /** The kind of policy the server named, when it did ("service control policy"). */
  policy?: string;
  quotes: AuthzQuote[];
  /** The command or console place that confirms the decision, filled in with the answer's values. */
  confirm: string;
  /** What changes the decision. */
  fix: string;
  /** Where the format comes from: the platform's documentation or source. */
  source: string;
  /**
   * A standard's words rather than one platform's (RFC 6750 `insufficient_scope`): the generic
   * checks (authz.forbidden, jwt.scope-insufficient) already tell it; the decision only adds the scopes.
   */
  generic?: true;
}

/** What a reader sees: the final answer, and the URL it answered (hosts and ids fill the commands). */
export interface AuthzInput {
  status: number;
  headers: HeaderList;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  bodyJson?: unknown;
  /** The request's URL. */
  url: string;
}

export type AuthzReader = (input: AuthzInput) => AuthzDecision | undefined;
