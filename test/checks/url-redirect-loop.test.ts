import check from '../../src/checks/url-redirect-loop.js';
import { testCheck } from '../support/check-tester.js';

const U = 'https://api.example.com/v1/me';
const hop = (to: string, status = 302) => ({ status, responseHeaders: { Location: to } });

testCheck(check, {
  valid: [
    { name: 'no redirect', input: { status: 401 } },
    { name: 'one redirect, then an answer', input: { hops: [hop('/v2/me')], status: 200 } },
    {
      name: 'a redirect not followed (no -L) to another URL',
      input: { status: 301, responseHeaders: { Location: 'https://api.example.com/v2/me' } },
    },
    {
      name: 'post/redirect/get to the same URL (303 turns POST into GET)',
      input: { method: 'POST', url: U, status: 303, responseHeaders: { Location: U } },
    },
    {
      name: 'a short chain still pointing on (stopped for another reason)',
      input: { hops: [hop('/a'), hop('/b')], status: 302, responseHeaders: { Location: '/c' } },
    },
    {
      name: 'only the fragment differs from a later URL',
      input: { url: `${U}#top`, status: 302, responseHeaders: { Location: '/v1/other#top' } },
    },
  ],
  invalid: [
    {
      name: 'a redirect to the URL itself (without -L)',
      input: { url: U, status: 302, responseHeaders: { Location: U } },
      expect: {
        id: 'url.redirect-loop',
        kind: 'cause',
        confidence: 'confirmed',
        title: `${U} redirects to itself`,
        evidence: [{ where: 'response.header.location', value: U }],
      },
    },
    {
      name: 'a relative Location back to itself, with a cookie set',
      input: {
        url: U,
        status: 307,
        responseHeaders: [
          ['Location', '/v1/me'],
          ['Set-Cookie', 'session=1; Path=/'],
        ],
      },
      expect: { mentions: ['redirects to itself', 'cookie jar'] },
    },
    {
      name: 'A → B → A with -L',
      input: {
        url: U,
        hops: [hop('https://api.example.com/login'), hop(U)],
        status: 302,
        responseHeaders: { Location: 'https://api.example.com/login' },
      },
      expect: {
        title: `The redirects loop: https://api.example.com/login sends the request back to ${U}`,
        evidence: [{ probe: 'main#1', where: 'response.header.location', value: U }],
        count: 1,
      },
    },
    {
      name: 'eleven redirects, each to a new URL, still pointing on',
      input: {
        url: 'https://api.example.com/p0',
        hops: Array.from({ length: 10 }, (_, i) => hop(`/p${i + 1}`)),
        status: 302,
        responseHeaders: { Location: '/p11' },
      },
      expect: { confidence: 'likely', title: 'The redirects did not end after 10 hops', mentions: ['/p11'] },
    },
  ],
});
