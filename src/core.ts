/**
 * `why401/core`: the platform-neutral half of why401, for browsers, Deno, workers and anything
 * that must not send a request: the parsers, `analyze` over saved evidence (checks, ranking,
 * redaction in one call), the catalogue of causes and the renderers. Nothing reachable from here
 * imports a Node built-in (test/platform-neutral.test.ts follows every import).
 *
 * @example
 * ```ts
 * import { analyze, renderMarkdown, type Evidence } from 'why401/core';
 * const evidence = JSON.parse(saved) as Evidence; // what `why401 --save-evidence` wrote
 * console.log(renderMarkdown(analyze(evidence)));
 * ```
 *
 * @packageDocumentation
 */
import { checks } from './checks/index.js';
import { sessionChecks } from './checks/session/index.js';
import type { CauseId, CheckMeta } from './checks/index.js';
import {
  parseCurlArgs,
  parseCurlCommand,
  type CurlParse,
  type CurlParseOptions,
} from './parse/curl/index.js';
import type { Report } from './model/report.js';
import { renderText as renderTextWith } from './render/text.js';

export { analyze, type AnalyzeOptions } from './core/analyze.js';
export { exitCodeOf } from './core/exit-code.js';
export { Redactor } from './core/redact.js';
export { VERSION } from './core/version.js';
export { renderCatalogue } from './core/catalogue.js';
export { parseWwwAuthenticate, type Challenge, type ChallengeParse } from './parse/challenge.js';
export { decodeJwt, looksLikeJwt, type DecodedJwt, type JwtDecode } from './parse/jwt.js';
export { CurlParseError, isCurlPaste, type CurlParse, type CurlParseOptions } from './parse/curl/index.js';
export { renderJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { renderHtml, renderHarHtml } from './render/html.js';
export { renderHarMarkdown } from './render/har-markdown.js';
export { renderHarText } from './render/har-text.js';
export {
  Why401Error,
  UsageError,
  InputTooLarge,
  isWhy401Error,
  type Why401ErrorCode,
} from './model/errors.js';
export type { Report, Outcome, ProbeRecord, CheckResult, RepairRecord } from './model/report.js';
export type { Finding, FindingKind, Confidence, EvidenceItem, Step } from './model/finding.js';
export type { Evidence, Exchange, Expectations, RequestSpec, SkippedProbe } from './model/evidence.js';
export type { HarReport, HarEntryReport, SessionFinding } from './model/har-report.js';
export type { CauseId, CheckMeta };

/**
 * A curl command turned into the request it would send, as why401 reads it: a pasted command
 * (a string: prompts, continuations, cmd.exe and PowerShell forms, `$VAR`s from `options.env`) or
 * curl's arguments (an array, as a shell would have split them). Files the command names are read
 * only through `options.readFile`/`readFileBytes`; without them they are listed in
 * `request.files` and not read. Throws a CurlParseError for a command that cannot be read.
 *
 * @example
 * ```ts
 * const { request, warnings } = parseCurl(`curl -H 'Authorization: Bearer x' https://api.example.com/me`);
 * request.method; // 'GET'
 * ```
 */
export function parseCurl(command: string | readonly string[], options: CurlParseOptions = {}): CurlParse {
  return typeof command === 'string'
    ? parseCurlCommand(command, options)
    : parseCurlArgs([...command], options);
}

/**
 * The report as the terminal shows it. Default: no colour, 80 columns.
 *
 * @example
 * ```ts
 * process.stdout.write(renderText(report, { color: process.stdout.isTTY, width: process.stdout.columns }));
 * ```
 */
export function renderText(report: Report, options: { color?: boolean; width?: number } = {}): string {
  return renderTextWith(report, {
    color: options.color ?? false,
    ...(options.width !== undefined ? { width: options.width } : {}),
  });
}

/**
 * Every cause why401 can report, with what it declares about itself (title, fix, the spec behind
 * it, plain words): the per-request causes, then the session-level ones of a HAR.
 */
export const causes: ReadonlyArray<CheckMeta<CauseId>> = [...checks, ...sessionChecks].map(
  (c) => c.meta as CheckMeta<CauseId>,
);
