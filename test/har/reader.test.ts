import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HarEntry, HarMeta } from '../../src/model/har.js';
import { readHarFile, readHarText } from '../../src/har/reader.js';
import { HarScanner, LAZY_MIN_BYTES, type ScanResult } from '../../src/har/scanner.js';

// ---- samples shaped like each exporter's files ----

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTcwMDAwMDAwMH0.c2ln';

/** Chrome DevTools "Export HAR (with sensitive data)": vendor fields, pretty-printed with 2 spaces. */
const CHROME = {
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    pages: [
      {
        startedDateTime: '2025-01-14T10:00:00.000Z',
        id: 'page_1',
        title: 'https://app.example.com/',
        pageTimings: { onContentLoad: 120.5, onLoad: 300.25 },
      },
    ],
    entries: [
      {
        _initiator: {
          type: 'script',
          stack: {
            callFrames: [
              {
                functionName: 'load',
                url: 'https://app.example.com/main.js',
                lineNumber: 10,
                columnNumber: 4,
              },
            ],
            parent: { description: 'Promise.then', callFrames: [] },
          },
        },
        _priority: 'High',
        _resourceType: 'fetch',
        cache: {},
        connection: '443',
        pageref: 'page_1',
        request: {
          method: 'GET',
          url: 'https://api.example.com/v1/me',
          httpVersion: 'http/2.0',
          headers: [
            { name: ':authority', value: 'api.example.com' },
            { name: 'authorization', value: `Bearer ${JWT}` },
            { name: 'cookie', value: 'sid=abc; theme=dark' },
          ],
          queryString: [],
          cookies: [
            {
              name: 'sid',
              value: 'abc',
              path: '/',
              domain: 'api.example.com',
              expires: null,
              httpOnly: true,
              secure: true,
            },
          ],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: 401,
          statusText: '',
          httpVersion: 'http/2.0',
          headers: [
            { name: 'www-authenticate', value: 'Bearer realm="api", error="invalid_token"' },
            { name: 'www-authenticate', value: 'Basic realm="api"' },
            { name: 'content-type', value: 'application/json' },
          ],
          cookies: [],
          content: {
            size: 47,
            mimeType: 'application/json',
            text: '{"error":"invalid_token","detail":"expired é"}',
          },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
          _transferSize: 312,
          _error: null,
        },
        serverIPAddress: '203.0.113.7',
        startedDateTime: '2025-01-14T10:00:01.000Z',
        time: 42.125,
        timings: {
          blocked: 1.5,
          dns: -1,
          ssl: -1,
          connect: -1,
          send: 0.25,
          wait: 39.5,
          receive: 0.875,
          _blocked_queueing: 1.25,
        },
      },
      {
        _initiator: { type: 'script' },
        _priority: 'High',
        _resourceType: 'fetch',
        cache: {},
        pageref: 'page_1',
        request: {
          method: 'POST',
          url: 'https://other.example.net/api/data',
          httpVersion: 'http/1.1',
          headers: [{ name: 'Authorization', value: `Bearer ${JWT}` }],
          queryString: [],
          cookies: [],
          headersSize: -1,
          bodySize: 9,
          postData: { mimeType: 'application/json', text: '{"a":"b"}' },
        },
        response: {
          status: 0,
          statusText: '',
          httpVersion: '',
          headers: [],
          cookies: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
          _transferSize: 0,
          _error: 'net::ERR_FAILED',
          _failureText: 'net::ERR_FAILED',
        },
        serverIPAddress: '',
        startedDateTime: '2025-01-14T10:00:02.000Z',
        time: 3,
        timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 0, receive: 0 },
      },
    ],
  },
};

