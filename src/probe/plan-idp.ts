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
import { preloadFetchClasses, withOnSend } from './idp-http.js';
import { requestsWritten } from './first-send.js';
import { FetchGuard } from './fetch-guard.js';
import { withoutUrlCredentials } from '../knowledge/credential-rule.js';
import type { GathererName } from './gatherers/types.js';

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

/** The names the identity-provider steps record their skips under (the gatherers' names). */
type IdpProbe = Extract<GathererName, 'discovery' | 'jwks' | 'fresh' | 'resource-metadata'>;

/**
 * What the identity-provider steps of one run share: the documents read so far (`ev.idp`), the
 * limits on what why401 fetches on its own, and what the user's token says. Each step is one
 * method; the gatherers (src/probe/gatherers/) and `planIdp` (for `why401 token`) decide when
 * each runs.
 */
export class IdpSession {
  readonly idp: IdpEvidence = { documents: [] };
  readonly http: IdpHttp;
  /** The guard made here when the caller gave none; closed by `close()`. */
  private readonly own: FetchGuard | undefined;
  private readonly guard: FetchGuard;
  /** The JWT the user's request carries, if any. */
  readonly jwt: { token: string; iss?: string } | undefined;
  /** The issuer to discover: --issuer, else the token's iss. */
  readonly issuer: string | undefined;
  private readonly fromIssuer: string;
  /** The JWKS URL asked for, once `verify` asks (gather() waits for it to leave before it rehearses the checks). */
  jwksAsked: string | undefined;
  private metadataSent!: (url: string | undefined) => void;
  /**
   * The URL of the RFC 9728 metadata request once it is handed to the transport, or undefined
   * when none will be (not wanted, refused, served by the cache): run.ts's whileWaiting.
   */
  readonly metadataAsked = new Promise<string | undefined>((ok) => (this.metadataSent = ok));

  constructor(
    private readonly ev: Evidence,
    baseHttp: IdpHttp,
    readonly fresh: FreshCredentials,
    target: string | undefined,
  ) {
    ev.idp = this.idp;
    const { http, own } = guardFor(baseHttp, fresh, target);
    this.http = http;
    this.guard = http.guard!;
    this.own = own;
    this.jwt = bearerJwtOf(ev.request);
    this.issuer = fresh.issuer ?? this.jwt?.iss;
    this.fromIssuer = fresh.issuer ? '--issuer' : "the token's iss";
    // jose loads while discovery is in flight (after the requests have left), not on the critical path.
    // So do the runtime's Response (oauth4webapi checks its answers against it) and WebCrypto: both
    // load lazily on first use, which would otherwise fall between discovery's answer and the JWKS request.
    void requestsWritten(50, http.prefetch)
      // Nor before the boot-time JWKS request has left (Prefetch.quiet): ~30 ms of one block.
      .then(() => http.prefetch?.quiet)
      .then(() => {
        preloadFetchClasses();
        if (this.jwt) void preloadJose();
      });
  }

  /**
   * Whether why401 may fetch `url` on its own; a refusal is a skipped probe that says why, and
   * no document (nothing was asked, so nothing failed).
   */
  private async allowed(url: string, probe: IdpProbe): Promise<boolean> {
    const why = await this.guard.refusal(url);
    if (why) this.ev.skippedProbes.push({ probe, reason: why });
    return !why;
  }

  /** Refusals at connection time (a name that resolves where it may not go) as skipped probes too. */
  private noteRefusals(probe: IdpProbe): void {
    const skipped = this.ev.skippedProbes;
    for (const why of this.guard.refusals)
      if (!skipped.some((s) => s.reason === why)) skipped.push({ probe, reason: why });
  }

  /** The discovery document of `iss`, or undefined when the guard refused to fetch it. */
  async discover(iss: string, from: string): Promise<FetchedDocument | undefined> {
    if (!(await this.allowed(iss, 'discovery'))) return undefined;
    const d = await fetchDiscovery(iss, from, this.http);
    this.noteRefusals('discovery');
    this.idp.documents.push(d);
    return d;
  }

