import check from '../../../src/checks/session/cookie-expired.js';
import { testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';

const login = (setCookie: string): Spec => ({
  method: 'POST',
  url: `${API}/login`,
  status: 302,
  at: 0,
  resourceType: 'document',
  req: { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate' },
  res: { Location: '/app', 'Set-Cookie': setCookie },
  postData: { mimeType: 'application/x-www-form-urlencoded', text: 'user=u&password=pw-123456' },
});
const withCookie = (at: number, status = 200): Spec => ({
  url: `${API}/api/me`,
  status,
  at,
  req: { Cookie: 'sid=opaque-session-1234', 'Sec-Fetch-Site': 'same-origin' },
  res: { 'Content-Type': 'application/json' },
  body: '{"user":"u"}',
});
const without = (at: number, status = 302): Spec => ({
  url: `${API}/api/me`,
  status,
  at,
  req: { 'Sec-Fetch-Site': 'same-origin' },
  res: status === 302 ? { Location: '/login?next=%2Fapi%2Fme' } : { 'Content-Type': 'application/json' },
});

testSessionCheck(check, {
  valid: [
    {
      name: 'the cookie is still alive',
      har: [login('sid=opaque-session-1234; Max-Age=3600; Path=/'), withCookie(1000), without(5000, 401)],
    },
    {
      name: 'a session cookie (no expiry)',
      har: [login('sid=opaque-session-1234; Path=/'), without(60_000, 401)],
    },
    {
      name: 'an expired cookie nobody relied on and not named like a session',
      har: [login('theme=dark-mode-1; Max-Age=1; Path=/'), without(60_000, 401)],
    },
    {
      name: 'the server removed it (Max-Age=0 on sign-out): that is session.stale',
      har: [
        login('sid=opaque-session-1234; Path=/'),
        withCookie(1000),
        {
          method: 'POST',
          url: `${API}/logout`,
          status: 200,
          at: 2000,
          res: { 'Set-Cookie': 'sid=; Path=/; Max-Age=0' },
        },
        without(3000, 401),
      ],
    },
    {
      name: 'the request after expiry succeeded',
      har: [login('sid=opaque-session-1234; Max-Age=2; Path=/'), withCookie(1000), without(5000, 200)],
    },
    {
      name: 'expiry judged at the capture time, not today: a cookie alive in 2026 is alive',
      har: [
        login('sid=opaque-session-1234; Expires=Fri, 27 Nov 2026 13:00:00 GMT; Path=/'),
        without(60_000, 401),
      ],
    },
  ],
  invalid: [
    {
      name: 'Max-Age=3, relied on, then a sign-in redirect',
      har: [
        login('sid=opaque-session-1234; Max-Age=3; Path=/; HttpOnly; SameSite=Lax'),
        withCookie(1000),
        without(4300),
      ],
      expect: {
        id: 'session.cookie-expired',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['sid', 'Max-Age=3', 'expired at 2026-11-27T12:00:03Z', 'entry 1'],
        entries: [0, 1, 2],
        evidence: [
          { probe: 'session', where: 'cookie.sid.expires', value: '2026-11-27T12:00:03Z' },
          {
            probe: 'entry#0',
            where: 'response.header.set-cookie',
            value: 'sid=…; Max-Age=3; Path=/; HttpOnly; SameSite=Lax',
          },
          { probe: 'entry#2', where: 'request.header.cookie', value: '(no Cookie header)' },
        ],
      },
    },
    {
      name: 'Expires in the past at the request, never seen on a success: likely',
      har: [
        login('session=opaque-session-1234; Expires=Fri, 27 Nov 2026 12:01:00 GMT; Path=/'),
        without(10 * 60_000, 401),
      ],
      expect: {
        confidence: 'likely',
        mentions: ['9 minutes before', 'Expires=Fri, 27 Nov 2026 12:01:00 GMT'],
      },
    },
  ],
});
