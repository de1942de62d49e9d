import check from '../../src/checks/server-challenge-missing.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    {
      name: '401 with a Bearer challenge',
      input: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
    },
    { name: '403 without a challenge is allowed', input: { status: 403 } },
    { name: '200', input: { status: 200 } },
  ],
  invalid: [
    {
      name: '401 with no challenge',
      input: { status: 401, responseBody: '{"message":"Unauthorized"}' },
      expect: {
        id: 'server.challenge-missing',
        kind: 'warning',
        confidence: 'confirmed',
        evidence: [{ where: 'response.status', value: '401' }],
      },
    },
  ],
});
