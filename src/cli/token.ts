import { analyze } from '../core/analyze.js';
import { exitCodeOf } from '../core/exit-code.js';
import { newEvidence } from '../diagnose.js';
import type { RequestSpec } from '../model/evidence.js';
import { LIMITS } from '../probe/limits.js';
import { bearerJwtOf, planIdp, type FreshCredentials } from '../probe/plan-idp.js';
import { makeProxyDispatcher, resolveProxy } from '../probe/proxy.js';
import { renderHtml } from '../render/html.js';
import { render } from './diagnose.js';
import { UsageError } from './errors.js';
import { readInput, writeHtmlReport } from './io.js';
import { parseOwn, type OwnOptions } from './options.js';
import type { Report } from '../model/report.js';
import { splitOwnFlags } from './argv.js';
import { OWN_FLAGS } from './own-flags.js';

/**
 * `why401 token <jwt|@file|->`: a token inspected on its own — claims with times in plain words,
 * what is wrong with it — then verified against its issuer's keys when the issuer answers.
 * Nothing is sent to any API; the token itself goes nowhere (discovery and JWKS need only its iss).
 */

function readToken(arg: string): string {
  const raw =
    arg === '-'
      ? readInput('-', 'standard input')
      : arg.startsWith('@')
        ? readInput(arg.slice(1), 'token file')
        : arg;
  // A token read from a file or a pipe ends with a newline that is no part of it.
  const token = raw.replace(/^\s+|\s+$/g, '');
  if (!token) throw new UsageError('the token is empty');
  return token.replace(/^bearer\s+/i, '');
}

/** The Authorization header for the token: `SSWS …` (Okta's API token) keeps its own scheme. */
function authorizationOf(token: string): string {
  return /^ssws\s+\S/i.test(token) ? token : `Bearer ${token}`;
}

export async function runToken(args: string[]): Promise<number> {
  const { own, positional } = splitOwnFlags(args, OWN_FLAGS);
  if (positional.length === 0) throw new UsageError('no token given: why401 token <jwt|@file|->');
  if (positional.length > 1)
    throw new UsageError(`one token at a time (got ${positional.length} arguments; an unknown option?)`);
  const tokenArg = positional[0]!;
  const o = parseOwn(own);
  const report = await tokenReport(readToken(tokenArg), o);
  process.stdout.write(render(report, o));
  if (o.html !== undefined) writeHtmlReport(o.html, renderHtml(report));
  return exitCodeOf(report);
}

/** A token inspected offline, then verified against its issuer unless --offline (the CLI and the web page). */
export async function tokenReport(token: string, o: OwnOptions): Promise<Report> {
  const spec: RequestSpec = {
    method: 'GET',
    url: '',
    headers: [['Authorization', authorizationOf(token)]],
    followRedirects: false,
    insecure: false,
    compressed: false,
  };
  const expect: NonNullable<Parameters<typeof newEvidence>[1]['expect']> = {};
  if (o.expectIssuer) expect.issuer = o.expectIssuer;
  if (o.expectAudience) expect.audience = o.expectAudience;
  if (o.expectScope) expect.scopes = o.expectScope;
  const ev = newEvidence(spec, { source: 'token', expect, offline: o.offline ?? false });
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
    const route = (origin: string) => resolveProxy(origin, { env: process.env });
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
