import type { Challenge } from '../parse/challenge.js';

/**
 * The container-registry token flow (distribution/distribution:docs/spec/auth/token.md, which
 * Docker Hub, the CNCF registry, Harbor, GHCR and GitLab follow): the registry answers 401 with
 * `Bearer realm="<token URL>",service="<registry name>",scope="repository:foo:pull"`. The client
 * does not send its password to the registry: it GETs the realm with `service` and `scope` (with
 * the user's Basic credentials, or none for an anonymous pull), takes `token` from the JSON, and
 * sends that as `Authorization: Bearer`. A newcomer who runs `curl -u user:pw` against /v2/, or
 * sends nothing, needs that request spelled out, not "send a Bearer token".
 */

/** Characters that keep a URL safe inside single quotes in any shell the advice is pasted into. */
const SAFE_URL = /^https?:\/\/[^\s'"`$\\]+$/;

/** Percent-encoding for a query value, keeping the `:` `,` `/` a scope reads with. */
const q = (v: string) =>
  encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%2F/gi, '/');

/** The token request for a registry's challenge, as a curl command; undefined when it is not one. */
export function registryTokenRequest(c: Challenge | undefined, user?: string): string | undefined {
  if (!c || c.schemeLower !== 'bearer') return;
  const realm = c.params['realm']?.trim();
  const service = c.params['service']?.trim();
  if (!realm || !service || !SAFE_URL.test(realm)) return;
  const scope = c.params['scope']?.trim();
  const url = `${realm}${realm.includes('?') ? '&' : '?'}service=${q(service)}${scope ? `&scope=${q(scope)}` : ''}`;
  if (!SAFE_URL.test(url)) return;
  // A user name is shown only when it needs no quoting (never the password).
  const who = user !== undefined && /^[\w.@+-]+$/.test(user) ? user : '<user>';
  return `curl -u ${who}:<password> '${url}'`;
}

/** The advice for a registry's challenge: get a token from its realm, then send it as Bearer. */
export function registryTokenFix(c: Challenge | undefined, user?: string): string | undefined {
  const get = registryTokenRequest(c, user);
  if (!get) return;
  return `This is a container registry's token challenge: get a token from its realm first, \`${get}\` (leave out \`-u\` for an anonymous pull), then send the \`token\` of its JSON answer as \`-H 'Authorization: Bearer <token>'\`; \`docker login\` does the same.`;
}
