import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HarEntry } from '../../src/model/har.js';
import { HarScanner, type ScanResult } from '../../src/har/scanner.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Out {
  entries: string;
  indexes: number[];
  result: ScanResult;
}

/** Scans `bytes` cut at the given sizes (cycled); entries serialized, so long strings are read. */
function scan(bytes: Uint8Array, sizes: number[], maxTextChars?: number): Out {
  const entries: HarEntry[] = [];
  const indexes: number[] = [];
  const s = new HarScanner({
    onEntry: (e, i) => {
      entries.push(e);
      indexes.push(i);
    },
    ...(maxTextChars === undefined ? {} : { maxTextChars }),
  });
  let p = 0;
  for (let k = 0; p < bytes.length; k++) {
    const n = Math.max(1, sizes.length ? sizes[k % sizes.length]! : bytes.length);
    s.push(bytes.subarray(p, p + n));
    p += n;
  }
  return { entries: JSON.stringify(entries), indexes, result: s.end() };
}

const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const header = fc.record({ name: fc.string({ maxLength: 12 }), value: anyText(40) });

const entryArb = fc.record(
  {
    startedDateTime: anyText(30),
    request: fc.record({
      method: fc.constantFrom('GET', 'POST', 'OPTIONS'),
      url: anyText(60),
      headers: fc.array(header, { maxLength: 4 }),
    }),
    response: fc.record({
      status: fc.integer({ min: -1, max: 599 }),
      headers: fc.array(header, { maxLength: 4 }),
      content: fc.record({ mimeType: fc.constantFrom('text/html', 'application/json'), text: anyText(300) }),
    }),
    _initiator: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ['startedDateTime', 'request', 'response'] },
);

/** A HAR with its `log` fields in any order, written with any JSON white space. */
const harArb = fc
  .record({
    entries: fc.array(entryArb, { maxLength: 5 }),
    creator: fc.record({ name: anyText(20), version: fc.string({ maxLength: 8 }) }),
    pages: fc.array(fc.record({ id: fc.string({ maxLength: 8 }), title: anyText(30) }), { maxLength: 2 }),
    order: fc.shuffledSubarray(['version', 'creator', 'pages', 'entries', 'comment'], { minLength: 5 }),
    indent: fc.constantFrom<string | number>(0, 1, 2, '\t', '\r\n '),
    comment: fc.string({ maxLength: 20 }),
  })
  .map(({ entries, creator, pages, order, indent, comment }) => {
    const values: Record<string, unknown> = { version: '1.2', creator, pages, entries, comment };
    const log: Record<string, unknown> = {};
    for (const k of order) log[k] = values[k];
    return { har: { log }, entries, text: JSON.stringify({ log }, null, indent) };
  });

const splits = fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 12 });

