import type { checks } from './index.js';
import type { GatewayCause } from '../knowledge/gateways.js';
import type { ServerMessageCause } from '../knowledge/server-messages.js';
import type { sessionChecks } from './session/index.js';

/**
 * The cause registry: every id why401 can report is the id of a check's meta, per request
 * (`checks`) or for a whole HAR session (`sessionChecks`). `CauseId` is derived from them, so a
 * table keyed by cause id that names an id no check has does not compile. docs/causes.md is
 * generated from the metas (`npm run docs:causes`; a test fails when it is out of date).
 */
export type RequestCauseId = (typeof checks)[number]['meta']['id'];
export type SessionCauseId = (typeof sessionChecks)[number]['meta']['id'];
export type CauseId = RequestCauseId | SessionCauseId;

/** A compile-time check: the knowledge bases only map answers to causes some check reports. */
type Assert<T extends true> = T;
export type KnowledgeCausesExist = Assert<GatewayCause | ServerMessageCause extends CauseId ? true : false>;
