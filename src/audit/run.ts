import { setMaxListeners } from 'node:events';
import { FetchGuard } from '../probe/fetch-guard.js';
import { withLookup } from '../probe/proxy.js';
import { makeDispatcher, send, type WireRequest } from '../probe/transport.js';
import type { Dispatcher } from '../probe/undici.js';
import type { HeaderList } from '../model/http.js';
import { headerValues } from '../model/http.js';
import { parseWwwAuthenticate } from '../parse/challenge.js';
import { HostLimiter, hostKey } from './limiter.js';
import { PATH_SCHEME, isBearerishDescription } from './scheme-of.js';
import { PROBE_ORDER, isBearerish, planOperation, type PlanInput } from './plan.js';
import { expiredLookalike, tokenScopes, tokenView } from './tokens.js';
import type {
  ApiDescription,
  ApiEvidence,
  Exchange,
  FetchedDoc,
  OperationEvidence,
  PlannedRequest,
  SecurityScheme,
} from './types.js';

/**
 * The audit's gatherer (Node only): sends every operation's plan through why401's own transport
 * (no redirects followed, capped bodies, timeouts), at most 8 requests in flight to one host, then
 * fetches what the whole API publishes (RFC 9728 metadata, the issuer's discovery document, its
 * JWKS) through the fetch guard, as the diagnosis's identity-provider probes do.
 */

export interface AuditRunOptions {
  baseUrl: string;
  description: ApiDescription;
  token?: string;
  tokenLow?: string;
  headers: HeaderList;
  allowUnsafe: boolean;
  userAgent: string;
  insecure?: boolean;
  /** --allow-private-fetch: the discovery and JWKS may be on private addresses though the target is not. */
  allowPrivateFetch?: boolean;
  /** Requests in flight to one host at once (8). */
  perHost?: number;
  /** Called after each request with how many are done of how many planned. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface AuditRun {
  evidence: ApiEvidence;
  requests: number;
  maxInFlight: number;
  /** Fetches the guard refused, in words. */
  refusals: string[];
}

/** The first alternative's schemes, as declared (a --path operation is taken as Bearer). */
function schemesOf(d: ApiDescription, alt: Array<{ scheme: string }> | undefined): SecurityScheme[] {
  return (alt ?? []).map(
    (r) => d.schemes[r.scheme] ?? (r.scheme === 'bearer' ? PATH_SCHEME : { name: r.scheme, type: 'unknown' }),
  );
}

function toExchange(p: PlannedRequest, r: Awaited<ReturnType<typeof send>>): Exchange {
  const ex: Exchange = {
    kind: p.kind,
    method: p.method,
    url: p.url,
    requestHeaders: p.headers,
    headers: r.response?.headers ?? [],
    body: r.response?.body ?? '',
    receivedAt: r.startedAt + r.ms,
    ms: r.ms,
  };
  if (r.response) ex.status = r.response.status;
  if (r.error && !r.response) ex.error = r.error.message;
  return ex;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** RFC 9728 §3.1: the well-known suffix goes between the host and the resource's path. */
export function resourceMetadataUrl(resource: string): string {
  const u = new URL(resource);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '');
  return `${u.origin}/.well-known/oauth-protected-resource${path}`;
}

