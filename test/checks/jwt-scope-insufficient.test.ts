import { expect } from 'vitest';
import check from '../../src/checks/jwt-scope-insufficient.js';
import { testCheck } from '../support/check-tester.js';
import { PETS } from '../support/openapi-summary.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const bearer = (p: object) => ({
  Authorization: `Bearer ${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ iss: 'https://idp.example.com/', sub: 'u1', aud: 'api', ...p })}.c2lnbmF0dXJl`,
});
const insufficient = (scope: string) => ({
  'WWW-Authenticate': `Bearer realm="api", error="insufficient_scope", scope="${scope}"`,
});
const OPAQUE = { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' };
const introspection = (json: object, active = true) => ({
  documents: [],
  introspection: { url: 'https://idp.example.com/introspect', status: 200, active, json, ms: 5 },
});

testCheck(check, {
  valid: [
    {
      name: '--openapi --offline: the token has the operation scope',
      input: {
        url: 'https://api.example.com/v1/pets',
        headers: bearer({ scope: 'pets:read' }),
        offline: true,
        openapi: PETS,
      },
    },
    {
      name: '--openapi: an operation documented as open asks no scope',
      input: {
        url: 'https://api.example.com/v1/health',
        headers: bearer({ scope: 'pets:read' }),
        offline: true,
        openapi: PETS,
      },
    },
    { name: 'no token', input: { status: 403, responseHeaders: insufficient('read') } },
    { name: 'nothing required', input: { headers: bearer({ scope: 'read' }) } },
    {
      name: 'the token has every scope the challenge names',
      input: {
        status: 403,
        headers: bearer({ scope: 'read write' }),
        responseHeaders: insufficient('read write'),
      },
    },
    {
      name: 'scp as an array (Entra, Okta) has it',
      input: {
        status: 403,
        headers: bearer({ scp: ['orders.read', 'orders.write'] }),
        responseHeaders: insufficient('orders.write'),
      },
    },
    {
      name: 'an app role counts',
      input: { status: 403, headers: bearer({ roles: ['Admin'] }), responseHeaders: insufficient('Admin') },
    },
    {
      name: "Entra writes the scope without the API's URI in scp",
      input: {
        headers: bearer({ scp: 'Files.Read' }),
        expect: { scopes: ['api://6e74172b-be56-4843-9ff4-e66a39bb12e3/Files.Read'] },
      },
    },
    {
      name: 'a scope= on a success is not a requirement that failed',
      input: {
        status: 200,
        headers: bearer({ scope: 'read' }),
        responseHeaders: { 'WWW-Authenticate': 'Bearer scope="admin"' },
      },
    },
    {
      name: 'an opaque token without introspection cannot be judged',
      input: { status: 403, headers: OPAQUE, responseHeaders: insufficient('admin') },
    },
    {
      name: 'an inactive introspection says nothing about scopes',
      input: {
        status: 403,
        headers: OPAQUE,
        responseHeaders: insufficient('admin'),
        idp: introspection({ active: false }, false),
      },
    },
    {
      name: '--expect-scope satisfied',
      input: { headers: bearer({ scope: 'a b c' }), expect: { scopes: ['b', 'c'] } },
    },
  ],
  invalid: [
    {
      name: '--openapi --offline: POST /pets needs pets:write, the token has pets:read',
      input: {
        method: 'POST',
        url: 'https://api.example.com/v1/pets',
        headers: bearer({ scope: 'pets:read' }),
        offline: true,
        openapi: PETS,
      },
      expect: {
        confidence: 'likely',
        title: "The token lacks the scope 'pets:write' that this request needs",
        mentions: ["pets.yaml documents POST /pets as needing 'pets:write'"],
        evidence: [{ where: 'openapi.security', value: 'pets.yaml: POST /pets needs pets:write' }],
      },
    },
    {
      name: '--openapi: GET /reports with an OAuth token lacking reports:read',
      input: {
        url: 'https://api.example.com/v1/reports',
        headers: bearer({ scope: 'pets:read' }),
        status: 403,
        openapi: PETS,
      },
      expect: { mentions: ["'reports:read'"] },
    },
    {
      name: 'insufficient_scope names a scope the token lacks: confirmed',
      input: {
        status: 403,
        headers: bearer({ scope: 'openid read:messages' }),
        responseHeaders: insufficient('read:messages write:messages'),
      },
      expect: {
        id: 'jwt.scope-insufficient',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: "The token lacks the scope 'write:messages' that this request needs",
        mentions: [
          `the server's challenge asks for scope="read:messages write:messages" with error="insufficient_scope" (403)`,
          "the token has scopes 'openid' and 'read:messages'",
          "Missing: 'write:messages'",
        ],
        evidence: [
          { probe: 'input', where: 'token.scope', value: 'openid read:messages' },
          { probe: 'main', where: 'response.header.www-authenticate' },
        ],
        fix: expect.stringContaining('`write:messages`'),
        count: 1,
      },
    },
    {
      name: 'a 401 with scope= (RFC 9728 / MCP style)',
      input: {
        headers: bearer({ scope: 'profile' }),
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_token", scope="mcp:tools mcp:resources", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"',
        },
      },
      expect: {
        confidence: 'confirmed',
        title: "The token lacks the scopes 'mcp:tools' and 'mcp:resources' that this request needs",
      },
    },
    {
      name: 'no scope claim at all',
      input: { status: 403, headers: bearer({}), responseHeaders: insufficient('admin') },
      expect: { mentions: ['the token carries no scope, scp or roles claim'] },
    },
    {
      name: 'scopes are case-sensitive',
      input: {
        status: 403,
        headers: bearer({ scp: 'Orders.Read' }),
        responseHeaders: insufficient('orders.read'),
      },
      expect: {
        mentions: ["The token has 'Orders.Read' where 'orders.read' is needed: scopes are case-sensitive"],
      },
    },
    {
      name: 'roles are named too',
      input: {
        status: 403,
        headers: bearer({ scp: 'read', roles: ['Reader'] }),
        responseHeaders: insufficient('Writer'),
      },
      expect: { mentions: ["scope 'read' and role 'Reader'"] },
    },
    {
      name: '--expect-scope only: likely',
      input: { headers: bearer({ scope: 'read' }), expect: { scopes: ['read', 'admin'] } },
      expect: {
        confidence: 'likely',
        title: "The token lacks the scope 'admin' that this request needs",
        mentions: ["--expect-scope names 'read' and 'admin'"],
        evidence: [{ probe: 'input', where: 'expect.scope', value: 'read admin' }],
      },
    },
    {
      name: 'the challenge and --expect-scope together',
      input: {
        status: 403,
        headers: bearer({ scope: 'a' }),
        responseHeaders: insufficient('b'),
        expect: { scopes: ['c'] },
      },
      expect: {
        confidence: 'confirmed',
        title: "The token lacks the scopes 'b' and 'c' that this request needs",
      },
    },
    {
      name: 'an opaque token: the scopes from introspection',
      input: {
        status: 403,
        headers: OPAQUE,
        responseHeaders: insufficient('admin'),
        idp: introspection({ active: true, scope: 'read write', client_id: 'c1' }),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ["the token has scopes 'read' and 'write'"],
        evidence: [{ probe: 'introspection', where: 'introspection.scope', value: 'read write' }],
      },
    },
  ],
});
