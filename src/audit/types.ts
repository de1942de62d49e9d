import type { HeaderList } from '../model/http.js';

/**
 * The audit's data, from the document to the report. Everything here is plain JSON: the JSON
 * format prints the report as it is, and every other renderer (text, Markdown, HTML, JUnit, SARIF:
 * src/audit/render/) is a pure function of `AuditReport`, so a renderer is added beside the others
 * without touching the engine.
 */

/** How a request proves who sends it, as the document declares it (OpenAPI's Security Scheme Object). */
export interface SecurityScheme {
  /** The name the document gives it (`bearerAuth`, `api_key`). */
  name: string;
  type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS' | 'unknown';
  /** For `http`: the Authorization scheme, lower case (`bearer`, `basic`). Swagger 2's `basic` is `http`/`basic`. */
  httpScheme?: string;
  /** For `apiKey`: where the key goes and under which name. */
  in?: 'header' | 'query' | 'cookie';
  paramName?: string;
  /** For `openIdConnect`: the discovery document's URL. */
  openIdConnectUrl?: string;
}

/** One alternative of an operation's `security` list: every scheme named, each with its scopes. */
export type SecurityRequirement = Array<{ scheme: string; scopes: string[] }>;

export interface Operation {
  method: string;
  /** The path template as documented (`/pets/{petId}`). */
  path: string;
  /** The path with example values in place of its parameters, and the required query parameters. */
  target: string;
  operationId?: string;
  /** The alternatives (any one suffices). Empty: the document says anyone may call it. */
  security: SecurityRequirement[];
  /** `security: []`, `[{}]` or nothing declared at all: documented as open. */
  documentedOpen: boolean;
  /** Whether a JSON request body is declared (an unsafe call then sends `{}`). */
  jsonBody: boolean;
  /** Where this operation came from. */
  source: 'openapi' | 'path';
}

export interface ApiDescription {
  /** `2.0`, `3.0.3`, `3.1.0`…; undefined for operations given with --path alone. */
  version?: string;
  title?: string;
  servers: string[];
  schemes: Record<string, SecurityScheme>;
  operations: Operation[];
  /** External `$ref`s left unresolved on purpose (never fetched by the parser). */
  unresolvedRefs: string[];
}

/** What each request of an operation's plan tries. */
export type ProbeKind = 'anonymous' | 'malformed' | 'expired' | 'low' | 'valid' | 'preflight' | 'query-token';

export interface PlannedRequest {
  kind: ProbeKind;
  method: string;
  url: string;
  headers: HeaderList;
  body?: string;
}

/** One request sent and what came back (or why nothing did). */
export interface Exchange {
  kind: ProbeKind;
  method: string;
  url: string;
  requestHeaders: HeaderList;
  status?: number;
  headers: HeaderList;
  /** The body as text (capped by the transport). */
  body: string;
  /** A transport failure, in one line. */
  error?: string;
  /** When the answer arrived (ms since the epoch, this machine's clock): the Date check compares to it. */
  receivedAt: number;
  ms: number;
}

export interface OperationEvidence {
  operation: Operation;
  /** The schemes the operation's first alternative names, resolved. */
  schemes: SecurityScheme[];
  /** The scopes of the first alternative. */
  requiredScopes: string[];
  exchanges: Partial<Record<ProbeKind, Exchange>>;
  /**
   * Whether --token-low lacks a scope this operation requires: from the token's own `scope`/`scp`
   * claim when it is a JWT, assumed when it is opaque, undefined without --token-low or without
   * required scopes.
   */
  lowLacksScope?: boolean;
  /** Why the operation was not called (an unsafe method without --allow-unsafe). */
  skipped?: string;
}

/** A document the audit fetched for the whole API (RFC 9728 metadata, OIDC discovery, JWKS). */
export interface FetchedDoc {
  url: string;
  status?: number;
  headers: HeaderList;
  /** The parsed JSON body, when it was JSON. */
  json?: unknown;
  error?: string;
}

/** A token's parts as the audit reads them (never verified: the audit is not the resource server). */
export interface TokenView {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface ApiEvidence {
  baseUrl: string;
  description: ApiDescription;
  operations: OperationEvidence[];
  /** RFC 9728 metadata, OIDC discovery, JWKS: undefined when not looked for (no bearer scheme). */
  resourceMetadata?: FetchedDoc;
  discovery?: FetchedDoc;
  jwks?: FetchedDoc;
  /** --token, decoded when it is a JWT. */
  token?: TokenView;
  /** This machine's clock when the audit started (ms). */
  now: number;
}

export type Severity = 'error' | 'warning' | 'info';

export type CategoryId = 'access' | 'challenges' | 'errors' | 'browsers' | 'transport' | 'discovery';

export interface Citation {
  /** `RFC 9110`, `OWASP API Security Top 10 2023`, `Fetch`. */
  spec: string;
  /** `§11.6.1`, `API1:2023`. */
  section: string;
  url: string;
}

export interface Fix {
  /** Which server or library the fix is for (`Express (express-oauth2-jwt-bearer)`, `nginx`, `any`). */
  server: string;
  fix: string;
}

/** What failed, where: one row of a finding (an operation, or the whole API). */
export interface FindingItem {
  /** `GET /pets/{petId}`; absent for the whole API. */
  operation?: string;
  /** What was sent and what came back, in words (already redacted). */
  evidence: string[];
}

export interface AuditFinding {
  id: string;
  category: CategoryId;
  severity: Severity;
  title: string;
  /** Why this matters, in one or two sentences. */
  description: string;
  cites: Citation[];
  fixes: Fix[];
  items: FindingItem[];
  /** The points this finding costs its category (0–100 scale). */
  cost: number;
}

export interface RuleResult {
  id: string;
  category: CategoryId;
  severity: Severity;
  weight: number;
  /** 0..1; undefined when the rule did not apply (nothing to judge). */
  score?: number;
  /** How many operations (or 1 for the whole API) it judged, and how many passed. */
  judged: number;
  passed: number;
  /** Why it did not apply, when it did not. */
  notApplicable?: string;
}

export interface CategoryScore {
  id: CategoryId;
  title: string;
  /** 0–100; undefined when no rule of the category applied. */
  score?: number;
}

export interface AuditReport {
  tool: 'why401';
  kind: 'audit';
  version: string;
  target: string;
  startedAt: string;
  durationMs: number;
  document?: { title?: string; version?: string; source: string; operations: number };
  /** Every operation audited, with the status each probe got (the short table of the text report). */
  operations: Array<{
    operation: string;
    url: string;
    skipped?: string;
    statuses: Partial<Record<ProbeKind, number | string>>;
  }>;
  /** The mean of the judged categories' scores, 0–100. */
  score: number;
  categories: CategoryScore[];
  findings: AuditFinding[];
  rules: RuleResult[];
  /** Things the reader should know that are no finding (refs not followed, operations skipped). */
  notes: string[];
  requests: number;
  /** The most requests in flight to one host at once (never above 8). */
  maxInFlight: number;
}
