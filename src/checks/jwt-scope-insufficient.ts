import type { EvidenceItem } from '../model/finding.js';
import type { Challenge } from '../parse/challenge.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt } from './credential-util.js';
import { scopesOf } from '../parse/jwt.js';
import { isRefused, quoteList } from './idp-util.js';
import { challengeEvidence, errorOf } from './response-util.js';
import { matchOperation, operationLabel, requiredScopeSets } from './openapi-util.js';

/**
 * RFC 6750 §3: the challenge's `scope` attribute lists the scopes the resource needs, and
 * §3.1 `insufficient_scope` says the token lacks them; RFC 9068 §2.2.3 carries the grants in
 * `scope` (and `roles`). Compared with the token's `scope` / `scp` / `roles` (or, for an opaque
 * token, the introspection answer's `scope`, RFC 7662 §2.2). Scope values are case-sensitive
 * (RFC 6749 §3.3). The protected-resource metadata's `scopes_supported` lists what exists, not
 * what this request needs, so it is not a requirement here. With --openapi, the documented
 * operation's scopes (OpenAPI 3.1 §4.8.30 Security Requirement Object) are compared before anything
 * is sent: any one alternative whose scopes the token holds all of suffices.
 */

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}

/**
 * The container-registry token spec (distribution/distribution:docs/spec/auth/token.md, jwt.md):
 * the challenge's scope is `type:name:action[,action]` and the token grants in its `access` claim,
 * `[{ "type": "repository", "name": "foo", "actions": ["pull"] }]`. Both are read as
 * `type:name:action` words, one per action, so the comparison below is the same as for scopes.
 */
const REGISTRY_SCOPE = /^([a-z0-9_-]+):(.+):([a-z*]+(?:,[a-z*]+)*)$/i;

function registryScopes(scope: string): string[] {
  const m = REGISTRY_SCOPE.exec(scope);
  return m ? m[3]!.split(',').map((a) => `${m[1]}:${m[2]}:${a}`) : [scope];
}

function accessGrants(payload: Record<string, unknown>): string[] {
  const access = payload['access'];
  if (!Array.isArray(access)) return [];
  const out: string[] = [];
  for (const a of access) {
    if (a === null || typeof a !== 'object') continue;
    const { type, name, actions } = a as Record<string, unknown>;
    if (typeof type !== 'string' || typeof name !== 'string' || !Array.isArray(actions)) continue;
    for (const act of actions) if (typeof act === 'string') out.push(`${type}:${name}:${act}`);
  }
  return out;
}

/** Does the token grant this scope? Exactly, or as Entra ID writes it (`api://app/Files.Read` → `Files.Read` in scp). */
function granted(required: string, grants: string[]): boolean {
  if (grants.includes(required)) return true;
  const reg = REGISTRY_SCOPE.exec(required);
  if (reg && grants.includes(`${reg[1]}:${reg[2]}:*`)) return true;
  const m = /^[a-z][a-z0-9+.-]*:\/\/.+\/([^/]+)$/i.exec(required);
  return m !== null && m[1] !== '.default' && grants.includes(m[1]!);
}

