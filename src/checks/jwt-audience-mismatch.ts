import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, stringClaim } from './credential-util.js';
import {
  audiencesOf,
  isGraphTokenElsewhere,
  DIFFERENCE_SHORT,
  docItem,
  docString,
  identifierDifference,
  isRefused,
  quoteList,
  serverWordsFor,
  type Difference,
} from './idp-util.js';

/**
 * RFC 7519 §4.1.3 and RFC 9068 §4: the API must refuse a token whose `aud` does not name it;
 * RFC 8707 / RFC 9728 §2: the resource's identifier is `resource` in its metadata, and the token
 * should be requested for it. Microsoft Graph tokens sent to one's own API are the classic case
 * (anchors §3.5).
 */

const AUD_FIX =
  'Request the token for this API: set the `audience` (Auth0, Okta), `resource` (RFC 8707) or API scope (Entra ID: `api://<app-id>/.default`) parameter of the token request to the identifier the API expects.';
const GRAPH_FIX =
  "Request the token with your API's own scope (Entra ID: `api://<app-id>/<scope>` or `api://<app-id>/.default`), not a Graph scope such as `User.Read`: a Graph token is for graph.microsoft.com only, and your API cannot even verify its signature.";

function requestHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** The aud value closest to the expected one, with the exact difference. */
function closest(auds: string[], expected: string): { aud: string; d: Difference } | undefined {
  const rank: Record<Difference['kind'], number> = {
    'trailing-slash': 0,
    case: 0,
    scheme: 1,
    port: 1,
    path: 2,
    'entra-version': 3,
    host: 3,
    other: 4,
  };
  let best: { aud: string; d: Difference } | undefined;
  for (const aud of auds) {
    const d = identifierDifference(aud, expected);
    if (d && (!best || rank[d.kind] < rank[best.d.kind])) best = { aud, d };
  }
  return best && rank[best.d.kind] <= 2 ? best : undefined;
}

