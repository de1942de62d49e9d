import check from '../../src/checks/url-redirect-dropped-credentials.js';
import { testCheck } from '../support/check-tester.js';

const auth = { Authorization: 'Bearer abc.def.ghi' };
testCheck(check, {
  valid: [
    { name: 'no redirect', input: { headers: auth, status: 401 } },
    {
      name: 'same-origin redirect keeps credentials',
      input: { headers: auth, hops: [{ status: 301, responseHeaders: { Location: '/v2/me' } }], status: 200 },
    },
  ],
  invalid: [
    {
      name: 'http to https drops Authorization',
      input: {
        url: 'http://api.example.com/v1/me',
        headers: auth,
        hops: [{ status: 301, responseHeaders: { Location: 'https://api.example.com/v1/me' } }],
        dropped: ['authorization'],
        status: 401,
      },
      expect: {
        id: 'url.redirect-dropped-credentials',
        confidence: 'confirmed',
        mentions: ['http://api.example.com', 'https://api.example.com', 'authorization', 'http to https'],
        evidence: [
          { where: 'request.dropped', value: 'authorization' },
          { where: 'response.header.location', value: 'https://api.example.com/v1/me' },
        ],
      },
    },
    {
      name: 'an API-key header dropped on the way to another host',
      input: {
        headers: { 'X-Api-Key': 'k-1234567890abcdef' },
        hops: [{ status: 302, responseHeaders: { Location: 'https://eu.api.example.com/v1/me' } }],
        dropped: ['x-api-key'],
        status: 401,
      },
      expect: {
        id: 'url.redirect-dropped-credentials',
        mentions: ['x-api-key'],
        evidence: [{ where: 'request.dropped', value: 'x-api-key' }],
      },
    },
    {
      name: 'another host',
      input: {
        headers: auth,
        hops: [{ status: 302, responseHeaders: { Location: 'https://eu.api.example.com/v1/me' } }],
        dropped: ['authorization'],
        status: 401,
      },
      expect: {
        mentions: ['host api.example.com to eu.api.example.com'],
        fix: 'Send the request to https://eu.api.example.com/v1/me directly.',
      },
    },
  ],
});
