import type { OpenApiRequirement, OpenApiSummary } from '../model/evidence.js';
import { withoutUrlCredentials } from '../knowledge/credential-rule.js';

/**
 * An API's OpenAPI document reduced to what `diagnose` compares a request with (`options.openapi`):
 * its base paths, and per operation the method, the path template and the security alternatives.
 * Plain data in the evidence, so the checks that read it stay pure and a saved evidence file
 * (--save-evidence) is checked again without the document. Platform-neutral: reading the document
 * (a file, a URL, `$ref`s) is the caller's; `why401 --openapi` reads it with the audit's loader.
 */

/**
 * The document as read: what `loadOpenApiDocument` resolves with (the reader `why401 audit` and
 * `why401 --openapi` use), or the same shape built by hand. Only these fields are read.
 */
export interface OpenApiDescription {
  /** The `servers[].url` (Swagger 2: scheme + host + basePath), absolute or relative. */
  servers: string[];
  /** The security schemes by name. */
  schemes: Record<string, OpenApiSchemeDescription>;
  operations: Array<{
    method: string;
    /** The path template (`/pets/{petId}`). */
    path: string;
    /** The alternatives (any one suffices): each names schemes and their scopes. Empty: open. */
    security: Array<Array<{ scheme: string; scopes: string[] }>>;
  }>;
}

export interface OpenApiSchemeDescription {
  type: OpenApiRequirement['type'];
  httpScheme?: string;
  in?: OpenApiRequirement['in'];
  paramName?: string;
}

/** The path of a server URL (`https://api.example.com/v1/` → `/v1`; a relative `/v1` as it is). */
function basePath(server: string): string | undefined {
  try {
    const p = new URL(server, 'http://relative.invalid').pathname.replace(/\/+$/, '');
    return p === '' ? undefined : decodeURI(p);
  } catch {
    return undefined;
  }
}

/**
 * `source` names the document in every output (a file path or URL); a password or token in a URL
 * is taken out of it first.
 */
export function summarizeOpenApi(d: OpenApiDescription, source: string): OpenApiSummary {
  const basePaths = [...new Set(d.servers.map(basePath).filter((p): p is string => !!p))];
  return {
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
