import type { FetchedDocument } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, stringClaim } from './credential-util.js';
import {
  DIFFERENCE_SHORT,
  docItem,
  docJson,
  docString,
  identifierDifference,
  isMetadataFor,
  quoteList,
  serverWordsFor,
  type Difference,
} from './idp-util.js';

/**
 * RFC 9068 §4 and OpenID Connect Core §3.1.3.7: `iss` must exactly match the issuer the API
 * trusts; OpenID Connect Discovery §4.3 and RFC 8414 §3.3: the metadata's `issuer` must be the
 * issuer it was fetched for. Byte for byte: a trailing slash, http versus https, an internal host
 * or the Entra v1/v2 issuer all count (anchors §3.4).
 */

const SHORT = DIFFERENCE_SHORT;

function fixFor(d: Difference, iss: string, trusted: string, source: 'expect' | 'discovery' | 'prm'): string {
  if (source === 'discovery')
    return `The issuer now calls itself ${trusted}, not ${iss}: get a new token (it will carry the issuer's current name). If you run the identity provider, make its configured public URL match the one clients and APIs use (Keycloak: KC_HOSTNAME; behind a proxy: the forwarded host and scheme).`;
  const api = source === 'prm' ? "the API's protected-resource metadata and its token validation" : 'the API';
  switch (d.kind) {
    case 'trailing-slash':
      return `Make the two strings identical: configure ${api} with exactly \`${iss}\` (the token's iss), or get tokens from \`${trusted}\`. Issuers are compared byte for byte: Auth0's end with "/", Entra v2's and Okta's do not.`;
    case 'entra-version':
      return /sts\.windows\.net/i.test(iss)
        ? 'Set "accessTokenAcceptedVersion": 2 in the manifest of the API\'s app registration so Entra ID issues v2.0 tokens (iss …/v2.0), or add the v1.0 issuer https://sts.windows.net/<tenant>/ to the API\'s valid issuers.'
        : 'The API expects v1.0 tokens: set "accessTokenAcceptedVersion" to 2 in its app registration and trust https://login.microsoftonline.com/<tenant>/v2.0, or accept both issuers.';
    case 'scheme':
    case 'host':
    case 'port':
      return `Get the token from the issuer ${api} trusts (${trusted}), or configure ${api} to trust ${iss}. If both are one server reached by two names (for example an internal http://keycloak:8080 and a public https://auth.example.com), set the issuer's public URL so that tokens and the API use the same one.`;
    default:
      return `Get the token from the issuer ${api} trusts (${trusted}: the same tenant, realm or environment), or configure ${api} to trust ${iss}, written exactly as the token has it.`;
  }
}

