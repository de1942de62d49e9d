import { loadDocument, type DocumentSources } from '../audit/document.js';
import type { ApiDescription } from '../audit/types.js';
import type { OpenApiRequirement, OpenApiSummary } from '../model/evidence.js';
import { withoutUrlCredentials } from '../knowledge/credential-rule.js';

/**
 * `why401 --openapi FILE|URL`: the document is read here (through the audit's loader: capped, no
 * remote `$ref` followed) and reduced to plain data in the evidence, so the checks that compare
 * the request with it stay pure and a saved evidence file (--save-evidence) can be checked again
 * without the document.
 */

/** The path of a server URL (`https://api.example.com/v1/` → `/v1`; a relative `/v1` as it is). */
function basePath(server: string): string | undefined {
  try {
    const p = new URL(server, 'http://relative.invalid').pathname.replace(/\/+$/, '');
    return p === '' ? undefined : decodeURI(p);
  } catch {
    return undefined;
  }
}

export function summariseOpenApi(d: ApiDescription, source: string): OpenApiSummary {
  const basePaths = [...new Set(d.servers.map(basePath).filter((p): p is string => !!p))];
  return {
    // The document's URL goes into every output: a password or token in it stays out.
    source: /^https?:\/\//i.test(source) ? withoutUrlCredentials(source) : source,
    basePaths,
    operations: d.operations.map((o) => ({
      method: o.method,
      path: o.path,
      security: o.security.map((alt) =>
        alt.map(({ scheme, scopes }): OpenApiRequirement => {
          const s = d.schemes[scheme];
          const r: OpenApiRequirement = { scheme, type: s?.type ?? 'unknown', scopes: [...scopes] };
          if (s?.httpScheme) r.httpScheme = s.httpScheme;
          if (s?.in) r.in = s.in;
          if (s?.paramName) r.name = s.paramName;
          return r;
        }),
      ),
    })),
  };
}

/** Reads and summarises the document; throws the loader's one-line DocumentError. */
export async function loadOpenApiSummary(source: string, o: DocumentSources): Promise<OpenApiSummary> {
  return summariseOpenApi(await loadDocument(source, o), source);
}
