import { defineDecisionCheck, FAMILY } from './authz-decision.js';

/**
 * A 403 the platform explains as an implicit deny: no policy, permission or rule allows the action (AWS "because no … policy allows", Google Cloud IAM_PERMISSION_DENIED, Keycloak not_authorized, OPA and Envoy RBAC).
 */
export default defineDecisionCheck(
  {
    ...FAMILY,
    id: 'authz.no-allow',
    plain: 'Nothing gives your account permission to do this: someone has to grant it',
    title: 'No policy allows this request',
    fix: 'Grant the permission the platform names to the principal it names (the confirm command shows what is missing).',
    ref: "The platform's documentation or source for its refusal format (knowledge/authz)",
  },
  'no-allow',
);
