import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeHarFile } from '../../src/diagnose/har-file.js';
import { analyzeHar, HarAnalysis, type HarReport } from '../../src/diagnose/har-report.js';
import type { HarEntry, HarMeta } from '../../src/model/har.js';
import { renderHarMarkdown } from '../../src/render/har-markdown.js';
import { renderHarText } from '../../src/render/har-text.js';
import { CHROME, har, type Spec } from './report-fixtures.js';

/**
 * A capture too large to keep whole (session-keep.ts, window.ts): streamed, it is replayed in time
 * order, its failed entries are kept within bounds, and the report says what it left out. Small
 * limits stand in for the real ones.
 */

const API = 'https://api.example.com';
const FIXTURES = new URL('../fixtures/har/', import.meta.url);

function fixture(name: string): { entries: HarEntry[]; meta: HarMeta } {
  const log = (
    JSON.parse(readFileSync(new URL(`${name}.har`, FIXTURES), 'utf8')) as {
      log: HarMeta & { entries: HarEntry[] };
    }
  ).log;
  return { entries: log.entries, meta: log };
}

function streamed(
  entries: HarEntry[],
  meta: HarMeta,
  o: ConstructorParameters<typeof HarAnalysis>[0] = {},
): { report: HarReport; rerunWith: boolean | undefined } {
  const a = new HarAnalysis(o);
  a.setMeta(meta);
  entries.forEach((e, i) => a.push(e, i));
  const report = a.end();
  return { report, rerunWith: a.rerunWith };
}

describe('a large capture', () => {
  const refusals = 1000;
  const specs: Spec[] = [
    { url: `${API}/me`, status: 200, at: 0, req: { Authorization: 'Bearer tok-1234567' } },
    ...Array.from({ length: refusals }, (_, k): Spec => ({
      url: `${API}/items/${k}?page=${k % 7}`,
      status: 401,
      at: 1000 + k * 100,
      req: { Authorization: 'Bearer tok-1234567' },
      res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    })),
  ];
  const h = har(specs);
  const limits = { keepAll: 20, failedHead: 5, failedKinds: 3, failedTail: 5 };
  const { report } = streamed(h.entries, h.meta, { limits });
  const whole = analyzeHar(h.entries, h.meta);

  it('lists the first failed entries and the last, and says how many it left out', () => {
    const failed = report.entries.filter((e) => e.failed).map((e) => e.index);
    expect(failed.length).toBeLessThanOrEqual(13);
    expect(failed.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(failed.slice(-5)).toEqual([996, 997, 998, 999, 1000]);
    expect(report.source.entries).toBe(refusals + 1);
    expect(report.source.failedEntries).toBe(refusals);
    const cut = report.warnings.find((w) => w.startsWith('This capture is large'));
    expect(cut).toContain(`(${refusals + 1} entries, ${refusals} failed)`);
    expect(cut).toContain(`${refusals - failed.length} × 401`);
  });

  it('every listed entry is diagnosed as the whole capture diagnoses it', () => {
    expect(whole.source.failedEntries).toBeUndefined();
    const byIndex = new Map(whole.entries.map((e) => [e.index, e]));
    for (const e of report.entries.filter((x) => x.failed))
      expect(e.findings.map((f) => f.id)).toEqual(byIndex.get(e.index)!.findings.map((f) => f.id));
  });

  it('the text and Markdown reports count every failed entry and cut their lists', () => {
    const text = renderHarText(report, { color: false });
    expect(text.split('\n')[0]).toMatch(
      new RegExp(`→ ${refusals + 1} entries, ${refusals} failed, \\d+ listed \\(`),
    );
    const all = renderHarText(whole, { color: false });
    expect(all.split('\n')[0]).toMatch(new RegExp(`→ ${refusals + 1} entries, ${refusals} failed \\(`));
    expect(all).toMatch(/… and \d+ more \(see --json\)/);
    const md = renderHarMarkdown(whole);
    expect(md).toContain(`| Entries | ${refusals + 1} (${refusals} failed) |`);
    expect(md).toContain(`… and ${refusals - 100} more failed entries`);
    expect(renderHarMarkdown(report)).toMatch(new RegExp(`\\(${refusals} failed, \\d+ listed\\)`));
  });
});

describe('a streamed capture', () => {
  it('is replayed in time order when its entries come a little out of order', () => {
    const { entries, meta } = fixture('session-ended');
    // Swap neighbours: the file order is not the time order any more.
    const shuffled = [...entries];
    for (let i = 0; i + 1 < shuffled.length; i += 2)
      [shuffled[i], shuffled[i + 1]] = [shuffled[i + 1]!, shuffled[i]!];
    const whole = analyzeHar(shuffled, meta);
    expect(whole.findings[0]?.id).toBe('session.ended');
    expect(streamed(shuffled, meta).report).toEqual(whole);
  });

  it("is judged Chrome's sanitized export over the whole file: a credential after the first entries asks for a second reading", () => {
    // A DevTools export whose first 300 entries carry no credential although they needed one.
    const specs: Spec[] = [
      ...Array.from({ length: 300 }, (_, k): Spec => ({ url: `${API}/items/${k}`, status: 401, at: k * 10 })),
      { url: `${API}/me`, status: 200, at: 5000, req: { Cookie: 'sid=s-123456789' } },
    ];
    const h = har(specs, { chrome: true });
    const first = streamed(h.entries, CHROME);
    expect(first.report.source.sanitizedByBrowser).toBe(true);
    expect(first.rerunWith).toBe(false);
    const second = streamed(h.entries, CHROME, { credentialsHidden: false });
    expect(second.rerunWith).toBeUndefined();
    expect(second.report).toEqual(analyzeHar(h.entries, CHROME));
  });
});

describe('analyzeHarFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'why401-large-capture-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file a second time when the first entries misled it, and reports as for the whole file', async () => {
    const specs: Spec[] = [
      ...Array.from({ length: 300 }, (_, k): Spec => ({ url: `${API}/items/${k}`, status: 401, at: k * 10 })),
      { url: `${API}/me`, status: 200, at: 5000, req: { Cookie: 'sid=s-123456789' } },
    ];
    const h = har(specs, { chrome: true });
    const file = join(dir, 'late-cookie.har');
    writeFileSync(file, JSON.stringify({ log: { ...CHROME, entries: h.entries } }));
    const { report, error } = await analyzeHarFile(file);
    expect(error).toBeUndefined();
    expect(report.source.sanitizedByBrowser).toBe(false);
    expect(report).toEqual(analyzeHar(h.entries, CHROME, { file }));
  });

  it('a file cut short: the entries before the damage, and a warning that says where', async () => {
    const h = har([{ url: `${API}/me`, status: 401, at: 0 }]);
    const text = JSON.stringify({ log: { ...h.meta, entries: [...h.entries, ...h.entries] } });
    const file = join(dir, 'cut.har');
    writeFileSync(file, text.slice(0, text.length - 200));
    const { report, error } = await analyzeHarFile(file);
    expect(error?.message).toMatch(/unexpected end of file/);
    expect(report.source.entries).toBe(1);
    expect(report.warnings[0]).toMatch(
      /^the file is cut short at byte \d+ .*: the 1 entries before it were analysed$/,
    );
  });
});
