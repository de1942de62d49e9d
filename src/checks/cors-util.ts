import type { Evidence, Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import { hasHeader, headerValues, type HeaderList } from '../model/http.js';
import {
  credentialsMode,
  isOkStatus,
  isSafelistedMethod,
  isSameOrigin,
  listValues,
  needsPreflight,
  normalizeMethod,
  type CredentialsMode,
} from '../spec/cors.js';
import { probeName } from './cite.js';
import type { Facts } from '../facts/request.js';

/**
 * The views of the evidence the cors.* checks share, over the Fetch Standard's CORS rules
 * (spec/cors.ts): the page's view of the request, and what Fetch's CORS check (§4.10) and
 * CORS-preflight fetch (§4.8) find wrong with each answer.
 */

export interface CorsView {
  /** The page origin (--origin), serialized. */
  origin: string;
  credentials: CredentialsMode;
  /** The request's method as the browser sends it. */
  method: string;
  /** The browser would preflight this request. */
  needsPreflight: boolean;
  /** The preflight exchange with its answer, when one was sent and the request needs it. */
  preflight?: Exchange;
  /** The actual response: the main probe's final hop, when its request carried `Origin`. */
  actual?: Exchange;
}

/** The CORS view of the evidence, or undefined when there is no --origin or the request is same-origin. */
export function corsView(f: Facts): CorsView | undefined {
  const ev: Evidence = f.ev;
  const origin = ev.browserOrigin;
  if (!origin || isSameOrigin(ev.request.url, origin)) return undefined;
  const view: CorsView = {
    origin,
    credentials: credentialsMode(ev.request),
    method: normalizeMethod(ev.request.method),
    needsPreflight: needsPreflight(ev.request, origin),
  };
  const pf = ev.exchanges.find((x) => x.probe === 'preflight' && x.hop === 0);
  if (view.needsPreflight && pf?.response) view.preflight = pf;
  // Without `Origin` on the request many servers leave the CORS headers out: no verdict then.
  if (f.final?.response && hasHeader(f.final.request.headers, 'origin')) view.actual = f.final;
  return view;
}

/** The preflight, when it was answered with an ok status (the browser then reads its headers). */
export function okPreflight(v: CorsView): Exchange | undefined {
  return v.preflight && isOkStatus(v.preflight.response!.status) ? v.preflight : undefined;
}

/** A response header as one line (several fields combined as Fetch "get" does), or undefined. */
export function combined(x: Exchange, name: string): string | undefined {
  const values = headerValues(x.response?.headers ?? [], name);
  return values.length ? values.join(', ') : undefined;
}

export function reqEvidence(x: Exchange, name: string): EvidenceItem | undefined {
  const values = headerValues(x.request.headers, name);
  return values.length
    ? { probe: probeName(x), where: `request.header.${name.toLowerCase()}`, value: values.join(', ') }
    : undefined;
}

export function resEvidence(x: Exchange, name: string): EvidenceItem | undefined {
  const v = combined(x, name);
  return v === undefined
    ? undefined
    : { probe: probeName(x), where: `response.header.${name.toLowerCase()}`, value: v };
}

export function statusEvidence(x: Exchange): EvidenceItem {
  return { probe: probeName(x), where: 'response.status', value: String(x.response?.status ?? '') };
}

/** The names of the cookies the request sends (never their values), for evidence. */
export function cookieNames(headers: HeaderList): string {
  return headerValues(headers, 'cookie')
    .flatMap((c) => c.split(';'))
    .map((p) => p.split('=')[0]!.trim())
    .filter((n) => n !== '')
    .join(', ');
}

export function present<T>(items: Array<T | undefined>): T[] {
  return items.filter((i): i is T => i !== undefined);
}

/** "the preflight (OPTIONS)" or "the actual response (GET, 401)", for titles and details. */
export function whichResponse(v: CorsView, x: Exchange): string {
  return x.probe === 'preflight'
    ? 'the preflight answer'
    : `the actual response (${v.method} → ${x.response?.status ?? '?'})`;
}

/**
 * What Fetch's CORS check (§4.10) finds wrong with a response's Access-Control-Allow-Origin and
 * -Credentials: `missing`, `other` (another origin, several values, `null`), `wildcard` (`*` for a
 * credentialed request) or `credentials` (Allow-Credentials is not exactly `true`).
 */
export type AllowOriginProblem = 'missing' | 'other' | 'wildcard' | 'credentials';

export function allowOriginProblem(v: CorsView, x: Exchange): AllowOriginProblem | undefined {
  const values = headerValues(x.response?.headers ?? [], 'access-control-allow-origin').map((s) => s.trim());
  if (!values.length) return 'missing';
  const value = values.join(', ');
  const include = v.credentials === 'include';
  if (value === '*') return include ? 'wildcard' : undefined;
  if (value !== v.origin) return 'other';
  if (!include) return undefined;
  return combined(x, 'access-control-allow-credentials')?.trim() === 'true' ? undefined : 'credentials';
}

/** Fetch §4.8 step 7.5: whether the preflight answer allows the request's method. */
export function methodAllowed(v: CorsView, x: Exchange): boolean {
  const method = requestedMethod(v, x);
  if (isSafelistedMethod(method)) return true;
  const methods = listValues(x.response?.headers ?? [], 'access-control-allow-methods');
  return methods.includes(method) || (methods.includes('*') && v.credentials !== 'include');
}

/** The method the preflight asked for (Access-Control-Request-Method), else the request's. */
export function requestedMethod(v: CorsView, x: Exchange): string {
  return listValues(x.request.headers, 'access-control-request-method')[0] ?? v.method;
}

/** The header names the preflight asked for (Access-Control-Request-Headers), lower case. */
export function requestedHeaders(x: Exchange): string[] {
  return listValues(x.request.headers, 'access-control-request-headers').map((n) => n.toLowerCase());
}

/** Fetch §4.8 steps 7.6–7.7: the requested names the preflight answer does not allow. */
export function headersNotAllowed(v: CorsView, x: Exchange): string[] {
  const allowed = new Set(
    listValues(x.response?.headers ?? [], 'access-control-allow-headers').map((n) => n.toLowerCase()),
  );
  const wildcard = allowed.has('*') && v.credentials !== 'include';
  return requestedHeaders(x).filter((n) => !allowed.has(n) && (n === 'authorization' || !wildcard));
}

/** Whether the browser's preflight fails, for any reason: then the actual request is never sent. */
export function preflightFails(v: CorsView): boolean {
  const x = v.preflight;
  if (!x) return false;
  return (
    !isOkStatus(x.response!.status) ||
    allowOriginProblem(v, x) !== undefined ||
    !methodAllowed(v, x) ||
    headersNotAllowed(v, x).length > 0
  );
}

/**
 * A finding about the actual response is a warning when that response is itself an error (its own
 * cause is elsewhere; CORS only hides it from the page) or when the preflight already fails (the
 * browser never gets that far).
 */
export function actualIsSecondary(v: CorsView, x: Exchange): { secondary: boolean; note: string } {
  if (x.probe === 'preflight') return { secondary: false, note: '' };
  if (preflightFails(v))
    return {
      secondary: true,
      note: ' The browser does not get this far while the preflight fails: this is the next problem once it passes.',
    };
  return { secondary: isErrorResponse(x), note: '' };
}

/** Whether the actual response is itself an error (its own cause is elsewhere; CORS only hides it). */
export function isErrorResponse(x: Exchange): boolean {
  return x.probe !== 'preflight' && (x.response?.status ?? 0) >= 400;
}
