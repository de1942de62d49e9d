/**
 * `protectedResourceMetadata()`: the OAuth 2.0 Protected Resource Metadata document (RFC 9728)
 * that tells a client which authorization server issues tokens for this API, which scopes exist
 * and how to send the token, and a web handler that serves it at its well-known URL. MCP clients
 * read it before their first request; `why401 audit` checks it (audit.resource-metadata-*).
 *
 * The rules followed (https://www.rfc-editor.org/rfc/rfc9728):
 * - §2: `resource` is REQUIRED, a URL with no fragment (https; plain http is accepted here only on
 *   a loopback host, for development). Members are snake_case; absent ones are left out.
 * - §3.1: the document lives at the resource's URL with `/.well-known/oauth-protected-resource`
 *   inserted between the host and the path; a lone terminating slash after the host is dropped
 *   first, so `https://api.example.com/` and `https://api.example.com` share one URL.
 * - §3.2: a 200 with `application/json`.
 * - §3.3: a client compares `resource` with the URL it called, character for character, and
 *   rejects the document otherwise: `resource` is served exactly as given, never normalised.
 * - §5.1: the same URL goes in every refusal's `resource_metadata` (the adapters' `resourceMetadata`).
 */

const WELL_KNOWN = '/.well-known/oauth-protected-resource';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface ProtectedResourceMetadataOptions {
  /** The resource identifier: the base URL clients call, exactly as they call it (§3.3). */
  resource: string;
  /** `authorization_servers`: issuer identifiers of the authorization servers that issue its tokens. */
  authorizationServers?: string[];
  /** `scopes_supported` (RECOMMENDED): the scopes requests to this API may need. */
  scopesSupported?: string[];
  /** `bearer_methods_supported`; default `['header']` (RFC 6750 §2.1 only: OAuth 2.1 drops the query). */
  bearerMethodsSupported?: Array<'header' | 'body' | 'query'>;
  /** `jwks_uri`: this resource's own public keys (signed responses, not the issuer's). */
  jwksUri?: string;
  /** `resource_signing_alg_values_supported`. */
  resourceSigningAlgValuesSupported?: string[];
  /** `resource_name` (RECOMMENDED): a name for people. */
  resourceName?: string;
  /** `resource_documentation`: a page for developers. */
  resourceDocumentation?: string;
  /** `resource_policy_uri`. */
  resourcePolicyUri?: string;
  /** `resource_tos_uri`. */
  resourceTosUri?: string;
  /** `tls_client_certificate_bound_access_tokens` (RFC 8705). */
  tlsClientCertificateBoundAccessTokens?: boolean;
  /** `authorization_details_types_supported` (RFC 9396). */
  authorizationDetailsTypesSupported?: string[];
  /** `dpop_signing_alg_values_supported` (RFC 9449). */
  dpopSigningAlgValuesSupported?: string[];
  /** `dpop_bound_access_tokens_required` (RFC 9449). */
  dpopBoundAccessTokensRequired?: boolean;
  /** Other members (registered later, or your own), added as given; they do not replace the ones above. */
  extra?: Record<string, unknown>;
  /** `Cache-Control` of the document; default `max-age=3600`. */
  cacheControl?: string;
}

export interface ProtectedResourceMetadata {
  /** The JSON document (§2). */
  document: Readonly<Record<string, unknown>>;
  /** Where it is served (§3.1): also the `resourceMetadata` to give the adapters (§5.1). */
  url: string;
  /** The path of `url`, to route: `app.get(meta.path, toExpress(meta.handler))`. */
  path: string;
  /**
   * A web handler: GET and HEAD get the document (any origin may read it: it is public, and
   * browser-based clients fetch it cross-origin), OPTIONS a CORS preflight answer, anything else 405.
   */
  handler: (request: Request) => Promise<Response>;
}

function resourceUrl(resource: string): URL {
  let u: URL;
  try {
    u = new URL(resource);
  } catch {
    throw new TypeError(`protectedResourceMetadata: resource must be an absolute URL, got "${resource}"`);
  }
  if (u.hash !== '' || resource.includes('#'))
    throw new TypeError('protectedResourceMetadata: resource must have no fragment (RFC 9728 §2)');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname)))
    throw new TypeError(
      'protectedResourceMetadata: resource must be an https URL (RFC 9728 §2); http only on localhost',
    );
  return u;
}

/** §3.1: the well-known string between the host and the path (and query), a lone "/" dropped. */
export function protectedResourceMetadataUrl(resource: string): string {
  const u = resourceUrl(resource);
  const path = u.pathname === '/' ? '' : u.pathname;
  return `${u.origin}${WELL_KNOWN}${path}${u.search}`;
}

/**
 * The RFC 9728 document for `resource` and a handler that serves it.
 *
 * @example
 * ```ts
 * import { protectedResourceMetadata } from 'why401/server';
 * import { authErrorHandler, toExpress } from 'why401/server/express';
 * const meta = protectedResourceMetadata({
 *   resource: 'https://api.example.com',
 *   authorizationServers: ['https://login.example.com'],
 *   scopesSupported: ['orders:read', 'orders:write'],
 * });
 * app.get(meta.path, toExpress(meta.handler));
 * app.use(authErrorHandler({ realm: 'api', resourceMetadata: meta.url }));
 * ```
 */
export function protectedResourceMetadata(o: ProtectedResourceMetadataOptions): ProtectedResourceMetadata {
  const url = protectedResourceMetadataUrl(o.resource);
  const members: Array<[string, unknown]> = [
    ['resource', o.resource],
    ['authorization_servers', o.authorizationServers],
    ['jwks_uri', o.jwksUri],
    ['scopes_supported', o.scopesSupported],
    ['bearer_methods_supported', o.bearerMethodsSupported ?? ['header']],
    ['resource_signing_alg_values_supported', o.resourceSigningAlgValuesSupported],
    ['resource_name', o.resourceName],
    ['resource_documentation', o.resourceDocumentation],
    ['resource_policy_uri', o.resourcePolicyUri],
    ['resource_tos_uri', o.resourceTosUri],
    ['tls_client_certificate_bound_access_tokens', o.tlsClientCertificateBoundAccessTokens],
    ['authorization_details_types_supported', o.authorizationDetailsTypesSupported],
    ['dpop_signing_alg_values_supported', o.dpopSigningAlgValuesSupported],
    ['dpop_bound_access_tokens_required', o.dpopBoundAccessTokensRequired],
  ];
  const document: Record<string, unknown> = { ...o.extra };
  for (const [name, value] of members) if (value !== undefined) document[name] = value;
  Object.freeze(document);
  const body = JSON.stringify(document);
  const cors = { 'Access-Control-Allow-Origin': '*' };

  const handler = async (request: Request): Promise<Response> => {
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS')
      return new Response(null, {
        status: 204,
        headers: { ...cors, 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' },
      });
    if (method !== 'GET' && method !== 'HEAD')
      return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD, OPTIONS' } });
    return new Response(method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': 'application/json',
        'Cache-Control': o.cacheControl ?? 'max-age=3600',
        ...cors,
      },
    });
  };
  return { document, url, path: new URL(url).pathname, handler };
}
