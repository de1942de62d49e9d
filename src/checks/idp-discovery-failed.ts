import type { FetchedDocument } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { clip } from './response-util.js';
import { decodedJwt, stringClaim } from './credential-util.js';
import type { Facts } from '../facts/request.js';
import {
  docFailure,
  docItem,
  docString,
  docUsable,
  isIssuerMetadata,
  isMetadataFor,
  isRefused,
  metadataSubject,
} from './idp-util.js';

/**
 * OpenID Connect Discovery 1.0 §4 and RFC 8414 §3 (issuer metadata), RFC 9728 §3 (protected
 * resource metadata): fetched, 200, JSON, and (Discovery §4.3, RFC 8414 §3.3, RFC 9728 §3.3) naming
 * the very issuer or resource it was fetched for. A fallback that worked (RFC 8414 after OIDC, the
 * root well-known after the path-suffixed one) makes an earlier failure moot.
 */

const NAMES: Record<FetchedDocument['kind'], string> = {
  'oidc-discovery': 'OpenID Connect discovery document',
  'oauth-metadata': 'authorization server metadata (RFC 8414)',
  'protected-resource': 'protected-resource metadata (RFC 9728)',
  jwks: 'JWKS',
};

/** Documents that stand in for one another: one issuer's metadata, or one origin's resource metadata. */
function family(doc: FetchedDocument): string {
  const subject = metadataSubject(doc.url) ?? doc.url;
  if (doc.kind === 'protected-resource') {
    try {
      return `prm ${new URL(doc.url).origin}`;
    } catch {
      return `prm ${doc.url}`;
    }
  }
  return `as ${subject.replace(/\/+$/, '')}`;
}

/**
 * A document whose only fault is an `issuer` other than the token's iss: jwt.issuer-mismatch
 * names that difference (unless --expect-issuer already vouches for the token's iss).
 */
function issuerMismatchCovers(f: Facts, doc: FetchedDocument, iss: string | undefined): boolean {
  if (iss === undefined || doc.error || (doc.status !== undefined && doc.status !== 200)) return false;
  const docIss = docString(doc, 'issuer');
  if (docIss === undefined || docIss === iss || !isMetadataFor(doc, iss)) return false;
  const expected = f.ev.expect.issuer;
  return expected === undefined || expected === '' || expected !== iss;
}

function fixFor(doc: FetchedDocument, iss: string | undefined): string {
  const prm = doc.kind === 'protected-resource';
  if (doc.error)
    return `Check that ${doc.url} is reachable from here and from the API (DNS, firewall, proxy, TLS trust): ${prm ? 'clients read it to find the authorization server' : "the API fetches the same document to find the issuer's signing keys"}.`;
  const status = doc.status ?? 200;
  if (status === 404 || status === 410)
    return prm
      ? `Publish the metadata at ${doc.url} (RFC 9728 §3: /.well-known/oauth-protected-resource inserted before the resource's path), or point resource_metadata in the challenge at where it is.`
      : `The issuer URL ${iss ?? metadataSubject(doc.url) ?? doc.url} leads to no metadata: check it (realm or tenant path, /v2.0, trailing slash), or, if this issuer publishes no discovery document, configure the API with its JWKS URL directly.`;
  if (status >= 500) return `The server at ${doc.url} fails: retry later, or have its operator look at it.`;
  if (status >= 300 && status < 400)
    return `Use the final URL of the metadata (metadata clients do not follow redirects), or remove the redirect at ${doc.url}.`;
  if (status === 401 || status === 403)
    return `Metadata must be public: remove the authentication in front of ${doc.url} (a gateway or proxy that protects every path).`;
  if (docString(doc, 'issuer') !== undefined && doc.problem !== undefined)
    return `Make the issuer's configured public URL the one clients and the API use to reach it (Keycloak: KC_HOSTNAME; behind a proxy: the forwarded host and scheme), so that the document names the URL it is served under.`;
  return `Check that ${doc.url} serves the ${NAMES[doc.kind]} as JSON (not a sign-in page or a proxy's error page).`;
}

