import type { Dispatcher } from 'undici';
import type { Evidence, Exchange, FetchedDocument, RepairSent, RequestSpec } from '../../model/evidence.js';
import type { IdpSession, FreshCredentials } from '../plan-idp.js';
import type { Sigv4Signer } from '../sigv4.js';
import type { inspectTls } from '../tls.js';
import type { ProbeContext, WalkResult } from './walk.js';

/**
 * A gatherer is one probe of the plan, shaped as Lighthouse shapes its gatherers (one module per
 * artifact, a name, the artifacts it depends on, and a function that produces its own; see
 * lighthouse's core/gather/base-gatherer.js): `gather()` in ../run.ts starts each one as soon as
 * what it waits for is done, asks it whether it applies, and records its skip reason when not.
 */

export interface GatherOptions {
  probes: boolean;
  /** Identity-provider probes (discovery, JWKS, RFC 9728, a fresh token): on unless --no-probes. */
  fresh?: FreshCredentials;
  /** A dispatcher that bypasses the proxy, for the direct probe (only when a proxy is in effect). */
  direct?: Dispatcher;
  /** --allow-replay: probes may send an unsafe method again. */
  allowReplay: boolean;
  /** Repaired requests (--no-repairs turns them off; --no-probes too). */
  repairs?: boolean;
  /** The caller's environment, for NODE_EXTRA_CA_CERTS beside --cacert (tls.ts caOptions). Default: none. */
  env?: Record<string, string | undefined>;
  /**
   * Called at most once with a copy of the evidence so far (the user's request and the anonymous
   * probe) when they are in and the run still waits on the network for something else (the
   * JWKS, once its request has left): time the caller can spend on work that would otherwise
   * follow the last answer.
   */
  whileWaiting?: (partial: Evidence) => void;
}

/** What each gatherer produces, by its name. The name is also the probe name in the evidence. */
export interface Artifacts {
  /** The user's own request, hop by hop. */
  main: WalkResult;
  /** The same request without a single credential. */
  anonymous: Exchange[];
  /** The CORS preflight a browser would send first (--origin). */
  preflight: Exchange[];
  /** The same request straight to the origin, when it went through a proxy and was refused. */
  direct: Exchange[];
  /** The discovery document of --issuer or the token's iss. */
  discovery: FetchedDocument | undefined;
  /** The JWKS and the token's signature checked against it (into `ev.idp`). */
  jwks: void;
  /** A fresh token from the token endpoint, and the request sent again with it. */
  fresh: Exchange[] | undefined;
  /** RFC 7662 introspection of the request's token (into `ev.idp`). */
  introspection: void;
  /** RFC 9728 protected-resource metadata (into `ev.idp`). */
  'resource-metadata': void;
  /** The checks' repaired requests, tried (`repair-1` …). */
  repair: { sent: RepairSent[]; exchanges: Exchange[] };
  /** The certificate chain of an https target, from its own handshake. */
  tls: Awaited<ReturnType<typeof inspectTls>>;
}

export type GathererName = keyof Artifacts;

/** What every gatherer of one run sees. */
export interface GatherContext {
  readonly ev: Evidence;
  /** The user's request (signed once when --aws-sigv4). */
  readonly spec: RequestSpec;
  /** Where requests go, the run's deadline, and progress. */
  readonly probe: ProbeContext;
  readonly opts: GatherOptions;
  /** --aws-sigv4: the signer for hops and repairs that need their own signature. */
  readonly signer: Sigv4Signer | undefined;
  /**
   * The identity-provider session the IdP gatherers share (documents, fetch limits, the token);
   * opened by the first one that asks, undefined when probes are off.
   */
  readonly idp: IdpSession | undefined;
  /** The artifact of a gatherer named in `after` (settled before `applies` is asked). */
  artifact<N extends GathererName>(name: N): Artifacts[N] | undefined;
  /**
   * Waits for another gatherer partway through a run, when only part of the work depends on it
   * (undefined when it did not apply).
   */
  wait<N extends GathererName>(name: N): Promise<Artifacts[N] | undefined>;
}

export interface Gatherer<N extends GathererName> {
  readonly name: N;
  /** Gatherers whose artifacts `applies` needs: this one starts when they are done. */
  readonly after?: readonly GathererName[];
  /**
   * true: run it. A string: not sent, and why (recorded in `ev.skippedProbes` under `name`, and
   * shown to the user). false: nothing to say (no proxy, no --origin, no identity provider).
   */
  applies(ctx: GatherContext): boolean | string;
  run(ctx: GatherContext): Promise<Artifacts[N]>;
  /**
   * What the artifact adds to the evidence once every gatherer is done, in the list's order (so
   * the exchanges read the same on every run, whichever answered first).
   */
  record?(artifact: Artifacts[N], ctx: GatherContext): void;
}

/** Any one gatherer of the list. */
export type AnyGatherer = { [N in GathererName]: Gatherer<N> }[GathererName];
