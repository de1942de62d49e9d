import { defineDecisionCheck, FAMILY } from './authz-decision.js';

/**
 * A 403 the platform explains by roles: Kubernetes RBAC ("User x cannot list resource pods …"), Azure RBAC (AuthorizationFailed).
 */
export default defineDecisionCheck(
  {
    ...FAMILY,
    id: 'authz.role-missing',
    plain: 'Your account has no role that allows this: an administrator has to give you one',
    title: 'The account lacks a role this request needs',
    fix: 'Give the principal a role that allows the action on this resource (a role binding or assignment), then retry; a new token may be needed to carry it.',
    ref: "The platform's documentation or source for its refusal format (knowledge/authz)",
  },
  'missing-role',
);
