import { exitCodeOf } from '../core/exit-code.js';
import { diagnose } from '../diagnose.js';
import type { Evidence } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import { renderHtml } from '../render/html.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { UsageError } from './errors.js';
import { writeHtmlReport } from './io.js';
import { writeWarnings } from './warnings.js';
import { checkDirectFlags } from './direct-flags.js';
import { parseOwn, useColor, type OwnOptions } from './options.js';
import { splitWhy401Args } from '../parse/curl.js';
import type { FreshCredentials } from '../probe/plan-idp.js';
import { OWN_FLAGS } from './own-flags.js';
import { requestFromArgs } from './request-input.js';
import { argumentSecrets, commandSecrets } from '../core/argument-secrets.js';
import { Redactor } from '../core/redact.js';
import type { Route } from './route.js';
import { platformCacheDir } from '../probe/cache-dir.js';

/**
 * The report for stdout. Its warnings (an unknown curl flag ignored, a file that could not be read,
 * a check that failed) also go to stderr, one line each, whatever the format: a person reading
 * JSON or Markdown in a pipe still sees them, and the text report does not say them twice.
 */
export function render(report: Report, o: OwnOptions): string {
  writeWarnings(report.warnings);
  if (o.json) return renderJson(report);
  if (o.markdown) return renderMarkdown(report);
  // Warnings went to stderr already; the terminal's width when there is one, 80 when piped.
  return renderText(
    { ...report, warnings: [] },
    { color: useColor(o, process.stdout), width: process.stdout.columns || 80 },
  );
}

export { writeWarnings };

/** Progress on stderr, only for people watching a terminal (messages carry no secrets: origin and path only). */
function progress(o: OwnOptions): ((msg: string) => void) | undefined {
  if (o.quiet || !process.stderr.isTTY) return undefined;
  return (msg) => process.stderr.write(`\x1b[2K\r${msg.slice(0, (process.stderr.columns || 80) - 1)}`);
}

function freshOf(o: OwnOptions): FreshCredentials {
  const f: FreshCredentials = {};
  if (o.issuer) f.issuer = o.issuer;
  if (o.tokenUrl) f.tokenUrl = o.tokenUrl;
  if (o.clientId) f.clientId = o.clientId;
  if (o.clientSecret) f.clientSecret = o.clientSecret;
  if (o.scope) f.scope = o.scope;
  if (o.refreshToken) f.refreshToken = o.refreshToken;
  if (o.introspectUrl) f.introspectUrl = o.introspectUrl;
  if (o.allowPrivateFetch) f.allowPrivateFetch = true;
  return f;
}

/** A usage error about the input, its message with the input's secrets hidden (the page shows it too). */
function redactedError(e: unknown, secrets: readonly string[], show: boolean): unknown {
  if (show || !(e instanceof Error)) return e;
  const r = new Redactor(true);
  for (const s of secrets) r.add(s);
  e.message = r.text(e.message);
  return e;
}

/**
 * One request diagnosed from curl's arguments (the direct form's, or a pasted command's) and our own
 * options: the CLI, the guide and the local web page all go through here.
 */
export async function diagnoseRequest(
  mode: 'direct' | 'curl',
  curlArgs: string[],
  o: OwnOptions,
  onProgress?: (msg: string) => void,
): Promise<Report> {
  return (await diagnoseWithEvidence(mode, curlArgs, o, onProgress)).report;
}

/** The same, with the evidence the report was made from (for --save-evidence). */
export async function diagnoseWithEvidence(
  mode: 'direct' | 'curl',
  curlArgs: string[],
  o: OwnOptions,
  onProgress?: (msg: string) => void,
): Promise<{ evidence: Evidence; report: Report }> {
  const now = Date.now();
  // The command line's secrets, by the credential rule: warnings and errors that quote an
  // argument hide them as the report does (a header that cannot be sent, an unknown flag's value).
  const secrets =
    mode === 'curl' && curlArgs.length === 1 && curlArgs[0] !== '-' && /\s/.test(curlArgs[0]!.trim())
      ? commandSecrets(curlArgs[0]!)
      : argumentSecrets(curlArgs);
  let parsed: ReturnType<typeof requestFromArgs>;
  try {
    parsed = requestFromArgs(
      mode,
      curlArgs,
      now,
      (paste) => secrets.push(...commandSecrets(paste)),
      o.pasteEnv,
    );
  } catch (e) {
    throw redactedError(e, secrets, o.showSecrets ?? false);
  }
  const warnings = [...parsed.warnings];
  const expect: Evidence['expect'] = {};
  if (o.expectIssuer) expect.issuer = o.expectIssuer;
  if (o.expectAudience) expect.audience = o.expectAudience;
  if (o.expectScope) expect.scopes = o.expectScope;
  const opts: Parameters<typeof diagnose>[1] = {
    source: mode === 'curl' ? 'curl' : 'flags',
    inputWarnings: warnings,
    expect,
    probes: o.probes,
    repairs: o.repairs,
    offline: o.offline ?? false,
    allowReplay: o.allowReplay ?? false,
    showSecrets: o.showSecrets ?? false,
    env: process.env,
    now,
    fresh: freshOf(o),
    extraSecrets: secrets,
  };
  if (o.origin) opts.browserOrigin = o.origin;
  if (onProgress) opts.onProgress = onProgress;
  const cacheDir = o.cache === false ? undefined : platformCacheDir(process.env, process.platform);
  if (cacheDir) opts.cacheDir = cacheDir;
  return diagnose(parsed.request, opts);
}

export async function runDiagnose(route: Route): Promise<number> {
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
    ));
    if (onProgress) process.stderr.write('\x1b[2K\r');
  }
  if (o.saveEvidence !== undefined) {
    const { saveEvidence } = await import('./evidence-file.js');
    saveEvidence(o.saveEvidence, evidence);
  }
  process.stdout.write(render(report, o));
  if (o.html !== undefined) writeHtmlReport(o.html, renderHtml(report));
  return exitCodeOf(report);
}
