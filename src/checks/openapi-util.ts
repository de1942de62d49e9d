import type { OpenApiOperation, OpenApiRequirement, OpenApiSummary } from '../model/evidence.js';
import type { Facts } from '../facts/request.js';

/**
 * The request's place in the API's OpenAPI document (the evidence's `openapi`, summarised by the
 * CLI): which documented operation it is, or which ones come nearest. Path templates match one
 * segment per `{name}` (OpenAPI 3.1 §4.8.8: "Path templating"); the request path may carry one of
 * the document's server paths in front (§4.8.5 Server Object: paths are relative to it). HEAD is
 * served for every GET resource (RFC 9110 §9.3.2), so a GET operation documents it too.
 */

export interface OperationMatch {
  doc: OpenApiSummary;
  method: string;
  /** The request path, after the server path it starts with. */
  path: string;
  /** The documented operation of this method and path. */
  operation?: OpenApiOperation;
  /** Operations of this path under other methods. */
  otherMethods: OpenApiOperation[];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function templateRegex(template: string): RegExp {
  const parts = template.split(/\{[^}]*\}/).map(escape);
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

function requestPath(url: string): string | undefined {
  try {
    const p = new URL(url).pathname;
    try {
      return decodeURI(p);
    } catch {
      return p;
    }
  } catch {
    return undefined;
  }
}

/** The request path as the document would write it: each server path the request starts with removed, the bare path too. */
function candidates(path: string, doc: OpenApiSummary): string[] {
  const out: string[] = [];
  for (const b of doc.basePaths)
    if (path === b || path.startsWith(`${b}/`)) out.push(path.slice(b.length) || '/');
  out.push(path);
  return out;
}

export function matchOperation(f: Facts): OperationMatch | undefined {
  const doc = f.ev.openapi;
  if (!doc) return undefined;
  const full = requestPath(f.ev.request.url);
  if (full === undefined) return undefined;
  const method = f.ev.request.method.toUpperCase();
  const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
  for (const path of candidates(full, doc)) {
    const here = doc.operations.filter((o) => templateRegex(o.path).test(path));
    if (here.length === 0) continue;
    const operation = wanted.map((m) => here.find((o) => o.method === m)).find((o) => o !== undefined);
    const m: OperationMatch = { doc, method, path, otherMethods: here.filter((o) => o !== operation) };
    if (operation) m.operation = operation;
    return m;
  }
  return { doc, method, path: candidates(full, doc)[0]!, otherMethods: [] };
}

/** Levenshtein distance, capped work: paths are short. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_x, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The documented operations nearest the request's path (case-insensitive edit distance), at most `n`. */
export function nearestOperations(m: OperationMatch, n = 3): OpenApiOperation[] {
  if (m.otherMethods.length > 0) return m.otherMethods.slice(0, n);
  const p = m.path.toLowerCase();
  return m.doc.operations
    .map((o) => ({ o, d: distance(p, o.path.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, n)
    .map((x) => x.o);
}

export const operationLabel = (o: OpenApiOperation): string => `${o.method} ${o.path}`;

/**
 * The scopes each token-bearing alternative of the operation requires (OpenAPI 3.1 §4.8.30: the
 * scopes listed for an oauth2 or openIdConnect scheme). Empty when an alternative needs a token
 * with no particular scope, or none takes a token at all: then nothing is required of its scopes.
 */
export function requiredScopeSets(o: OpenApiOperation): string[][] {
  const sets = o.security
    .filter((alt) => alt.some((r) => r.type === 'oauth2' || r.type === 'openIdConnect'))
    .map((alt) =>
      alt.filter((r) => r.type === 'oauth2' || r.type === 'openIdConnect').flatMap((r) => r.scopes),
    );
  return sets.some((s) => s.length === 0) ? [] : sets;
}

/** Where a requirement's credential goes, in words: "the X-API-Key header", "the query parameter `api_key`". */
export function placeLabel(r: OpenApiRequirement): string {
  if (r.type === 'apiKey')
    return r.in === 'query'
      ? `the query parameter \`${r.name}\``
      : r.in === 'cookie'
        ? `the cookie \`${r.name}\``
        : `the ${r.name} header`;
  if (r.type === 'http') return `\`Authorization: ${r.httpScheme === 'basic' ? 'Basic' : 'Bearer'}\``;
  if (r.type === 'oauth2' || r.type === 'openIdConnect') return '`Authorization: Bearer`';
  return `the ${r.scheme} scheme`;
}
