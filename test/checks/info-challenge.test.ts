import check from '../../src/checks/info-challenge.js';
import { testCheck } from '../support/check-tester.js';

const DPOP_ALGS = 'DPoP algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA"';

testCheck(check, {
  valid: [
    { name: 'no challenge anywhere', input: { status: 401 } },
    { name: 'a 200 without challenge', input: { status: 200 } },
  ],
  invalid: [
    {
      name: 'express-oauth2-jwt-bearer: Bearer and DPoP',
      input: {
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed", ${DPOP_ALGS}`,
        },
      },
      expect: {
        id: 'info.challenge',
        kind: 'info',
        step: 0,
        confidence: 'confirmed',
        count: 1,
        title: 'The server asks for Bearer or DPoP',
        mentions: [
          'Bearer: an OAuth 2.0 bearer token',
          'realm "api"',
          'error invalid_token: the token was rejected',
          `description "'exp' claim timestamp check failed"`,
          'proofs signed with RS256 RS384',
        ],
        evidence: [
          {
            where: 'response.header.www-authenticate',
            value: `Bearer realm="api", error="invalid_token", error_description="'exp' claim timestamp check failed"`,
          },
          { where: 'response.header.www-authenticate', value: DPOP_ALGS },
        ],
      },
    },
    {
      name: 'a bare Bearer challenge: no token seen',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="example"' } },
      expect: { mentions: ['no error code', 'saw no token'] },
    },
    {
      name: 'RFC 9728 resource metadata (MCP server)',
      input: {
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer error="invalid_request", error_description="No access token was provided in this request", resource_metadata="https://mcp.supabase.com/.well-known/oauth-protected-resource/mcp"',
        },
      },
      expect: {
        mentions: [
          'metadata at https://mcp.supabase.com/.well-known/oauth-protected-resource/mcp',
          'error invalid_request',
        ],
        fix: 'Fetch https://mcp.supabase.com/.well-known/oauth-protected-resource/mcp to learn which authorization server issues tokens for this API and which scopes it supports, then send such a token.',
      },
    },
    {
      name: 'Basic with charset',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Basic realm="intranet", charset="UTF-8"' },
      },
      expect: { title: 'The server asks for Basic', mentions: ['a user name and password', 'charset UTF-8'] },
    },
    {
      name: 'insufficient scope names the scope',
      input: {
        status: 403,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="read:orders"',
        },
      },
      expect: { mentions: ['scope "read:orders"', 'lacks a required scope'] },
    },
    {
      name: 'the anonymous probe saw the challenge the final response lacks',
      input: {
        headers: { Authorization: 'Bearer abc' },
        status: 200,
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      },
      expect: {
        title: 'The server asks for Bearer (to the anonymous probe)',
        evidence: [{ probe: 'anonymous', value: 'Bearer realm="api"' }],
      },
    },
  ],
});
