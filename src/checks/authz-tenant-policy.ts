import { defineDecisionCheck, FAMILY } from './authz-decision.js';

/**
 * A 403 the platform explains by a policy of the organisation or tenant above the account: AWS Organizations SCPs and RCPs, Azure Policy, GitHub SAML SSO enforcement and OAuth App access restrictions.
 */
export default defineDecisionCheck(
  {
    ...FAMILY,
    id: 'authz.tenant-policy',
    plain:
      'Your organisation has a rule above your account that forbids this: only its administrators can change it',
    title: 'A policy of the organisation or tenant forbids this request',
    fix: 'Ask the administrators of the organisation: the policy the platform names (an AWS service control policy, an Azure Policy assignment, GitHub SAML SSO or OAuth App restrictions) is theirs.',
    ref: "The platform's documentation or source for its refusal format (knowledge/authz)",
  },
  'tenant-policy',
);
