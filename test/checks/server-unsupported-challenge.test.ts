import check from '../../src/checks/server-unsupported-challenge.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    {
      name: 'Bearer offered',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
    },
    {
      name: 'Negotiate beside Basic (IIS with both)',
      input: {
        status: 401,
        responseHeaders: [
          ['WWW-Authenticate', 'Negotiate'],
          ['WWW-Authenticate', 'Basic realm="corp"'],
        ],
      },
    },
    {
      name: 'Negotiate on a 200 (the final leg of a handshake)',
      input: {
        status: 200,
        responseHeaders: { 'WWW-Authenticate': 'Negotiate oYH1MIHyoAMKAQChCwYJKoZIgvcSAQIC' },
      },
    },
    { name: 'no challenge at all', input: { status: 401 } },
    {
      // A vendor scheme is a word and a credential in one header (`Authorization: SSWS <token>`):
      // curl sends it with -H, so nothing here is beyond a request.
      name: 'a vendor header scheme (Okta SSWS), seen by the anonymous probe only',
      input: {
        headers: { Authorization: 'Bearer abc' },
        status: 401,
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'SSWS realm="okta"' } },
      },
    },
    {
      name: 'Token only (Django REST framework, GitHub): a header scheme',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Token' } },
    },
    {
      name: 'DPoP only (dpop.required handles it)',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'DPoP algs="ES256"' } },
    },
  ],
  invalid: [
    {
      name: 'IIS Windows authentication: Negotiate and NTLM',
      input: {
        status: 401,
        responseHeaders: [
          ['WWW-Authenticate', 'Negotiate'],
          ['WWW-Authenticate', 'NTLM'],
          ['Server', 'Microsoft-IIS/10.0'],
        ],
      },
      expect: {
        id: 'server.unsupported-challenge',
        kind: 'cause',
        step: 4,
        confidence: 'likely',
        title: 'The server offers only Negotiate or NTLM, which this request cannot perform',
        fix: "Get a Kerberos ticket (`kinit user@REALM`, or be signed in to the domain), then call it with `curl --negotiate -u : URL`. Or use a client that does the NTLM handshake on one connection: `curl --ntlm -u 'DOMAIN\\user' URL`.",
        mentions: ['Kerberos', 'NTLM', 'no Basic, Bearer or DPoP'],
        evidence: [
          { where: 'response.status', value: '401' },
          { where: 'response.header.www-authenticate', value: 'Negotiate' },
          { where: 'response.header.www-authenticate', value: 'NTLM' },
        ],
      },
    },
    {
      name: 'Digest, with a copied Digest header sent',
      input: {
        headers: { Authorization: 'Digest username="u", realm="r", nonce="old", uri="/x", response="abc"' },
        status: 401,
        responseHeaders: {
          'WWW-Authenticate':
            'Digest realm="api@example.com", qop="auth", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
        },
      },
      expect: {
        title: 'The server offers only Digest, which this request cannot perform',
        mentions: ['cannot be replayed'],
        fix: 'Use a client that answers the Digest challenge: `curl --digest -u user URL`; a copied Authorization: Digest header is tied to an old nonce and will not work.',
      },
    },
    {
      name: 'AWS SigV4',
      input: { status: 403, responseHeaders: { 'WWW-Authenticate': 'AWS4-HMAC-SHA256' } },
      expect: { mentions: ['AWS Signature Version 4'], confidence: 'likely' },
    },
    {
      name: 'Kong key-auth: Key',
      input: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Key realm="kong"' },
        responseBody: '{"message":"No API key found in request"}',
      },
      expect: {
        mentions: ['Kong key-auth'],
        fix: 'Send the API key in the header or query parameter Kong reads (`apikey` by default), for example `-H "apikey: <key>"`.',
      },
    },
  ],
});
