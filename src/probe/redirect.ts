import { isCredentialHeader } from '../knowledge/credential-rule.js';
import type { Exchange } from '../model/evidence.js';
import { headerValue, isSafeMethod, withoutHeaders } from '../model/http.js';
import type { WireRequest } from './transport.js';

/**
 * Headers a client never carries to another origin. Fetch §4.4 (HTTP-redirect fetch, step 13)
 * removes Authorization; curl since 7.58 removes custom Authorization and Cookie headers when the
 * host changes, and since 7.83 when the scheme or port does (CVE-2022-27774). why401 goes further,
 * as the one credential rule says: every header whose name holds a credential (X-Api-Key,
 * X-Auth-Token, Private-Token, Proxy-Authorization …) stays with the origin it was written for.
 */
export function crossOriginDropped(headers: WireRequest['headers']): string[] {
  const out: string[] = [];
  for (const [n] of headers) {
    const l = n.toLowerCase();
    if (isCredentialHeader(l) && !out.includes(l)) out.push(l);
  }
  return out;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export type NextHop =
  | {
      next: WireRequest;
      dropped: string[];
      /** Set when the hop goes from https to plain http: what was left out, in words. */
      downgrade?: string;
    }
  | {
      stop: string;
      /** The absolute URL the redirect points to, when it was a valid http(s) one not followed. */
      location?: string;
    }
  | undefined;

export interface NextHopOptions {
  /** curl -L: redirects are followed only when the user asked for it, as curl does. */
  follow: boolean;
  hopsSoFar: number;
  maxRedirects: number;
}

/** Origin and path of a URL: a query may hold a key, and a note is shown as it is. */
function shown(u: URL): string {
  return `${u.origin}${u.pathname}`;
}

/**
 * What a client does with a redirect: per the Fetch standard (§4.4) and curl -L. Returns
 * undefined when the response is not a redirect. Without -L the 3xx is the answer, as it is for
 * curl: the hop is named (stop + location) and nothing is sent there.
 */
export function nextHop(current: WireRequest, x: Exchange, opts: NextHopOptions): NextHop {
  const r = x.response;
  if (!r || !REDIRECTS.has(r.status)) return undefined;
  const location = headerValue(r.headers, 'location');
  if (!location) return { stop: `${r.status} without a Location header` };
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    return { stop: `Location ${JSON.stringify(location)} is not a valid URL` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return { stop: `Location uses ${target.protocol}, which is not followed` };
  target.hash = '';
  if (!opts.follow) {
    return {
      stop: `${r.status} to ${shown(target)}: not followed, as curl follows a redirect only with -L (send the request there, or add -L)`,
      location: target.toString(),
    };
  }
  if (opts.hopsSoFar >= opts.maxRedirects) return { stop: `stopped after ${opts.maxRedirects} redirects` };

  let method = current.method;
  let body = current.body;
  // 303 turns everything but HEAD into GET; 301/302 turn POST into GET (Fetch §4.4 step 12).
  if (
    (r.status === 303 && method.toUpperCase() !== 'HEAD') ||
    ((r.status === 301 || r.status === 302) && method.toUpperCase() === 'POST')
  ) {
    method = 'GET';
    body = undefined;
  }
  const from = new URL(current.url);
  // https → http: anyone on the path reads the request. Nothing secret goes there: no credential
  // header (the origin changes anyway) and no body, which may hold a password or a token.
  const downgrade = from.protocol === 'https:' && target.protocol === 'http:';
  let bodyDropped = false;
  if (downgrade && body !== undefined) {
    body = undefined;
    bodyDropped = true;
  }
  let headers = current.headers;
  if (body === undefined && current.body !== undefined)
    headers = withoutHeaders(headers, ['content-type', 'content-length']);
  let dropped: string[] = [];
  if (from.origin !== target.origin) {
    dropped = crossOriginDropped(headers);
    headers = withoutHeaders(headers, dropped);
  }
  // A probe that would re-send an unsafe method without a body (the downgrade took it) says so
  // rather than sending a request the user never wrote.
  if (bodyDropped && !isSafeMethod(method))
    return {
      stop: `${r.status} from ${from.origin} to ${shown(target)} goes from https to plain http: not followed, as the ${method} body would travel unencrypted`,
      location: target.toString(),
    };
  const next: WireRequest = { method, url: target.toString(), headers };
  if (body !== undefined) next.body = body;
  if (!downgrade) return { next, dropped };
  const left = [...dropped, ...(bodyDropped ? ['the body'] : [])];
  return {
    next,
    dropped,
    downgrade: `${r.status} from ${from.origin} to ${shown(target)} goes from https to plain http${left.length ? `: ${left.join(', ')} left out` : ''}`,
  };
}
