import { expect } from 'vitest';
import check from '../../src/checks/jwt-audience-mismatch.js';
import type { FetchedDocument, IdpEvidence } from '../../src/model/evidence.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const bearer = (p: object) => ({
  Authorization: `Bearer ${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ iss: 'https://idp.example.com/', sub: 'u1', ...p })}.c2lnbmF0dXJl`,
});
const PRM_URL = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const prm = (resource: string): IdpEvidence => ({
  documents: [
    {
      kind: 'protected-resource',
      url: PRM_URL,
      from: 'resource_metadata in the challenge',
      status: 200,
      json: { resource, authorization_servers: ['https://idp.example.com/'] },
      ms: 10,
    } satisfies FetchedDocument,
  ],
});
const GRAPH = '00000003-0000-0000-c000-000000000000';
const APP = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const eojb = (d: string) => ({
  'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${d}"`,
});

testCheck(check, {
  valid: [
    { name: 'no token', input: {} },
    {
      name: 'a JWT, nothing to compare with',
      input: { headers: bearer({ aud: 'https://api.example.com' }) },
    },
    {
      name: 'aud equals --expect-audience',
      input: {
        headers: bearer({ aud: 'https://api.example.com' }),
        expect: { audience: 'https://api.example.com' },
      },
    },
    {
      name: 'aud array contains --expect-audience',
      input: {
        headers: bearer({ aud: ['https://api.example.com', 'https://idp.example.com/userinfo'] }),
        expect: { audience: 'https://api.example.com' },
      },
    },
    {
      name: 'aud contains the RFC 9728 resource',
      input: {
        url: 'https://mcp.example.com/mcp',
        headers: bearer({ aud: 'https://mcp.example.com/mcp' }),
        idp: prm('https://mcp.example.com/mcp'),
      },
    },
    {
      name: 'the resource differs but the request succeeded: the API accepts this aud',
      input: {
        url: 'https://mcp.example.com/mcp',
        status: 200,
        headers: bearer({ aud: 'api://mcp' }),
        idp: prm('https://mcp.example.com/mcp'),
      },
    },
    {
      name: 'a Graph token sent to Graph',
      input: { url: 'https://graph.microsoft.com/v1.0/me', headers: bearer({ aud: GRAPH }) },
    },
    {
      name: 'a Graph token to another API that succeeded',
      input: { status: 200, headers: bearer({ aud: GRAPH }) },
    },
  ],
  invalid: [
    {
      name: 'aud differs from --expect-audience: confirmed, naming both',
      input: {
        headers: bearer({ aud: 'https://billing.example.com' }),
        expect: { audience: 'https://api.example.com' },
      },
      expect: {
        id: 'jwt.audience-mismatch',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: "The token is for aud 'https://billing.example.com', not for 'https://api.example.com'",
        mentions: ["--expect-audience is 'https://api.example.com'"],
        evidence: [
          { probe: 'input', where: 'token.aud', value: 'https://billing.example.com' },
          { probe: 'input', where: 'expect.audience', value: 'https://api.example.com' },
        ],
        fix: expect.stringContaining("Request the token for 'https://api.example.com'"),
        count: 1,
      },
    },
    {
      name: 'a trailing slash: the exact difference is named',
      input: {
        headers: bearer({ aud: ['https://api.example.com/', 'https://idp.example.com/userinfo'] }),
        expect: { audience: 'https://api.example.com' },
      },
      expect: {
        confidence: 'confirmed',
        title: expect.stringContaining('(a trailing slash differs)'),
        mentions: [
          "aud 'https://api.example.com/' and 'https://idp.example.com/userinfo'",
          'differs from it in a trailing slash',
        ],
        evidence: [
          { where: 'token.aud', value: '["https://api.example.com/","https://idp.example.com/userinfo"]' },
        ],
      },
    },
    {
      name: 'no aud claim at all',
      input: { headers: bearer({ scope: 'read' }), expect: { audience: 'https://api.example.com' } },
      expect: {
        confidence: 'confirmed',
        title: "The token has no aud claim; the API expects 'https://api.example.com'",
      },
    },
    {
      name: 'a Microsoft Graph token sent to your own API (--expect-audience)',
      input: { headers: bearer({ aud: GRAPH, scp: 'User.Read' }), expect: { audience: `api://${APP}` } },
      expect: {
        confidence: 'confirmed',
        title: `A Microsoft Graph token was sent to your API: aud '${GRAPH}', expected 'api://${APP}'`,
        mentions: ['a Graph token sent to your own API (api.example.com)'],
        fix: expect.stringContaining('not a Graph scope'),
      },
    },
    {
      name: 'Entra ID client id where the App ID URI is expected',
      input: { headers: bearer({ aud: APP }), expect: { audience: `api://${APP}` } },
      expect: {
        confidence: 'confirmed',
        mentions: ['two names of one Entra ID app'],
        fix: expect.stringContaining(`accept both 'api://${APP}' and '${APP}'`),
      },
    },
    {
      name: "aud is the client's own id (an ID token)",
      input: {
        headers: bearer({ aud: 'spa-client', azp: 'spa-client' }),
        expect: { audience: 'https://api.example.com' },
      },
      expect: { mentions: ["The aud is the client's own id (spa-client)"] },
    },
    {
      name: 'the RFC 9728 resource is not in aud (refused): likely',
      input: {
        url: 'https://mcp.example.com/mcp',
        headers: bearer({ aud: 'https://mcp.example.com' }),
        idp: prm('https://mcp.example.com/mcp'),
      },
      expect: {
        confidence: 'likely',
        title:
          "The token is for aud 'https://mcp.example.com', not for this resource 'https://mcp.example.com/mcp'",
        mentions: ['differs from it in the path (/ versus /mcp)'],
        evidence: [
          { probe: 'resource-metadata', where: 'document.resource', value: 'https://mcp.example.com/mcp' },
          { probe: 'resource-metadata', where: 'document.url', value: PRM_URL },
        ],
        fix: expect.stringContaining('resource=https://mcp.example.com/mcp'),
      },
    },
    {
      name: "express-oauth2-jwt-bearer's words: likely, quoted",
      input: {
        headers: bearer({ aud: 'https://other.example.com' }),
        responseHeaders: eojb("Unexpected 'aud' value"),
      },
      expect: {
        confidence: 'likely',
        title:
          "The server refuses the token's audience (aud 'https://other.example.com'): Unexpected 'aud' value",
        evidence: [{ probe: 'main', where: 'response.header.www-authenticate' }, { where: 'token.aud' }],
      },
    },
    {
      name: "fastify-jwt's words",
      input: {
        headers: bearer({ aud: 'x' }),
        responseBody: '{"statusCode":401,"message":"The aud claim value is not allowed."}',
      },
      expect: { confidence: 'likely', mentions: ['The aud claim value is not allowed.'] },
    },
    {
      name: "ASP.NET's words",
      input: { headers: bearer({ aud: 'x' }), responseHeaders: eojb("The audience 'x' is invalid") },
      expect: { confidence: 'likely', title: expect.stringContaining("The audience 'x' is invalid") },
    },
    {
      name: "Envoy's words on a 403",
      input: { status: 403, headers: bearer({ aud: 'x' }), responseBody: 'Audiences in Jwt are not allowed' },
      expect: { confidence: 'likely', mentions: ['Envoy jwt_authn answered 403'] },
    },
    {
      name: 'a Graph token refused by your own API, no expectation: likely',
      input: { headers: bearer({ aud: 'https://graph.microsoft.com' }) },
      expect: {
        confidence: 'likely',
        title: "A Microsoft Graph token was sent to your own API (aud 'https://graph.microsoft.com')",
        fix: expect.stringContaining('api://<app-id>'),
      },
    },
    {
      name: 'a Graph token whose signature fails here too: confirmed',
      input: {
        headers: bearer({ aud: GRAPH }),
        idp: {
          documents: [],
          verification: {
            jwksUrl: 'https://idp.example.com/keys',
            jwksKeys: [{ kid: 'k1', kty: 'RSA' }],
            result: 'signature-invalid',
          },
        },
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['its signature does not verify'],
        evidence: [{ probe: 'verification', where: 'verification.result', value: 'signature-invalid' }],
      },
    },
    {
      name: '--expect-audience and the server agree',
      input: {
        headers: bearer({ aud: 'x' }),
        expect: { audience: 'y' },
        responseHeaders: eojb("Unexpected 'aud' value"),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['The server says: "Unexpected \'aud\' value"'],
        evidence: [{ where: 'response.header.www-authenticate' }, { where: 'expect.audience', value: 'y' }],
      },
    },
  ],
});