/** Entra ID's two names for one API: the App ID URI `api://<guid>` and the client id `<guid>`. */
function appIdUriVersusClientId(
  auds: string[],
  expected: string,
): { aud: string; words: string } | undefined {
  const guid = /^(?:api:\/\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
  const e = guid.exec(expected);
  if (!e) return undefined;
  const same = auds.find((a) => guid.exec(a)?.[1]?.toLowerCase() === e[1]!.toLowerCase());
  if (same === undefined) return undefined;
  return {
    aud: same,
    words: `${same} and ${expected} are two names of one Entra ID app, its client id and its App ID URI: v2.0 tokens carry the client id as aud, v1.0 tokens the App ID URI, and the API accepts only one of them.`,
  };
}

export default defineCheck(
  {
    id: 'jwt.audience-mismatch',
    plain: 'The sign-in token was made for a different site or app',
    directness: 2,
    absorbs: ['credentials.rejected', 'server.gateway-rejected'],
    step: 3,
    kind: 'cause',
    title: 'The token was issued for another audience',
    fix: AUD_FIX,
    ref: 'RFC 7519 §4.1.3; RFC 9068 §4; RFC 8707 §2; RFC 9728 §2; RFC 8725 §3.9',
  },
  (f): Draft | undefined => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    const auds = audiencesOf(jwt.payload);
    const words = serverWordsFor(f, 'jwt.audience-mismatch');
    const evidence: EvidenceItem[] = [];
    if (auds !== undefined) evidence.push(tokenClaim('aud', jwt.payload['aud']));
    const audWords = auds === undefined || auds.length === 0 ? 'no aud claim' : `aud ${quoteList(auds)}`;
    const host = requestHost(f.ev.request.url);
    const graph = isGraphTokenElsewhere(jwt.payload, f.ev.request.url);
    const graphNote = graph
      ? ` That is Microsoft Graph's audience: a Graph token sent to your own API (${host}).`
      : '';
    const client = stringClaim(jwt.payload, 'azp') ?? stringClaim(jwt.payload, 'client_id');
    const clientNote =
      client !== undefined && auds?.length === 1 && auds[0] === client
        ? ` The aud is the client's own id (${client}): the token was issued for the client (an ID token, or a token requested without an audience), not for an API.`
        : '';
    const also = words ? ` The server says: "${words.quote}".` : '';
    const withWords = () => {
      if (words && !evidence.includes(words.evidence)) evidence.push(words.evidence);
      return evidence;
    };

    // 1. What the user says the API expects.
    const expected = f.ev.expect.audience;
    if (expected !== undefined && expected !== '') {
      if (auds?.includes(expected)) return;
      evidence.push({ probe: 'input', where: 'expect.audience', value: expected });
      const near = auds ? closest(auds, expected) : undefined;
      const entra = auds ? appIdUriVersusClientId(auds, expected) : undefined;
      const nearNote = near ? ` Compared exactly, ${near.aud} differs from it in ${near.d.summary}.` : '';
      return {
        confidence: 'confirmed',
        title: graph
          ? `A Microsoft Graph token was sent to your API: aud ${quoteList(auds!)}, expected '${expected}'`
          : auds === undefined || auds.length === 0
            ? `The token has no aud claim; the API expects '${expected}'`
            : `The token is for ${audWords}, not for '${expected}'${near ? ` (${DIFFERENCE_SHORT[near.d.kind]})` : ''}`,
        detail: `The token carries ${audWords}; --expect-audience is '${expected}', which it does not contain.${nearNote}${entra ? ` ${entra.words}` : ''}${graphNote}${clientNote}${also}`,
        fix: graph
          ? GRAPH_FIX
          : entra
            ? `Configure the API to accept both '${expected}' and '${entra.aud}' as valid audiences, or set "accessTokenAcceptedVersion" in the manifest of the API's app registration so that tokens carry the one it checks.`
            : `Request the token for '${expected}': set the \`audience\` (Auth0, Okta), \`resource\` (RFC 8707) or API scope (Entra ID: \`api://<app-id>/.default\`) of the token request to it${near ? `, written exactly (${near.d.kind === 'trailing-slash' ? 'with the same trailing slash' : 'same scheme, host, port and path'})` : ''}.`,
        evidence: withWords(),
      };
    }

    // 2. The resource's own identifier (RFC 9728 §2), when the request was refused.
    const prm = (f.ev.idp?.documents ?? []).find(
      (d) => d.kind === 'protected-resource' && docString(d, 'resource') !== undefined,
    );
    const resource = prm ? docString(prm, 'resource') : undefined;
    if (prm && resource !== undefined && isRefused(f) && !auds?.includes(resource)) {
      evidence.push(docItem(prm, 'url', prm.url), docItem(prm, 'resource', resource));
      const near = auds ? closest(auds, resource) : undefined;
      return {
        confidence: 'likely',
        title: graph
          ? `A Microsoft Graph token was sent to your API, whose resource identifier is '${resource}'`
          : `The token is for ${audWords}, not for this resource '${resource}'`,
        detail: `The protected-resource metadata at ${prm.url} names the resource '${resource}'; the token carries ${audWords}, which does not contain it.${near ? ` Compared exactly, ${near.aud} differs from it in ${near.d.summary}.` : ''}${graphNote}${clientNote}${also}`,
        fix: graph
          ? GRAPH_FIX
          : `Request the token for this resource: pass \`resource=${resource}\` (RFC 8707) in the authorization and token requests, or the audience or scope your authorization server maps to it.`,
        evidence: withWords(),
      };
    }

    // 2b. The container-registry token spec: the challenge names the audience as `service`
    // ("Bearer realm=…,service=registry.example.com,scope=…"), and the registry refuses a token
    // whose aud is not that service (distribution/distribution:docs/spec/auth/jwt.md).
    const svc = isRefused(f)
      ? f.challenges.challenges.find((c) => c.schemeLower === 'bearer' && (c.params['service'] ?? '').trim())
      : undefined;
    const service = svc?.params['service']?.trim();
    if (svc && service && f.final && !auds?.includes(service)) {
      evidence.push({ probe: 'main', where: 'response.header.www-authenticate', value: svc.raw });
      return {
        confidence: 'likely',
        title: `The token is for ${audWords}, but the server asks for a token for the service '${service}'`,
        detail: `The challenge names service="${service}", the audience its tokens must carry (the container-registry token specification); the token carries ${audWords}.${also}`,
        fix: `Request the token from the challenge's realm with \`service=${service}\` (and the scope it names), as \`docker login\` and registry clients do: \`GET <realm>?service=${service}&scope=<scope>\`.`,
        evidence: withWords(),
      };
    }

    // 3. The server's own words, or a Graph token refused by another API.
    if (!words && !(graph && isRefused(f))) return;
    if (words) evidence.push(words.evidence);
    // A Graph token refused by another API, whose signature does not verify there either or that
    // the server refuses for its audience: two independent tells.
    const sigFails = f.ev.idp?.verification?.result === 'signature-invalid';
    if (graph && sigFails)
      evidence.push({ probe: 'verification', where: 'verification.result', value: 'signature-invalid' });
    return {
      confidence: graph && isRefused(f) && (sigFails || words) ? 'confirmed' : 'likely',
      title: graph
        ? `A Microsoft Graph token was sent to your own API (aud ${quoteList(auds!)})`
        : `The server refuses the token's audience (${audWords}): ${words!.quote}`,
      detail: words
        ? `${words.producer} answered ${words.status} with "${words.quote}". ${words.meaning} The token carries ${audWords}.${graphNote}${clientNote} --expect-audience lets why401 compare it with the API's identifier.`
        : `The token carries ${audWords}, and ${host} answered ${f.status ?? ''}.${graphNote} Graph tokens are for graph.microsoft.com only${sigFails ? "; its signature does not verify against the issuer's keys either, as Graph tokens never do outside Graph" : ''}.`,
      fix: graph ? GRAPH_FIX : AUD_FIX,
      evidence,
    };
  },
);
