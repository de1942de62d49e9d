import type { HeaderOrigin, RequestSpec } from '../../model/evidence.js';
import { hasHeader, headerValue, type HeaderList } from '../../model/http.js';
import { anonymousTwin } from '../anonymous-twin.js';
import { VERSION } from '../../core/version.js';
import { browserRequestExtras } from '../preflight.js';
import { sigv4Signer, type Sigv4Signer } from '../sigv4.js';
import type { WireRequest } from '../transport.js';

/**
 * The user's request as the probes put it on the wire: curl's own default headers where curl
 * writes them, the body as bytes, and the variants the gatherers send (anonymous, re-signed).
 */

/**
 * The headers curl adds by itself when the user did not: without them some servers and WAFs
 * answer differently than they answered the user's curl.
 */
export function defaultHeaders(spec: RequestSpec): HeaderList {
  const add: HeaderList = [];
  // A curl -H 'Accept:' (or -A "") removes the header curl would add: none is added here either.
  const omit = new Set(spec.omitHeaders ?? []);
  const wanted = (name: string) => !omit.has(name) && !hasHeader(spec.headers, name);
  if (wanted('user-agent')) add.push(['User-Agent', `why401/${VERSION}`]);
  if (wanted('accept')) add.push(['Accept', '*/*']);
  if (spec.compressed && wanted('accept-encoding')) add.push(['Accept-Encoding', 'deflate, gzip, br']);
  return add;
}

/**
 * Where the headers curl adds by itself go: after Authorization, Range and a -A User-Agent,
 * before Referer, Cookie and the -H headers, as lib/http.c Curl_http writes them. A request
 * without origins (a HAR entry) gets them at the end.
 */
const BEFORE_DEFAULTS = new Set<HeaderOrigin>(['user', 'oauth2-bearer', 'range', 'user-agent']);
function defaultsAt(spec: RequestSpec): number {
  const origins = spec.headerOrigins;
  if (!origins) return spec.headers.length;
  let at = 0;
  while (at < spec.headers.length && BEFORE_DEFAULTS.has(origins[at]!)) at += 1;
  return at;
}

/** The body as it goes out: text, or the exact bytes of a binary one. */
export function bodyOf(spec: RequestSpec): string | Uint8Array | undefined {
  if (spec.body !== undefined) return spec.body;
  return spec.bodyBase64 !== undefined ? Buffer.from(spec.bodyBase64, 'base64') : undefined;
}

export function wireOf(spec: RequestSpec, browserOrigin?: string): WireRequest {
  // With --origin the request carries the Origin header a browser adds, so the CORS answer is the real one.
  const extras =
    browserOrigin && !hasHeader(spec.headers, 'origin') ? browserRequestExtras(browserOrigin) : [];
  const at = defaultsAt(spec);
  const w: WireRequest = {
    method: spec.method,
    url: spec.url,
    headers: [...spec.headers.slice(0, at), ...defaultHeaders(spec), ...spec.headers.slice(at), ...extras],
  };
  const body = bodyOf(spec);
  if (body !== undefined) w.body = body;
  if (spec.bodyChunked) w.chunked = true;
  return w;
}

/**
 * The anonymous probe (anonymous-twin.ts): the user's request as it goes out, with curl's default
 * headers (a WAF that refuses a request without User-Agent would otherwise refuse the probe for a
 * reason of its own), without a credential nor a SigV4 signature's own headers, and without
 * --origin's Origin (the probe asks about credentials, not CORS).
 */
export function anonymousOf(spec: RequestSpec, signer: Sigv4Signer | undefined): WireRequest | undefined {
  return anonymousTwin(wireOf(spec), signer?.added);
}

/**
 * --aws-sigv4: signs the user's request once (its headers then show what was sent, for the checks
 * and the report) and keeps the signer for the hops and repairs that need their own signature.
 * The secret leaves the evidence: only the signer holds it from here on.
 */
export function signSpec(spec: RequestSpec): Sigv4Signer | undefined {
  const aws = spec.awsSigv4;
  if (!aws) return undefined;
  const origins = spec.headerOrigins;
  const userHeaders = spec.headers
    .filter((_h, i) => origins === undefined || origins[i] === 'header')
    .map(([n]) => n.toLowerCase());
  const signer = sigv4Signer(aws, userHeaders);
  const w: WireRequest = { method: spec.method, url: spec.url, headers: spec.headers };
  const body = bodyOf(spec);
  if (body !== undefined) w.body = body;
  const signed = signer.sign(w).headers;
  const added = signed.slice(spec.headers.length);
  spec.headers = signed;
  if (origins) spec.headerOrigins = [...origins, ...added.map((): HeaderOrigin => 'user')];
  delete spec.awsSigv4;
  return signer;
}

/**
 * A repaired request of an --aws-sigv4 request is signed for what it now is: the signature covers
 * the method, path, query and signed headers, so the old one would make every repair fail. A
 * repair that changes the Authorization header itself is no SigV4 request any more: undefined,
 * not sent.
 */
export function resignRepair(
  spec: RequestSpec,
  signer: Sigv4Signer,
): (w: WireRequest) => WireRequest | undefined {
  const own = headerValue(spec.headers, 'authorization');
  return (w) => (headerValue(w.headers, 'authorization') === own ? signer.sign(w) : undefined);
}