/** Firefox: `browser`, then `pages` first, then entries; tab indentation. */
const FIREFOX = {
  log: {
    version: '1.2',
    creator: { name: 'Firefox', version: '133.0' },
    browser: { name: 'Firefox', version: '133.0' },
    pages: [
      {
        startedDateTime: '2025-01-14T10:00:00.000+01:00',
        id: 'page_1',
        title: 'Sign in',
        pageTimings: { onContentLoad: -1, onLoad: -1 },
      },
    ],
    entries: [
      {
        pageref: 'page_1',
        startedDateTime: '2025-01-14T10:00:00.500+01:00',
        request: {
          bodySize: 0,
          method: 'GET',
          url: 'https://app.example.com/account',
          httpVersion: 'HTTP/2',
          headers: [
            { name: 'Host', value: 'app.example.com' },
            { name: 'Cookie', value: 'session=xyz' },
          ],
          cookies: [{ name: 'session', value: 'xyz' }],
          queryString: [],
          headersSize: 412,
        },
        response: {
          status: 302,
          statusText: 'Found',
          httpVersion: 'HTTP/2',
          headers: [{ name: 'location', value: '/login?next=%2Faccount' }],
          cookies: [],
          content: { mimeType: 'text/html', size: 0, text: '' },
          redirectURL: '/login?next=%2Faccount',
          headersSize: 120,
          bodySize: 0,
        },
        cache: {},
        timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 31, receive: 0 },
        time: 31,
        _securityState: 'secure',
        serverIPAddress: '203.0.113.8',
        connection: '443',
      },
      {
        pageref: 'page_1',
        startedDateTime: '2025-01-14T10:00:00.600+01:00',
        request: {
          bodySize: 0,
          method: 'GET',
          url: 'https://app.example.com/login?next=%2Faccount',
          httpVersion: 'HTTP/2',
          headers: [{ name: 'Host', value: 'app.example.com' }],
          cookies: [],
          queryString: [{ name: 'next', value: '/account' }],
          headersSize: 380,
        },
        response: {
          status: 200,
          statusText: 'OK',
          httpVersion: 'HTTP/2',
          headers: [{ name: 'content-type', value: 'text/html; charset=utf-8' }],
          cookies: [],
          content: {
            mimeType: 'text/html; charset=utf-8',
            size: 120,
            text: '<form method="post" action="/login">\n\t<input type="password" name="pw">\n\t<label>Mot de passe ☃</label>\n</form>',
          },
          redirectURL: '',
          headersSize: 150,
          bodySize: 120,
        },
        cache: {},
        timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 12, receive: 1 },
        time: 13,
        _securityState: 'secure',
      },
    ],
  },
};

/** Playwright's recordHar: creator "Playwright", status -1 and `_failureText` for a refused preflight. */
const PLAYWRIGHT = {
  log: {
    version: '1.2',
    creator: { name: 'Playwright', version: '1.65.1' },
    browser: { name: 'chromium', version: '156.0.7400.0' },
    pages: [
      {
        startedDateTime: '2025-01-14T10:00:00.000Z',
        id: 'page@9f2c',
        title: 'App',
        pageTimings: { onContentLoad: 80, onLoad: 95 },
      },
    ],
    entries: [
      {
        startedDateTime: '2025-01-14T10:00:00.100Z',
        time: 5.5,
        request: {
          method: 'GET',
          url: 'http://localhost:4321/api/items',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [
            { name: 'Authorization', value: `Bearer ${JWT}` },
            { name: 'Referer', value: 'http://127.0.0.1:8080/' },
          ],
          queryString: [],
          headersSize: -1,
          bodySize: -1,
        },
        response: {
          status: -1,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [],
          content: { size: -1, mimeType: 'x-unknown' },
          headersSize: -1,
          bodySize: -1,
          redirectURL: '',
          _transferSize: -1,
          _failureText: 'net::ERR_FAILED',
        },
        cache: {},
        timings: { send: -1, wait: -1, receive: -1 },
        pageref: 'page@9f2c',
        _serverPort: 4321,
      },
    ],
  },
};

/** Charles: entries before creator, base64 content. */
const CHARLES = {
  log: {
    version: '1.2',
    entries: [
      {
        startedDateTime: '2025-01-14T10:00:00.000+00:00',
        time: 120,
        request: {
          method: 'GET',
          url: 'https://cdn.example.com/logo.png',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [{ name: 'Accept', value: 'image/*' }],
          queryString: [],
          headersSize: 150,
          bodySize: 0,
        },
        response: {
          _charlesStatus: 'COMPLETE',
          status: 403,
          statusText: 'Forbidden',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: [{ name: 'Server', value: 'AmazonS3' }],
          content: { size: 12, mimeType: 'image/png', text: 'iVBORw0KGgo=', encoding: 'base64' },
          redirectURL: null,
          headersSize: 200,
          bodySize: 12,
        },
        serverIPAddress: '198.51.100.4',
        cache: {},
        timings: { dns: -1, connect: -1, ssl: -1, send: 1, wait: 100, receive: 19 },
      },
    ],
    creator: { name: 'Charles Proxy', version: '4.6.7' },
  },
};

