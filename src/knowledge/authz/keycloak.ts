import { jsonFrom, str, urlOf } from './read.js';
import type { AuthzDecision, AuthzInput } from './types.js';

/**
 * Keycloak Authorization Services: the token endpoint asked for permissions (the UMA grant,
 * `grant_type=urn:ietf:params:oauth:grant-type:uma-ticket`) answers 403
 * `{"error":"access_denied","error_description":"not_authorized"}` when the resource server's
 * policies grant none of them (AuthorizationTokenService: `OAuthErrorException.ACCESS_DENIED,
 * "not_authorized", Status.FORBIDDEN`).
 */

const SOURCE =
  'keycloak/keycloak:services/src/main/java/org/keycloak/authorization/authorization/AuthorizationTokenService.java';

export function readKeycloak(input: AuthzInput): AuthzDecision | undefined {
  if (input.status !== 403) return undefined;
  const j = input.bodyJson;
  if (str(j, 'error') !== 'access_denied' || str(j, 'error_description') !== 'not_authorized')
    return undefined;
  const u = urlOf(input);
  const realm = u ? /\/realms\/([^/]+)\//.exec(u.pathname)?.[1] : undefined;
  const console =
    u && realm
      ? `${u.origin}${u.pathname.startsWith('/auth/') ? '/auth' : ''}/admin/master/console/#/${realm}/clients`
      : undefined;
  const d: AuthzDecision = {
    platform: 'Keycloak Authorization Services',
    rule: 'no-allow',
    quotes: [
      { text: 'access_denied', from: jsonFrom('error') },
      { text: 'not_authorized', from: jsonFrom('error_description') },
    ],
    confirm: `${console ?? 'the Keycloak admin console'} → the resource server client → Authorization → Evaluate, with this user and the requested resource and scopes`,
    fix: 'No permission of the resource server granted what was asked: the policies (role, group, user, client or time policies) behind its permissions did not evaluate to PERMIT for this user. Evaluate them in the console to see which one denied, then give the user the role or group that policy wants.',
    source: SOURCE,
  };
  if (realm) d.resource = `realm ${realm}`;
  return d;
}
