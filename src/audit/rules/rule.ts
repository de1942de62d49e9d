import type { ApiEvidence, CategoryId, Citation, Fix, OperationEvidence, Severity } from '../types.js';

/**
 * An audit rule: one small module, its metadata beside its check, as a check of the diagnosis is
 * (and as an ESLint rule is). A rule judges one operation or the whole API and answers pass, fail
 * with evidence, or nothing (it does not apply: no token given, no refusal to look at).
 */
export interface RuleMeta {
  id: string;
  category: CategoryId;
  /** error and warning fail the run (exit 1); info only informs. */
  severity: Severity;
  /** Its weight in its category's score (Lighthouse's audit weights); info rules weigh 0. */
  weight: number;
  /** The finding's title, said of the failure. */
  title: string;
  /** Why it matters. */
  description: string;
  cites: Citation[];
  /** The exact change, per common server or library. */
  fixes: Fix[];
}

export type Verdict = { pass: true } | { fail: string[] } | undefined;

export interface OperationRule {
  meta: RuleMeta;
  scope: 'operation';
  check(op: OperationEvidence, api: ApiEvidence): Verdict;
}

export interface ApiRule {
  meta: RuleMeta;
  scope: 'api';
  check(api: ApiEvidence): Verdict;
}

export type AuditRule = OperationRule | ApiRule;

export const PASS: Verdict = { pass: true };
export const fail = (...evidence: string[]): Verdict => ({ fail: evidence });

export function operationRule(meta: RuleMeta, check: OperationRule['check']): OperationRule {
  return { meta, scope: 'operation', check };
}

export function apiRule(meta: RuleMeta, check: ApiRule['check']): ApiRule {
  return { meta, scope: 'api', check };
}

const rfc = (n: number, section: string): Citation => ({
  spec: `RFC ${n}`,
  section: `§${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc${n}#section-${section}`,
});

/** The sources the rules cite, in one place so each is written once. */
export const CITE = {
  rfc9110_401: rfc(9110, '15.5.2'),
  rfc9110_403: rfc(9110, '15.5.4'),
  rfc9110_challenge: rfc(9110, '11.6.1'),
  rfc9110_date: rfc(9110, '6.6.1'),
  rfc6750_query: rfc(6750, '2.3'),
  rfc6750_challenge: rfc(6750, '3'),
  rfc6750_errors: rfc(6750, '3.1'),
  rfc9111_store: rfc(9111, '3'),
  rfc9111_nostore: rfc(9111, '5.2.2.5'),
  rfc9111_auth: rfc(9111, '3.5'),
  rfc9457: rfc(9457, '3'),
  rfc6797: rfc(6797, '6.1'),
  rfc9728_wellknown: rfc(9728, '3'),
  rfc9728_resource: rfc(9728, '3.3'),
  rfc9068_typ: rfc(9068, '2.1'),
  rfc9068_claims: rfc(9068, '2.2'),
  rfc7517_kid: rfc(7517, '4.5'),
  rfc7518_rsa: rfc(7518, '3.3'),
  rfc8725_algs: rfc(8725, '3.2'),
  rfc6750_lifetime: rfc(6750, '5.3'),
  oidcDiscovery: {
    spec: 'OpenID Connect Discovery 1.0',
    section: '§4',
    url: 'https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig',
  },
  oauth21_query: {
    spec: 'OAuth 2.1 (draft-ietf-oauth-v2-1)',
    section: '§5.1',
    url: 'https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-5.1',
  },
  fetchPreflight: {
    spec: 'Fetch',
    section: 'CORS-preflight fetch',
    url: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch',
  },
  owaspApi1: {
    spec: 'OWASP API Security Top 10 2023',
    section: 'API1:2023 Broken Object Level Authorization',
    url: 'https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/',
  },
  owaspApi2: {
    spec: 'OWASP API Security Top 10 2023',
    section: 'API2:2023 Broken Authentication',
    url: 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/',
  },
  owaspApi5: {
    spec: 'OWASP API Security Top 10 2023',
    section: 'API5:2023 Broken Function Level Authorization',
    url: 'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/',
  },
  openapiSecurity: {
    spec: 'OpenAPI 3.1.0',
    section: 'Operation Object, security',
    url: 'https://spec.openapis.org/oas/v3.1.0#operation-object',
  },
} satisfies Record<string, Citation>;
