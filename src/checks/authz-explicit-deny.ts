import { defineDecisionCheck, FAMILY } from './authz-decision.js';

/**
 * A 403 the platform explains as an explicit deny: a policy statement with Deny matches the principal, action and resource (AWS "with an explicit deny", Azure deny assignments, API Gateway authorizers that return Deny). An Allow anywhere else cannot override it.
 */
export default defineDecisionCheck(
  {
    ...FAMILY,
    id: 'authz.explicit-deny',
    plain: 'A rule written to block exactly this says no: adding a permission elsewhere will not help',
    title: 'A policy explicitly denies this request',
    fix: 'Find the Deny statement that matches (the platform command names it) and change it, or use a principal it does not cover.',
    ref: "The platform's documentation or source for its refusal format (knowledge/authz)",
  },
  'explicit-deny',
);
