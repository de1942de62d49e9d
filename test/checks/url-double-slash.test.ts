import check from '../../src/checks/url-double-slash.js';
import { testCheck } from '../support/check-tester.js';

testCheck(check, {
  valid: [
    { name: 'clean path', input: { url: 'https://api.example.com/v1/me' } },
    {
      name: 'double slash only in the query',
      input: { url: 'https://api.example.com/v1/me?next=https://x//y' },
    },
    {
      name: 'redirect to another path',
      input: { hops: [{ status: 301, responseHeaders: { Location: '/v2/me' } }], status: 200 },
    },
  ],
  invalid: [
    {
      name: 'double slash',
      input: { url: 'https://api.example.com//v1/me' },
      expect: { id: 'url.double-slash', kind: 'cause', confidence: 'possible', mentions: ['//v1/me'] },
    },
    {
      name: 'trailing-slash redirect',
      input: {
        url: 'https://api.example.com/v1/items',
        hops: [{ status: 301, responseHeaders: { Location: '/v1/items/' } }],
        status: 401,
      },
      expect: {
        kind: 'warning',
        confidence: 'likely',
        mentions: ['/v1/items to /v1/items/'],
        evidence: [{ where: 'response.header.location', value: 'https://api.example.com/v1/items/' }],
      },
    },
  ],
});
