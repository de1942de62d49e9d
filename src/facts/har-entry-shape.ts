import type { HarEntry } from '../model/har.js';

/**
 * One tolerant reading of a HAR entry, as every producer writes it (docs: issue 14's research,
 * har-producers.md). The HAR 1.2 schema (ahmadnassri/har-schema `lib/*.json`) wants arrays of
 * `{name, value}` for headers, cookies, queryString and postData.params, a `response` with a
 * numeric status, `content` and a string `redirectURL`; every producer breaks one of these, so the
 * reader repairs instead of refusing:
 *
 * - IE11's F12 tools write `request.cookies` as one object (`{"name":…,"value":…}`) where a list
 *   of one is meant (harviewer `selenium/tests/hars/issue-61/ie11.har`); any name/value list may
 *   come as an array, one object, null or nothing. Items whose name is not a string go
 *   (vscode-restclient writes `{"name": null, "value": "HTTP/1.1 200 OK"}`).
 * - `response` may be missing (a request logged without its answer): it becomes the answer that
 *   never came, status 0, as Chrome writes one, so every step treats it as a request without an
 *   answer whose reason the file does not say.
 * - `content: {}` (mitmproxy), `timings: {}` (Firefox), `redirectURL: null` (Charles),
 *   `statusText: null` (Charles, HTTP/2), `startedDateTime: ""` (Safari), a status written as a
 *   string: each read as the type the entry promises.
 *
 * The repairs are made in place and only where a field is off, so the usual entry costs a few
 * type tests and no copy. Used by the scanner for every entry it hands on: the analysis, the
 * sanitizer and the diff all read the same repaired entry. Pure and platform-neutral.
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asString(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function wellFormed(x: unknown): boolean {
  return isObj(x) && typeof x.name === 'string' && typeof x.value === 'string';
}

/**
 * A name/value list as an array of objects with a string `name` and (when `value` is required) a
 * string `value`: an array as it is when it already is one, a single object as a list of one.
 */
export function nameValueList(v: unknown, valueRequired = true): Obj[] {
  if (Array.isArray(v)) {
    if (v.every(wellFormed)) return v as Obj[];
    const out: Obj[] = [];
    for (const x of v) {
      if (!isObj(x) || typeof x.name !== 'string') continue;
      if (typeof x.value !== 'string' && (valueRequired || x.value !== undefined))
        x.value = asString(x.value);
      out.push(x);
    }
    return out;
  }
  if (isObj(v) && typeof v.name === 'string') return nameValueList([v], valueRequired);
  return [];
}

/** The answer of a request logged without one: what Chrome writes for a request that got none. */
function noResponse(): Obj {
  return {
    status: 0,
    statusText: '',
    httpVersion: '',
    headers: [],
    cookies: [],
    content: { size: 0, mimeType: '' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
  };
}

function number(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function readRequest(req: Obj): void {
  if (typeof req.method !== 'string') req.method = asString(req.method);
  if (typeof req.url !== 'string') req.url = asString(req.url);
  req.headers = nameValueList(req.headers);
  if (req.cookies !== undefined) req.cookies = nameValueList(req.cookies);
  if (req.queryString !== undefined) req.queryString = nameValueList(req.queryString);
  const p = req.postData;
  if (p === undefined) return;
  if (!isObj(p)) {
    delete req.postData;
    return;
  }
  if (p.text !== undefined && typeof p.text !== 'string') {
    if (typeof p.text === 'number' || typeof p.text === 'boolean') p.text = String(p.text);
    else delete p.text;
  }
  if (p.params !== undefined) p.params = nameValueList(p.params, false);
  if (p.mimeType !== undefined && typeof p.mimeType !== 'string') p.mimeType = asString(p.mimeType);
}

function readResponse(res: Obj): void {
  if (typeof res.status !== 'number' || !Number.isFinite(res.status)) res.status = number(res.status) ?? 0;
  if (res.statusText !== undefined && typeof res.statusText !== 'string')
    res.statusText = asString(res.statusText);
  if (res.httpVersion !== undefined && typeof res.httpVersion !== 'string')
    res.httpVersion = asString(res.httpVersion);
  res.headers = nameValueList(res.headers);
  if (res.cookies !== undefined) res.cookies = nameValueList(res.cookies);
  if (res.redirectURL !== undefined && typeof res.redirectURL !== 'string')
    res.redirectURL = asString(res.redirectURL);
  const c = res.content;
  if (c === undefined) return;
  if (!isObj(c)) {
    delete res.content;
    return;
  }
  if (c.text !== undefined && typeof c.text !== 'string') {
    // A hand-made file may hold the JSON body as JSON: the text it stands for.
    if (typeof c.text === 'object' && c.text !== null) c.text = JSON.stringify(c.text);
    else if (typeof c.text === 'number' || typeof c.text === 'boolean') c.text = String(c.text);
    else delete c.text;
  }
  if (c.mimeType !== undefined && typeof c.mimeType !== 'string') c.mimeType = asString(c.mimeType);
  if (c.encoding !== undefined && typeof c.encoding !== 'string') delete c.encoding;
}

/**
 * The entry read the tolerant way (repaired in place), or why it cannot be an entry at all: not
 * an object, or no `request` object (nothing says what was asked).
 */
export function readEntry(v: unknown): HarEntry | string {
  if (!isObj(v)) return 'is not an object';
  const req = v.request;
  if (!isObj(req)) return 'has no "request" object';
  if (!isObj(v.response)) v.response = noResponse();
  if (typeof v.startedDateTime !== 'string') v.startedDateTime = asString(v.startedDateTime);
  if (v.time !== undefined && typeof v.time !== 'number') {
    const t = number(v.time);
    if (t === undefined) delete v.time;
    else v.time = t;
  }
  if (v.timings !== undefined && !isObj(v.timings)) delete v.timings;
  readRequest(req);
  readResponse(v.response as Obj);
  return v as unknown as HarEntry;
}
