import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/session/ended.js';
import stale from '../../../src/checks/session/stale.js';
import { jwt, sessionFacts, T0, testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const MIN = 60_000;
const SID = 's%3Aopaque-session-value-5f1e9a.c0ffee';
const GONE = '{"message":"Session not found"}';
/** A JWT that expires a minute after T0. */
const SHORT_JWT = jwt({ sub: 'u', iat: T0 / 1000 - 3600, exp: T0 / 1000 + 60 });

const login: Spec = {
  method: 'POST',
  url: `${API}/api/login`,
  status: 200,
  at: 0,
  req: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' },
  res: {
    'Content-Type': 'application/json',
    'Set-Cookie': `connect.sid=${SID}; Path=/; HttpOnly; SameSite=Lax`,
  },
  body: '{"user":"u"}',
  postData: { mimeType: 'application/json', text: '{"user":"u","password":"pw-123456"}' },
};
/** A request to `path` with the session cookie (or `cookie`), answered `status` with `body`. */
const api = (
  at: number,
  status: number,
  o: { path?: string; body?: string; cookie?: string | null; req?: Record<string, string> } = {},
): Spec => ({
  url: `${API}${o.path ?? '/api/orders'}`,
  status,
  at,
  req: {
    Accept: 'application/json',
    ...(o.cookie === null ? {} : { Cookie: `connect.sid=${o.cookie ?? SID}` }),
    'Sec-Fetch-Site': 'same-origin',
    ...o.req,
  },
  res: { 'Content-Type': 'application/json' },
  body: o.body ?? (status === 200 ? '{"orders":[]}' : GONE),
});

testSessionCheck(check, {
  valid: [
    { name: 'it never worked', har: [api(0, 401), api(1000, 401)] },
    {
      name: 'the cookie expired in the browser, which then sent none (session.cookie-expired)',
      har: [
        { ...login, res: { ...login.res, 'Set-Cookie': `connect.sid=${SID}; Max-Age=60; Path=/` } },
        api(1000, 200),
        api(5 * MIN, 401, { cookie: null, body: '{"message":"Unauthorized"}' }),
      ],
    },
    {
      name: 'a sign-out in the capture, then the same cookie refused (session.stale names the sign-out)',
      har: [
        login,
        api(1000, 200),
        {
          method: 'POST',
          url: `${API}/api/logout`,
          status: 204,
          at: 2000,
          req: { Cookie: `connect.sid=${SID}` },
        },
        api(3000, 401),
      ],
    },
    {
      name: 'the server removed the cookie (session.stale), and the page sent it no more',
      har: [
        login,
        api(1000, 200),
        {
          url: `${API}/api/ping`,
          status: 200,
          at: 2000,
          req: { Cookie: `connect.sid=${SID}` },
          res: { 'Set-Cookie': 'connect.sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT' },
        },
        api(3000, 401, { cookie: null }),
      ],
    },
    {
      name: 'another session cookie value was sent (a new session, not the one that worked)',
      har: [login, api(1000, 200), api(2 * MIN, 401, { cookie: 's%3Aanother-session-value.beef' })],
    },
    {
      name: 'the same cookie, but another header changed (X-Tenant)',
      har: [
        login,
        api(1000, 200, { req: { 'X-Tenant': 'acme' } }),
        api(2 * MIN, 401, { req: { 'X-Tenant': 'globex' } }),
      ],
    },
    {
      name: 'a 403 on another path with the same cookie: a permission, not a session',
      har: [
        login,
        api(1000, 200),
        api(2 * MIN, 403, { path: '/api/admin', body: '{"message":"Forbidden"}' }),
      ],
    },
    {
      name: 'another path refused with words that are not about the session',
      har: [
        login,
        api(1000, 200),
        api(2 * MIN, 401, { path: '/api/reports', body: '{"message":"Reports need a paid plan"}' }),
      ],
    },
    {
      name: 'a specific cause explains the refusal: the JWT the page also sent expired',
      har: [
        login,
        api(1000, 200, { req: { Authorization: `Bearer ${SHORT_JWT}` } }),
        api(2 * MIN, 401, {
          req: { Authorization: `Bearer ${SHORT_JWT}` },
          body: '{"message":"jwt expired"}',
        }),
      ],
    },
    {
      name: "Chrome's sanitized export: no cookie to compare",
      hidden: true,
      chrome: true,
      har: [api(0, 200, { cookie: null }), api(40 * MIN, 401, { cookie: null })],
    },
  ],
  invalid: [
    {
      name: 'the same cookie refused after 31 minutes idle, with "Session not found"',
      har: [login, api(1000, 200), api(1200, 200, { path: '/api/me' }), api(31 * MIN + 1200, 401)],
      expect: {
        id: 'session.ended',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: [
          'after 31 minutes idle',
          'connect.sid (sha256:',
          '"Session not found"',
          'the very same cookie value and the same headers',
          'idle timeout',
        ],
        fixMentions: ['Sign in again', 'idle'],
        entries: [2, 3],
        evidence: [
          { probe: 'entry#2', where: 'response.status', value: '200' },
          { probe: 'entry#3', where: 'response.status', value: '401' },
          { probe: 'entry#3', where: 'response.body.message', value: 'Session not found' },
          { probe: 'session', where: 'idle', value: `${31 * 60} s` },
        ],
      },
    },
    {
      name: 'a minute after it worked (not idle): signed out elsewhere, revoked or reset',
      har: [login, api(1000, 200), api(2 * MIN + 1000, 401)],
      expect: {
        confidence: 'confirmed',
        mentions: ['2 minutes after it worked', 'signed out on another tab or device'],
        fixMentions: ['Sign in again', 'log'],
        evidence: [{ probe: 'session', where: 'since-success' }],
      },
    },
    {
      name: 'the same request refused without a word: likely',
      har: [login, api(1000, 200), api(2 * MIN, 401, { body: '' })],
      expect: { confidence: 'likely', fixMentions: ['Sign in again'] },
    },
    {
      name: 'another path, no words: only possible',
      har: [login, api(1000, 200), api(2 * MIN, 401, { path: '/api/me', body: '' })],
      expect: { confidence: 'possible' },
    },
    {
      name: 'a 403 whose words say the session expired',
      har: [
        login,
        api(1000, 200),
        api(2 * MIN, 403, { body: '{"error":{"message":"Your session has expired"}}' }),
      ],
      expect: {
        confidence: 'confirmed',
        evidence: [{ where: 'response.body.error.message', value: 'Your session has expired' }],
      },
    },
    {
      name: 'a redirect to the sign-in page with the same cookie',
      har: [
        login,
        api(1000, 200),
        {
          ...api(2 * MIN, 302, { body: '' }),
          res: { Location: '/login?next=%2Fapi%2Forders' },
        },
      ],
      expect: { confidence: 'likely', entries: [1, 2] },
    },
    {
      name: 'every later refusal with the same cookie is the same story, once',
      har: [
        login,
        api(1000, 200),
        api(40 * MIN, 401),
        api(40 * MIN + 50, 401, { path: '/api/me' }),
        api(40 * MIN + 90, 401, { path: '/api/cart' }),
      ],
      expect: { count: 1, entries: [1, 2, 3, 4], mentions: ['Entries 3 and 4 sent the same cookie'] },
    },
  ],
});

describe('session.ended beside session.stale', () => {
  it('one story: when session.ended tells it, session.stale stays quiet', () => {
    const facts = sessionFacts([login, api(1000, 200), api(31 * MIN, 401)]);
    expect(check.run(facts)).toHaveLength(1);
    expect(stale.run(facts)).toEqual([]);
  });

  it('a sign-out the capture shows is session.stale, not session.ended', () => {
    const facts = sessionFacts([
      login,
      api(1000, 200),
      {
        method: 'POST',
        url: `${API}/api/logout`,
        status: 204,
        at: 2000,
        req: { Cookie: `connect.sid=${SID}` },
      },
      api(3000, 401),
    ]);
    expect(check.run(facts)).toEqual([]);
    expect(stale.run(facts)).toHaveLength(1);
  });

  it('never the cookie value: names and fingerprints only', () => {
    const facts = sessionFacts([login, api(1000, 200), api(31 * MIN, 401)]);
    const text = JSON.stringify(check.run(facts));
    expect(text).not.toContain('opaque-session-value');
    expect(text).toContain('connect.sid');
  });
});