  /** Discovery for --issuer or the token's iss; undefined when there is neither. */
  discoverIssuer(): Promise<FetchedDocument | undefined> {
    return this.issuer ? this.discover(this.issuer, this.fromIssuer) : Promise.resolve(undefined);
  }

  /** When --issuer names another issuer than the token's, the token's own is what verifies it. */
  get tokenIssuer(): string | undefined {
    const iss = this.jwt?.iss;
    return iss && this.fresh.issuer && iss !== this.fresh.issuer ? iss : undefined;
  }

  /** The JWKS the discovery document `d` names, and the token's signature checked against it. */
  async verify(d: FetchedDocument | undefined): Promise<void> {
    const jwksUri = str(documentJson(d)?.jwks_uri);
    if (!jwksUri || !(await this.allowed(jwksUri, 'jwks'))) return;
    this.jwksAsked = jwksUri;
    const jwks = await fetchJwks(jwksUri, 'jwks_uri of the discovery document', this.http);
    this.noteRefusals('jwks');
    this.idp.documents.push(jwks);
    if (this.jwt) this.idp.verification = await verifySignature(this.jwt.token, jwks);
  }

  /** Whether a fresh token can be asked for: a client id, and --token-url or --issuer. */
  get wantsGrant(): boolean {
    return !!this.fresh.clientId && !!(this.fresh.tokenUrl || this.fresh.issuer);
  }

  /**
   * A fresh token: --token-url, or the token endpoint of --issuer's discovery document (awaited
   * only then, so a grant at --token-url leaves beside discovery).
   */
  async grant(discovery: () => Promise<FetchedDocument | undefined>): Promise<string | undefined> {
    const fresh = this.fresh;
    if (!fresh.clientId || (!fresh.tokenUrl && !fresh.issuer)) return undefined;
    let tokenEndpoint = fresh.tokenUrl;
    let from = '--token-url';
    if (!tokenEndpoint) {
      const d = await discovery();
      tokenEndpoint = str(documentJson(d)?.token_endpoint);
      from = 'token_endpoint of the discovery document';
      // An option never silently unused: say why no fresh token was asked for.
      if (!tokenEndpoint) {
        const issuer = this.issuer;
        const why = !d
          ? `no discovery document of ${issuer} was read`
          : d.error || d.problem || !documentJson(d)
            ? `the discovery document of ${issuer} could not be read (${d.url}${d.error ? `: ${d.error.phase} ${d.error.code}` : d.problem ? `: ${d.problem}` : ''}), so it names no token_endpoint`
            : `the discovery document of ${issuer} has no token_endpoint`;
        this.ev.skippedProbes.push({ probe: 'fresh', reason: `no fresh token was asked for: ${why}` });
        return undefined;
      }
      if (!(await this.allowed(tokenEndpoint, 'fresh'))) return undefined;
    }
    const o: Parameters<typeof attemptFreshToken>[0] = { tokenEndpoint, from, clientId: fresh.clientId };
    if (fresh.clientSecret) o.clientSecret = fresh.clientSecret;
    if (fresh.scope) o.scope = fresh.scope;
    if (fresh.refreshToken) o.refreshToken = fresh.refreshToken;
    const { grant: g, skip } = await attemptFreshToken(o, this.http);
    this.noteRefusals('fresh');
    this.idp.grant = g;
    if (skip) this.ev.skippedProbes.push({ probe: 'fresh', reason: `no fresh token: ${skip}` });
    return g.accessToken;
  }

  /** The token RFC 7662 introspection asks about: made for opaque tokens as much as for JWTs. */
  private get introspected(): string | undefined {
    return this.jwt?.token ?? bearerTokenOf(this.ev.request);
  }

  /** Whether --introspect-url is given and the request carries a token to ask about. */
  get wantsIntrospection(): boolean {
    return !!this.fresh.introspectUrl && !!this.introspected;
  }

