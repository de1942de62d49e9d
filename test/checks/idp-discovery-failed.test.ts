import { expect } from 'vitest';
import check from '../../src/checks/idp-discovery-failed.js';
import type { FetchedDocument, IdpEvidence } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const ISS = 'https://idp.example.com/realms/shop';
const bearer = (iss = ISS) => ({
  Authorization: `Bearer ${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ iss, sub: 'u1', aud: 'api' })}.c2lnbmF0dXJl`,
});
const OIDC = `${ISS}/.well-known/openid-configuration`;
const doc = (d: Partial<FetchedDocument>): FetchedDocument => ({
  kind: 'oidc-discovery',
  url: OIDC,
  from: "the token's iss",
  status: 200,
  json: { issuer: ISS, jwks_uri: `${ISS}/certs` },
  ms: 12,
  ...d,
});
const idp = (...documents: FetchedDocument[]): IdpEvidence => ({ documents });
const notFound = doc({
  status: 404,
  json: undefined,
  problem: `answered 404 Not Found, not 200; the RFC 8414 URL https://idp.example.com/.well-known/oauth-authorization-server/realms/shop answered 404 Not Found, not 200`,
});
const PRM_WK = 'https://api.example.com/.well-known/oauth-protected-resource/v1/me';

testCheck(check, {
  valid: [
    { name: 'no IdP evidence', input: { headers: bearer() } },
    { name: 'the discovery document is fine', input: { headers: bearer(), idp: idp(doc({})) } },
    {
      name: 'OIDC discovery missing, RFC 8414 metadata found',
      input: {
        headers: bearer(),
        idp: idp(
          doc({ status: 404, json: undefined, problem: 'answered 404 Not Found, not 200' }),
          doc({
            kind: 'oauth-metadata',
            url: 'https://idp.example.com/.well-known/oauth-authorization-server/realms/shop',
          }),
        ),
      },
    },
    {
      name: 'no protected-resource metadata at the well-known URL (optional, not advertised)',
      input: {
        headers: bearer(),
        idp: idp(
          doc({}),
          doc({
            kind: 'protected-resource',
            url: PRM_WK,
            from: 'the well-known URL of the resource',
            status: 404,
            json: undefined,
            problem: 'answered 404 Not Found, not 200',
          }),
        ),
      },
    },
    {
      // Caddy answers an unmatched path with an empty 200; a single-page app with its index.html.
      name: 'a page that is not JSON at the well-known URL (a catch-all route): no metadata, not a broken one',
      input: {
        headers: bearer(),
        idp: idp(
          doc({}),
          doc({
            kind: 'protected-resource',
            url: PRM_WK,
            from: 'the well-known URL of the resource',
            status: 200,
            json: undefined,
            problem: 'the answer is not JSON (Content-Type text/plain;charset=UTF-8)',
          }),
        ),
      },
    },
    {
      name: "the document's issuer differs from the token's iss: jwt.issuer-mismatch names it",
      input: {
        headers: bearer(),
        idp: idp(
          doc({
            json: { issuer: `${ISS}/` },
            problem: `issuer inside is ${ISS}/ but it was fetched for ${ISS}: they differ in a trailing slash the document adds`,
          }),
        ),
      },
    },
    { name: 'no documents at all', input: { headers: bearer(), idp: idp() } },
  ],
  invalid: [
    {
      name: "the token's issuer has no metadata (404), request refused: a likely cause",
      input: { headers: bearer(), idp: idp(notFound) },
      expect: {
        id: 'idp.discovery-failed',
        kind: 'cause',
        step: 4,
        confidence: 'likely',
        title: expect.stringMatching(
          /^The OpenID Connect discovery document of the token's issuer https:\/\/idp\.example\.com\/realms\/shop could not be used: answered 404 Not Found, not 200; the RFC 8414 URL .*…$/,
        ),
        mentions: [
          `Fetched ${OIDC} (the token's iss): answered 404 Not Found, not 200; the RFC 8414 URL https://idp.example.com/.well-known/oauth-authorization-server/realms/shop answered 404 Not Found, not 200.`,
          'cannot verify the token either',
        ],
        evidence: [
          { probe: 'discovery', where: 'document.url', value: OIDC },
          { probe: 'discovery', where: 'document.status', value: '404' },
          { probe: 'discovery', where: 'document.problem' },
        ],
        fix: expect.stringContaining('realm or tenant path'),
        count: 1,
      },
    },
    {
      name: 'unreachable issuer: possible, with the error',
      input: {
        headers: bearer(),
        idp: idp(
          doc({
            status: undefined,
            json: undefined,
            error: { phase: 'dns', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND idp.example.com' },
          }),
        ),
      },
      expect: {
        kind: 'cause',
        confidence: 'possible',
        title: expect.stringContaining('unreachable (dns ENOTFOUND: getaddrinfo ENOTFOUND idp.example.com)'),
        evidence: [
          {
            probe: 'discovery',
            where: 'document.error',
            value: 'dns ENOTFOUND: getaddrinfo ENOTFOUND idp.example.com',
          },
        ],
        fix: expect.stringContaining('reachable from here and from the API'),
      },
    },
    {
      name: 'the request succeeded: a warning',
      input: { status: 200, headers: bearer(), idp: idp(notFound) },
      expect: { kind: 'warning', confidence: 'confirmed' },
    },
    {
      name: 'a sign-in page instead of JSON',
      input: {
        headers: bearer(),
        idp: idp(doc({ json: undefined, problem: 'the answer is not JSON (Content-Type text/html)' })),
      },
      expect: {
        kind: 'cause',
        title: expect.stringContaining('the answer is not JSON (Content-Type text/html)'),
      },
    },
    {
      name: 'a server error without a problem sentence',
      input: { headers: bearer(), idp: idp(doc({ status: 503, json: undefined })) },
      expect: {
        title: expect.stringContaining('answered 503, not 200'),
        fix: expect.stringContaining('retry later'),
      },
    },
    {
      name: 'the protected-resource metadata the challenge points to is missing: a cause',
      input: {
        url: 'https://mcp.example.com/mcp',
        headers: bearer(),
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
        },
        idp: idp(
          doc({}),
          doc({
            kind: 'protected-resource',
            url: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
            from: 'resource_metadata in the challenge',
            status: 404,
            json: undefined,
          }),
        ),
      },
      expect: {
        kind: 'cause',
        confidence: 'likely',
        title:
          'The protected-resource metadata (RFC 9728) of https://mcp.example.com/mcp could not be used: answered 404, not 200',
        mentions: ['The server pointed to this metadata in its challenge'],
        evidence: [{ probe: 'resource-metadata', where: 'document.status', value: '404' }],
        fix: expect.stringContaining('RFC 9728 §3'),
      },
    },
    {
      name: 'protected-resource metadata that names another resource: a warning',
      input: {
        url: 'https://mcp.example.com/mcp',
        headers: bearer(),
        idp: idp(
          doc({
            kind: 'protected-resource',
            url: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
            from: 'the well-known URL of the resource',
            json: { resource: 'https://mcp.example.com/', authorization_servers: [ISS] },
            problem:
              'resource inside is https://mcp.example.com/ but it was fetched for https://mcp.example.com/mcp',
          }),
        ),
      },
      expect: {
        kind: 'warning',
        evidence: [
          { probe: 'resource-metadata', where: 'document.resource', value: 'https://mcp.example.com/' },
        ],
      },
    },
    {
      name: 'metadata of --issuer (not the token issuer): a warning even on a 401',
      input: {
        headers: bearer(),
        idp: idp(
          doc({}),
          doc({
            url: 'https://other.example.com/.well-known/openid-configuration',
            from: '--issuer',
            status: 500,
            json: undefined,
          }),
        ),
      },
      expect: {
        kind: 'warning',
        title: expect.stringContaining('of https://other.example.com could not be used'),
      },
    },
    {
      name: 'the token carries the expected issuer, but its document names another',
      input: {
        headers: bearer(),
        expect: { issuer: ISS },
        idp: idp(
          doc({
            json: { issuer: 'https://idp.internal:8443/realms/shop' },
            problem:
              'issuer inside is https://idp.internal:8443/realms/shop but it was fetched for https://idp.example.com/realms/shop',
          }),
        ),
      },
      expect: {
        kind: 'cause',
        evidence: [
          { probe: 'discovery', where: 'document.issuer', value: 'https://idp.internal:8443/realms/shop' },
        ],
        fix: expect.stringContaining('KC_HOSTNAME'),
      },
    },
  ],
});
