import { loadDocument, type DocumentSources } from '../audit/document.js';
import { summarizeOpenApi } from '../diagnose/openapi-summary.js';
import type { OpenApiSummary } from '../model/evidence.js';

/**
 * `why401 --openapi FILE|URL`: the document is read here, through the audit's loader (capped, no
 * remote `$ref` followed), and summarised by the library's summarizeOpenApi
 * (src/diagnose/openapi-summary.ts), which a library user calls the same way.
 */

/** Reads and summarises the document; throws the loader's one-line DocumentError. */
export async function loadOpenApiSummary(source: string, o: DocumentSources): Promise<OpenApiSummary> {
  return summarizeOpenApi(await loadDocument(source, o), source);
}
