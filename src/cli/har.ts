import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { HarEntry, HarMeta } from '../model/har.js';
import { analyzeHarFile } from '../har/analyze-file.js';
import { HarReadError, readHarFile } from '../har/reader.js';
import { SanitizeContext, learnEntry } from '../har/sanitize.js';
import {
  replacedKinds,
  sanitizedEntryPiece,
  sanitizedHarTail,
  SANITIZED_HAR_HEAD,
} from '../har/sanitize-stream.js';
import { renderHarMarkdown } from '../render/har-markdown.js';
import { renderHarHtml } from '../render/html.js';
import { renderHarText } from '../render/har-text.js';
import { EXIT, UsageError } from './errors.js';
import { writeHtmlReport } from './io.js';
import { writeWarnings } from './warnings.js';
import { parseOwn, useColor } from './options.js';
import { OWN_FLAGS } from './own-flags.js';
import { requestOnly } from './options.js';
import { unknownOption } from './suggest.js';

/**
 * `why401 har FILE`: every 401/403 of a capture diagnosed, and what only the whole session shows.
 * `why401 har --sanitize IN OUT`: a copy safe to share, written entry by entry.
 * Both stream the file: memory stays bounded whatever its size.
 */

function splitArgs(args: string[]): { own: string[]; files: string[]; sanitize: boolean } {
  const own: string[] = [];
  const files: string[] = [];
  let sanitize = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--sanitize') {
      sanitize = true;
      continue;
    }
    const f = a.startsWith('--') ? OWN_FLAGS.find((x) => x.name === a.slice(2).split('=')[0]) : undefined;
    if (!f && a.startsWith('--') && a.length > 2)
      throw unknownOption(
        a.slice(2).split('=')[0]!,
        [...OWN_FLAGS.map((x) => x.name), 'sanitize'],
        '(see why401 har --help)',
      );
    if (!f) {
      files.push(a);
      continue;
    }
    own.push(a);
    if (f.takesValue && !a.includes('=') && i + 1 < args.length) own.push(args[++i]!);
  }
  return { own, files, sanitize };
}

/** A progress line on stderr when a person is watching; bytes read against the file size. */
function progressBar(enabled: boolean): ((read: number, total: number) => void) | undefined {
  if (!enabled) return undefined;
  let last = 0;
  return (read, total) => {
    const now = Date.now();
    if (now - last < 100 && read < total) return;
    last = now;
    const pct = total ? Math.floor((read / total) * 100) : 0;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(
      `\x1b[2K\rreading ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${pct}% (${(read / 1048576).toFixed(0)} MiB)`,
    );
  };
}

function readError(e: unknown, path: string): never {
  throw new UsageError(e instanceof Error ? e.message.split('\n')[0]! : `cannot read ${path}`);
}

async function sanitize(input: string, output: string, quiet: boolean): Promise<number> {
  const ctx = new SanitizeContext();
  const progress = quiet ? undefined : progressBar(process.stderr.isTTY === true);
  // Two reads: the first learns every secret, so a token echoed in a page before it first appears
  // in a header is recognised too; the second writes. A shared copy keeps every non-secret byte.
  await readHarFile(input, {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry: HarEntry) => learnEntry(entry, ctx),
    ...(progress ? { onProgress: (r: number, t: number) => progress(r / 2, t) } : {}),
  }).catch((e: unknown) => readError(e, input));
  const out = createWriteStream(output, { mode: 0o600 });
  let meta: HarMeta = {};
  let n = 0;
  out.write(SANITIZED_HAR_HEAD);
  const result = await readHarFile(input, {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry: HarEntry) => {
      out.write(sanitizedEntryPiece(entry, ctx, n++));
    },
    onMeta: (m: HarMeta) => {
      meta = { ...meta, ...m };
    },
    ...(progress ? { onProgress: (r: number, t: number) => progress(t / 2 + r / 2, t) } : {}),
  }).catch((e: unknown) => readError(e, input));
  out.end(sanitizedHarTail(meta, ctx));
  await finished(out);
  if (process.stderr.isTTY) process.stderr.write('\x1b[2K\r');
  const s = ctx.summary();
  const kinds = replacedKinds(s);
  process.stderr.write(
    `why401: wrote ${output}: ${n} ${n === 1 ? 'entry' : 'entries'}, ${s.total} ${s.total === 1 ? 'secret' : 'secrets'} replaced (${kinds || 'none found'})\n`,
  );
  if (result.error) {
    process.stderr.write(
      `why401: ${input} is cut short at byte ${result.error.offset}: ${result.error.message}; the ${n} complete entries before it were written\n`,
    );
    return EXIT.usage;
  }
  return EXIT.ok;
}

export async function runHar(args: string[]): Promise<number> {
  const { own, files, sanitize: doSanitize } = splitArgs(args);
  const o = parseOwn(own);
  requestOnly(o, 'har');
  if (doSanitize) {
    if (files.length !== 2) throw new UsageError('usage: why401 har --sanitize IN.har OUT.har');
    return sanitize(files[0]!, files[1]!, o.quiet ?? false);
  }
  if (files.length !== 1)
    throw new UsageError(files.length ? 'one HAR file at a time' : 'no HAR file given: why401 har FILE.har');
  const path = files[0]!;
  const { report, error } = await analyzeHarFile(path, {
    showSecrets: o.showSecrets ?? false,
    ...(o.quiet ? {} : { onProgress: progressBar(process.stderr.isTTY === true) }),
  }).catch((e: unknown) => (e instanceof HarReadError ? readError(e, path) : Promise.reject(e)));
  if (process.stderr.isTTY) process.stderr.write('\x1b[2K\r');
  // Warnings on stderr in every format; the text report does not say them twice.
  writeWarnings(report.warnings);
  process.stdout.write(
    o.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : o.markdown
        ? renderHarMarkdown(report)
        : renderHarText({ ...report, warnings: [] }, { color: useColor(o, process.stdout) }),
  );
  if (o.html !== undefined) writeHtmlReport(o.html, renderHarHtml(report));
  if (error && report.source.entries === 0) return EXIT.usage;
  return report.findings.some((f) => f.kind === 'cause') ||
    report.entries.some((e) => e.findings.some((f) => f.kind === 'cause'))
    ? EXIT.diagnosed
    : EXIT.ok;
}
