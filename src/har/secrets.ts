import type { Redactor } from '../core/redact.js';
import { collectSecrets } from '../core/secrets.js';
import type { Evidence } from '../model/evidence.js';
import type { HarEntry } from '../model/har.js';
import { headerValues } from '../model/http.js';
import {
  isFailedEntry,
  redirectTargetOf,
  requestBodyOf,
  requestHeaderList,
  responseBodyOf,
  responseHeaderList,
} from './entry.js';

/**
 * Every secret of a HAR entry, wherever it sits (har-notes.md): request headers, `request.cookies`,
 * `response.cookies`, Set-Cookie, the query string and the URL's fragment, `postData.text` and
 * `postData.params`, redirect targets (authorization codes), and token-endpoint response bodies.
 * The core's collector reads headers, bodies and URLs as the probes record them; this adds the
 * places only a HAR has.
 */

/** Field and parameter names whose values are secrets (camelCase too: `accessToken`). */
const SECRET_NAME =
  /token|secret|passw|pwd|session|sessid|^sid$|api[-_]?key|apikey|credential|assertion|code_verifier|^code$|^state$|^otp$|^pin$|^auth$|jwt|signature|^sig$|^key$|saml(?:request|response)/i;
/** …but not these, which name a URL, a type or a lifetime (`token_endpoint`, `token_type`, `expires_in`). */
const NOT_SECRET_NAME = /(?:endpoint|uri|url|type|types|supported|expires_in|expiry|expires|_at|methods?)$/i;
/** Header names that carry credentials besides the ones the core knows (X-Session, X-Csrf-Token). */
const SECRET_HEADER = /token|secret|session|api[-_]?key|apikey|auth|csrf|xsrf|signature|jwt|passw/i;
const STANDARD_HEADER =
  /^(?:www-authenticate|authorization|proxy-authenticate|proxy-authorization|cookie|set-cookie|access-control-.*)$/i;

function secretName(k: string): boolean {
  return SECRET_NAME.test(k) && !NOT_SECRET_NAME.test(k);
}
/** Values that are not secrets whatever their field is called. */
const NOT_SECRET = /^(?:true|false|null|undefined|none|yes|no|bearer|basic|[0-9]{1,3})$/i;

function addValue(r: Redactor, v: unknown): void {
  if (typeof v !== 'string') return;
  const s = v.trim();
  if (s.length < 4 || NOT_SECRET.test(s)) return;
  r.add(s);
  try {
    const d = decodeURIComponent(s);
    if (d !== s) r.add(d);
  } catch {
    // not percent-encoded
  }
}

function addParams(r: Redactor, params: URLSearchParams): void {
  for (const [k, v] of params) if (secretName(k)) addValue(r, v);
}

function addUrl(r: Redactor, url: string | undefined): void {
  if (!url) return;
  try {
    const u = new URL(url);
    if (u.password) addValue(r, decodeURIComponent(u.password));
    addParams(r, u.searchParams);
    // The implicit flow returns tokens in the fragment: #access_token=…&id_token=…
    if (u.hash.length > 1) addParams(r, new URLSearchParams(u.hash.slice(1)));
  } catch {
    // unparsable: the JWT pattern still applies
  }
}

function addJson(r: Redactor, text: string | undefined): void {
  const t = text?.trim();
  if (!t || (!t.startsWith('{') && !t.startsWith('['))) return;
  let json: unknown;
  try {
    json = JSON.parse(t);
  } catch {
    return;
  }
  const walk = (v: unknown, depth: number): void => {
    if (depth > 20 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && secretName(k)) addValue(r, x);
      else walk(x, depth + 1);
    }
  };
  walk(json, 0);
}

function addForm(r: Redactor, text: string | undefined): void {
  if (!text || text.trim().startsWith('{') || !text.includes('=')) return;
  try {
    addParams(r, new URLSearchParams(text.trim()));
  } catch {
    // not a form
  }
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

  for (const c of e.request.cookies ?? []) addValue(r, c?.value);
  for (const c of e.response?.cookies ?? []) addValue(r, c?.value);
  for (const q of e.request.queryString ?? []) if (q && secretName(q.name)) addValue(r, q.value);
  for (const p of e.request.postData?.params ?? []) if (p && secretName(p.name)) addValue(r, p.value);
  addUrl(r, e.request.url);
  addJson(r, requestBody);
  addForm(r, requestBody);
  addJson(r, body);
  addForm(r, /x-www-form-urlencoded/i.test(e.response?.content?.mimeType ?? '') ? body : undefined);
  for (const loc of headerValues(responseHeaders, 'location')) {
    try {
      addUrl(r, new URL(loc, e.request.url).href);
    } catch {
      // not a URL
    }
  }
  addUrl(r, redirectTargetOf(e));
  // Any credential-bearing header by name (X-Session, X-Csrf-Token, …).
  for (const [n, v] of [...headers, ...responseHeaders])
    if (SECRET_HEADER.test(n) && !STANDARD_HEADER.test(n)) addValue(r, v);
}
