import type { ApiDescription, Operation, SecurityRequirement, SecurityScheme } from './types.js';

/**
 * An OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1), already parsed and dereferenced, read
 * into the operations the audit calls. Tolerant of documents that break the schema: what is not
 * there is not audited, and nothing here throws on a strange value.
 *
 * Sources: OpenAPI 3.1.0 §4.8.10 (Operation Object `security`: an empty array or `{}` makes it
 * optional), §4.8.27 (Security Scheme Object), §4.8.12 (Parameter Object `example`/`examples`);
 * Swagger 2.0 "Security Definitions Object" (`basic`, `apiKey`, `oauth2`) and `basePath`.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const METHODS = ['get', 'head', 'options', 'post', 'put', 'patch', 'delete', 'trace'] as const;

function scheme(name: string, raw: unknown): SecurityScheme {
  const s = isObj(raw) ? raw : {};
  const type = str(s.type);
  if (type === 'basic') return { name, type: 'http', httpScheme: 'basic' }; // Swagger 2
  if (type === 'http') return { name, type: 'http', httpScheme: (str(s.scheme) ?? 'bearer').toLowerCase() };
  if (type === 'apiKey') {
    const where = str(s.in);
    const out: SecurityScheme = { name, type: 'apiKey' };
    if (where === 'header' || where === 'query' || where === 'cookie') out.in = where;
    const pn = str(s.name);
    if (pn) out.paramName = pn;
    return out;
  }
  if (type === 'oauth2') return { name, type: 'oauth2' };
  if (type === 'openIdConnect') {
    const out: SecurityScheme = { name, type: 'openIdConnect' };
    const u = str(s.openIdConnectUrl);
    if (u) out.openIdConnectUrl = u;
    return out;
  }
  if (type === 'mutualTLS') return { name, type: 'mutualTLS' };
  return { name, type: 'unknown' };
}

function requirements(raw: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(isObj).map((alt) =>
    Object.entries(alt).map(([scheme, scopes]) => ({
      scheme,
      scopes: Array.isArray(scopes) ? scopes.filter((x): x is string => typeof x === 'string') : [],
    })),
  );
}

/** A safe stand-in for a path parameter with no example: never a value that could name real data. */
function placeholder(schema: Obj): string {
  const type = str(schema.type) ?? (Array.isArray(schema.type) ? str(schema.type[0]) : undefined);
  if (type === 'integer' || type === 'number') return '1';
  if (type === 'boolean') return 'true';
  if (str(schema.format) === 'uuid') return '00000000-0000-4000-8000-000000000000';
  return 'why401-example';
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The first example a parameter offers: `example`, `examples`, Swagger's `x-example`, the schema's own, `default`, `enum`. */
export function exampleValue(param: Obj): string {
  const schema = isObj(param.schema) ? param.schema : param; // Swagger 2 keeps type/default/enum on the parameter
  const examples = isObj(param.examples)
    ? Object.values(param.examples).map((e) => (isObj(e) ? e.value : undefined))
    : [];
  const candidates: unknown[] = [
    param.example,
    ...examples,
    param['x-example'],
    schema.example,
    ...(Array.isArray(schema.examples) ? schema.examples : []),
    schema.default,
    ...(Array.isArray(schema.enum) ? schema.enum : []),
  ];
  for (const c of candidates) {
    const s = scalar(c);
    if (s !== undefined && s !== '') return s;
  }
  return placeholder(schema);
}

function params(pathItem: Obj, op: Obj): Obj[] {
  const all = [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(op.parameters) ? op.parameters : []),
  ].filter(isObj);
  // An operation's parameter overrides the path item's of the same name and place.
  const byKey = new Map<string, Obj>();
  for (const p of all) byKey.set(`${str(p.in)}:${str(p.name)}`, p);
  return [...byKey.values()];
}

function target(path: string, ps: Obj[]): string {
  const byName = new Map(ps.filter((p) => p.in === 'path').map((p) => [str(p.name), p]));
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const p = byName.get(name);
    return encodeURIComponent(p ? exampleValue(p) : 'why401-example');
  });
  const query = ps
    .filter((p) => p.in === 'query' && p.required === true)
    .map((p) => `${encodeURIComponent(str(p.name) ?? '')}=${encodeURIComponent(exampleValue(p))}`);
  return query.length ? `${filled}?${query.join('&')}` : filled;
}

function jsonBody(op: Obj, ps: Obj[]): boolean {
  if (ps.some((p) => p.in === 'body')) return true; // Swagger 2
  const content = isObj(op.requestBody) && isObj(op.requestBody.content) ? op.requestBody.content : {};
  return Object.keys(content).some((t) => /json/i.test(t));
}

function servers(doc: Obj): string[] {
  if (typeof doc.swagger === 'string') {
    const base = str(doc.basePath) ?? '';
    const host = str(doc.host);
    const schemes = Array.isArray(doc.schemes) ? doc.schemes.filter((s) => typeof s === 'string') : [];
    return host ? [`${schemes[0] ?? 'https'}://${host}${base}`] : base ? [base] : [];
  }
  return (Array.isArray(doc.servers) ? doc.servers : [])
    .filter(isObj)
    .map((s) => str(s.url))
    .filter((u): u is string => !!u);
}

/** Every external `$ref` left in the document (the parser was told not to follow them). */
function externalRefs(v: unknown, out: Set<string>, depth = 0): void {
  if (depth > 64 || out.size >= 20) return;
  if (Array.isArray(v)) for (const x of v) externalRefs(x, out, depth + 1);
  else if (isObj(v)) {
    const ref = str(v.$ref);
    if (ref && !ref.startsWith('#')) out.add(ref);
    for (const x of Object.values(v)) externalRefs(x, out, depth + 1);
  }
}

export function describeApi(raw: unknown): ApiDescription {
  const doc = isObj(raw) ? raw : {};
  const version = str(doc.openapi) ?? str(doc.swagger);
  const defs =
    isObj(doc.components) && isObj(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : isObj(doc.securityDefinitions)
        ? doc.securityDefinitions
        : {};
  const schemes: Record<string, SecurityScheme> = {};
  for (const [name, s] of Object.entries(defs)) schemes[name] = scheme(name, s);
  const global = requirements(doc.security);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const security = requirements(op.security) ?? global ?? [];
      const ps = params(item, op);
      const o: Operation = {
        method: method.toUpperCase(),
        path,
        target: target(path, ps),
        security: security.filter((alt) => alt.length > 0),
        documentedOpen: security.length === 0 || security.some((alt) => alt.length === 0),
        jsonBody: jsonBody(op, ps),
        source: 'openapi',
      };
      const id = str(op.operationId);
      if (id) o.operationId = id;
      operations.push(o);
    }
  }
  const refs = new Set<string>();
  externalRefs(doc, refs);
  const info = isObj(doc.info) ? doc.info : {};
  const out: ApiDescription = { servers: servers(doc), schemes, operations, unresolvedRefs: [...refs] };
  if (version) out.version = version;
  const title = str(info.title);
  if (title) out.title = title;
  return out;
}

/**
 * `--path METHOD:/path`: an operation the user names. Nothing is documented about it, so it is
 * taken as secured by a bearer token (what an audit of an auth layer is about).
 */
export function pathOperation(spec: string): Operation | undefined {
  const m = /^([A-Za-z]+):(\/.*)$/.exec(spec.trim());
  if (!m) return undefined;
  return {
    method: m[1]!.toUpperCase(),
    path: m[2]!,
    target: m[2]!,
    security: [[{ scheme: 'bearer', scopes: [] }]],
    documentedOpen: false,
    jsonBody: false,
    source: 'path',
  };
}