export default defineCheck(
  {
    id: 'jwt.issuer-mismatch',
    plain: 'The sign-in token comes from a different sign-in service than the site trusts',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected'],
    step: 3,
    kind: 'cause',
    title: "The token's issuer is not the one the API trusts",
    fix: "Get the token from the issuer this API trusts, or set the API to that issuer exactly (scheme, host, port, path and trailing slash must match the token's `iss`).",
    ref: 'RFC 9068 §4; OpenID Connect Core 1.0 §3.1.3.7; OpenID Connect Discovery 1.0 §4.3; RFC 8414 §3.3; RFC 9728 §2',
  },
  (f): Draft | undefined => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const iss = stringClaim(jwt.payload, 'iss');
    const words = serverWordsFor(f, 'jwt.issuer-mismatch');
    const expected = f.ev.expect.issuer;
    const docs = f.ev.idp?.documents ?? [];
    const evidence: EvidenceItem[] = [];
    if (iss !== undefined) evidence.push(tokenClaim('iss', iss));
    const also = words ? ` The server says: "${words.quote}".` : '';
    const withWords = () => {
      if (words) evidence.push(words.evidence);
      return evidence;
    };

    // 1. What the user says the API expects.
    if (expected !== undefined && expected !== '') {
      evidence.push({ probe: 'input', where: 'expect.issuer', value: expected });
      if (iss === undefined) {
        return {
          confidence: 'confirmed',
          title: `The token has no iss claim; the API expects ${expected}`,
          detail: `The token carries no "iss" (issuer) claim, and --expect-issuer is ${expected}. RFC 9068 §2.2 requires iss in access tokens, and an API that checks the issuer refuses a token without one.${also}`,
          fix: `Send an access token issued by ${expected}: it carries its iss.`,
          evidence: withWords(),
        };
      }
      const d = identifierDifference(iss, expected);
      if (d) {
        return {
          confidence: 'confirmed',
          title: `The token's issuer ${iss} is not the expected ${expected} (${SHORT[d.kind]})`,
          detail: `Compared exactly with --expect-issuer, the two differ in ${d.words}.${also}`,
          fix: fixFor(d, iss, expected, 'expect'),
          evidence: withWords(),
        };
      }
      // The token carries the issuer the user expects: if the server still refuses the issuer,
      // the server trusts another one.
      if (!words) return;
      return {
        confidence: 'likely',
        title: `The server refuses the token's issuer ${iss}, which is the one you expect: "${words.quote}"`,
        detail: `${words.producer} answered ${words.status} with "${words.quote}". The token's iss equals --expect-issuer, so the API is configured with another issuer than you think (another tenant, realm, environment, or the same one written with a different trailing slash or scheme).`,
        fix: `Check the issuer the API is configured with (its Authority, issuer or issuer-uri setting) against ${iss}, character for character.`,
        evidence: withWords(),
      };
    }
    if (iss === undefined) {
      if (!words) return;
      return {
        confidence: 'likely',
        title: `The server refuses the token's issuer (the token has no iss claim): ${words.quote}`,
        detail: `${words.producer} answered ${words.status} with "${words.quote}", and the token carries no "iss" claim at all.`,
        evidence: withWords(),
      };
    }

    // 2. The issuer's own discovery document, fetched for the token's iss.
    const disc = docs.find((d) => isMetadataFor(d, iss) && docString(d, 'issuer') !== undefined);
    const docIss = disc ? docString(disc, 'issuer') : undefined;
    if (disc && docIss !== undefined) {
      const d = identifierDifference(iss, docIss);
      if (d) {
        evidence.push(docItem(disc, 'url', disc.url), docItem(disc, 'issuer', docIss));
        return {
          confidence: 'likely',
          title: `The token's issuer ${iss} differs from the issuer its discovery document names, ${docIss} (${SHORT[d.kind]})`,
          detail: `The metadata at ${disc.url} (fetched for the token's iss) says "issuer": "${docIss}"; compared exactly, they differ in ${d.words}. An API that discovers its issuer from that document (or is configured with what it says) refuses the token.${also}`,
          fix: fixFor(d, iss, docIss, 'discovery'),
          evidence: withWords(),
        };
      }
    }

    // 3. The authorization servers the resource itself names (RFC 9728 §2).
    const prm = docs.find(
      (d: FetchedDocument) =>
        d.kind === 'protected-resource' && Array.isArray(docJson(d)?.['authorization_servers']),
    );
    const servers = prm
      ? (docJson(prm)!['authorization_servers'] as unknown[]).filter(
          (s): s is string => typeof s === 'string',
        )
      : [];
    if (prm && servers.length > 0 && !servers.includes(iss)) {
      const host = (u: string) => {
        try {
          return new URL(u).host;
        } catch {
          return u;
        }
      };
      const closest = servers.find((s) => host(s) === host(iss)) ?? servers[0]!;
      const d = identifierDifference(iss, closest)!;
      evidence.push(docItem(prm, 'url', prm.url), docItem(prm, 'authorization_servers', servers.join(' ')));
      return {
        confidence: 'likely',
        title: `The token's issuer ${iss} is not among the authorization servers this API names (${SHORT[d.kind]})`,
        detail: `The protected-resource metadata at ${prm.url} lists "authorization_servers": ${quoteList(servers, '"')}. Against ${closest}, the token differs in ${d.words}.${also}`,
        fix: fixFor(d, iss, closest, 'prm'),
        evidence: withWords(),
      };
    }

    // 4. The server's own words.
    if (!words) return;
    return {
      confidence: 'likely',
      title: `The server refuses the token's issuer ${iss}: ${words.quote}`,
      detail: `${words.producer} answered ${words.status} with "${words.quote}". ${words.meaning} The token's iss is ${iss}: compare it character for character (trailing slash, http or https, host, port, tenant or realm path) with the issuer the API is configured with; --expect-issuer lets why401 name the difference.`,
      evidence: withWords(),
    };
  },
);
