import { statSync } from 'node:fs';
import { join } from 'node:path';
import { entryName } from './cache-key.js';

/**
 * What the boot-time head start (prefetch.ts) asks first, and whether the disk cache already
 * holds it. Apart from prefetch.ts so that a run whose documents are all stored (the second run
 * of the day) finds out without loading node:http and node:https (~30 ms at boot on Node 20).
 */

/** A document to ask at boot: its URL, the disk cache's scope for it, its Accept. */
export interface PrefetchTarget {
  url: string;
  scope: string;
  accept: string;
}

/**
 * OpenID Connect Discovery §4: the issuer with /.well-known/openid-configuration appended, as
 * oauth4webapi's discoveryRequest builds it (appendWellKnown: then the first `//` made `/`).
 */
export function oidcDiscoveryUrl(issuer: string): string {
  const u = new URL(issuer);
  u.pathname = `${u.pathname}/.well-known/openid-configuration`.replace('//', '/');
  return u.href;
}

/**
 * RFC 9728 §3.1's well-known URL of a resource, as oauth4webapi's resourceDiscoveryRequest builds
 * it (prependWellKnown with the terminating slash kept, then the first `//` made `/`); the
 * resource is the request's URL without userinfo, query or fragment (plan-idp.ts, RFC 9728 §1.2).
 * Not server/resource-metadata.ts's protectedResourceMetadataUrl: that one is what a server
 * publishes (https only, query kept); this must be byte for byte what the run asks.
 */
export function wellKnownMetadataUrl(target: string): { resource: string; url: string } {
  const r = new URL(target);
  r.username = '';
  r.password = '';
  r.search = '';
  r.hash = '';
  const u = new URL(r.href);
  const wellKnown = '.well-known/oauth-protected-resource';
  u.pathname = u.pathname === '/' ? wellKnown : `${wellKnown}/${u.pathname}`.replace('//', '/');
  return { resource: r.href, url: u.href };
}

/**
 * The documents asked before the rest loads: the issuer's discovery (its JWKS follows its answer)
 * and the resource's RFC 9728 metadata; scopes as idp-discovery.ts names its cache entries.
 */
export function prefetchTargets(
  issuer: string,
  target: string,
): { discovery: PrefetchTarget; metadata: PrefetchTarget } {
  const m = wellKnownMetadataUrl(target);
  return {
    discovery: {
      url: oidcDiscoveryUrl(issuer),
      scope: `oidc-discovery ${issuer}`,
      accept: 'application/json',
    },
    metadata: { url: m.url, scope: `protected-resource ${m.resource}`, accept: 'application/json' },
  };
}

/** Whether the disk cache in `dir` holds an entry (fresh or not: the run decides) for this document. */
export function stored(dir: string, t: Pick<PrefetchTarget, 'url' | 'scope'>): boolean {
  // Synchronous: a local stat takes microseconds, and asked on the thread pool its answer queued
  // behind the user's answers, which came in beside discovery's: the JWKS request left 7–12 ms
  // after discovery's answer instead of at once (bench/timeline.mjs on Node 22 and 24).
  try {
    statSync(join(dir, entryName(t.url, t.scope)));
    return true;
  } catch {
    return false;
  }
}
