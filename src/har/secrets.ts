import type { Redactor } from '../core/redact.js';
import { credentialPairs } from '../knowledge/credential-rule.js';
import { addCookie, addCredential, addFromUrl, collectSecrets } from '../core/secrets.js';
import type { Evidence } from '../model/evidence.js';
import type { HarEntry } from '../model/har.js';
import {
  isFailedEntry,
  redirectTargetOf,
  requestBodyOf,
  requestHeaderList,
  responseBodyOf,
  responseHeaderList,
} from '../facts/har-entry.js';

/**
 * Every secret of a HAR entry, wherever it sits (har-notes.md): request headers, `request.cookies`,
 * `response.cookies`, Set-Cookie, the query string and the URL's fragment, `postData.text` and
 * `postData.params`, redirect targets (authorization codes), and token-endpoint response bodies.
 * The core's collector reads headers, bodies and URLs as the probes record them, by the one
 * credential rule (knowledge/credential-rule.ts); this adds the places only a HAR has, by the same rule.
 */

type NameValue = { name?: unknown; value?: unknown };

/** A name/value list as a file writes it: an array, or IE11's single object for a one-item list. */
function items(list: unknown): NameValue[] {
  if (Array.isArray(list)) return list.filter((x): x is NameValue => !!x && typeof x === 'object');
  return list && typeof list === 'object' ? [list as NameValue] : [];
}

/** A HAR's name/value list (queryString, postData.params), judged together: `code` beside `state` is OAuth. */
function addPairs(r: Redactor, list: unknown): void {
  const text = items(list)
    .filter((p) => p && typeof p.name === 'string' && typeof p.value === 'string')
    .map((p) => `${encodeURIComponent(p.name as string)}=${encodeURIComponent(p.value as string)}`)
    .join('&');
  for (const p of credentialPairs(text)) addCredential(r, p.value);
}

/** Teaches the redactor every secret of one HAR entry. */
export function collectEntrySecrets(e: HarEntry, r: Redactor): void {
  if (!e?.request) return;
  const headers = requestHeaderList(e.request);
  const requestBody = requestBodyOf(e.request);
  const failed = isFailedEntry(e);
  const responseHeaders = failed ? [] : responseHeaderList(e.response);
  const body = failed ? '' : responseBodyOf(e.response.content).body;
  const ev: Evidence = {
    now: 0,
    source: 'har',
    request: {
      method: e.request.method,
      url: e.request.url,
      headers,
      followRedirects: true,
      insecure: false,
      compressed: false,
    },
    inputWarnings: [],
    exchanges: [
      {
        probe: 'main',
        hop: 0,
        request: { method: e.request.method, url: e.request.url, headers },
        ...(failed
          ? {}
          : {
              response: {
                status: e.response.status,
                headers: responseHeaders,
                body,
                bodyBytes: body.length,
                bodyTruncated: false,
              },
            }),
        startedAt: 0,
        ms: 0,
      },
    ],
    skippedProbes: [],
    expect: {},
    offline: false,
  };
  if (requestBody !== undefined) ev.request.body = requestBody;
  collectSecrets(ev, r);

  // Each cookie by its name and value's shape, as in a Cookie header (core/secrets.ts addCookie).
  for (const c of [...items(e.request.cookies), ...items(e.response?.cookies)])
    if (typeof c.value === 'string') addCookie(r, typeof c.name === 'string' ? c.name : '', c.value);
  // Chrome lists them as written in the URL, Firefox decoded: both spellings are learned.
  addPairs(r, e.request.queryString);
  addPairs(r, e.request.postData?.params);
  addFromUrl(r, redirectTargetOf(e));
}
