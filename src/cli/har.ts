import { randomBytes } from 'node:crypto';
import { unlinkSync, type Stats } from 'node:fs';
import { open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { HarEntry, HarMeta } from '../model/har.js';
import { analyzeHarFile } from '../diagnose/har-file.js';
import {
  HarReadError,
  readHarFile,
  scanErrorLine,
  scanErrorWords,
  type ReadHarOptions,
  type ScanError,
  type ScanResult,
} from '../har/reader.js';
import { SanitizeContext, learnEntry } from '../har/sanitize.js';
import {
  replacedKinds,
  sanitizedEntryPiece,
  sanitizedHarTail,
  SANITIZED_HAR_HEAD,
} from '../har/sanitize-stream.js';
import { renderHarMarkdown } from '../render/har-markdown.js';
import { authProblemFound } from '../render/har-parts.js';
import { renderHarHtml } from '../render/html.js';
import { renderHarText } from '../render/har-text.js';
import { EXIT, UsageError } from './errors.js';
import { cannotWrite, writeHtmlReport } from './io.js';
import { writeWarnings } from './warnings.js';
import { parseOwn, useColor } from './options.js';
import { splitOwnFlags } from './argv.js';
import { OWN_FLAGS } from './own-flags.js';
import { requestOnly } from './options.js';
import { unknownOption } from './suggest.js';

/**
 * `why401 har FILE`: every 401/403 of a capture diagnosed, and what only the whole session shows.
 * `why401 har --sanitize IN OUT`: a copy safe to share, written entry by entry.
 * Both stream the file: memory stays bounded whatever its size.
 */

function splitArgs(args: string[]): { own: string[]; files: string[]; sanitize: boolean } {
  const { own, positional } = splitOwnFlags(args, OWN_FLAGS);
  // --sanitize is this command's own switch, exactly as written; any other --name is a mistake.
  const files = positional.filter((a) => a !== '--sanitize');
  const unknown = files.find((a) => a.startsWith('--') && a.length > 2);
  if (unknown !== undefined)
    throw unknownOption(
      unknown.slice(2).split('=')[0]!,
      [...OWN_FLAGS.map((x) => x.name), 'sanitize'],
      '(see why401 har --help)',
    );
  return { own, files, sanitize: files.length < positional.length };
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

/**
 * readHarFile, with the errors told apart: a file that cannot be read (HarReadError) is a usage
 * error, one line and exit 2; an error thrown by our own callbacks (the sanitizer, the analysis)
 * is a bug in why401 and passes on as it is (exit 4), not dressed up as unreadable input.
 */
async function readHar(path: string, o: ReadHarOptions): Promise<ScanResult> {
  return readHarFile(path, o).catch((e: unknown) =>
    e instanceof HarReadError ? readError(e) : Promise.reject(e),
  );
}

function readError(e: HarReadError): never {
  throw new UsageError(e.message.split('\n')[0]!);
}

const COPY = 'the sanitized copy';

/**
 * Refuses, before anything is read, an output that would destroy the input or cannot be a file:
 * the same file as IN (by real path, or by device and inode, so a symbolic link or a hard link
 * to IN counts too) and a directory.
 */
async function checkOutput(input: string, output: string): Promise<void> {
  let out: Stats;
  try {
    out = await stat(output);
  } catch (e) {
    // Not there yet (the usual case), or a dangling link: it cannot be the input. Whether its
    // directory can take a file is found out when the temporary file is made there.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw cannotWrite(output, COPY, e);
  }
  if (out.isDirectory()) throw cannotWrite(output, COPY, { code: 'EISDIR' });
  const inp = await stat(input).catch(() => undefined);
  if (!inp) return; // reading it will say why it cannot be read
  const same =
    (inp.dev === out.dev && inp.ino === out.ino) ||
    (await realpath(input).catch(() => input)) === (await realpath(output).catch(() => output));
  if (same)
    throw new UsageError(
      `${output} is the same file as ${input}: writing the copy there would destroy the capture; give another output file`,
    );
}

/**
 * A new file beside OUT (same directory, so the rename stays on one file system), owner-only
 * (0600: a sanitized capture still names hosts, users and paths), created exclusively so that
 * nothing already there (a link planted by someone else) is followed or truncated.
 */
async function tempBeside(output: string): Promise<{ path: string; fh: FileHandle }> {
  const path = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    return { path, fh: await open(path, 'wx', 0o600) };
  } catch (e) {
    // Said about OUT, the name the person gave: the temporary name means nothing to them.
    throw cannotWrite(output, COPY, e);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * While the temporary file exists, Ctrl+C (or a kill) removes it before the process ends, then
 * ends it the way the signal would have (the shell sees 130 for SIGINT). Returns the undo.
 */
function removeOnSignal(path: string): () => void {
  const on = (sig: NodeJS.Signals) => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    for (const s of SIGNALS) process.off(s, on);
    process.kill(process.pid, sig);
  };
  for (const s of SIGNALS) process.once(s, on);
  return () => {
    for (const s of SIGNALS) process.off(s, on);
  };
}

/** The input is not a whole HAR: nothing is written, since a copy that lost entries would pass for the capture. */
function notWhole(input: string, e: ScanError): UsageError {
  return new UsageError(`cannot sanitize ${input}: it ${scanErrorWords(e)}; nothing was written`);
}

/**
 * Two reads of IN. The first checks the whole file and learns every secret in it (so a token
 * echoed in a page before it first appears in a header is recognised too, and a cookie's value
 * copied into a body); nothing is written unless the whole file is a HAR, since a copy that lost
 * entries (a file cut short, entries the reader refuses) would pass for the capture. The second
 * writes the copy to a temporary file beside OUT and renames it over OUT only once it is complete:
 * a failure half-way (a full disk, a crash, Ctrl+C, the file changed between the reads) never
 * leaves a truncated OUT, removes the temporary file, and an existing OUT stays as it was.
 */
async function sanitize(input: string, output: string, quiet: boolean): Promise<number> {
  await checkOutput(input, output);
  const ctx = new SanitizeContext();
  const progress = quiet ? undefined : progressBar(process.stderr.isTTY === true);
  const first = await readHar(input, {
    maxTextChars: Number.MAX_SAFE_INTEGER,
    onEntry: (entry: HarEntry) => learnEntry(entry, ctx),
    ...(progress ? { onProgress: (r: number, t: number) => progress(r / 2, t) } : {}),
  });
  if (first.error) {
    if (process.stderr.isTTY) process.stderr.write('\x1b[2K\r');
    throw notWhole(input, first.error);
  }
  const tmp = await tempBeside(output);
  const dropOnSignal = removeOnSignal(tmp.path);
  // flush: the data is on the disk (fsync) before the stream closes the file, and so before the
  // rename makes it OUT. The stream closes the file itself: one with autoClose off keeps a hold on
  // the FileHandle, whose close() then never settles (measured on Node 20.20).
  const out = tmp.fh.createWriteStream({ flush: true });
  // Kept until the end: a write error (a full disk) is said once, as a usage line.
  let writeError: unknown;
  out.on('error', (e) => (writeError ??= e));
  let renamed = false;
  try {
    let meta: HarMeta = {};
    let n = 0;
    out.write(SANITIZED_HAR_HEAD);
    const second = await readHar(input, {
      maxTextChars: Number.MAX_SAFE_INTEGER,
      onEntry: (entry: HarEntry) => {
        out.write(sanitizedEntryPiece(entry, ctx, n++));
      },
      onMeta: (m: HarMeta) => {
        meta = { ...meta, ...m };
      },
      ...(progress ? { onProgress: (r: number, t: number) => progress(t / 2 + r / 2, t) } : {}),
    });
    if (second.error) throw notWhole(input, second.error);
    if (n !== first.entries)
      throw new UsageError(
        `cannot sanitize ${input}: it changed while it was read (${first.entries} entries, then ${n}); nothing was written`,
      );
    out.end(sanitizedHarTail(meta, ctx));
    await finished(out).catch((e: unknown) => (writeError ??= e));
    if (writeError !== undefined) throw cannotWrite(output, COPY, writeError);
    try {
      await rename(tmp.path, output);
    } catch (e) {
      throw cannotWrite(output, COPY, e);
    }
    renamed = true;
    if (process.stderr.isTTY) process.stderr.write('\x1b[2K\r');
    const s = ctx.summary();
    const kinds = replacedKinds(s);
    process.stderr.write(
      `why401: wrote ${output}: ${n} ${n === 1 ? 'entry' : 'entries'}, ${s.total} ${s.total === 1 ? 'secret' : 'secrets'} replaced (${kinds || 'none found'})\n`,
    );
    return EXIT.ok;
  } finally {
    dropOnSignal();
    if (!renamed) {
      if (process.stderr.isTTY) process.stderr.write('\x1b[2K\r');
      out.destroy();
      await finished(out).catch(() => undefined);
      await unlink(tmp.path).catch(() => undefined);
    }
  }
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
  }).catch((e: unknown) => (e instanceof HarReadError ? readError(e) : Promise.reject(e)));
  if (process.stderr.isTTY) process.stderr.write('\x1b[2K\r');
  // Nothing read: not a HAR (JSONP aside, which is read), empty, cut off or damaged before its first
  // entry. A usage error, one line, and no report that would look like a capture with no failure.
  if (error && report.source.entries === 0) throw new UsageError(scanErrorLine(path, error));
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
  // 1 only for an authentication problem. Requests without an answer (an ad blocker, a refused
  // connection, a page that cancelled them) are reported but are not one, and `har` sends
  // nothing, so exit 3 (this run could not reach its target) does not apply either: 0.
  return authProblemFound(report) ? EXIT.diagnosed : EXIT.ok;
}
