import { describe, expect, it } from 'vitest';
import { readHarText } from '../../src/har/reader.js';
import { HarScanner, scanErrorLine, scanErrorWords, type ScanError } from '../../src/har/scanner.js';

/**
 * The reader as producers write HARs (issue 14): the tolerant reading of each entry
 * (entry-shape.ts), NetExport's JSONP, and what it says of a file that is not a HAR, that is
 * damaged, or that is cut short.
 */

const entry = {
  startedDateTime: '2024-05-14T10:00:00.000Z',
  request: { method: 'GET', url: 'https://a.example.test/x', headers: [] },
  response: { status: 200, headers: [] },
};
const har = (entries: unknown[]): string => JSON.stringify({ log: { version: '1.2', entries } });

function scanChunks(text: string, size: number): { entries: unknown[]; error?: ScanError } {
  const entries: unknown[] = [];
  const s = new HarScanner({ onEntry: (e) => entries.push(e) });
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
  const r = s.end();
  return r.error ? { entries, error: r.error } : { entries };
}

describe('the tolerant reading of an entry', () => {
  it('IE11: request.cookies as one object becomes a list of one', () => {
    const e = {
      ...entry,
      request: { ...entry.request, cookies: { name: 'previewCols', value: 'url%20status' } },
    };
    const r = readHarText(har([e]));
    expect(r.error).toBeUndefined();
    expect(r.entries[0]!.request.cookies).toEqual([{ name: 'previewCols', value: 'url%20status' }]);
  });

  it('any name/value list as an object, null or missing; items without a string name dropped', () => {
    const e = {
      ...entry,
      request: {
        ...entry.request,
        headers: { name: 'Accept', value: 'text/html' },
        queryString: null,
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          params: { name: 'q', value: 7 },
          text: '',
        },
      },
      response: { status: 200, headers: [{ name: null, value: 'HTTP/1.1 200 OK' }], cookies: null },
    };
    const got = readHarText(har([e])).entries[0]!;
    expect(got.request.headers).toEqual([{ name: 'Accept', value: 'text/html' }]);
    expect(got.request.queryString).toEqual([]);
    expect(got.request.postData?.params).toEqual([{ name: 'q', value: '7' }]);
    expect(got.response.headers).toEqual([]);
    expect(got.response.cookies).toEqual([]);
  });

  it('an entry without a response: the answer that never came (status 0), not a stop', () => {
    const r = readHarText(har([{ startedDateTime: '', request: entry.request }, entry]));
    expect(r.error).toBeUndefined();
    expect(r.entries).toHaveLength(2);
    expect(r.entries[0]!.response).toMatchObject({ status: 0, headers: [] });
  });

  it('Charles’ null redirectURL and statusText, mitmproxy’s content {}, Firefox’s timings {}: strings and objects', () => {
    const e = {
      ...entry,
      timings: {},
      response: { status: '302', statusText: null, headers: [], redirectURL: null, content: {} },
    };
    const got = readHarText(har([e])).entries[0]!;
    expect(got.response).toEqual({ status: 302, statusText: '', headers: [], redirectURL: '', content: {} });
    expect(got.timings).toEqual({});
  });

  it('content and postData that are not objects are dropped, a JSON body given as JSON becomes its text', () => {
    const e = {
      ...entry,
      request: { ...entry.request, postData: 'a=1' },
      response: { status: 200, headers: [], content: { mimeType: 'application/json', text: { ok: true } } },
    };
    const got = readHarText(har([e])).entries[0]!;
    expect(got.request.postData).toBeUndefined();
    expect(got.response.content?.text).toBe('{"ok":true}');
  });
});

describe('NetExport JSONP', () => {
  const inner = har([entry]);
  it.each([
    [`onInputData(${inner});`],
    [`onInputData(\n${inner}\n);\n`],
    [`callback_testLoad1( ${inner} )`],
    [`\ufeffonInputData(${inner});`],
  ])('%j: the HAR inside is read', (text) => {
    for (const size of [1, 3, 1 << 20]) {
      const r = scanChunks(text, size);
      expect(r.error).toBeUndefined();
      expect(r.entries).toHaveLength(1);
    }
  });

  it('a JSONP file cut before its ")": cut short, the entries read', () => {
    const r = scanChunks(`onInputData(${inner}`, 7);
    expect(r.entries).toHaveLength(1);
    expect(r.error).toMatchObject({ kind: 'truncated' });
    expect(r.error!.message).toMatch(/onInputData\(/);
  });

  it('a name and no "(", or "(" and no object: not a HAR', () => {
    expect(readHarText('GET /x HTTP/1.1\r\nHost: a\r\n').error).toMatchObject({
      kind: 'not-a-har',
      message: "not a HAR file: this is not JSON (it starts with 'GET /x HTTP/1.1')",
    });
    expect(readHarText('cb([1])').error).toMatchObject({ kind: 'not-a-har' });
    expect(readHarText('true').error).toMatchObject({ kind: 'not-a-har' });
    expect(readHarText(`onInputData(${inner});;`).error).toMatchObject({ kind: 'syntax' });
  });
});

describe('a file that is not a HAR, damaged, or cut short', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [JSON.stringify(entry), 'not-a-har'],
    ['{"foo":1}', 'not-a-har'],
    ['[{}]', 'not-a-har'],
    ['{"log":{"version":"1.2"}}', 'not-a-har'],
    ['{"log":{"entries":[1]}}', 'not-a-har'],
    [`{"log":{"entries":[${JSON.stringify(entry)};]}}`, 'syntax'],
    ['{"log":{"entries":[{"a":tru}]}}', 'syntax'],
    [har([entry]).slice(0, -5), 'truncated'],
    ['{"log":{"entries":[', 'truncated'],
  ])('%j: %s', (text, kind) => {
    expect(readHarText(text).error?.kind).toBe(kind);
  });

  it('names a bare entry as one, and the keys of other JSON', () => {
    expect(readHarText(JSON.stringify(entry)).error!.message).toMatch(/a single HAR entry, not a HAR file/);
    expect(readHarText('{"test_response":{"log":{}}}').error!.message).toMatch(/"test_response"/);
  });

  it('says a syntax error and a cut apart', () => {
    const syntax = readHarText(`{"log":{"entries":[${JSON.stringify(entry)};]}}`).error!;
    const cut = readHarText(har([entry, entry]).slice(0, -40)).error!;
    expect(scanErrorWords(syntax)).toMatch(
      /^has a JSON syntax error at byte \d+, where it is damaged rather than cut short/,
    );
    expect(scanErrorWords(cut)).toMatch(/^is cut short at byte \d+ \(unexpected end of file/);
    expect(scanErrorLine('x.har', cut)).toMatch(/^x\.har is cut short/);
    expect(scanErrorLine('x.har', readHarText('{"foo":1}').error!)).toBe(
      'x.har: no "log" object: this JSON is not a HAR file (its keys: "foo")',
    );
  });
});
