import check from '../../src/checks/credentials-not-received.js';
import { testCheck } from '../support/check-tester.js';

const bearer = { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln' };
testCheck(check, {
  valid: [
    {
      name: 'challenge with an error code: the token arrived',
      input: {
        headers: bearer,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
      },
    },
    { name: 'no credentials sent', input: { responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } } },
    {
      name: 'a Basic header against a Bearer challenge is a scheme problem',
      input: {
        headers: { Authorization: 'Basic YTpi' },
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
      },
    },
    {
      name: 'dropped by a redirect: another check says so',
      input: {
        headers: bearer,
        hops: [{ status: 301, responseHeaders: { Location: 'https://b.example.com/' } }],
        dropped: ['authorization'],
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
      },
    },
    { name: 'success', input: { headers: bearer, status: 200 } },
  ],
  invalid: [
    {
      name: 'bearer sent, challenge without error',
      input: { headers: bearer, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      expect: {
        id: 'credentials.not-received',
        confidence: 'possible',
        evidence: [{ where: 'response.header.www-authenticate', value: 'Bearer realm="api"' }],
      },
    },
    {
      name: 'and the anonymous probe got the same answer',
      input: {
        headers: bearer,
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      },
      expect: {
        confidence: 'likely',
        mentions: ['very same answer'],
        evidence: [{ probe: 'anonymous', where: 'response.status', value: '401' }],
      },
    },
  ],
});
