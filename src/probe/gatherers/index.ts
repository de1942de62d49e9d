import { anonymous } from './anonymous.js';
import { direct } from './direct.js';
import { discovery } from './discovery.js';
import { fresh } from './fresh.js';
import { introspection } from './introspection.js';
import { jwks } from './jwks.js';
import { main } from './main.js';
import { preflight } from './preflight.js';
import { repair } from './repairs.js';
import { resourceMetadata } from './resource-metadata.js';
import { tls } from './tls.js';
import type { AnyGatherer } from './types.js';

export type {
  AnyGatherer,
  Artifacts,
  GatherContext,
  Gatherer,
  GathererName,
  GatherOptions,
} from './types.js';

/**
 * The probe plan, in the order the gatherers start (those that wait start when what they wait
 * for is done) and the order their exchanges enter the evidence: the user's request first, so it
 * leaves first. What runs beside what: main ∥ anonymous ∥ preflight ∥ discovery ∥ a grant at
 * --token-url ∥ introspection ∥ TLS ∥ the first round of repairs; the JWKS after discovery; the
 * direct probe, RFC 9728 metadata and the second round of repairs after main; the fresh replay
 * after its grant.
 */
export const GATHERERS: readonly AnyGatherer[] = [
  main,
  anonymous,
  preflight,
  direct,
  discovery,
  jwks,
  fresh,
  introspection,
  resourceMetadata,
  repair,
  tls,
];
