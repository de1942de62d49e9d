import { commandSecrets } from '../core/argument-secrets.js';
import { Redactor } from '../core/redact.js';
import { diffRequests, pickEntries, sideFromRequest } from '../har/diff.js';
import type { DiffItem } from '../model/har-diff.js';
import { cutShortWarning, DIAGNOSIS_TEXT_CHARS, HarAnalysis } from './har-report.js';
import { SanitizeContext, learnEntry, type SanitizeSummary } from '../har/sanitize.js';
import { sanitizedEntryPiece, sanitizedHarTail, SANITIZED_HAR_HEAD } from '../har/sanitize-stream.js';
import { HarScanner, scanErrorLine, scanErrorWords, type ScanResult } from '../har/scanner.js';
import { collectEntrySecrets } from '../har/secrets.js';
import type { HarReport } from '../model/har-report.js';
import { UsageError, Why401Error } from '../model/errors.js';
import type { HarEntry, HarMeta } from '../model/har.js';
import { parseCurlCommand } from '../parse/curl/index.js';

/**
 * The library's HAR operations over bytes in memory or a stream, whatever holds them (a file, an
 * upload, a fetch body): analyse, sanitize, diff. Each streams the capture through the scanner one
 * chunk at a time, so memory stays bounded whatever its size, as `why401 har` does with a file.
 * No Node built-in is used: these run in a browser or a worker as well.
 */

/** One HAR's bytes: a web ReadableStream, any async iterable of bytes (a Node stream), bytes, or text. */
export type HarSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array | string;

/**
 * A HAR to read: a source, or a function that opens it anew. Analysing may need a second read
 * (Chrome's sanitized export is told apart by the whole file), sanitizing always does (every
 * secret is learnt before the first byte is written): a stream can be read once only, so give a
 * function for those (`() => createReadStream(path)`), or bytes/text.
 */
export type HarInput = HarSource | (() => HarSource);

async function* chunksOf(source: HarSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield new TextEncoder().encode(source);
    return;
  }
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  // A web stream through its reader: not every browser makes ReadableStream async-iterable.
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array>;
}

/** A source read once (the first read of a one-shot stream) is refused the second time, in words. */
function opener(input: HarInput): { open: () => HarSource; again: boolean } {
  if (typeof input === 'function') return { open: input, again: true };
  const again = typeof input === 'string' || input instanceof Uint8Array;
  return { open: () => input, again };
}

interface ScanOptions {
  onEntry(entry: HarEntry, index: number): void;
  onMeta?(meta: HarMeta): void;
  maxTextChars?: number;
}

async function scan(source: HarSource, o: ScanOptions): Promise<ScanResult> {
  const scanner = new HarScanner(o);
  for await (const chunk of chunksOf(source)) scanner.push(chunk);
  return scanner.end();
}

/** What `analyzeHar` takes. */
export interface AnalyzeHarOptions {
  /** Keep secrets in the report instead of their fingerprints. Default false. */
  showSecrets?: boolean;
  /** The capture's name, shown in the report's `source.file`. */
  name?: string;
}

/**
 * Every 401/403 of a capture diagnosed, and what only the whole session shows: the report
 * `why401 har FILE --json` prints (schema/har-report.json). A capture cut short after some
 * entries is analysed as far as it goes, with a warning; one with no entry at all (not a HAR,
 * empty, damaged before its first entry) is a Why401Error with code HAR_READ.
 *
 * @example
 * ```ts
 * const report = await analyzeHar(() => createReadStream('session.har'));
 * for (const f of report.findings) console.log(f.id, f.title);
 * ```
 */
export async function analyzeHar(input: HarInput, options: AnalyzeHarOptions = {}): Promise<HarReport> {
  const { open, again } = opener(input);
  const name = options.name ?? 'the HAR';
  let run = await analyzeOnce(open(), options);
  // The entries read first misled the analysis about Chrome's sanitized export: read it again the
  // right way, when it can be read again.
  if (run.rerunWith !== undefined && run.report.source.entries > 0 && again)
    run = await analyzeOnce(open(), { ...options, sanitizedExport: run.rerunWith });
  if (run.result.error && run.report.source.entries === 0)
    throw new Why401Error('HAR_READ', scanErrorLine(name, run.result.error));
  return run.report;
}

async function analyzeOnce(
  source: HarSource,
  o: AnalyzeHarOptions & { sanitizedExport?: boolean },
): Promise<{ report: HarReport; result: ScanResult; rerunWith?: boolean }> {
  const analysis = new HarAnalysis({
    ...(o.showSecrets ? { showSecrets: true } : {}),
    ...(o.name !== undefined ? { file: o.name } : {}),
    ...(o.sanitizedExport !== undefined ? { sanitizedExport: o.sanitizedExport } : {}),
  });
  let meta: HarMeta = {};
  const result = await scan(source, {
    maxTextChars: DIAGNOSIS_TEXT_CHARS,
    onEntry: (e, i) => analysis.push(e, i),
    onMeta: (m) => {
      meta = { ...meta, ...m };
      analysis.setMeta(meta);
    },
  });
  const report = analysis.end();
  if (result.error) report.warnings.unshift(cutShortWarning(result.error, report.source.entries));
  return analysis.rerunWith !== undefined
    ? { report, result, rerunWith: analysis.rerunWith }
    : { report, result };
}

/** A sanitized copy, ready to be written: its text in pieces, and what was replaced. */
export interface SanitizedHar {
  /** How many entries the copy holds (all of the capture's). */
  entries: number;
  /** How many secrets of each kind were replaced. */
  summary: SanitizeSummary;
  /** The copy, a piece per entry: write them in order (a file, a response, a Blob). */
  chunks: AsyncIterable<string>;
}

