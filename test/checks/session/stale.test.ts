import check from '../../../src/checks/session/stale.js';
import { testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const MIN = 60_000;

const me = (at: number, status: number, cookie = true): Spec => ({
  url: `${API}/api/me`,
  status,
  at,
  req: cookie
    ? { Cookie: 'sid=opaque-session-1234', 'Sec-Fetch-Site': 'same-origin' }
    : { 'Sec-Fetch-Site': 'same-origin' },
  res: { 'Content-Type': 'application/json' },
  body: status === 200 ? '{"user":"u"}' : '{"error":"not_signed_in"}',
});
const login: Spec = {
  url: `${API}/login`,
  status: 302,
  at: 0,
  resourceType: 'document',
  res: { Location: '/app', 'Set-Cookie': 'sid=opaque-session-1234; Path=/; HttpOnly; SameSite=Lax' },
};

testSessionCheck(check, {
  valid: [
    { name: 'it never worked', har: [me(0, 401, false), me(1000, 401, false)] },
    {
      name: 'worked, then another path is forbidden with the same cookie (a permission, not a session)',
      har: [login, me(1000, 200), { ...me(MIN, 403), url: `${API}/api/admin` }],
    },
    {
      name: 'worked, then failed without the cookie and nothing in between',
      har: [login, me(1000, 200), me(MIN, 401, false)],
    },
    {
      name: 'a success without any credential does not show a session',
      har: [
        { url: `${API}/api/health`, status: 200, at: 0 },
        { method: 'POST', url: `${API}/logout`, status: 200, at: 1000 },
        me(2000, 401, false),
      ],
    },
    {
      // Refined by session.ended (ids are never renamed): the same session cookie refused, nothing in
      // the capture ending it, is that check's story, told once.
      name: 'the very session cookie that worked is refused a minute later (session.ended)',
      har: [login, me(1000, 200), me(MIN, 401)],
    },
    {
      name: 'idle for 40 minutes, then the same session cookie refused (session.ended)',
      har: [login, me(1000, 200), me(41 * MIN, 401)],
    },
    {
      name: 'sign-out, but nothing failed after it',
      har: [login, me(1000, 200), { method: 'POST', url: `${API}/logout`, status: 200, at: 2000 }],
    },
  ],
  invalid: [
    {
      name: 'a sign-out (POST /logout clears the cookie), then 401',
      har: [
        login,
        me(1000, 200),
        {
          method: 'POST',
          url: `${API}/logout`,
          status: 200,
          at: 2000,
          req: { Cookie: 'sid=opaque-session-1234' },
          res: {
            'Set-Cookie':
              'sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
          },
        },
        me(3000, 401, false),
        me(4000, 401, false),
      ],
      expect: {
        id: 'session.stale',
        kind: 'cause',
        confidence: 'likely',
        mentions: ['a sign-out', 'entry 2', 'Entries 4 were refused too'],
        entries: [1, 2, 3, 4],
        evidence: [{ probe: 'entry#2', where: 'request.url', value: `POST ${API}/logout` }],
      },
    },
    {
      name: 'a password change elsewhere in the session',
      har: [
        login,
        me(1000, 200),
        { method: 'POST', url: `${API}/account/change-password`, status: 204, at: 2000 },
        me(3000, 401),
      ],
      expect: { mentions: ['a password change'], fixMentions: ['new password'] },
    },
    {
      name: 'the server removed the session cookie on an ordinary response',
      har: [
        login,
        me(1000, 200),
        {
          url: `${API}/api/ping`,
          status: 200,
          at: 2000,
          req: { Cookie: 'sid=opaque-session-1234' },
          res: { 'Set-Cookie': 'sid=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT' },
        },
        me(3000, 401, false),
      ],
      expect: {
        mentions: ['removed the session cookie sid', 'entry 2'],
        evidence: [{ probe: 'entry#2', where: 'response.header.set-cookie' }],
      },
    },
    {
      name: 'the very token that worked is refused a minute later: ended elsewhere',
      har: [
        { ...me(1000, 200, false), req: { Authorization: 'Bearer opaque-token-123456' } },
        { ...me(MIN, 401, false), req: { Authorization: 'Bearer opaque-token-123456' } },
      ],
      expect: {
        confidence: 'likely',
        mentions: ['ended elsewhere', 'the token sha256:'],
        evidence: [{ probe: 'session', where: 'credential' }],
      },
    },
    {
      name: 'idle for 40 minutes, the credentials unseen (Chrome’s sanitized export)',
      chrome: true,
      hidden: true,
      har: [me(1000, 200, false), me(41 * MIN, 401, false)],
      expect: { confidence: 'possible', mentions: ['41 minutes of idle time'] },
    },
  ],
});
