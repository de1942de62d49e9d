import { loginTarget } from '../knowledge/sign-in.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import { hasHeader, headerValue } from '../model/http.js';
import {
  harHeaderList,
  initiatorOriginOf,
  isFailedEntry,
  isNavigation,
  isUsableEntry,
  redirectTargetOf,
  requestBodyOf,
  responseBodyOf,
} from '../facts/har-entry.js';
import { originOf, pathOf } from '../parse/url.js';
import { noAnswerOf } from '../facts/no-answer.js';
import { tokenEndpointCall } from '../facts/tokens.js';
import { looksLikeJwt } from '../parse/jwt.js';

/**
 * Chrome's sanitized export (the default of "Export HAR" since Chrome 130, DevTools' HARLog with
 * `sanitize: true`): the Authorization and Cookie request headers and the Set-Cookie response
 * headers are removed and both `cookies` arrays emptied. Such a file is recognised by a DevTools
 * creator (`WebInspector`), no credential anywhere, and requests that clearly needed some.
 */

export const SANITIZED_WARNING =
  "This HAR was exported by Chrome without sensitive data (Chrome's default since version 130): it holds no Authorization, Cookie or Set-Cookie headers and no cookies. It cannot show which credentials or cookies each request carried, which cookies were set, or which token each request used, so no cookie or token check ran and a missing credential proves nothing. Status codes, challenges, redirects, preflights, response bodies and timing are still diagnosed. For the full picture, export with “Export HAR (with sensitive data)” and share it only after `why401 har --sanitize`.";

const DEVTOOLS: HarMeta = { creator: { name: 'WebInspector' } };

const SIGN_IN_POST = /(?:^|\/)(?:log-?in|sign-?in|session|sessions|auth|authenticate|oauth2?|token)(?:\/|$)/i;

function hasCredentials(e: HarEntry): boolean {
  const req = harHeaderList(e.request?.headers);
  if (hasHeader(req, 'authorization') || hasHeader(req, 'cookie') || hasHeader(req, 'proxy-authorization'))
    return true;
  if ((e.request?.cookies ?? []).length > 0 || (e.response?.cookies ?? []).length > 0) return true;
  // A token in a header of the page's own (X-Auth-Token, `token: eyJ…`): the sanitized export keeps those.
  if (req.some(([, v]) => looksLikeJwt(v.trim().replace(/^bearer\s+/i, '')))) return true;
  return hasHeader(harHeaderList(e.response?.headers), 'set-cookie');
}

/** Signs that the session used credentials the file does not show. */
function needsCredentials(e: HarEntry): boolean {
  const req = harHeaderList(e.request?.headers);
  if (hasHeader(req, 'x-csrf-token') || hasHeader(req, 'x-xsrf-token')) return true;
  // A page's cross-origin call that got no answer: most often a preflight that a credential triggered.
  if (isFailedEntry(e)) {
    const page = isNavigation(e) ? undefined : initiatorOriginOf(e);
    // Only Chromium's net::ERR_FAILED (what a refused preflight leaves): not an ad blocker's
    // net::ERR_BLOCKED_BY_CLIENT, a page's net::ERR_ABORTED, a refused connection (no-answer.ts).
    return (
      page !== undefined &&
      page !== originOf(e.request.url) &&
      noAnswerOf(e, DEVTOOLS)?.kind === 'cors-or-blocked'
    );
  }
  const s = e.response.status;
  if (s === 401 || s === 403) return true;
  const res = harHeaderList(e.response.headers);
  if (hasHeader(res, 'www-authenticate')) return true;
  if (headerValue(res, 'access-control-allow-credentials')?.trim() === 'true') return true;
  const to = redirectTargetOf(e);
  if (to) {
    try {
      if (loginTarget(new URL(to))) return true;
    } catch {
      // not a URL: no sign
    }
  }
  if (e.request.method.toUpperCase() === 'POST' && SIGN_IN_POST.test(pathOf(e.request.url))) return true;
  const call = tokenEndpointCall(
    e.request.method,
    e.request.url,
    requestBodyOf(e.request),
    s,
    responseBodyOf(e.response.content).body,
  );
  return call?.issued !== undefined;
}

/** Whether the file is Chrome's sanitized export (see above). */
export function detectSanitizedExport(entries: HarEntry[], meta: HarMeta): boolean {
  if (!/webinspector/i.test(meta.creator?.name ?? '')) return false;
  if (entries.length === 0) return false;
  let needed = false;
  for (const e of entries) {
    if (!isUsableEntry(e)) continue;
    if (hasCredentials(e)) return false;
    if (!needed && needsCredentials(e)) needed = true;
  }
  return needed;
}
