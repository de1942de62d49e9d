import { Redactor } from '../../../src/core/redact.js';
import { failureTextOf, isFailedEntry, isUsableEntry, timeOf } from '../../../src/facts/har-entry.js';
import { analyzeScannedHar, DIAGNOSIS_TEXT_CHARS } from '../../../src/diagnose/har-report.js';
import { pathOnly } from '../../../src/render/har-parts.js';
import { collectEntrySecrets } from '../../../src/har/secrets.js';
import type { HarEntry, HarMeta } from '../../../src/model/har.js';
import type { HarAnalysis, TimelineRow } from './har-messages.js';
import { scanHarFile } from './har-read.js';

/**
 * `why401 har FILE` in the browser: the file streamed through the scanner (long bodies cut, as the
 * CLI cuts them), `analyzeHar` on the entries, and a timeline of every entry with its URL's query
 * dropped and every secret the report would redact redacted.
 */

function timeline(entries: HarEntry[]): TimelineRow[] {
  const redactor = new Redactor(true);
  for (const e of entries) if (isUsableEntry(e)) collectEntrySecrets(e, redactor);
  const rows: TimelineRow[] = [];
  entries.forEach((e, index) => {
    if (!isUsableEntry(e)) return;
    const failed = isFailedEntry(e);
    const row: TimelineRow = {
      index,
      startedDateTime: typeof e.startedDateTime === 'string' ? e.startedDateTime : '',
      method: e.request.method,
      path: redactor.text(pathOnly(e.request.url)),
      status: failed ? null : e.response.status,
      time: timeOf(e),
    };
    const why = failed ? failureTextOf(e) : undefined;
    if (why) row.error = redactor.text(why);
    rows.push(row);
  });
  return rows;
}

export async function analyzeHarFile(
  file: File,
  onProgress: (done: number, total: number) => void,
): Promise<HarAnalysis> {
  const entries: HarEntry[] = [];
  let meta: HarMeta = {};
  const result = await scanHarFile(file, {
    maxTextChars: DIAGNOSIS_TEXT_CHARS,
    onEntry: (e) => {
      entries.push(e);
    },
    onMeta: (m) => {
      meta = { ...meta, ...m };
    },
    onProgress,
  });
  if (result.error && entries.length === 0)
    throw new Error(`${file.name} could not be read as a HAR file: ${result.error.message}`);
  const report = analyzeScannedHar(entries, meta, result.error, { file: file.name });
  return { report, timeline: timeline(entries) };
}