export default defineCheck(
  {
    id: 'idp.discovery-failed',
    plain: "The sign-in service's settings could not be read",
    directness: 4,
    step: 4,
    kind: 'cause',
    title: "The issuer's or the resource's metadata could not be used",
    fix: 'Make the metadata reachable, public, JSON, and naming the issuer (or resource) it is fetched for.',
    ref: 'OpenID Connect Discovery 1.0 §4, §4.3; RFC 8414 §3, §3.3; RFC 9728 §3, §3.3',
  },
  (f) => {
    const docs = (f.ev.idp?.documents ?? []).filter((d) => d.kind !== 'jwks');
    if (docs.length === 0) return;
    const jwt = decodedJwt(f);
    const iss = jwt ? stringClaim(jwt.payload, 'iss') : undefined;
    const usable = new Set(docs.filter(docUsable).map(family));
    const resourceMetadata = new Set(
      f.challenges.challenges.map((c) => c.params['resource_metadata']).filter((u): u is string => !!u),
    );
    const advertised = (doc: FetchedDocument) =>
      resourceMetadata.has(doc.url) || /resource_metadata/.test(doc.from);
    const groups = new Map<string, Array<{ doc: FetchedDocument; why: string }>>();
    for (const doc of docs) {
      const why = docFailure(doc);
      if (why === undefined || usable.has(family(doc))) continue;
      if (issuerMismatchCovers(f, doc, iss)) continue;
      // RFC 9728 metadata is optional: its absence at the well-known URL means nothing unless the
      // server's challenge points to it; a JSON document that is there but wrong still counts. A
      // page that is not JSON there (a catch-all route, a single-page app's index.html, Caddy's
      // empty 200) is an absence too, not a broken document.
      if (
        doc.kind === 'protected-resource' &&
        !advertised(doc) &&
        (doc.error || doc.status !== 200 || doc.json === undefined)
      )
        continue;
      const key = family(doc);
      groups.set(key, [...(groups.get(key) ?? []), { doc, why }]);
    }

    const drafts: Draft[] = [];
    for (const failed of groups.values()) {
      const first = failed[0]!;
      const last = failed.at(-1)!;
      const needed = failed.some(({ doc }) =>
        isIssuerMetadata(doc) ? iss !== undefined && isMetadataFor(doc, iss) : advertised(doc),
      );
      const cause = isRefused(f) && needed;
      const evidence: EvidenceItem[] = [];
      for (const { doc } of failed) {
        evidence.push(docItem(doc, 'url', doc.url));
        if (doc.error)
          evidence.push(docItem(doc, 'error', `${doc.error.phase} ${doc.error.code}: ${doc.error.message}`));
        else if (doc.status !== undefined) evidence.push(docItem(doc, 'status', String(doc.status)));
        if (doc.problem) evidence.push(docItem(doc, 'problem', doc.problem));
        const docIss = docString(doc, 'issuer') ?? docString(doc, 'resource');
        if (docIss !== undefined && doc.problem)
          evidence.push(docItem(doc, isIssuerMetadata(doc) ? 'issuer' : 'resource', docIss));
      }
      const subject =
        iss !== undefined && isIssuerMetadata(first.doc) && isMetadataFor(first.doc, iss)
          ? `the token's issuer ${iss}`
          : (metadataSubject(first.doc.url) ?? first.doc.url);
      const tried = failed.map(({ doc, why }) => `${doc.url} (${doc.from}): ${why}`).join('; ');
      drafts.push({
        kind: cause ? 'cause' : 'warning',
        confidence: cause ? (failed.every(({ doc }) => doc.error) ? 'possible' : 'likely') : 'confirmed',
        title: `The ${NAMES[last.doc.kind]} of ${subject} could not be used: ${clip(last.why, 120)}`,
        detail: `${failed.length > 1 ? 'Tried' : 'Fetched'} ${tried}.${
          cause
            ? first.doc.kind === 'protected-resource'
              ? ' The server pointed to this metadata in its challenge, so clients that follow it cannot find out how to get a token.'
              : " An API that finds the issuer's keys through this document cannot verify the token either."
            : ''
        }`,
        fix: fixFor(last.doc, iss),
        evidence,
      });
    }
    return drafts;
  },
);