export async function runAudit(o: AuditRunOptions): Promise<AuditRun> {
  const now = Date.now();
  const signal = o.signal ?? new AbortController().signal;
  // Every request of the run listens on this one signal, 8 at a time and their bodies too: past
  // Node's default of 10 listeners it would warn on stderr of a run that is doing nothing wrong.
  setMaxListeners(64, signal);
  const dispatcher = makeDispatcher({ insecure: o.insecure });
  const guard = new FetchGuard({
    trusted: [o.baseUrl],
    allowPrivate: !!o.allowPrivateFetch,
    target: o.baseUrl,
  });
  const limiter = new HostLimiter(o.perHost ?? 8);
  const token = tokenView(o.token);
  const low = tokenView(o.tokenLow);
  const lowScopes = tokenScopes(low);
  const plan: PlanInput = {
    baseUrl: o.baseUrl,
    expiredToken: await expiredLookalike(token ?? low, now),
    headers: o.headers,
    allowUnsafe: o.allowUnsafe,
    userAgent: o.userAgent,
  };
  if (o.token) plan.token = o.token;
  if (o.tokenLow) plan.tokenLow = o.tokenLow;

  const operations: OperationEvidence[] = o.description.operations.map((op) => {
    const alt = op.security[0];
    const ev: OperationEvidence = {
      operation: op,
      schemes: schemesOf(o.description, alt),
      requiredScopes: alt?.flatMap((r) => r.scopes) ?? [],
      exchanges: {},
    };
    if (o.tokenLow && ev.requiredScopes.length > 0)
      ev.lowLacksScope = lowScopes ? ev.requiredScopes.some((s) => !lowScopes.includes(s)) : true;
    return ev;
  });
  const planned = operations.map((ev) => planOperation(ev.operation, ev.schemes, plan));
  planned.forEach((p, i) => {
    if (p.length === 0)
      operations[i]!.skipped =
        `${operations[i]!.operation.method} is not a safe method; pass --allow-unsafe to call it`;
  });
  const total = planned.reduce((n, p) => n + p.length, 0);
  let done = 0;
  const sendOne = (req: WireRequest, d: Dispatcher) =>
    limiter.run(hostKey(req.url), () => send(req, d, signal));

  try {
    await Promise.all(
      planned.flatMap((reqs, i) =>
        reqs.map(async (p) => {
          const wire: WireRequest = { method: p.method, url: p.url, headers: p.headers };
          if (p.body !== undefined) wire.body = p.body;
          const r = await sendOne(wire, dispatcher);
          operations[i]!.exchanges[p.kind] = toExchange(p, r);
          o.onProgress?.(++done, total);
        }),
      ),
    );

    // Answers are stored as they arrive; the rules and the report read them in one fixed order.
    for (const ev of operations) {
      const arrived = ev.exchanges;
      ev.exchanges = {};
      for (const k of PROBE_ORDER) if (arrived[k]) ev.exchanges[k] = arrived[k];
    }
    const evidence: ApiEvidence = { baseUrl: o.baseUrl, description: o.description, operations, now };
    if (token) evidence.token = token;
    const bearer =
      operations.some((ev) => ev.schemes.some(isBearerish)) || isBearerishDescription(o.description);
    if (bearer) await gatherWholeApi(evidence, o, { guard, dispatcher, sendOne, userAgent: o.userAgent });
    return {
      evidence,
      requests: total + (bearer ? 3 : 0),
      maxInFlight: limiter.peak,
      refusals: guard.refusals,
    };
  } finally {
    await guard.close();
    await dispatcher.destroy().catch(() => undefined);
  }
}

interface Fetcher {
  guard: FetchGuard;
  dispatcher: Dispatcher;
  sendOne: (req: WireRequest, d: Dispatcher) => ReturnType<typeof send>;
  userAgent: string;
}

async function fetchDoc(url: string, f: Fetcher): Promise<FetchedDoc> {
  const refused = await f.guard.refusal(url);
  if (refused) return { url, headers: [], error: refused };
  const r = await f.sendOne(
    {
      method: 'GET',
      url,
      headers: [
        ['Accept', 'application/json'],
        ['User-Agent', f.userAgent],
      ],
    },
    f.guard.dispatcherFor(f.dispatcher, withLookup),
  );
  const doc: FetchedDoc = { url, headers: r.response?.headers ?? [] };
  if (r.response) {
    doc.status = r.response.status;
    if (r.response.status === 200) {
      const json = parseJson(r.response.body);
      if (json !== undefined) doc.json = json;
    }
  }
  if (r.error) doc.error = r.error.message;
  return doc;
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Where the API's own 401s point for metadata (RFC 9728 §5.1 `resource_metadata`), if any does. */
function challengedMetadataUrl(ev: ApiEvidence): string | undefined {
  for (const op of ev.operations) {
    const ex = op.exchanges.anonymous;
    if (ex?.status !== 401) continue;
    for (const c of parseWwwAuthenticate(headerValues(ex.headers, 'www-authenticate')).challenges) {
      const u = c.params.resource_metadata;
      if (u) return u;
    }
  }
  return undefined;
}

async function gatherWholeApi(ev: ApiEvidence, o: AuditRunOptions, f: Fetcher): Promise<void> {
  ev.resourceMetadata = await fetchDoc(challengedMetadataUrl(ev) ?? resourceMetadataUrl(o.baseUrl), f);
  // The issuer: the metadata's first authorization server, else the document's OpenID Connect URL,
  // else the token's own `iss`.
  const servers = obj(ev.resourceMetadata.json).authorization_servers;
  const as = Array.isArray(servers) && typeof servers[0] === 'string' ? servers[0] : undefined;
  const oidcUrl = Object.values(o.description.schemes).find((s) => s.openIdConnectUrl)?.openIdConnectUrl;
  const iss = typeof ev.token?.claims.iss === 'string' ? ev.token.claims.iss : undefined;
  const issuer = as ?? iss;
  const discoveryUrl =
    oidcUrl ?? (issuer ? `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` : undefined);
  if (!discoveryUrl) return;
  ev.discovery = await fetchDoc(discoveryUrl, f);
  const jwksUri = obj(ev.discovery.json).jwks_uri;
  if (typeof jwksUri === 'string') ev.jwks = await fetchDoc(jwksUri, f);
}