  async introspect(): Promise<void> {
    const token = this.introspected;
    if (!this.fresh.introspectUrl || !token) return;
    const o: Parameters<typeof introspect>[0] = {
      url: this.fresh.introspectUrl,
      token,
      clientId: this.fresh.clientId ?? '',
    };
    if (this.fresh.clientSecret) o.clientSecret = this.fresh.clientSecret;
    this.idp.introspection = await introspect(o, this.http);
  }

  /**
   * RFC 9728 metadata only when the resource asks for a token: a 401/403 with a Bearer or DPoP
   * challenge.
   */
  wantsResourceMetadata(main: Exchange[]): boolean {
    const last = main.at(-1)?.response;
    if (!last || (last.status !== 401 && last.status !== 403)) return false;
    const challenges = parseWwwAuthenticate(headerValues(last.headers, 'www-authenticate')).challenges;
    return challenges.some((c) => c.schemeLower === 'bearer' || c.schemeLower === 'dpop');
  }

  /** The challenge's resource_metadata wins; else the well-known URL (RFC 9728 §3.1). */
  async resourceMetadata(main: Exchange[]): Promise<void> {
    try {
      await this.fetchResourceMetadata(main);
    } finally {
      this.metadataSent(undefined);
    }
  }

  private async fetchResourceMetadata(main: Exchange[]): Promise<void> {
    if (!this.wantsResourceMetadata(main)) return;
    const last = main.at(-1)!.response!;
    const challenges = parseWwwAuthenticate(headerValues(last.headers, 'www-authenticate')).challenges;
    const rm = challenges.map((c) => c.params.resource_metadata).find((v) => v);
    const from = rm ? 'resource_metadata in the challenge' : 'the well-known URL of the resource';
    if (rm !== undefined && !(await this.allowed(rm, 'resource-metadata'))) return;
    // RFC 9728 §3.1 builds the well-known URL from the resource identifier's host and path; the
    // identifier SHOULD have no query (§1.2, RFC 8707 §2). A query may hold a key or a
    // signature, and userinfo a password: neither ever goes into a URL why401 invents.
    const resource = new URL(withoutUrlCredentials(this.ev.request.url));
    resource.search = '';
    resource.hash = '';
    const doc = await fetchProtectedResourceMetadata(
      resource.toString(),
      rm,
      from,
      withOnSend(this.http, (url) => this.metadataSent(url)),
    );
    this.noteRefusals('resource-metadata');
    this.idp.documents.push(doc);
  }

  /** Whether this session made its own guard (then `close()` must be called when it is done). */
  get ownsGuard(): boolean {
    return this.own !== undefined;
  }

  async close(): Promise<void> {
    await this.own?.close();
  }
}

/**
 * The whole identity-provider plan at once, for `why401 token` (no request, so no gatherers):
 * discovery ∥ the token issuer's own discovery ∥ a grant at --token-url ∥ introspection, the JWKS
 * after its discovery.
 */
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
  const s = new IdpSession(ev, baseHttp, fresh, opts.target);
  // Discovery (for --issuer or the token's iss), then the JWKS it names, then the signature.
  const discovery = s.discoverIssuer();
  const tokenIssuer = s.tokenIssuer;
  const tokenIssuerDoc = tokenIssuer ? s.discover(tokenIssuer, "the token's iss") : discovery;
  const verification = tokenIssuerDoc.then((d) => s.verify(d));
  const grant = s.grant(() => discovery);
  const introspection = s.introspect();
  const early = Promise.all([verification, grant, introspection]).then(() => undefined);
  // A guard made here (why401 token) closes its connections when the plan is done; gather's own
  // closes with the run.
  if (s.ownsGuard) void early.finally(() => s.close());
  return {
    early,
    freshToken: grant,
    afterMain: async (main) => {
      if (opts.resource) await s.resourceMetadata(main);
    },
  };
}

/** May the user's request be sent again with a fresh token? Safe methods, or with --allow-replay. */
export function mayReplay(spec: RequestSpec, allowReplay: boolean): boolean {
  return isSafeMethod(spec.method) || allowReplay;
}
