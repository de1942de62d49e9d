/**
 * `why401`: why an HTTP request got 401 or 403, as a library. `diagnose` sends the request (and
 * the probes beside it) and resolves with the report `why401 --json` prints; `inspectToken`,
 * `analyzeHar`, `sanitizeHar` and `diffHar` are `why401 token`, `har`, `har --sanitize` and `diff`.
 * Node only (it sends requests); `why401/core` is the platform-neutral half, re-exported here.
 *
 * Every option is a plain value: nothing here reads `process.env` or `process.argv`. To behave as
 * the CLI does behind a proxy, pass `env: process.env`.
 *
 * @example
 * ```ts
 * import { diagnose, renderText } from 'why401';
 * const report = await diagnose('https://api.example.com/me', { env: process.env });
 * console.log(report.outcome, report.findings[0]?.id);
 * console.log(renderText(report));
 * ```
 *
 * @packageDocumentation
 */
export * from './core.js';
export {
  diagnose,
  type DiagnoseOptions,
  type DiagnoseRequest,
  type IdentityProviderOptions,
  type RequestObject,
} from './diagnose/request.js';
export { inspectToken, type InspectTokenOptions } from './diagnose/token.js';
export {
  analyzeHar,
  sanitizeHar,
  diffHar,
  type AnalyzeHarOptions,
  type HarDiff,
  type HarInput,
  type HarSource,
  type SanitizedHar,
} from './diagnose/capture.js';
export { HarReadError } from './har/reader.js';
export type { DiffItem } from './model/har-diff.js';
export type { SanitizeSummary } from './har/sanitize.js';
export {
  summarizeOpenApi,
  type OpenApiDescription,
  type OpenApiSchemeDescription,
} from './diagnose/openapi-summary.js';
export { DocumentError as OpenApiDocumentError } from './audit/document-error.js';
import type { DocumentSources } from './audit/document.js';
import type { ApiDescription } from './audit/types.js';

export type { DocumentSources as OpenApiDocumentSources };

/**
 * Reads an OpenAPI 3.x or Swagger 2.0 document from a file or an http(s) URL (the CLI's --openapi)
 * into the description `summarizeOpenApi` takes. Throws an OpenApiDocumentError, one line. The
 * parser loads on the first call: importing why401 does not load it.
 */
export async function loadOpenApiDocument(source: string, sources: DocumentSources): Promise<ApiDescription> {
  const { loadDocument } = await import('./audit/document.js');
  return loadDocument(source, sources);
}
export type { OpenApiSummary, OpenApiOperation, OpenApiRequirement } from './model/evidence.js';
