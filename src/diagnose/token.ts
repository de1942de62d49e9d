import { analyze } from '../core/analyze.js';
import type { Expectations, RequestSpec } from '../model/evidence.js';
import { UsageError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import { LIMITS } from '../probe/limits.js';
import { bearerJwtOf, planIdp, type FreshCredentials } from '../probe/plan-idp.js';
import { makeProxyDispatcher, resolveProxy } from '../probe/proxy.js';
import { newEvidence } from './evidence.js';

/**
 * A token inspected on its own — claims with times in plain words, what is wrong with it — then
 * verified against its issuer's keys when the issuer answers (`why401 token`, the page's token
 * box, the library's `inspectToken`). Nothing is sent to any API; the token itself goes nowhere
 * but to an introspection endpoint the caller named (discovery and JWKS need only its iss).
 */

/** How a token is inspected. Every field is optional. */
export interface InspectTokenOptions {
  /** Decode and judge the token only; do not reach its issuer. Default false. */
  offline?: boolean;
  /** Keep secrets in the report instead of their fingerprints. Default false. */
  showSecrets?: boolean;
  /** What the API expects of the token (issuer, audience, scopes). */
  expect?: Expectations;
  /** The issuer to use when the token names none (an opaque token, a JWT without iss). */
  issuer?: string;
  /** RFC 7662 introspection: the endpoint and the client credentials it takes. */
  introspectUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** HTTPS_PROXY, NO_PROXY … as curl reads them, for reaching the issuer. Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The token as the caller gave it: surrounding white space (a file's last newline) and a leading
 * `Bearer ` are no part of it.
 */
export function cleanToken(raw: string): string {
  const token = raw.replace(/^\s+|\s+$/g, '');
  if (!token) throw new UsageError('the token is empty');
  return token.replace(/^bearer\s+/i, '');
}

/** The Authorization header for the token: `SSWS …` (Okta's API token) keeps its own scheme. */
function authorizationOf(token: string): string {
  return /^ssws\s+\S/i.test(token) ? token : `Bearer ${token}`;
}

/**
 * Inspects a bearer token (a JWT, an opaque token, Okta's `SSWS …`) and resolves with a report in
 * the shape of `diagnose`'s (schema/report.json, `source: 'token'`).
 *
 * @example
 * ```ts
 * const report = await inspectToken(jwt, { expect: { audience: 'https://api.example.com' } });
 * console.log(report.findings[0]?.title);
 * ```
 */
export async function inspectToken(token: string, o: InspectTokenOptions = {}): Promise<Report> {
  const spec: RequestSpec = {
    method: 'GET',
    url: '',
    headers: [['Authorization', authorizationOf(token)]],
    followRedirects: false,
    insecure: false,
    compressed: false,
  };
  const ev = newEvidence(spec, { source: 'token', expect: { ...o.expect }, offline: o.offline ?? false });
  const iss = bearerJwtOf(spec)?.iss ?? o.issuer;
  if (o.offline)
    ev.skippedProbes.push({
      probe: 'discovery',
      reason: 'offline (--offline): the token was not verified online',
    });
  else if (!iss && !o.introspectUrl)
    ev.skippedProbes.push({
      probe: 'discovery',
      reason: 'the token names no http(s) issuer (iss) and no --issuer was given',
    });
  else {
    if (!iss)
      ev.skippedProbes.push({
        probe: 'discovery',
        reason: 'the token names no http(s) issuer (iss) and no --issuer was given',
      });
    // The issuer is reached as curl would reach it: through HTTPS_PROXY unless NO_PROXY exempts it.
    const env = { ...o.env };
    const route = (origin: string) => resolveProxy(origin, { env });
    const first = iss ?? o.introspectUrl!;
    const dispatcher = makeProxyDispatcher(route(first), { insecure: false }, route);
    try {
      const http = { dispatcher, signal: AbortSignal.timeout(LIMITS.runTimeoutMs) };
      // Introspection (RFC 7662) is how an opaque token is checked: the user's token goes only to
      // the introspection endpoint the user named.
      const fresh: FreshCredentials = {};
      if (o.issuer) fresh.issuer = o.issuer;
      if (o.introspectUrl) fresh.introspectUrl = o.introspectUrl;
      if (o.introspectUrl && o.clientId) fresh.clientId = o.clientId;
      if (o.introspectUrl && o.clientSecret) fresh.clientSecret = o.clientSecret;
      await planIdp(ev, http, fresh, { resource: false }).early;
    } finally {
      await dispatcher.destroy().catch(() => undefined);
    }
  }
  return analyze(ev, o.showSecrets ? { showSecrets: true } : {});
}