/**
 * A copy of a capture safe to share: every secret (Authorization, cookies, tokens in URLs, bodies
 * and JSON, API keys…) replaced by a stand-in of the same shape, the same secret by the same
 * stand-in. The capture is read twice: first whole, to learn every secret and to refuse a capture
 * that is not whole (a Why401Error with code HAR_NOT_WHOLE: a copy that lost entries would pass
 * for the capture), then piece by piece as `chunks` is read. Give bytes, text or a function that
 * opens the stream anew.
 *
 * @example
 * ```ts
 * const copy = await sanitizeHar(() => createReadStream('in.har'));
 * await pipeline(Readable.from(copy.chunks), createWriteStream('out.har'));
 * ```
 */
export async function sanitizeHar(input: HarInput, options: { name?: string } = {}): Promise<SanitizedHar> {
  const { open, again } = opener(input);
  const name = options.name ?? 'the HAR';
  if (!again)
    throw new UsageError(
      'sanitizeHar reads the capture twice: give its bytes, its text, or a function that opens the stream again',
    );
  const ctx = new SanitizeContext();
  const first = await scan(open(), {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry) => learnEntry(entry, ctx),
  });
  if (first.error)
    throw new Why401Error(
      'HAR_NOT_WHOLE',
      `cannot sanitize ${name}: it ${scanErrorWords(first.error)}; nothing was written`,
    );
  async function* pieces(): AsyncGenerator<string> {
    const pending: string[] = [];
    let meta: HarMeta = {};
    let n = 0;
    const scanner = new HarScanner({
      maxTextChars: Number.MAX_SAFE_INTEGER,
      onEntry: (entry: HarEntry) => void pending.push(sanitizedEntryPiece(entry, ctx, n++)),
      onMeta: (m: HarMeta) => {
        meta = { ...meta, ...m };
      },
    });
    yield SANITIZED_HAR_HEAD;
    for await (const chunk of chunksOf(open())) {
      scanner.push(chunk);
      // Handed on as soon as each chunk is scanned: memory holds one chunk's entries at most.
      yield* pending.splice(0);
    }
    const second = scanner.end();
    yield* pending.splice(0);
    if (second.error)
      throw new Why401Error(
        'HAR_NOT_WHOLE',
        `cannot sanitize ${name}: it ${scanErrorWords(second.error)}; nothing was written`,
      );
    if (n !== first.entries)
      throw new Why401Error(
        'HAR_NOT_WHOLE',
        `cannot sanitize ${name}: it changed while it was read (${first.entries} entries, then ${n})`,
      );
    yield sanitizedHarTail(meta, ctx);
  }
  return {
    entries: first.entries,
    get summary() {
      return ctx.summary();
    },
    chunks: pieces(),
  };
}

/** What `diffHar` answers: the differences that matter for auth, most telling first. */
export interface HarDiff {
  schemaVersion: 1;
  differences: DiffItem[];
}

/**
 * The differences that matter for auth between a request that works and one that does not: two
 * HAR captures (the first failing entry of `bad` against its best match in `good`), or two curl
 * commands (compared as written, nothing sent). The answer is `why401 diff --json`'s, with the
 * secrets of either side hidden unless `showSecrets`.
 *
 * @example
 * ```ts
 * const { differences } = await diffHar(goodHarText, badHarText);
 * const same = await diffHar(`curl -H 'Authorization: Bearer a' https://x/`, `curl https://x/`);
 * ```
 */
export async function diffHar(
  good: HarInput,
  bad: HarInput,
  options: { showSecrets?: boolean; now?: number } = {},
): Promise<HarDiff> {
  const redactor = new Redactor(!options.showSecrets);
  const isCurl = (s: HarInput): s is string => typeof s === 'string' && /^\s*curl\s/.test(s);
  let differences: DiffItem[];
  if (isCurl(good) && isCurl(bad)) {
    const now = options.now ?? Date.now();
    for (const secret of [...commandSecrets(good), ...commandSecrets(bad)]) redactor.add(secret);
    const g = sideFromRequest(parseCurlCommand(good).request, undefined, now);
    const b = sideFromRequest(parseCurlCommand(bad).request, undefined, now);
    differences = diffRequests(g, b, { now });
  } else if (!isCurl(good) && !isCurl(bad)) {
    const [ge, be] = await Promise.all([entriesOf(good, 'the good HAR'), entriesOf(bad, 'the bad HAR')]);
    const r = pickEntries({ log: { entries: ge } }, { log: { entries: be } });
    if (!r.ok) throw new UsageError(r.reason);
    collectEntrySecrets(ge[r.goodIndex]!, redactor);
    collectEntrySecrets(be[r.badIndex]!, redactor);
    differences = diffRequests(r.good, r.bad);
  } else {
    throw new UsageError('compare two HAR files or two curl commands, not one of each');
  }
  // Diff items carry fingerprints already; the redactor still hides any secret of either side
  // that a value shown as it is might hold, and anything JWT-shaped.
  return JSON.parse(redactor.text(JSON.stringify({ schemaVersion: 1, differences }))) as HarDiff;
}

async function entriesOf(input: HarInput, name: string): Promise<HarEntry[]> {
  const entries: HarEntry[] = [];
  // The diff compares headers, cookies, tokens and status: bodies are not needed.
  const r = await scan(opener(input).open(), { maxTextChars: 4096, onEntry: (e) => void entries.push(e) });
  if (r.error && entries.length === 0) throw new Why401Error('HAR_READ', scanErrorLine(name, r.error));
  return entries;
}
