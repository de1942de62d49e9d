import type { Evidence, Exchange, FetchedDocument, IdpEvidence, RequestSpec } from '../model/evidence.js';
import { headerValues, isSafeMethod } from '../model/http.js';
import { parseAuthorization } from '../parse/authorization.js';
import { parseWwwAuthenticate } from '../parse/challenge.js';
import { decodeJwt, looksLikeJwt } from '../parse/jwt.js';
import {
  attemptFreshToken,
  fetchDiscovery,
  fetchJwks,
  fetchProtectedResourceMetadata,
  introspect,
  preloadJose,
  verifySignature,
  type IdpHttp,
} from './idp.js';
import { preloadFetchClasses } from './idp-http.js';
import { FetchGuard } from './fetch-guard.js';
import { withoutUrlCredentials } from '../knowledge/credential-rule.js';

/**
 * The identity-provider half of the probe plan (issue 3). What the token already says lets
 * discovery start at once, concurrently with the user's request: a full diagnosis costs about two
 * round trips (request ∥ discovery, then JWKS), not five in a row.
 */

/** How to obtain a fresh token for the differential probe (--issuer, --token-url, --client-id …). */
export interface FreshCredentials {
  issuer?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  refreshToken?: string;
  introspectUrl?: string;
  /**
   * --allow-private-fetch: why401 may fetch private and loopback addresses named by the token,
   * the challenge or a discovery document even when the request's own target is public.
   */
  allowPrivateFetch?: boolean;
}

/** The JWT the user's request carries in Authorization (Bearer, DPoP or no scheme), if any. */
export function bearerJwtOf(spec: RequestSpec): { token: string; iss?: string } | undefined {
  const token = bearerTokenOf(spec);
  if (!token || !looksLikeJwt(token)) return undefined;
  const d = decodeJwt(token);
  if (!d.ok) return { token };
  const iss = d.jwt.payload.iss;
  return typeof iss === 'string' && /^https?:\/\//.test(iss) ? { token, iss } : { token };
}

/** The bearer-style credential of the user's request (Bearer, DPoP or no scheme), JWT or opaque. */
export function bearerTokenOf(spec: RequestSpec): string | undefined {
  const values = headerValues(spec.headers, 'authorization');
  if (values.length !== 1) return undefined;
  const p = parseAuthorization(values[0]!);
  const scheme = p.scheme?.toLowerCase();
  if (scheme !== undefined && scheme !== 'bearer' && scheme !== 'dpop') return undefined;
  const token = p.credentials.trim();
  return token || undefined;
}

