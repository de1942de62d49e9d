import check from '../../src/checks/session-cookie-expired.js';
import type { JarCookie } from '../../src/model/evidence.js';
import { NOW } from '../support/evidence.js';
import { testCheck } from '../support/check-tester.js';

const cookie = (over: Partial<JarCookie>): JarCookie => ({
  domain: 'app.example.com',
  includeSubdomains: false,
  path: '/',
  secure: true,
  httpOnly: true,
  expires: Math.floor(NOW / 1000) - 7200,
  name: 'sid',
  value: 'opaque-session-value-1234',
  ...over,
});
const url = 'https://app.example.com/account';

testCheck(check, {
  valid: [
    { name: 'no jar', input: { url } },
    {
      name: 'a live cookie',
      input: { url, cookieJar: [cookie({ expires: Math.floor(NOW / 1000) + 3600 })] },
    },
    { name: 'a session cookie (expiry 0)', input: { url, cookieJar: [cookie({ expires: 0 })] } },
    {
      name: 'an expired cookie for another host',
      input: { url, cookieJar: [cookie({ domain: 'other.example.com' })] },
    },
    { name: 'an expired cookie for another path', input: { url, cookieJar: [cookie({ path: '/admin' })] } },
  ],
  invalid: [
    {
      name: 'expired two hours ago, request refused',
      input: { url, status: 401, cookieJar: [cookie({})] },
      expect: {
        id: 'session.cookie-expired',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['sid', '2 hours'],
        evidence: [{ where: 'cookie-jar.sid.expires', value: new Date(NOW - 7200_000).toISOString() }],
      },
    },
    {
      name: 'a login redirect counts as refused',
      input: {
        url,
        hops: [],
        status: 302,
        responseHeaders: { Location: '/login' },
        cookieJar: [cookie({ includeSubdomains: true, domain: '.example.com' })],
      },
      expect: { confidence: 'confirmed' },
    },
    {
      name: 'another cookie of that name was sent anyway',
      input: { url, status: 401, headers: { Cookie: 'sid=fresh' }, cookieJar: [cookie({})] },
      expect: { confidence: 'likely' },
    },
    {
      name: 'the request succeeded',
      input: { url, status: 200, cookieJar: [cookie({})] },
      expect: { confidence: 'possible' },
    },
  ],
});