/** Fiddler (Windows): UTF-8 BOM, CRLF, a `comment` beside the entries, creator last. */
const FIDDLER = {
  log: {
    version: '1.2',
    pages: [],
    comment: 'exported @ 1/14/2025 10:00:00 AM',
    entries: [
      {
        startedDateTime: '2025-01-14T10:00:00.0000000+01:00',
        time: 16,
        request: {
          method: 'POST',
          url: 'https://login.example.com/oauth2/token',
          httpVersion: 'HTTP/1.1',
          headersSize: 310,
          bodySize: 64,
          cookies: [],
          headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
          queryString: [],
          postData: {
            mimeType: 'application/x-www-form-urlencoded',
            text: 'grant_type=refresh_token&refresh_token=r1&client_id=app',
            params: [
              { name: 'grant_type', value: 'refresh_token' },
              { name: 'refresh_token', value: 'r1' },
            ],
          },
        },
        response: {
          status: 400,
          statusText: 'Bad Request',
          httpVersion: 'HTTP/1.1',
          headersSize: 200,
          bodySize: 60,
          redirectURL: '',
          cookies: [],
          headers: [{ name: 'Content-Type', value: 'application/json' }],
          content: { size: 60, mimeType: 'application/json', text: '{"error":"invalid_grant"}' },
        },
        cache: {},
        timings: { blocked: 0, dns: 0, connect: 0, send: 0, wait: 16, receive: 0, ssl: -1 },
        comment: '',
      },
    ],
    creator: { name: 'Fiddler', version: '5.0.20204.45441', comment: 'http://www.telerik.com/fiddler' },
  },
};

interface Sample {
  name: string;
  har: { log: Record<string, unknown> & { entries: unknown[] } };
  text: string;
  meta: HarMeta;
}

function metaOf(log: Record<string, unknown>): HarMeta {
  const m: Record<string, unknown> = {};
  for (const k of ['version', 'creator', 'browser', 'pages']) if (k in log) m[k] = log[k];
  return m as HarMeta;
}

const SAMPLES: Sample[] = [
  { name: 'Chrome', har: CHROME, text: JSON.stringify(CHROME, null, 2) },
  { name: 'Firefox', har: FIREFOX, text: JSON.stringify(FIREFOX, null, '\t') },
  { name: 'Playwright', har: PLAYWRIGHT, text: JSON.stringify(PLAYWRIGHT, null, 2) },
  { name: 'Charles', har: CHARLES, text: JSON.stringify(CHARLES, null, 1) },
  {
    name: 'Fiddler',
    har: FIDDLER,
    text: `\ufeff${JSON.stringify(FIDDLER, null, 2).replace(/\n/g, '\r\n')}\r\n`,
  },
].map((s) => ({ ...s, meta: metaOf(s.har.log) }));

// ---- helpers ----

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Scan {
  entries: HarEntry[];
  indexes: number[];
  metaCalls: HarMeta[];
  result: ScanResult;
}

/** Feeds `bytes` to a scanner in the given chunk sizes (cycled). */
function scan(
  bytes: Uint8Array,
  sizes: number[] = [bytes.length || 1],
  o: { maxTextChars?: number } = {},
): Scan {
  const entries: HarEntry[] = [];
  const indexes: number[] = [];
  const metaCalls: HarMeta[] = [];
  const s = new HarScanner({
    ...o,
    onEntry: (e, i) => {
      entries.push(e);
      indexes.push(i);
    },
    onMeta: (m) => metaCalls.push(m),
  });
  let p = 0;
  for (let k = 0; p < bytes.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    s.push(bytes.subarray(p, p + n));
    p += n;
  }
  return { entries, indexes, metaCalls, result: s.end() };
}

const json = (x: unknown): string => JSON.stringify(x);