function documentJson(d: FetchedDocument | undefined): Record<string, unknown> | undefined {
  return d?.json && typeof d.json === 'object' && !Array.isArray(d.json)
    ? (d.json as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

export interface IdpPlan {
  /** Everything that needs no answer from the user's request: started at once. */
  early: Promise<void>;
  /** What needs the main request's answer (resource_metadata in the challenge). */
  afterMain(main: Exchange[]): Promise<void>;
  /** A fresh token, once a grant gave one (for the replay probe). */
  freshToken: Promise<string | undefined>;
}

/** The limits for one plan: the caller's (gather's), or a new one closed when `early` settles. */
function guardFor(
  http: IdpHttp,
  fresh: FreshCredentials,
  target: string | undefined,
): { http: IdpHttp; own?: FetchGuard } {
  if (http.guard) return { http };
  const guard = new FetchGuard({
    trusted: [fresh.issuer, fresh.tokenUrl, fresh.introspectUrl, target],
    allowPrivate: fresh.allowPrivateFetch === true,
    ...(target !== undefined ? { target } : {}),
  });
  return { http: { ...http, guard }, own: guard };
}

export function planIdp(
  ev: Evidence,
  baseHttp: IdpHttp,
  fresh: FreshCredentials,
  opts: {
    resource: boolean;
    /** The user's own request URL: its host is not limited, and private fetches follow it. */
    target?: string;
  } = { resource: true },
): IdpPlan {
  const idp: IdpEvidence = { documents: [] };
  ev.idp = idp;
  const { http, own } = guardFor(baseHttp, fresh, opts.target);
  const guard = http.guard!;
  /**
   * Whether why401 may fetch `url` on its own; a refusal is a skipped probe that says why, and
   * no document (nothing was asked, so nothing failed).
   */
  const allowed = async (url: string, probe: string): Promise<boolean> => {
    const why = await guard.refusal(url);
    if (why) ev.skippedProbes.push({ probe, reason: why });
    return !why;
  };
  /** Refusals at connection time (a name that resolves where it may not go) as skipped probes too. */
  const noteRefusals = (probe: string) => {
    for (const why of guard.refusals)
      if (!ev.skippedProbes.some((s) => s.reason === why)) ev.skippedProbes.push({ probe, reason: why });
  };
  const jwt = bearerJwtOf(ev.request);
  const issuer = fresh.issuer ?? jwt?.iss;
  const fromIssuer = fresh.issuer ? '--issuer' : "the token's iss";

  const discover = async (iss: string, from: string): Promise<FetchedDocument | undefined> => {
    if (!(await allowed(iss, 'discovery'))) return undefined;
    const d = await fetchDiscovery(iss, from, http);
    noteRefusals('discovery');
    idp.documents.push(d);
    return d;
  };
  // Discovery (for --issuer or the token's iss), then the JWKS it names, then the signature.
  const discovery: Promise<FetchedDocument | undefined> = issuer
    ? discover(issuer, fromIssuer)
    : Promise.resolve(undefined);
  // When --issuer names another issuer than the token's, the token's own is what verifies it.
  const tokenIssuerDoc: Promise<FetchedDocument | undefined> =
    jwt?.iss && fresh.issuer && jwt.iss !== fresh.issuer ? discover(jwt.iss, "the token's iss") : discovery;
  // jose loads while discovery is in flight (after the requests have left), not on the critical path.
  // So do the runtime's Response (oauth4webapi checks its answers against it) and WebCrypto: both
  // load lazily on first use, which would otherwise fall between discovery's answer and the JWKS request.
  setTimeout(() => {
    preloadFetchClasses();
    if (jwt) void preloadJose();
  }, 0);
  const verification = tokenIssuerDoc.then(async (d) => {
    const jwksUri = str(documentJson(d)?.jwks_uri);
    if (!jwksUri || !(await allowed(jwksUri, 'jwks'))) return;
    const jwks = await fetchJwks(jwksUri, 'jwks_uri of the discovery document', http);
    noteRefusals('jwks');
    idp.documents.push(jwks);
    if (jwt) idp.verification = await verifySignature(jwt.token, jwks);
  });

  // A fresh token: --token-url, or the token endpoint of --issuer's discovery document.
  const grant = (async () => {
    if (!fresh.clientId || (!fresh.tokenUrl && !fresh.issuer)) return undefined;
    let tokenEndpoint = fresh.tokenUrl;
    let from = '--token-url';
    if (!tokenEndpoint) {
      const d = await discovery;
      tokenEndpoint = str(documentJson(d)?.token_endpoint);
      from = 'token_endpoint of the discovery document';
      // An option never silently unused: say why no fresh token was asked for.
      if (!tokenEndpoint) {
        const why = !d
          ? `no discovery document of ${issuer} was read`
          : d.error || d.problem || !documentJson(d)
            ? `the discovery document of ${issuer} could not be read (${d.url}${d.error ? `: ${d.error.phase} ${d.error.code}` : d.problem ? `: ${d.problem}` : ''}), so it names no token_endpoint`
            : `the discovery document of ${issuer} has no token_endpoint`;
        ev.skippedProbes.push({ probe: 'fresh', reason: `no fresh token was asked for: ${why}` });
        return undefined;
      }
      if (!(await allowed(tokenEndpoint, 'fresh'))) return undefined;
    }
    const o: Parameters<typeof attemptFreshToken>[0] = { tokenEndpoint, from, clientId: fresh.clientId };
    if (fresh.clientSecret) o.clientSecret = fresh.clientSecret;
    if (fresh.scope) o.scope = fresh.scope;
    if (fresh.refreshToken) o.refreshToken = fresh.refreshToken;
    const { grant: g, skip } = await attemptFreshToken(o, http);
    noteRefusals('fresh');
    idp.grant = g;
    if (skip) ev.skippedProbes.push({ probe: 'fresh', reason: `no fresh token: ${skip}` });
    return g.accessToken;
  })();

  const introspection = (async () => {
    // RFC 7662 is made for opaque tokens as much as for JWTs.
    const token = jwt?.token ?? bearerTokenOf(ev.request);
    if (!fresh.introspectUrl || !token) return;
    const o: Parameters<typeof introspect>[0] = {
      url: fresh.introspectUrl,
      token,
      clientId: fresh.clientId ?? '',
    };
    if (fresh.clientSecret) o.clientSecret = fresh.clientSecret;
    idp.introspection = await introspect(o, http);
  })();

  const early = Promise.all([verification, grant, introspection]).then(() => undefined);
  // A guard made here (why401 token) closes its connections when the plan is done; gather's own
  // closes with the run.
  if (own) void early.finally(() => own.close());
  return {
    early,
    freshToken: grant,
    afterMain: async (main) => {
      // RFC 9728 metadata only when the resource asks for a token: a 401/403 with a Bearer or
      // DPoP challenge. The challenge's resource_metadata wins; else the well-known URL (§3.1).
      const last = main.at(-1)?.response;
      if (!opts.resource || !last || (last.status !== 401 && last.status !== 403)) return;
      const challenges = parseWwwAuthenticate(headerValues(last.headers, 'www-authenticate')).challenges;
      if (!challenges.some((c) => c.schemeLower === 'bearer' || c.schemeLower === 'dpop')) return;
      const rm = challenges.map((c) => c.params.resource_metadata).find((v) => v);
      const from = rm ? 'resource_metadata in the challenge' : 'the well-known URL of the resource';
      if (rm !== undefined && !(await allowed(rm, 'resource-metadata'))) return;
      // RFC 9728 §3.1 builds the well-known URL from the resource identifier's host and path; the
      // identifier SHOULD have no query (§1.2, RFC 8707 §2). A query may hold a key or a
      // signature, and userinfo a password: neither ever goes into a URL why401 invents.
      const resource = new URL(withoutUrlCredentials(ev.request.url));
      resource.search = '';
      resource.hash = '';
      const doc = await fetchProtectedResourceMetadata(resource.toString(), rm, from, http);
      noteRefusals('resource-metadata');
      idp.documents.push(doc);
    },
  };
}

/** May the user's request be sent again with a fresh token? Safe methods, or with --allow-replay. */
export function mayReplay(spec: RequestSpec, allowReplay: boolean): boolean {
  return isSafeMethod(spec.method) || allowReplay;
}
