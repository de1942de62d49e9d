import { expect } from 'vitest';
import check from '../../src/checks/jwt-issuer-mismatch.js';
import type { FetchedDocument, IdpEvidence } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const bearer = (p: object) => ({
  Authorization: `Bearer ${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ sub: 'u1', ...p })}.c2lnbmF0dXJl`,
});
const discovery = (url: string, issuer: string, extra: Partial<FetchedDocument> = {}): FetchedDocument => ({
  kind: 'oidc-discovery',
  url,
  from: "the token's iss",
  status: 200,
  json: { issuer, jwks_uri: `${issuer.replace(/\/$/, '')}/jwks` },
  ms: 20,
  ...extra,
});
const prm = (servers: string[]): FetchedDocument => ({
  kind: 'protected-resource',
  url: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
  from: 'resource_metadata in the challenge',
  status: 200,
  json: { resource: 'https://mcp.example.com/mcp', authorization_servers: servers },
  ms: 10,
});
const idp = (...documents: FetchedDocument[]): IdpEvidence => ({ documents });
const eojb = (d: string) => ({
  'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${d}"`,
});
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

testCheck(check, {
  valid: [
    { name: 'no token', input: {} },
    {
      name: 'a JWT and no expectations or metadata',
      input: { headers: bearer({ iss: 'https://a.example.com/' }) },
    },
    {
      name: 'iss equals --expect-issuer exactly',
      input: {
        headers: bearer({ iss: 'https://tenant.eu.auth0.com/' }),
        expect: { issuer: 'https://tenant.eu.auth0.com/' },
      },
    },
    {
      name: 'iss equals --expect-issuer; the discovery document differs (idp.discovery-failed reports it)',
      input: {
        headers: bearer({ iss: 'https://a.example.com' }),
        expect: { issuer: 'https://a.example.com' },
        idp: idp(
          discovery('https://a.example.com/.well-known/openid-configuration', 'https://a.example.com/'),
        ),
      },
    },
    {
      name: 'the discovery document names the same issuer',
      input: {
        headers: bearer({ iss: 'https://auth.example.com/realms/shop' }),
        idp: idp(
          discovery(
            'https://auth.example.com/realms/shop/.well-known/openid-configuration',
            'https://auth.example.com/realms/shop',
          ),
        ),
      },
    },
    {
      name: 'a discovery document for another issuer (--issuer) is not compared',
      input: {
        headers: bearer({ iss: 'https://a.example.com' }),
        idp: idp(
          discovery('https://b.example.com/.well-known/openid-configuration', 'https://b.example.com', {
            from: '--issuer',
          }),
        ),
      },
    },
    {
      name: 'the protected resource lists the issuer',
      input: {
        headers: bearer({ iss: 'https://auth.example.com' }),
        idp: idp(prm(['https://other.example.com', 'https://auth.example.com'])),
      },
    },
    { name: 'an opaque token', input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } } },
  ],
  invalid: [
    {
      name: 'a trailing slash against --expect-issuer: confirmed',
      input: {
        headers: bearer({ iss: 'https://domain.example.com' }),
        expect: { issuer: 'https://domain.example.com/' },
      },
      expect: {
        id: 'jwt.issuer-mismatch',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title:
          "The token's issuer https://domain.example.com is not the expected https://domain.example.com/ (a trailing slash differs)",
        mentions: ['a trailing slash: the token has https://domain.example.com without the final "/"'],
        evidence: [
          { probe: 'input', where: 'token.iss', value: 'https://domain.example.com' },
          { probe: 'input', where: 'expect.issuer', value: 'https://domain.example.com/' },
        ],
        fix: expect.stringContaining('byte for byte'),
        count: 1,
      },
    },
    {
      name: 'http versus https',
      input: {
        headers: bearer({ iss: 'http://auth.example.com/realms/shop' }),
        expect: { issuer: 'https://auth.example.com/realms/shop' },
      },
      expect: {
        confidence: 'confirmed',
        title: expect.stringContaining('(http versus https)'),
        mentions: ['the scheme (http versus https)'],
      },
    },
    {
      name: 'Entra ID v1 token where v2 is expected',
      input: {
        headers: bearer({ iss: `https://sts.windows.net/${TENANT}/` }),
        expect: { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` },
      },
      expect: {
        confidence: 'confirmed',
        title: expect.stringContaining('(Entra ID v1.0 versus v2.0)'),
        mentions: ['carries the v1.0 issuer'],
        fix: expect.stringContaining('"accessTokenAcceptedVersion": 2'),
      },
    },
    {
      name: 'an internal host versus the public one',
      input: {
        headers: bearer({ iss: 'http://keycloak:8080/realms/shop' }),
        expect: { issuer: 'https://auth.example.com/realms/shop' },
      },
      expect: {
        title: expect.stringContaining('(another host)'),
        mentions: ['the host (keycloak versus auth.example.com) and the port (8080 versus default)'],
        fix: expect.stringContaining('public URL'),
      },
    },
    {
      name: 'another realm',
      input: {
        headers: bearer({ iss: 'https://auth.example.com/realms/dev' }),
        expect: { issuer: 'https://auth.example.com/realms/prod' },
      },
      expect: {
        title: expect.stringContaining('(another path)'),
        mentions: ['the path (/realms/dev versus /realms/prod)'],
      },
    },
    {
      name: 'no iss claim at all',
      input: { headers: bearer({ aud: 'x' }), expect: { issuer: 'https://a.example.com' } },
      expect: {
        confidence: 'confirmed',
        title: 'The token has no iss claim; the API expects https://a.example.com',
        evidence: [{ where: 'expect.issuer', value: 'https://a.example.com' }],
      },
    },
    {
      name: 'the discovery document names another issuer: likely',
      input: {
        headers: bearer({ iss: 'https://idp.example.com' }),
        idp: idp(
          discovery('https://idp.example.com/.well-known/openid-configuration', 'https://idp.example.com/', {
            problem:
              'issuer inside is https://idp.example.com/ but it was fetched for https://idp.example.com: they differ in a trailing slash the document adds',
          }),
        ),
      },
      expect: {
        confidence: 'likely',
        title:
          "The token's issuer https://idp.example.com differs from the issuer its discovery document names, https://idp.example.com/ (a trailing slash differs)",
        evidence: [
          { probe: 'input', where: 'token.iss', value: 'https://idp.example.com' },
          { probe: 'discovery', where: 'document.issuer', value: 'https://idp.example.com/' },
          { probe: 'discovery', where: 'document.url' },
        ],
      },
    },
    {
      name: 'the protected resource names other authorization servers: likely',
      input: {
        headers: bearer({ iss: 'https://auth.example.com/' }),
        idp: idp(prm(['https://auth.example.com'])),
      },
      expect: {
        confidence: 'likely',
        title: expect.stringContaining(
          'is not among the authorization servers this API names (a trailing slash differs)',
        ),
        evidence: [
          {
            probe: 'resource-metadata',
            where: 'document.authorization_servers',
            value: 'https://auth.example.com',
          },
        ],
      },
    },
    {
      name: "only the server's words (express-oauth2-jwt-bearer): likely, quoted",
      input: {
        headers: bearer({ iss: 'https://a.example.com' }),
        responseHeaders: eojb("Unexpected 'iss' value"),
      },
      expect: {
        confidence: 'likely',
        title: "The server refuses the token's issuer https://a.example.com: Unexpected 'iss' value",
        evidence: [{ probe: 'main', where: 'response.header.www-authenticate' }, { where: 'token.iss' }],
      },
    },
    {
      name: 'the server refuses the issuer the user expects: the API trusts another one',
      input: {
        headers: bearer({ iss: 'https://a.example.com' }),
        expect: { issuer: 'https://a.example.com' },
        responseBody: '{"message":"The iss claim value is not allowed."}',
      },
      expect: {
        confidence: 'likely',
        title: expect.stringContaining('which is the one you expect'),
        mentions: ['configured with another issuer than you think'],
      },
    },
    {
      name: '--expect-issuer and the server agree',
      input: {
        headers: bearer({ iss: 'https://a.example.com' }),
        expect: { issuer: 'https://b.example.com' },
        responseHeaders: eojb("The issuer 'https://a.example.com' is invalid"),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['the host (a.example.com versus b.example.com)', 'The server says:'],
        evidence: [{ probe: 'main', where: 'response.header.www-authenticate' }],
      },
    },
  ],
});
