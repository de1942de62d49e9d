/**
 * Sentences for what is wrong with a metadata answer, shared by discovery, JWKS and protected
 * resource metadata. Each returns undefined when it finds nothing, so they chain with `??`.
 */
import type { DocumentKind, FetchedDocument } from '../model/evidence.js';
import { TransportFailure, isObject, wasTruncated, type IdpFetch, type IdpFetchInit } from './idp-http.js';
import { LIMITS } from './limits.js';

export function statusProblem(res: Response): string | undefined {
  if (res.status === 200) return undefined;
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.get('location');
    // oauth4webapi and jose never follow redirects for metadata, and neither do resource servers' JWKS clients.
    return `answered ${res.status}, a redirect${to ? ` to ${to}` : ''}, not 200 (metadata redirects are not followed)`;
  }
  return `answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}, not 200`;
}

export function bodyProblem(res: Response, json: unknown): string | undefined {
  if (wasTruncated(res)) {
    return `the answer is larger than ${LIMITS.bodyCap / (1024 * 1024)} MiB, so it was cut and not read`;
  }
  if (json === undefined) {
    const type = res.headers.get('content-type');
    return `the answer is not JSON (Content-Type ${type ?? 'missing'})`;
  }
  if (!isObject(json))
    return `the answer is JSON but not an object (${Array.isArray(json) ? 'an array' : typeof json})`;
  return undefined;
}

/** An absolute http(s) URL, or a sentence saying why it is not one. */
export function urlProblem(url: string, what: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${what} ${JSON.stringify(url)} is not an absolute URL`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${what} ${url} is not an http(s) URL`;
  return undefined;
}

/** A fetch that remembers the last URL asked, so the evidence names the URL oauth4webapi built. */
export function recording(f: IdpFetch): { fetch: IdpFetch; url(): string | undefined } {
  let last: string | undefined;
  return {
    fetch: (url: string, init: IdpFetchInit) => {
      last = url;
      return f(url, init);
    },
    url: () => last,
  };
}

/** A document for a request that failed: no answer (error) or refused before sending (problem). */
export function failedDocument(
  kind: DocumentKind,
  url: string,
  from: string,
  e: unknown,
  ms: number,
): FetchedDocument {
  if (e instanceof TransportFailure) return { kind, url, from, error: e.detail, ms };
  return { kind, url, from, problem: e instanceof Error ? e.message : String(e), ms };
}
