import { expect } from 'vitest';
import check from '../../src/checks/credentials-missing.js';
import { testCheck } from '../support/check-tester.js';

const bearer = { 'WWW-Authenticate': 'Bearer realm="api"' };

testCheck(check, {
  valid: [
    {
      name: 'a Bearer token was sent',
      input: { headers: { Authorization: 'Bearer abc.def.ghi' }, responseHeaders: bearer },
    },
    { name: 'a session cookie was sent', input: { headers: { Cookie: 'sid=1' }, status: 401 } },
    { name: 'an API key header was sent', input: { headers: { 'X-API-Key': 'k-123' }, status: 403 } },
    {
      name: 'an API key in the query',
      input: { url: 'https://api.example.com/v1/me?api_key=k123', status: 401 },
    },
    { name: 'no credentials but the request succeeded', input: { status: 200 } },
    { name: 'no credentials, 404', input: { status: 404 } },
    {
      name: 'a redirect that is not to a sign-in page',
      input: {
        hops: [{ status: 301, responseHeaders: { Location: 'https://api.example.com/v2/me' } }],
        status: 200,
      },
    },
    { name: 'unreachable', input: { error: { phase: 'dns', code: 'ENOTFOUND', message: 'not found' } } },
  ],
  invalid: [
    {
      // curl --digest -u bob:pw: curl answers the challenge, why401 does not (parse/curl/build.ts).
      name: '--digest -u against a Digest challenge: given but not sent, and curl itself to test them',
      input: {
        status: 401,
        credentialsHeldFor: ['digest'],
        responseHeaders: { 'WWW-Authenticate': 'Digest realm="private", nonce="n0", qop="auth"' },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The credentials were given but not sent: why401 does not answer Digest challenges',
        fix: 'Check them with curl, which answers the challenge: `curl -v --digest -u user:password URL`; a second 401 there means a wrong user or password for realm "private".',
        evidence: [{ probe: 'input', where: 'request.credentials', value: 'given, held for --digest' }],
      },
    },
    {
      name: '--anyauth -u against a server that offers Digest and Basic: Digest named (not NTLM, Negotiate); -u alone checks them',
      input: {
        status: 401,
        credentialsHeldFor: ['digest', 'ntlm', 'negotiate'],
        responseHeaders: { 'WWW-Authenticate': ['Digest realm="r", nonce="n"', 'Basic realm="r"'] },
      },
      expect: {
        title: 'The credentials were given but not sent: why401 does not answer Digest challenges',
        fix: 'The server accepts Basic too: run why401 with `-u user:password` alone (without --anyauth) to check the credentials.',
      },
    },
    {
      // distribution/distribution:docs/spec/auth/token.md: the realm is the token endpoint.
      name: "a container registry's token challenge: the token request spelled out",
      input: {
        url: 'https://registry.example.com/v2/foo/tags/list',
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:foo:pull"',
        },
      },
      expect: {
        fix: expect.stringContaining(
          "`curl -u <user>:<password> 'https://auth.example.com/token?service=registry.example.com&scope=repository:foo:pull'`",
        ),
      },
    },
    {
      name: 'a registry-like challenge whose realm would break the quoting: the plain advice',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': `Bearer realm="https://a.example/t'x",service="r"` },
      },
      expect: {
        fix: "Send the access token: `-H 'Authorization: Bearer <token>'` (curl: `--oauth2-bearer <token>`).",
      },
    },
    {
      name: '401 with a Bearer challenge: confirmed, names scheme and realm',
      input: { status: 401, responseHeaders: bearer },
      expect: {
        id: 'credentials.missing',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        mentions: ['Bearer', 'realm "api"'],
        evidence: [
          { where: 'request.credentials', value: 'none' },
          { where: 'response.status', value: '401' },
          { where: 'response.header.www-authenticate', value: 'Bearer realm="api"' },
        ],
        fix: expect.stringContaining('Authorization: Bearer <token>'),
      },
    },
    {
      name: '401 with a Basic challenge suggests curl -u',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Basic realm="admin", charset="UTF-8"' } },
      expect: {
        confidence: 'confirmed',
        mentions: ['Basic, realm "admin"'],
        fix: expect.stringContaining('curl -u user:password'),
      },
    },
    {
      name: '401 without a challenge: likely',
      input: { status: 401 },
      expect: {
        confidence: 'likely',
        mentions: ['answered 401'],
        evidence: [{ where: 'response.status', value: '401' }],
      },
    },
    {
      name: '403 with a challenge: likely',
      input: { status: 403, responseHeaders: bearer },
      expect: { confidence: 'likely', mentions: ['Bearer'] },
    },
    {
      name: 'scope in the challenge is mentioned',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api", scope="read:me"' } },
      expect: { confidence: 'confirmed', mentions: ['scope "read:me"'] },
    },
    {
      name: 'the challenge of the anonymous probe is used when the final response has none',
      input: {
        status: 403,
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Digest realm="x", nonce="n"' } },
      },
      expect: { confidence: 'likely', mentions: ['Digest'], fix: expect.stringContaining('--digest') },
    },
    {
      name: 'only Proxy-Authorization was sent',
      input: { headers: { 'Proxy-Authorization': 'Basic dTpw' }, status: 401, responseHeaders: bearer },
      expect: { confidence: 'confirmed', mentions: ['Proxy-Authorization'] },
    },
    {
      name: 'a 302 to a sign-in page',
      input: { status: 302, responseHeaders: { Location: '/login?next=%2Fv1%2Fme' } },
      expect: {
        confidence: 'likely',
        mentions: ['sign-in page', 'Location: /login'],
        evidence: [{ where: 'response.header.location', value: '/login?next=%2Fv1%2Fme' }],
      },
    },
    {
      name: 'a followed redirect to an identity provider',
      input: {
        hops: [
          {
            status: 302,
            responseHeaders: { Location: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize' },
          },
        ],
        status: 200,
      },
      expect: { confidence: 'likely', evidence: [{ probe: 'main', where: 'response.header.location' }] },
    },
  ],
});