export default defineCheck(
  {
    id: 'jwt.scope-insufficient',
    plain: 'Your sign-in does not include the permission this page needs',
    directness: 1,
    absorbs: ['credentials.rejected', 'server.gateway-rejected', 'authz.forbidden'],
    step: 3,
    kind: 'cause',
    title: 'The token lacks a scope this request needs',
    fix: 'Request a token whose `scope` includes what the API needs (and make sure the client and user may get it: consent, app role assignment); refreshing the same grant gives the same scopes.',
    ref: 'RFC 6750 §3, §3.1; RFC 9068 §2.2.3; RFC 6749 §3.3',
    // invalid_token says the token itself was refused (expired, wrong audience, bad signature):
    // its scopes were never looked at, whatever the challenge's scope= lists.
    contradictedBy: (f) =>
      f.challenges.challenges.some((c) => errorOf(c) === 'invalid_token')
        ? 'the server refused the token itself (error="invalid_token"), before any scope was checked'
        : undefined,
  },
  (f): Draft | undefined => {
    // What the token grants.
    const jwt = decodedJwt(f);
    const evidence: EvidenceItem[] = [];
    let scopes: string[];
    let roles: string[] = [];
    if (jwt) {
      const s = scopesOf(jwt.payload);
      scopes = s.scopes;
      roles = s.roles;
      roles = [...roles, ...accessGrants(jwt.payload)];
      for (const c of ['scope', 'scp', 'roles', 'access'])
        if (Object.hasOwn(jwt.payload, c)) evidence.push(tokenClaim(c, jwt.payload[c]));
    } else {
      const intro = f.ev.idp?.introspection;
      const j = intro?.json;
      const scope =
        intro?.active === true && j !== null && typeof j === 'object' && !Array.isArray(j)
          ? (j as Record<string, unknown>)['scope']
          : undefined;
      if (typeof scope !== 'string') return;
      scopes = words(scope);
      evidence.push({ probe: 'introspection', where: 'introspection.scope', value: scope });
    }
    const grants = [...scopes, ...roles];

    // What the request needs: the challenge (on a refusal), then --expect-scope.
    let challenge: Challenge | undefined;
    if (isRefused(f)) {
      const withScope = f.challenges.challenges.filter((c) => (c.params['scope'] ?? '').trim() !== '');
      challenge = withScope.find((c) => errorOf(c) === 'insufficient_scope') ?? withScope[0];
    }
    const fromChallenge = challenge ? words(challenge.params['scope']!).flatMap(registryScopes) : [];
    const fromExpect = (f.ev.expect.scopes ?? []).flatMap(words);
    const missingC = fromChallenge.filter((s) => !granted(s, grants));
    const missingE = fromExpect.filter((s) => !granted(s, grants) && !missingC.includes(s));
    // The document's operation: the alternative the token comes nearest to, unless one is met in full.
    const m = matchOperation(f);
    const sets = m?.operation ? requiredScopeSets(m.operation) : [];
    const fromDoc =
      sets.length === 0 || sets.some((set) => set.every((s) => granted(s, grants)))
        ? []
        : sets.reduce((best, set) =>
            set.filter((s) => !granted(s, grants)).length < best.filter((s) => !granted(s, grants)).length
              ? set
              : best,
          );
    const missingD = fromDoc.filter(
      (s) => !granted(s, grants) && !missingC.includes(s) && !missingE.includes(s),
    );
    const missing = [...missingC, ...missingE, ...missingD];
    if (missing.length === 0) return;

    if (missingC.length > 0 && challenge && f.final) evidence.push(challengeEvidence(f.final, challenge));
    if (missingE.length > 0)
      evidence.push({ probe: 'input', where: 'expect.scope', value: fromExpect.join(' ') });
    if (missingD.length > 0)
      evidence.push({
        probe: 'input',
        where: 'openapi.security',
        value: `${m!.doc.source}: ${operationLabel(m!.operation!)} needs ${fromDoc.join(' ')}`,
      });

    const has =
      grants.length === 0
        ? jwt
          ? 'the token carries no scope, scp or roles claim'
          : 'introspection gives the token no scope'
        : `the token has ${scopes.length ? `scope${scopes.length > 1 ? 's' : ''} ${quoteList(scopes)}` : 'no scopes'}${roles.length ? ` and role${roles.length > 1 ? 's' : ''} ${quoteList(roles)}` : ''}`;
    const caseNotes = missing
      .map((m) => ({ m, g: grants.find((g) => g !== m && g.toLowerCase() === m.toLowerCase()) }))
      .filter((x): x is { m: string; g: string } => x.g !== undefined)
      .map(
        (x) => ` The token has '${x.g}' where '${x.m}' is needed: scopes are case-sensitive (RFC 6749 §3.3).`,
      )
      .join('');
    const asked: string[] = [];
    if (missingC.length > 0)
      asked.push(
        `the server's challenge asks for scope="${fromChallenge.join(' ')}"${errorOf(challenge!) ? ` with error="${errorOf(challenge!)}"` : ''} (${f.status})`,
      );
    if (missingE.length > 0) asked.push(`--expect-scope names ${quoteList(fromExpect)}`);
    if (missingD.length > 0)
      asked.push(
        `${m!.doc.source} documents ${operationLabel(m!.operation!)} as needing ${quoteList(fromDoc)}${sets.length > 1 ? ` (the nearest of ${sets.length} alternatives)` : ''}`,
      );
    const s = missing.length > 1 ? 's' : '';
    return {
      confidence: missingC.length > 0 ? 'confirmed' : 'likely',
      title: `The token lacks the scope${s} ${quoteList(missing)} that this request needs`,
      detail: `${asked.join('; ')}; ${has}. Missing: ${quoteList(missing)}.${caseNotes}`,
      fix: `Request a token that includes ${quoteList(missing, '`')} (add ${missing.length > 1 ? 'them' : 'it'} to the token request's \`scope\` parameter, and make sure the client and user may get ${missing.length > 1 ? 'them' : 'it'}: admin consent, or an app role assigned to the client or user); refreshing the same grant gives the same scopes.`,
      evidence,
    };
  },
);