describe('HAR scanner properties', () => {
  it('emits exactly what JSON.parse reads, in order, whatever the key order and white space', () => {
    fc.assert(
      fc.property(harArb, ({ entries, text }) => {
        const out = scan(enc(text), []);
        expect(out.result.error).toBeUndefined();
        expect(out.entries).toBe(JSON.stringify(JSON.parse(text).log.entries));
        expect(out.indexes).toEqual(entries.map((_, i) => i));
        const meta = JSON.parse(text).log;
        expect(out.result.meta).toEqual({ version: meta.version, creator: meta.creator, pages: meta.pages });
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same output for any chunk sizes (1 byte, 7 bytes, random), with and without cutting', () => {
    const longish = fc.tuple(anyText(12), fc.integer({ min: 1, max: 3000 })).map(([s, n]) => s.repeat(n));
    fc.assert(
      fc.property(
        harArb,
        longish,
        splits,
        fc.constantFrom(undefined, 0, 5, 64, 1000),
        ({ text }, extra, sizes, max) => {
          // One more entry with a long body (escapes and surrogates included), so that long strings
          // and their cutting cross chunk boundaries too.
          const har = JSON.parse(text);
          har.log.entries.push({
            startedDateTime: 'x',
            request: { method: 'GET', url: 'https://a/', headers: [] },
            response: { status: 401, headers: [], content: { text: extra } },
          });
          const bytes = enc(JSON.stringify(har, null, 1));
          const whole = scan(bytes, [], max);
          expect(whole.result.error).toBeUndefined();
          for (const s of [[1], [7], sizes]) {
            const part = scan(bytes, s, max);
            expect(part.entries).toBe(whole.entries);
            expect(part.result).toEqual(whole.result);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('cuts any string at maxTextChars code units, never in the middle of a pair, and says how long it was', () => {
    fc.assert(
      fc.property(
        anyText(400),
        fc.integer({ min: 0, max: 420 }),
        fc.boolean(),
        splits,
        (text, max, escapeAll, sizes) => {
          let src = JSON.stringify({
            log: {
              entries: [
                {
                  startedDateTime: '',
                  request: { method: 'GET', url: '', headers: [] },
                  response: { status: 200, headers: [], content: { text } },
                },
              ],
            },
          });
          if (escapeAll)
            src = src.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
          const entries: HarEntry[] = [];
          const s = new HarScanner({ onEntry: (e) => entries.push(e), maxTextChars: max });
          const bytes = enc(src);
          for (let p = 0, k = 0; p < bytes.length; k++) {
            const n = sizes[k % sizes.length]!;
            s.push(bytes.subarray(p, p + n));
            p += n;
          }
          expect(s.end().error).toBeUndefined();
          const content = entries[0]!.response.content!;
          if (text.length <= max) {
            expect(content).toEqual({ text });
          } else {
            let keep = text.slice(0, max);
            if (/[\ud800-\udbff]$/.test(keep)) keep = keep.slice(0, -1);
            expect(content).toEqual({ text: keep, _why401TruncatedFrom: text.length });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('HAR scanner fuzz: never a throw, always a one-line error', () => {
  const checkError = (r: ScanResult, length: number) => {
    if (r.error) {
      expect(r.error.offset).toBeGreaterThanOrEqual(0);
      expect(r.error.offset).toBeLessThanOrEqual(length);
      expect(r.error.message).not.toMatch(/[\r\n]/);
      expect(r.error.message.length).toBeLessThan(200);
    }
  };

  it('arbitrary bytes, alone or after the start of a HAR', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          '',
          '{"log":{"entries":[',
          '{"log":{"entries":[{"request":{"url":"',
          '\ufeff{"log":{',
        ),
        fc.uint8Array({ maxLength: 2000 }),
        splits,
        (prefix, tail, sizes) => {
          const head = enc(prefix);
          const bytes = new Uint8Array(head.length + tail.length);
          bytes.set(head);
          bytes.set(tail, head.length);
          const a = scan(bytes, []);
          const b = scan(bytes, sizes);
          checkError(a.result, bytes.length);
          expect(b.result).toEqual(a.result);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON in every place of a HAR', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.constantFrom(
          '$',
          '{"log":$}',
          '{"log":{"entries":$}}',
          '{"log":{"entries":[$]}}',
          '{"log":{"creator":$,"entries":[]}}',
        ),
        (v, place) => {
          const text = place.replace('$', () => JSON.stringify(v));
          const out = scan(enc(text), []);
          checkError(out.result, enc(text).length);
          for (const e of JSON.parse(out.entries) as HarEntry[]) {
            expect(typeof e.request).toBe('object');
            expect(typeof e.response.status).toBe('number');
            expect(Array.isArray(e.request.headers) && Array.isArray(e.response.headers)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a damaged HAR: what JSON.parse refuses is refused too (but for bad string contents); what is accepted is what JSON.parse reads', () => {
    const edits = fc.array(
      fc.record({
        at: fc.nat(),
        del: fc.integer({ min: 0, max: 3 }),
        ins: fc.stringMatching(/^[{}[\]:,"a-z0-9 .eE+-]{0,3}$/),
      }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(harArb, edits, ({ text }, ops) => {
        let t = text;
        for (const { at, del, ins } of ops) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        let parsed: { log?: { entries?: unknown } } | undefined;
        let refusal = '';
        try {
          parsed = JSON.parse(t);
        } catch (e) {
          parsed = undefined;
          refusal = (e as Error).message;
        }
        const out = scan(enc(t), []);
        checkError(out.result, enc(t).length);
        // The scanner's documented leniency: the contents of a string it skips or keeps undecoded
        // (a bad escape, a bad \u escape, a raw control character) are not checked. Anything else
        // JSON.parse refuses, the scanner refuses too. V8's three messages for these: "Bad escaped
        // character", "Bad Unicode escape", "Bad control character in string literal".
        const stringContents = /escaped character|unicode escape|control character/i.test(refusal);
        if (parsed === undefined && !stringContents) expect(out.result.error, t).toBeDefined();
        if (!out.result.error && parsed !== undefined)
          expect(out.result.entries).toBe((parsed.log?.entries as unknown[]).length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('memory stays bounded', () => {
  /** Streams a HAR whose one entry (or other field) holds a `size`-byte string, in 64 KiB chunks. */
  function streamHuge(before: string, piece: string, size: number, after: string, max?: number) {
    const entries: HarEntry[] = [];
    const s = new HarScanner({
      onEntry: (e) => entries.push(e),
      ...(max === undefined ? {} : { maxTextChars: max }),
    });
    s.push(enc(before));
    const p = enc(piece);
    const chunk = new Uint8Array(Math.floor(65536 / p.length) * p.length);
    for (let o = 0; o < chunk.length; o += p.length) chunk.set(p, o);
    let sent = 0;
    while (sent + chunk.length <= size) {
      s.push(chunk);
      sent += chunk.length;
    }
    s.push(enc(after));
    return { entries, result: s.end(), peak: s.peakHeldBytes, sent };
  }

  const head =
    '{"log":{"version":"1.2","entries":[{"startedDateTime":"t","request":{"method":"GET","url":"u","headers":[]},"response":{"status":200,"headers":[],"content":{"text":"';
  const tail = '"}}}]}}';
  // 23 bytes, 10 UTF-16 code units: escapes, a 2-byte, a 3-byte and a 4-byte character.
  const piece = 'ab\\"\\n\\\\é☃😀\\u00e9';

  it('a 50 MB response body in one entry: its first 262144 characters kept, about 1 MB held at most', () => {
    const { entries, result, peak, sent } = streamHuge(head, piece, 50_000_000, tail);
    expect(result.error).toBeUndefined();
    const c = entries[0]!.response.content!;
    expect(enc(piece).length).toBe(23);
    const units = (sent / 23) * 10;
    expect(c._why401TruncatedFrom).toBe(units);
    expect(c.text!.length).toBeGreaterThanOrEqual(262_143);
    expect(c.text!.length).toBeLessThanOrEqual(262_144);
    expect(c.text!.startsWith('ab"\n\\é☃😀éab"')).toBe(true);
    expect(peak).toBeLessThan(2 * 1024 * 1024);
  });

  it('a 50 MB string outside the entries, or as a property name: nothing held', () => {
    const a = streamHuge('{"log":{"comment":"', piece, 50_000_000, '","entries":[]}}');
    expect(a.result.error).toBeUndefined();
    expect(a.peak).toBe(0);
    const b = streamHuge('{"log":{"entries":[{"', piece, 50_000_000, '":1}]}}');
    expect(b.result.error?.message).toMatch(/has no "request" object/);
    expect(b.peak).toBeLessThan(1024 * 1024);
  });

  it('a 50 MB entry made of many small strings: refused beyond 64 MiB instead of held', () => {
    const many = streamHuge(
      '{"log":{"entries":[{"request":{"headers":[',
      '{"name":"x","value":"y"},',
      80_000_000,
      '{}]}}]}}',
    );
    expect(many.result.error?.message).toMatch(
      /entry 0 at byte 19 is larger than 64 MiB even with long strings cut/,
    );
    expect(many.peak).toBeLessThanOrEqual(64 * 1024 * 1024 + 65536);
  });
});
