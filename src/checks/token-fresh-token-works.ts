import type { EvidenceItem } from '../model/finding.js';
import { decodeJwt, type DecodedJwt } from '../parse/jwt.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { responseStatus } from './cite.js';
import { decodedJwt } from './credential-util.js';
import { scopesOf } from '../parse/jwt.js';
import { lastHop } from './idp-util.js';

/**
 * The differential probe of issue 3: the user's request sent again, unchanged but for a token
 * just issued (refresh or client-credentials grant). A success proves the old token itself was
 * the problem (RFC 9110 §15.5.2: the client may retry with new credentials); the same refusal
 * proves its age was not.
 */

const CLAIMS = ['iss', 'aud', 'azp', 'client_id', 'sub'];

function claimWords(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** How the fresh token differs from the old one, in claims that decide acceptance (values are not secrets). */
function differences(old: DecodedJwt | undefined, fresh: DecodedJwt | undefined): string[] {
  if (!old || !fresh) return [];
  const out: string[] = [];
  for (const c of CLAIMS) {
    const a = old.payload[c];
    const b = fresh.payload[c];
    if (a === undefined && b === undefined) continue;
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(
        `${c} ${a === undefined ? '(none)' : claimWords(a)} → ${b === undefined ? '(none)' : claimWords(b)}`,
      );
  }
  const sa = scopesOf(old.payload);
  const sb = scopesOf(fresh.payload);
  const ga = [...sa.scopes, ...sa.roles];
  const gb = [...sb.scopes, ...sb.roles];
  const added = gb.filter((s) => !ga.includes(s));
  const removed = ga.filter((s) => !gb.includes(s));
  if (added.length) out.push(`scopes added: ${added.join(' ')}`);
  if (removed.length) out.push(`scopes removed: ${removed.join(' ')}`);
  if (
    typeof old.header['kid'] === 'string' &&
    typeof fresh.header['kid'] === 'string' &&
    old.header['kid'] !== fresh.header['kid']
  )
    out.push(`signing key kid ${old.header['kid']} → ${fresh.header['kid']}`);
  return out;
}

export default defineCheck(
  {
    id: 'token.fresh-token-works',
    plain: 'A freshly issued sign-in works: the one being sent is out of date',
    directness: 2.5,
    confirmedBy: ['token.inactive'],
    step: 2,
    kind: 'cause',
    title:
      'The same request succeeds with a freshly issued token: the old token is stale, revoked, or from another client',
    fix: 'Use a newly issued token: refresh it before it expires (or when the API answers 401), and stop reusing the old one; if the old one came from another client or environment, take tokens from the client this API expects.',
    ref: 'RFC 9110 §15.5.2; RFC 6749 §6',
  },
  (f): Draft | undefined => {
    const fresh = lastHop(f, 'fresh');
    const main = f.final;
    if (!fresh?.response || !main?.response) return;
    const before = main.response.status;
    const after = fresh.response.status;
    if (before !== 401 && before !== 403) return;
    const grant = f.ev.idp?.grant;
    const evidence: EvidenceItem[] = [responseStatus(main), responseStatus(fresh)];
    const how = grant ? ` (a ${grant.grant} grant at ${grant.tokenEndpoint})` : '';
    if (grant) evidence.push({ probe: 'grant', where: 'grant.type', value: grant.grant });
    const freshJwt = grant?.accessToken ? decodeJwt(grant.accessToken) : undefined;
    const diff = differences(decodedJwt(f), freshJwt?.ok ? freshJwt.jwt : undefined);
    const diffWords = diff.length ? ` The new token differs from the old one in: ${diff.join('; ')}.` : '';

    if (after >= 200 && after < 300) {
      return {
        confidence: 'confirmed',
        detail: `The request answered ${before} with the old token and ${after} when sent again unchanged with a token issued just now${how}.${diffWords} So the old token itself is refused: expired by the server's clock, revoked, rotated out, or issued to another client or environment.`,
        evidence,
      };
    }
    if (after !== 401 && after !== 403) return;
    const same = after === before;
    return {
      kind: 'info',
      confidence: 'confirmed',
      title: same
        ? "A freshly issued token is refused the same way: the token's age is not the problem"
        : `A freshly issued token is refused too (${after} where the old one got ${before})`,
      detail: `The request answered ${before} with the old token and ${after} with a token issued just now${how}.${diffWords} ${
        same
          ? 'Whatever is wrong is shared by every token this client gets: its audience, scopes, issuer, the client itself, or the way the token is sent.'
          : after === 403
            ? 'The new token gets further (authenticated, then refused access): the old one was not accepted at all, and the new one lacks a permission, scope or role.'
            : 'The new token is refused earlier than the old one: it is not accepted as authentication at all (another audience, issuer or client).'
      }`,
      fix: 'Refreshing will not help: check what the API expects against what this client is issued: the audience (the `audience`/`resource` of the token request), the scopes or roles, the issuer (tenant, realm, environment) and the client id the API allows.',
      evidence,
    };
  },
);
