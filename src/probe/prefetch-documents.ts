import type { IncomingMessage } from 'node:http';
import type { HeaderList } from '../model/http.js';
import { bootGet, undiciHeaderList } from './boot-get.js';
import { FetchGuard } from './fetch-guard.js';
import { LIMITS } from './limits.js';
import { Prefetch, sendExchanges, type PrefetchPlan } from './prefetch.js';
import { prefetchTargets, stored, type PrefetchTarget } from './prefetch-targets.js';
import type { WireResult } from './transport.js';

export { Prefetch };

/**
 * The identity provider's two documents, asked for at boot (issue 16). A diagnosis of a JWT waits
 * on two sequential round trips to the token's issuer: discovery, then the JWKS its `jwks_uri`
 * names. Both targets are known from the command line alone, so the CLI starts them here, with
 * node:http and this module's few imports, before the rest of why401 has loaded; the JWKS request
 * leaves the moment discovery answers. The run then takes each answer instead of asking again
 * (`take`), through the same code path as a request of its own: the same guard decision first,
 * then the cache, the caps and the checks.
 *
 * The resource's RFC 9728 metadata (its well-known URL, on the user's own origin) is asked too:
 * the run asks for it after the main answer, which would make it a third round trip.
 *
 * What is asked here is exactly what the run would ask, or nothing (the metadata: what it asks
 * when the answer is a Bearer challenge):
 * - the same URL and headers (`take` compares both; anything else is asked by the run itself);
 * - only what fetch-guard.ts allows, by the same rules (a FetchGuard of its own, built as the
 *   run builds its own, with the connection-time lookup that refuses rebound names);
 * - nothing the disk cache holds (the run serves or revalidates a stored document itself);
 * - no credential: these are public documents, and no header of the user's request goes along.
 * An answer that failed or that the run cannot take as it is (a Content-Encoding: none was
 * asked for) is dropped, and the run asks on its own transport, which reports it.
 */

/** The headers the run's identity-provider fetch sends for a document of this media type (idp-http.ts). */
function documentHeaders(accept: string, userAgent: string): HeaderList {
  return [
    ['accept', accept],
    ['User-Agent', userAgent],
  ];
}

/** Everything at once: the user's request and its anonymous probe, and the documents (for tests, and one-step callers). */
export function startPrefetch(plan: PrefetchPlan): Prefetch {
  const out = new Prefetch();
  sendExchanges(out, plan.exchanges ?? [], plan.target);
  askDocuments(out, plan);
  return out;
}

/** Starts discovery of `plan.issuer` now, its JWKS as soon as discovery answers, and the resource's metadata. */
export function askDocuments(out: Prefetch, plan: PrefetchPlan): void {
  const issuer = plan.issuer;
  if (issuer === undefined) return;
  const guard = new FetchGuard({
    trusted: [plan.target],
    allowPrivate: plan.allowPrivate,
    target: plan.target,
  });
  let quiet!: () => void;
  out.quiet = new Promise<void>((ok) => (quiet = ok));
  /** `hold`: what the run waits for before it takes this answer (its answer itself comes first here). */
  const ask = async (t: PrefetchTarget, onSent?: () => void, hold?: Promise<void>) => {
    // The run's guard decides with the same rules and says why; here a refusal is only silence.
    if (await guard.refusal(t.url)) return undefined;
    if (plan.cacheDir && stored(plan.cacheDir, t)) return undefined;
    const headers = documentHeaders(t.accept, plan.userAgent);
    const result = document(t.url, headers, guard, out, onSent);
    out.add(t.url, 'GET', headers, hold ? result.then((r) => hold.then(() => r)) : result);
    return result;
  };
  /** `ask`, and a promise that settles once its request is written, or when there is none. */
  const first = (t: PrefetchTarget, hold?: Promise<void>) => {
    let left!: () => void;
    out.firstRound.push(new Promise<void>((ok) => (left = ok)));
    const result = ask(t, () => left(), hold);
    // Not sent (refused, stored), failed, or answered: nothing more to wait for.
    void result.finally(() => left()).catch(() => undefined);
    return result;
  };
  const { discovery, metadata } = prefetchTargets(issuer, plan.target);
  // The run takes discovery's answer only once the JWKS request is on its way: what it does with
  // the answer (oauth4webapi, fetch's Response class loaded on first use) blocked the main thread
  // for 10–40 ms and held the JWKS request back.
  void first(discovery, out.quiet)
    .then((r) => {
      const jwksUri = r?.response?.status === 200 ? jwksUriOf(r.response.body, issuer) : undefined;
      if (!jwksUri) return undefined;
      return ask(
        { url: jwksUri, scope: 'jwks', accept: 'application/jwk-set+json, application/json' },
        () => {
          out.markJwksSent();
          quiet();
        },
      );
    })
    // Not asked (stored, refused), failed before it was written, or answered: nothing to wait for.
    .finally(() => quiet())
    .catch(() => undefined);
  // The resource's own metadata, which the run asks once the answer is a Bearer challenge without
  // resource_metadata (the usual refusal of a JWT): otherwise a third round trip after the main
  // answer, and the slowest path of a cold diagnosis. It is the only request here that the run
  // may not take (a 200, or a challenge naming other metadata): a credential-free GET of a public
  // document on the origin the user targeted, ended by close().
  void first(metadata).catch(() => undefined);
}

/** The document's jwks_uri when it is for this very issuer (what the run checks before it asks). */
function jwksUriOf(body: string, issuer: string): string | undefined {
  try {
    const json = JSON.parse(body) as { issuer?: unknown; jwks_uri?: unknown };
    return json.issuer === issuer && typeof json.jwks_uri === 'string' ? json.jwks_uri : undefined;
  } catch {
    return undefined;
  }
}

/** A document's answer as the run's identity-provider fetch would take it; undefined on any failure. */
async function document(
  url: string,
  headers: HeaderList,
  guard: FetchGuard,
  into: Prefetch,
  onSent?: () => void,
) {
  const a = await bootGet(url, headers, {
    agents: into.agents,
    lookup: guard.lookup,
    track: (r) => into.track(r),
    ...(onSent ? { onSent } : {}),
  });
  if (!('res' in a)) return undefined;
  return read(a.res, a.startedAt, a.t0).catch(() => undefined);
}

async function read(res: IncomingMessage, startedAt: number, t0: number): Promise<WireResult | undefined> {
  const enc = res.headers['content-encoding'];
  if (enc !== undefined && enc.trim().toLowerCase() !== 'identity') {
    res.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  res.setTimeout(LIMITS.bodyTimeoutMs, () => res.destroy(new Error('body timeout')));
  for await (const chunk of res as AsyncIterable<Buffer>) {
    const room = LIMITS.bodyCap - bytes;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      bytes += room;
      truncated = true;
      res.destroy();
      break;
    }
    chunks.push(chunk);
    bytes += chunk.length;
  }
  const headers = undiciHeaderList(res.rawHeaders);
  return {
    startedAt,
    ms: Math.round(performance.now() - t0),
    response: {
      status: res.statusCode ?? 0,
      ...(res.statusMessage ? { statusText: res.statusMessage } : {}),
      headers,
      body: new TextDecoder().decode(Buffer.concat(chunks)),
      bodyBytes: bytes,
      bodyTruncated: truncated,
    },
  };
}