// ---- tests ----

describe('HAR samples from each exporter', () => {
  for (const sample of SAMPLES) {
    it(`reads ${sample.name}: every entry in order with its index, the meta complete`, () => {
      const { entries, indexes, result, metaCalls } = scan(enc(sample.text));
      expect(result.error).toBeUndefined();
      expect(result.entries).toBe(sample.har.log.entries.length);
      expect(indexes).toEqual(sample.har.log.entries.map((_, i) => i));
      // Charles writes `redirectURL: null`: the reader gives the string the entry type promises.
      const expected: unknown = JSON.parse(
        JSON.stringify(sample.har.log.entries).replaceAll('"redirectURL":null', '"redirectURL":""'),
      );
      expect(entries).toEqual(expected);
      expect(result.meta).toEqual(sample.meta);
      expect(metaCalls.at(-1)).toEqual(sample.meta);
    });
  }

  it('gives the meta read before the entries at once (Firefox: pages first) and the rest after (Charles)', () => {
    const order: string[] = [];
    const s = new HarScanner({
      onEntry: () => order.push('entry'),
      onMeta: (m) => order.push(`meta:${Object.keys(m).join(',')}`),
    });
    s.push(enc(SAMPLES[1]!.text));
    s.end();
    expect(order).toEqual([
      'meta:version',
      'meta:version,creator',
      'meta:version,creator,browser',
      'meta:version,creator,browser,pages',
      'entry',
      'entry',
    ]);
    const charles: string[] = [];
    const c = new HarScanner({
      onEntry: () => charles.push('entry'),
      onMeta: (m) => charles.push(`meta:${m.creator?.name}`),
    });
    c.push(enc(SAMPLES[3]!.text));
    expect(c.end().meta).toEqual({ version: '1.2', creator: { name: 'Charles Proxy', version: '4.6.7' } });
    expect(charles).toEqual(['meta:undefined', 'entry', 'meta:Charles Proxy']);
  });

  it('reads the same whatever the chunk sizes (1, 7, 4096 bytes)', () => {
    for (const sample of SAMPLES) {
      const bytes = enc(sample.text);
      const whole = scan(bytes);
      for (const sizes of [[1], [7], [4096], [3, 1, 11, 2]]) {
        const part = scan(bytes, sizes);
        expect(json(part.entries), `${sample.name} ${sizes.join(',')}`).toBe(json(whole.entries));
        expect(part.result).toEqual(whole.result);
      }
    }
  });

  it('accepts any JSON white space and none at all', () => {
    const base = JSON.stringify(CHROME);
    const spaced = JSON.stringify(CHROME, null, 8).replace(/\n/g, '\r\n\t \t');
    for (const text of [base, spaced, ` \n\r\t${base} \n\r\t`]) {
      const r = readHarText(text);
      expect(r.error).toBeUndefined();
      expect(r.entries).toEqual(CHROME.log.entries);
    }
  });

  it('reads every escape, surrogate pairs and multi-byte UTF-8 split anywhere', () => {
    const text =
      'quote " backslash \\ slash / \b\f\n\r\t ctl \u0001\u001f é ☃ 😀 𝄞 lone \ud800 and \udc00 end';
    const har = {
      log: {
        entries: [
          {
            startedDateTime: 'ü',
            request: {
              method: 'GET',
              url: 'https://例え.jp/パス?q=😀',
              headers: [{ name: 'X-Ü', value: text }],
            },
            response: { status: 200, headers: [], content: { text: text.repeat(3) } },
          },
        ],
      },
    };
    // JSON.stringify writes raw UTF-8 for the emoji; the hand-written copy escapes everything.
    const escaped = JSON.stringify(har).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    for (const src of [JSON.stringify(har), escaped, escaped.replace(/\\\//g, '/').replace(/\//g, '\\/')]) {
      const bytes = enc(src);
      for (const sizes of [[bytes.length], [1], [2], [3], [5]]) {
        const r = scan(bytes, sizes);
        expect(r.result.error).toBeUndefined();
        expect(r.entries).toEqual(har.log.entries);
      }
    }
  });
});

describe('long strings', () => {
  const big = (n: number): string => 'ab"\\\né☃😀\ud83d\ude00'.repeat(Math.ceil(n / 12)).slice(0, n);
  const entryWith = (text: string, extra: Record<string, unknown> = {}) => ({
    startedDateTime: 't',
    request: { method: 'POST', url: 'https://a.example/', headers: [{ name: 'x', value: 'y' }], ...extra },
    response: { status: 200, headers: [], content: { mimeType: 'text/plain', text } },
  });
  const harOf = (...entries: unknown[]) => JSON.stringify({ log: { version: '1.2', entries } });

  it('cuts a string longer than maxTextChars and marks response.content with the original length', () => {
    const text = 'x'.repeat(30);
    const r = readHarText(harOf(entryWith(text)), { maxTextChars: 10 });
    expect(r.error).toBeUndefined();
    expect(r.entries[0]!.response.content).toEqual({
      mimeType: 'text/plain',
      text: 'x'.repeat(10),
      _why401TruncatedFrom: 30,
    });
  });

  it('keeps a string of exactly maxTextChars, and one with more bytes but not more characters', () => {
    const texts = ['x'.repeat(10), 'é'.repeat(10), '\n"'.repeat(5), '😀'.repeat(5), '\u0001'.repeat(10)];
    const r = readHarText(harOf(...texts.map((t) => entryWith(t))), { maxTextChars: 10 });
    expect(r.entries.map((e) => e.response.content)).toEqual(
      texts.map((text) => ({ mimeType: 'text/plain', text })),
    );
  });

  it('cuts on a character boundary: escapes, UTF-8 sequences and surrogate pairs stay whole', () => {
    const text = big(200);
    for (let max = 0; max <= 60; max++) {
      let keep = text.slice(0, max);
      if (/[\ud800-\udbff]$/.test(keep)) keep = keep.slice(0, -1);
      for (const src of [
        harOf(entryWith(text)),
        harOf(entryWith(text)).replace(
          /[^\x20-\x7e]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
      ]) {
        const bytes = enc(src);
        for (const sizes of [[bytes.length], [1], [2], [3], [5], [7], [16]]) {
          const r = scan(bytes, sizes, { maxTextChars: max });
          expect(r.result.error).toBeUndefined();
          const c = r.entries[0]!.response.content!;
          expect(c.text, `max ${max}`).toBe(keep);
          expect(c._why401TruncatedFrom).toBe(text.length);
        }
      }
    }
  });

  it('cuts a long body to a long prefix the same way whatever the chunks, and keeps it lazy', () => {
    const text = big(100_000);
    const bytes = enc(harOf(entryWith(text)));
    let keep = text.slice(0, 30_000);
    if (/[\ud800-\udbff]$/.test(keep)) keep = keep.slice(0, -1);
    for (const sizes of [[bytes.length], [4093], [65_536], [1, 30_000, 7]]) {
      const r = scan(bytes, sizes, { maxTextChars: 30_000 });
      const c = r.entries[0]!.response.content!;
      expect(typeof Object.getOwnPropertyDescriptor(c, 'text')!.get).toBe('function');
      expect(c.text).toBe(keep);
      expect(c._why401TruncatedFrom).toBe(text.length);
    }
  });

  it('cuts and defers long strings in the log fields too', () => {
    const title = 't'.repeat(20_000);
    const src = JSON.stringify({ log: { version: '1.2', pages: [{ id: 'p', title }], entries: [] } });
    expect(readHarText(src).meta.pages).toEqual([{ id: 'p', title }]);
    expect(readHarText(src, { maxTextChars: 5 }).meta.pages).toEqual([
      { id: 'p', title: 'ttttt', _why401TruncatedFrom: 20_000 },
    ]);
  });

  it('marks other long strings on the object that held them (a request body, a header)', () => {
    const entry = entryWith('short', { postData: { mimeType: 'text/plain', text: 'p'.repeat(50) } });
    entry.request.headers.push({ name: 'cookie', value: 'c'.repeat(40) });
    const r = readHarText(harOf(entry), { maxTextChars: 20 });
    const e = r.entries[0]!;
    expect(e.request.postData).toEqual({
      mimeType: 'text/plain',
      text: 'p'.repeat(20),
      _why401TruncatedFrom: 50,
    });
    expect(e.request.headers[1]).toEqual({ name: 'cookie', value: 'c'.repeat(20), _why401TruncatedFrom: 40 });
    expect(e.response.content).toEqual({ mimeType: 'text/plain', text: 'short' });
  });

  it(`decodes a string value of ${LAZY_MIN_BYTES} bytes or more only when it is read`, () => {
    const text = big(50_000);
    const src = harOf(entryWith(text));
    const r = readHarText(src);
    const content = r.entries[0]!.response.content!;
    const d = Object.getOwnPropertyDescriptor(content, 'text')!;
    expect(typeof d.get).toBe('function');
    expect(d.enumerable).toBe(true);
    expect(content.text).toBe(text);
    expect(JSON.parse(JSON.stringify(r.entries[0]))).toEqual(JSON.parse(src).log.entries[0]);
    expect(structuredClone(content)).toEqual({ mimeType: 'text/plain', text });
    content.text = 'replaced';
    expect(content.text).toBe('replaced');
    expect({ ...content }).toEqual({ mimeType: 'text/plain', text: 'replaced' });
    const eager = readHarText(src, { lazyText: false });
    expect(Object.getOwnPropertyDescriptor(eager.entries[0]!.response.content!, 'text')!.value).toBe(text);
  });

  it('keeps long strings right after the chunk they came in is reused (the reader reuses its buffers)', () => {
    const texts = [big(40_000), big(70_000), big(300_000)];
    const bytes = enc(harOf(...texts.map((t) => entryWith(t))));
    const entries: HarEntry[] = [];
    const s = new HarScanner({ onEntry: (e) => entries.push(e) });
    const chunk = new Uint8Array(8192);
    for (let p = 0; p < bytes.length; p += chunk.length) {
      const n = Math.min(chunk.length, bytes.length - p);
      chunk.set(bytes.subarray(p, p + n));
      s.push(chunk.subarray(0, n));
      chunk.fill(0x41);
    }
    expect(s.end().error).toBeUndefined();
    expect(entries.map((e) => e.response.content!.text)).toEqual([
      texts[0],
      texts[1],
      texts[2]!.slice(0, 262_144),
    ]);
    expect(entries[2]!.response.content!._why401TruncatedFrom).toBe(texts[2]!.length);
  });
});

describe('files that are not a complete HAR', () => {
  const err = (text: string | Uint8Array) =>
    readHarText(typeof text === 'string' ? text : new TextDecoder().decode(text)).error;
  const scanErr = (bytes: Uint8Array) => scan(bytes).result.error;

  it.each([
    ['', 0, /^the file is empty$/],
    [' \r\n\t', 0, /only white space/],
    ['[{"log":{}}]', 0, /JSON array, not a HAR file/],
    ['<html><body>Sign in</body></html>', 0, /HTML or XML/],
    ['"log"', 0, /expected '\{'/],
    ['{"x":1}', 0, /no "log" object/],
    ['{"log":[]}', 7, /"log" is not an object/],
    ['{"log":{"version":"1.2"}}', 25, /no "entries" array/],
    ['{"log":{"entries":{}}}', 18, /"log.entries" is not an array/],
    ['{"log":{"entries":null}}', 18, /"log.entries" is not an array/],
    ['{"log":{"entries":[1]}}', 19, /entry 0 at byte 19 is not an object/],
    [
      '{"log":{"entries":[{"response":{"status":200,"headers":[]}}]}}',
      19,
      /entry 0 at byte 19 has no "request" object/,
    ],
    ['{"log":{"entries":[]}}{}', 22, /unexpected '\{' after the end of the HAR at byte 22/],
    ['{"log":{"entries":[]},}', 22, /unexpected '\}' inside the HAR object at byte 22 \(expected a key/],
    ['{"log":{"entries":[],"version":1.2.3}}', 31, /invalid value '1\.2\.3'/],
    ['{"log":{"entries":[{"a":tru}]}}', 24, /invalid value 'tru' inside entry 0 at byte 24/],
    ['{"log":{"entries":[{"a":"\\x"}]}}', 26, /a bad escape in a string in entry 0 near byte/],
    [
      '{"log":{"entries":[{"a" "b"}]}}',
      24,
      /unexpected '"' inside entry 0 at byte 24 \(expected ':' after a key\)/,
    ],
    ['{"log":{"entries":[{"a":1]}}', 25, /unexpected '\]' inside entry 0 at byte 25/],
    ['{"log":{"entries":[]}\f}', 21, /unexpected byte 0x0c/],
    ['{"log":{"entries":[]}\u00a0}', 21, /unexpected byte 0xc2/],
  ])('%j: an error at byte %i', (text, offset, message) => {
    const e = err(text);
    expect(e?.message).toMatch(message);
    expect(e?.offset).toBe(offset);
    expect(e?.message).not.toMatch(/\n/);
  });

  it('recognises a UTF-16 file, a gzip file and a broken BOM', () => {
    expect(scanErr(new Uint8Array([0xff, 0xfe, 0x7b, 0]))?.message).toMatch(/UTF-16/);
    expect(scanErr(new Uint8Array([0x1f, 0x8b, 8, 0]))?.message).toMatch(/gzip/);
    expect(scanErr(new Uint8Array([0xef, 0xbb, 0x7b]))?.message).toMatch(/byte order mark/);
    expect(scanErr(new Uint8Array([0xef, 0xbb, 0xbf]))?.message).toMatch(/only white space/);
  });

  it('counts the BOM in byte offsets', () => {
    const e = scanErr(enc('\ufeff{"log":{"entries":[]},}'));
    expect(e?.offset).toBe(25);
  });

  it('refuses deep nesting with a clear error, wherever it is', () => {
    for (const prefix of [
      '{"log":{"entries":[',
      '{"log":{"entries":[{"request":',
      '{"other":',
      '{"log":{"comment":',
    ]) {
      const e = scanErr(enc(`${prefix}${'['.repeat(200_000)}`));
      expect(e?.message).toMatch(/nesting deeper than 1000 levels/);
    }
  });

  it('stops at the first problem: the entries before it are emitted, nothing after', () => {
    const good = JSON.stringify(CHROME.log.entries[0]);
    const r = scan(enc(`{"log":{"entries":[${good},${good},{"x":}, ${good}]}}`));
    expect(r.entries).toHaveLength(2);
    expect(r.result.entries).toBe(2);
    expect(r.result.error?.message).toMatch(/unexpected '\}' inside entry 2/);
  });

  it('a file cut at any byte: an error at or before the cut, and every complete entry before it', () => {
    // Built by hand so that the byte where each entry ends is known.
    const entries = [...CHROME.log.entries, ...FIREFOX.log.entries, ...PLAYWRIGHT.log.entries];
    let text = '{"log":{"version":"1.2","creator":{"name":"t"},"entries":[';
    const ends: number[] = [];
    entries.forEach((e, i) => {
      text += `${i ? ',\n ' : ''}${JSON.stringify(e, null, 1)}`;
      ends.push(enc(text).length);
    });
    text += ']}}';
    const bytes = enc(text);
    for (let cut = 0; cut < bytes.length; cut++) {
      const r = scan(bytes.subarray(0, cut));
      const complete = ends.filter((e) => e <= cut).length;
      expect(r.result.error, `cut ${cut}`).toBeDefined();
      expect(r.result.error!.offset).toBeLessThanOrEqual(cut);
      expect(r.result.error!.message).not.toMatch(/\n/);
      expect(r.entries.length, `cut ${cut}`).toBe(complete);
      expect(r.entries).toEqual(entries.slice(0, complete));
    }
    expect(scan(bytes).result.error).toBeUndefined();
    const inside = scan(bytes.subarray(0, ends[2]! - 10)).result.error!;
    expect(inside.message).toBe(`unexpected end of file inside entry 2 at byte ${ends[2]! - 10}`);
    expect(scan(bytes.subarray(0, ends[2]! + 1)).result.error!.message).toBe(
      `unexpected end of file in log.entries after entry 2 at byte ${ends[2]! + 1}`,
    );
  });

  it('repairs what the entry type promises: headers as arrays of name/value strings, a numeric status', () => {
    const r = readHarText(
      JSON.stringify({
        log: {
          entries: [
            {
              startedDateTime: 5,
              request: {
                method: 'GET',
                url: 'https://a/',
                headers: [{ name: 'a', value: 1 }, { value: 'no name' }, 'x'],
              },
              response: { status: '404' },
            },
          ],
        },
      }),
    );
    expect(r.error).toBeUndefined();
    expect(r.entries[0]).toEqual({
      startedDateTime: '5',
      request: { method: 'GET', url: 'https://a/', headers: [{ name: 'a', value: '1' }] },
      response: { status: 404, headers: [] },
    });
  });
});

describe('readHarFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'why401-reader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file with progress', async () => {
    const f = join(dir, 'session.har');
    writeFileSync(f, SAMPLES[0]!.text);
    const entries: HarEntry[] = [];
    const progress: Array<[number, number]> = [];
    const r = await readHarFile(f, {
      onEntry: (e) => entries.push(e),
      onProgress: (a, b) => progress.push([a, b]),
    });
    expect(r.error).toBeUndefined();
    expect(entries).toEqual(CHROME.log.entries);
    expect(r.meta).toEqual(SAMPLES[0]!.meta);
    const size = Buffer.byteLength(SAMPLES[0]!.text);
    expect(progress).toEqual([[size, size]]);
  });

  it('reads a file of several 8 MiB chunks like the same text in one piece, long strings intact', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({
      startedDateTime: `2025-01-14T10:00:${String(i).padStart(2, '0')}.000Z`,
      request: {
        method: 'GET',
        url: `https://a.example/${i}`,
        headers: [{ name: 'n', value: 'v'.repeat(i) }],
      },
      response: {
        status: i % 10 === 3 ? 401 : 200,
        headers: [],
        content: { mimeType: 'text/html', text: `<p class="x">é☃😀 \\ ${i}</p>\n`.repeat(2000 + i * 600) },
      },
    }));
    const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'big' }, entries } }, null, 1);
    const f = join(dir, 'big.har');
    writeFileSync(f, text);
    const got: HarEntry[] = [];
    const progress: number[] = [];
    const r = await readHarFile(f, {
      onEntry: (e) => got.push(e),
      onProgress: (a) => progress.push(a),
      maxTextChars: 100_000,
    });
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 8 * 1024 * 1024);
    expect(progress.length).toBeGreaterThan(3);
    expect(r.error).toBeUndefined();
    expect(json(got)).toBe(json(readHarText(text, { maxTextChars: 100_000 }).entries));
    expect(got[59]!.response.content!.text).toBe(entries[59]!.response.content.text.slice(0, 100_000));
    expect(got[59]!.response.content!._why401TruncatedFrom).toBe(entries[59]!.response.content.text.length);
    expect(got[1]!.response.content!.text).toBe(entries[1]!.response.content.text);
  });

  it('a truncated file: the error with its offset, the complete entries', async () => {
    const f = join(dir, 'cut.har');
    const full = Buffer.from(SAMPLES[1]!.text);
    const cut = full.lastIndexOf(']');
    writeFileSync(f, full.subarray(0, cut));
    const entries: HarEntry[] = [];
    const r = await readHarFile(f, { onEntry: (e) => entries.push(e) });
    expect(entries).toEqual(FIREFOX.log.entries);
    expect(r.error).toEqual({
      offset: cut,
      message: `unexpected end of file in log.entries after entry 1 at byte ${cut}`,
      kind: 'truncated',
    });
  });

  it('a missing file, a directory, an unreadable file: one-line errors', async () => {
    const none = join(dir, 'session.har.missing');
    await expect(readHarFile(none, { onEntry: () => {} })).rejects.toThrow(
      `cannot read ${none}: it does not exist`,
    );
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    await expect(readHarFile(sub, { onEntry: () => {} })).rejects.toThrow(
      `cannot read ${sub}: it is a directory`,
    );
    await expect(readHarFile(join(dir, 'cut.har', 'x'), { onEntry: () => {} })).rejects.toThrow(
      /is not a directory$/,
    );
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.har');
      writeFileSync(locked, '{}');
      chmodSync(locked, 0);
      await expect(readHarFile(locked, { onEntry: () => {} })).rejects.toThrow(
        `cannot read ${locked}: permission denied`,
      );
    }
  });
});
