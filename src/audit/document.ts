import { dereference } from '@readme/openapi-parser';
import { load as loadYaml } from 'js-yaml';
import type { OpenAPI } from 'openapi-types';
import { LIMITS } from '../probe/limits.js';
import { makeDispatcher, send } from '../probe/transport.js';
import { describeApi } from './openapi.js';
import type { ApiDescription } from './types.js';
import { DocumentError } from './document-error.js';

export { DocumentError };

/**
 * Reads an OpenAPI document (Node only): a file through the caller's bounded reader, a URL through
 * why401's own transport (timeouts, the 1 MiB body cap, no redirect followed), then JSON or YAML,
 * then @readme/openapi-parser's dereference with external references off: the parser never
 * fetches a `$ref` URL or reads a `$ref` file itself (docs/ADR-openapi-parser.md).
 */

export interface DocumentSources {
  /** Reads a file whole, capped (the CLI's readInput); throws a one-line error. */
  readFile(path: string): string;
  userAgent: string;
  insecure?: boolean;
  signal?: AbortSignal;
}

async function fetchText(url: string, o: DocumentSources): Promise<string> {
  const dispatcher = makeDispatcher({ insecure: o.insecure });
  try {
    const r = await send(
      {
        method: 'GET',
        url,
        headers: [
          ['Accept', 'application/json, application/yaml;q=0.9, */*;q=0.1'],
          ['User-Agent', o.userAgent],
        ],
      },
      dispatcher,
      o.signal ?? AbortSignal.timeout(LIMITS.runTimeoutMs),
    );
    if (!r.response)
      throw new DocumentError(`cannot fetch the OpenAPI document ${url}: ${r.error?.message ?? 'no answer'}`);
    if (r.response.status !== 200)
      throw new DocumentError(
        `cannot fetch the OpenAPI document ${url}: the server answered ${r.response.status}${r.response.status >= 300 && r.response.status < 400 ? ' (redirects are not followed: give the final URL)' : ''}`,
      );
    if (r.response.bodyTruncated)
      throw new DocumentError(
        `the OpenAPI document at ${url} is larger than ${LIMITS.bodyCap / 1024 / 1024} MiB: download it and pass the file`,
      );
    if (r.error) throw new DocumentError(`cannot fetch the OpenAPI document ${url}: ${r.error.message}`);
    return r.response.body;
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}

/** JSON, else YAML (a JSON document is YAML too, but JSON.parse is faster and its errors plainer). */
export function parseDocumentText(text: string, where: string): unknown {
  const t = text.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch (e) {
      throw new DocumentError(`${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    // The default schema: plain data, no custom tags (js-yaml 4+ has no unsafe load).
    return loadYaml(t);
  } catch (e) {
    throw new DocumentError(
      `${where} is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
}

export async function loadDocument(source: string, o: DocumentSources): Promise<ApiDescription> {
  const isUrl = /^https?:\/\//i.test(source);
  const text = isUrl ? await fetchText(source, o) : o.readFile(source);
  const raw = parseDocumentText(text, source);
  if (typeof raw !== 'object' || raw === null || (!('openapi' in raw) && !('swagger' in raw)))
    throw new DocumentError(
      `${source} is not an OpenAPI or Swagger document (no "openapi" or "swagger" field)`,
    );
  let doc: unknown;
  try {
    doc = await dereference(raw as OpenAPI.Document, { resolve: { external: false }, timeoutMs: 10_000 });
  } catch (e) {
    throw new DocumentError(`${source}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const d = describeApi(doc);
  if (d.operations.length === 0)
    throw new DocumentError(`${source} describes no operations (its "paths" is empty)`);
  return d;
}
