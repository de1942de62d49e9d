import { exitCodeOf } from '../core/exit-code.js';
import { diagnoseArgs, type ArgsOptions } from '../diagnose/request.js';
import type { Evidence } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import { UsageError } from './errors.js';
import { writeHtmlReport } from './io.js';
import { writeWarnings } from './warnings.js';
import { checkDirectFlags } from './direct-flags.js';
import { parseOwn, requestOptions, type OwnOptions } from './options.js';
import { splitWhy401Args } from './argv.js';
import { OWN_FLAGS } from './own-flags.js';
import { readInput, readPaste } from './io.js';
import { VERSION } from '../core/version.js';
import type { Route } from './route.js';
import { platformCacheDir } from '../probe/cache-dir.js';
import { requestsWritten } from '../probe/first-send.js';
import type { Prefetch } from '../probe/prefetch.js';

export { writeWarnings };

/** Progress on stderr, only for people watching a terminal (messages carry no secrets: origin and path only). */
function progress(o: OwnOptions): ((msg: string) => void) | undefined {
  if (o.quiet || !process.stderr.isTTY) return undefined;
  return (msg) => process.stderr.write(`\x1b[2K\r${msg.slice(0, (process.stderr.columns || 80) - 1)}`);
}

/**
 * One request diagnosed from curl's arguments and our own options: the CLI's options mapped to the
 * library's (requestOptions), its environment and standard input given as values.
 */
export async function diagnoseWithEvidence(
  mode: 'direct' | 'curl',
  curlArgs: string[],
  o: OwnOptions,
  onProgress?: (msg: string) => void,
  early?: Promise<Prefetch | undefined>,
): Promise<{ evidence: Evidence; report: Report }> {
  const options: ArgsOptions = { ...requestOptions(o), env: process.env, localFiles: true, readPaste };
  const prefetch = await early;
  if (prefetch) options.prefetch = prefetch;
  if (onProgress) options.onProgress = onProgress;
  if (o.openapi !== undefined) {
    // Loaded only when asked for: the parser is not on the path of every request (issue 16).
    const [{ DocumentError }, { loadOpenApiSummary }] = await Promise.all([
      import('../audit/document.js'),
      import('./openapi-summary.js'),
    ]);
    try {
      options.openapi = await loadOpenApiSummary(o.openapi, {
        readFile: (p) => readInput(p, 'the OpenAPI document'),
        userAgent: `why401/${VERSION}`,
      });
    } catch (e) {
      if (e instanceof DocumentError) throw new UsageError(e.message);
      throw e;
    }
  }
  // The disk cache of identity-provider documents (--no-cache: none): the platform's cache folder.
  const cacheDir = o.cache === false ? undefined : platformCacheDir(process.env, process.platform);
  if (cacheDir) options.cacheDir = cacheDir;
  return diagnoseArgs(mode, curlArgs, options);
}

/** `early`: the identity provider's documents main.ts asked for at boot (cli/early.ts). */
export async function runDiagnose(route: Route, early?: Promise<Prefetch | undefined>): Promise<number> {
  let r = route;
  if (r.mode === 'direct') {
    // The direct form mixes our flags with curl's: split them with curl's flag table, so a curl
    // flag's value is never mistaken for one of ours.
    // Checked first: a mistyped option of ours is a usage error before anything is sent.
    checkDirectFlags(r.rest, OWN_FLAGS);
    const { own, curl } = splitWhy401Args(r.rest, OWN_FLAGS);
    r = { ...r, own, rest: curl };
  }
  const o = parseOwn(r.own);
  o.pasteEnv = process.env;
  // The renderers load while the requests are in flight (issue 16): nothing before the first
  // byte waits for them, and nothing after the last answer does either.
  const boot = await early;
  const rendering = (o.from || o.offline ? Promise.resolve() : requestsWritten(50, boot)).then(
    () => import('./render-report.js'),
  );
  let report: Report;
  let evidence: Evidence;
  if (o.from) {
    if (r.rest.length) throw new UsageError('--from analyses saved evidence; give no URL with it');
    const { analyze } = await import('../core/analyze.js');
    const { loadEvidence } = await import('./evidence-file.js');
    evidence = loadEvidence(o.from);
    report = analyze(evidence, o.showSecrets ? { showSecrets: true } : {});
  } else {
    const onProgress = progress(o);
    ({ evidence, report } = await diagnoseWithEvidence(
      r.mode === 'curl' ? 'curl' : 'direct',
      r.rest,
      o,
      onProgress,
      early,
    ));
    if (onProgress) process.stderr.write('\x1b[2K\r');
  }
  if (o.saveEvidence !== undefined) {
    const { saveEvidence } = await import('./evidence-file.js');
    saveEvidence(o.saveEvidence, evidence);
  }
  const { render, renderHtml } = await rendering;
  process.stdout.write(render(report, o));
  if (o.html !== undefined) writeHtmlReport(o.html, renderHtml(report));
  return exitCodeOf(report);
}
