import type { HarEntry, HarMeta } from '../model/har.js';
import { readHarFile, type ReadHarOptions, type ScanError } from '../har/reader.js';
import { cutShortWarning, DIAGNOSIS_TEXT_CHARS, HarAnalysis, type AnalyzeHarOptions } from './har-report.js';
import type { HarReport } from '../model/har-report.js';

/**
 * `why401 har FILE`: the file streamed through the analysis, entry by entry, and never held: memory
 * stays bounded by constants whatever the number of entries (report.ts, session-keep.ts). Chrome's
 * sanitized export is told apart by the whole file; when the entries read first misled the
 * analysis, the file is read a second time the right way. Node only (it reads a file).
 */
export async function analyzeHarFile(
  path: string,
  o: AnalyzeHarOptions & { onProgress?: ReadHarOptions['onProgress'] } = {},
): Promise<{ report: HarReport; error?: ScanError }> {
  let run = await readOnce(path, o);
  if (run.rerunWith !== undefined && run.report.source.entries > 0)
    run = await readOnce(path, { ...o, sanitizedExport: run.rerunWith });
  return run.error ? { report: run.report, error: run.error } : { report: run.report };
}

async function readOnce(
  path: string,
  o: AnalyzeHarOptions & { onProgress?: ReadHarOptions['onProgress'] },
): Promise<{ report: HarReport; error?: ScanError; rerunWith?: boolean }> {
  const { onProgress, ...options } = o;
  const analysis = new HarAnalysis({ file: path, ...options });
  let meta: HarMeta = {};
  const result = await readHarFile(path, {
    maxTextChars: DIAGNOSIS_TEXT_CHARS,
    onEntry: (e: HarEntry, i: number) => analysis.push(e, i),
    onMeta: (m: HarMeta) => {
      meta = { ...meta, ...m };
      analysis.setMeta(meta);
    },
    ...(onProgress ? { onProgress } : {}),
  });
  const report = analysis.end();
  if (result.error) report.warnings.unshift(cutShortWarning(result.error, report.source.entries));
  return {
    report,
    ...(result.error ? { error: result.error } : {}),
    ...(analysis.rerunWith !== undefined ? { rerunWith: analysis.rerunWith } : {}),
  };
}
