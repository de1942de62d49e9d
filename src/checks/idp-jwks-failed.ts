import type { FetchedDocument } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { clip } from './response-util.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, stringClaim } from './credential-util.js';
import {
  docFailure,
  docItem,
  docJson,
  docUsable,
  isAlgConfusion,
  isRefused,
  serverWordsFor,
  verificationItem,
} from './idp-util.js';

/**
 * RFC 7517 §5: the JWKS is a JSON object with a `keys` array; RFC 9068 §4 / RFC 8414 §2
 * (`jwks_uri`): the API verifies the token with those keys. A JWKS that cannot be fetched, is not
 * JSON, or holds no key usable for the token's algorithm leaves every token unverifiable. The
 * server's own words (Envoy's "Jwks remote fetch is failed", IDX10500) say it lost its keys.
 */

function host(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function fixFor(doc: FetchedDocument): string {
  if (doc.error)
    return `Check that ${doc.url} is reachable from here and from the API (DNS, firewall, egress proxy, TLS trust): without it the API cannot verify any token.`;
  const s = doc.status ?? 200;
  if (s === 404 || s === 410)
    return `The JWKS URL ${doc.url} does not exist: take jwks_uri from the issuer's discovery document, and configure the API with it (or with the issuer, so it discovers it).`;
  if (s === 401 || s === 403)
    return `A JWKS must be public: remove the authentication in front of ${doc.url}.`;
  if (s >= 500)
    return `The server at ${doc.url} fails: retry later, or have the identity provider's operator look at it.`;
  return `Check that ${doc.url} serves a JSON Web Key Set ({"keys": [...]}), not a sign-in page or a proxy's error page.`;
}

export default defineCheck(
  {
    id: 'idp.jwks-failed',
    plain: "The sign-in service's signing keys could not be read",
    directness: 3,
    step: 4,
    kind: 'cause',
    title: "The issuer's signing keys (JWKS) could not be loaded",
    fix: "Make the issuer's JWKS (jwks_uri) reachable from the API, public, and holding the key that signs its tokens.",
    ref: 'RFC 7517 §5; RFC 8414 §2 (jwks_uri); RFC 9068 §4',
  },
  (f) => {
    const jwt = decodedJwt(f);
    const iss = jwt ? stringClaim(jwt.payload, 'iss') : undefined;
    const v = f.ev.idp?.verification;
    const jwksDocs = (f.ev.idp?.documents ?? []).filter((d) => d.kind === 'jwks');
    const hasKeys = (d: FetchedDocument) => docUsable(d) && Array.isArray(docJson(d)!['keys']);
    const usable = new Set(jwksDocs.filter(hasKeys).map((d) => d.url));
    const words = serverWordsFor(f, 'idp.jwks-failed');
    const drafts: Draft[] = [];

    for (const doc of jwksDocs) {
      let why = docFailure(doc);
      if (why === undefined && docUsable(doc) && !Array.isArray(docJson(doc)!['keys']))
        why = 'the JSON has no "keys" array';
      if (why === undefined || usable.has(doc.url)) continue;
      const needed =
        jwt !== undefined &&
        (v?.jwksUrl === doc.url ||
          (host(doc.url) !== undefined && host(doc.url) === host(iss)) ||
          /\biss\b|jwks_uri/.test(doc.from));
      const cause = isRefused(f) && needed;
      const evidence: EvidenceItem[] = [docItem(doc, 'url', doc.url)];
      if (doc.error)
        evidence.push(docItem(doc, 'error', `${doc.error.phase} ${doc.error.code}: ${doc.error.message}`));
      else if (doc.status !== undefined) evidence.push(docItem(doc, 'status', String(doc.status)));
      if (doc.problem) evidence.push(docItem(doc, 'problem', doc.problem));
      if (cause && words) evidence.push(words.evidence);
      drafts.push({
        kind: cause ? 'cause' : 'warning',
        confidence: cause ? (doc.error && !words ? 'possible' : 'likely') : 'confirmed',
        title: `The JWKS at ${doc.url} could not be loaded: ${clip(why, 120)}`,
        detail: `The key set (${doc.from}) ${why}.${cause ? ' An API that reads its keys there cannot verify any token of this issuer.' : ''}${cause && words ? ` The server says: "${words.quote}".` : ''}`,
        fix: fixFor(doc),
        evidence,
      });
    }

    // The verifier found no usable key in a JWKS already reported above: one finding, with both.
    const reported = drafts.find((d) =>
      d.evidence.some((e) => e.where === 'document.url' && e.value === v?.jwksUrl),
    );
    if (v?.result === 'no-usable-key' && reported) {
      reported.evidence.push(verificationItem('result', 'no-usable-key'));
      if (v.message) reported.evidence.push(verificationItem('message', v.message));
    } else if (v?.result === 'no-usable-key' && jwt && !isAlgConfusion(jwt.header['alg'], v)) {
      const alg = typeof jwt.header['alg'] === 'string' ? jwt.header['alg'] : undefined;
      const keys = v.jwksKeys.map(
        (k) =>
          `${k.kid ?? '(no kid)'}: ${[k.kty, k.alg, k.use ? `use ${k.use}` : undefined].filter(Boolean).join(' ') || 'no kty'}`,
      );
      const evidence: EvidenceItem[] = [
        verificationItem('result', 'no-usable-key'),
        { probe: 'jwks', where: 'document.url', value: v.jwksUrl },
        { probe: 'jwks', where: 'document.keys', value: keys.join(', ') || '(none)' },
      ];
      if (alg !== undefined) evidence.push(tokenClaim('header.alg', alg));
      if (v.message) evidence.push(verificationItem('message', v.message));
      if (words && isRefused(f)) evidence.push(words.evidence);
      drafts.push({
        kind: isRefused(f) ? 'cause' : 'warning',
        confidence: isRefused(f) ? 'likely' : 'confirmed',
        title: `The issuer's JWKS holds no key usable for the token's ${alg ?? 'algorithm'}`,
        detail: `The JWKS at ${v.jwksUrl} holds ${keys.length ? keys.join(', ') : 'no keys at all'}; none can verify a${alg ? ` ${alg}` : ''} signature${v.message ? ` ("${v.message}")` : ''}. Keys for encryption only (use enc), of another type (EC for an RS256 token) or an empty set leave the token unverifiable.`,
        fix: `Publish the signing key in the JWKS at ${v.jwksUrl} (with use "sig" or no use, and a kty matching ${alg ?? "the token's alg"}), or get a token signed with one of the keys it holds.`,
        evidence,
      });
    }

    // The server's own words, when nothing here already carries them.
    if (words && !drafts.some((d) => d.evidence.includes(words.evidence))) {
      const fine = jwksDocs.find(hasKeys);
      const n = fine ? (docJson(fine)!['keys'] as unknown[]).length : 0;
      const evidence: EvidenceItem[] = [words.evidence];
      if (fine) evidence.push(docItem(fine, 'url', fine.url));
      drafts.push({
        confidence: 'likely',
        title: `The server could not load the issuer's signing keys: ${words.quote}`,
        detail: `${words.producer} answered ${words.status} with "${words.quote}". ${words.meaning}${
          fine
            ? ` From here the JWKS at ${fine.url} loads fine (${n} key${n === 1 ? '' : 's'}), so the server's own path to it is broken (DNS, egress, TLS trust, the JWKS URL it is configured with), or its first fetch was still in flight.`
            : ''
        }`,
        fix: 'Whoever runs the API must fix its JWKS URL or its network path to the issuer (DNS, egress proxy, TLS CA bundle); Envoy fetches lazily, so a retry may pass once the first fetch completes.',
        evidence,
      });
    }
    return drafts;
  },
);
