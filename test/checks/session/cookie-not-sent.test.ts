import check from '../../../src/checks/session/cookie-not-sent.js';
import { testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const APP = 'http://localhost:5173';
const JSON_401 = { 'Content-Type': 'application/json' };

/** Sign in on the API's own site: the browser stores sid. */
const signIn = (setCookie: string, url = `${API}/login`): Spec => ({
  method: 'POST',
  url,
  status: 302,
  at: 0,
  resourceType: 'document',
  req: {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Sec-Fetch-Site': 'same-origin',
    'Sec-Fetch-Mode': 'navigate',
  },
  res: { Location: '/app', 'Set-Cookie': setCookie },
  postData: { mimeType: 'application/x-www-form-urlencoded', text: 'user=u&password=pw-123456' },
});

/** The same API called from a page on another site, without the cookie. */
const crossSiteCall = (at = 5000): Spec => ({
  url: `${API}/api/me`,
  status: 401,
  at,
  req: {
    Accept: '*/*',
    Origin: APP,
    Referer: `${APP}/`,
    'Sec-Fetch-Site': 'cross-site',
    'Sec-Fetch-Mode': 'cors',
  },
  res: JSON_401,
  body: '{"error":"not_signed_in"}',
});

testSessionCheck(check, {
  valid: [
    {
      name: 'the cookie went along',
      har: [
        signIn('sid=opaque-session-1234; Path=/; HttpOnly; SameSite=Lax'),
        {
          url: `${API}/api/me`,
          status: 401,
          at: 1000,
          req: { Cookie: 'sid=opaque-session-1234', 'Sec-Fetch-Site': 'same-origin' },
          res: JSON_401,
        },
      ],
    },
    {
      name: 'no cookie was ever set',
      har: [crossSiteCall(1000)],
    },
    {
      name: 'a cookie without SameSite=Strict/Lax (None; Secure) on localhost goes cross-site: nothing to blame',
      har: [
        signIn('sid=opaque-session-1234; Path=/; HttpOnly; SameSite=None; Secure'),
        {
          ...crossSiteCall(),
          req: { Cookie: 'sid=opaque-session-1234', Origin: APP, 'Sec-Fetch-Site': 'cross-site' },
        },
      ],
    },
    {
      name: 'the request was not refused',
      har: [signIn('sid=opaque-session-1234; Path=/; SameSite=Strict'), { ...crossSiteCall(), status: 200 }],
    },
    {
      name: 'an expired cookie is session.cookie-expired, not this',
      har: [
        signIn('sid=opaque-session-1234; Path=/; Max-Age=1; SameSite=Lax'),
        { ...crossSiteCall(), req: { 'Sec-Fetch-Site': 'same-origin' } },
      ],
    },
    {
      name: "Chrome's sanitized export shows no cookies at all",
      hidden: true,
      chrome: true,
      har: [{ ...signIn('x=1'), res: { Location: '/app' } }, crossSiteCall()],
    },
  ],
  invalid: [
    {
      name: 'SameSite=Strict on a cross-site request (localhost page, 127.0.0.1 API)',
      har: [signIn('sid=opaque-session-1234; Path=/; HttpOnly; SameSite=Strict'), crossSiteCall()],
      expect: {
        id: 'session.cookie-not-sent',
        kind: 'cause',
        confidence: 'likely',
        mentions: ['sid', 'SameSite=Strict', 'cross-site', 'localhost and 127.0.0.1'],
        entries: [0, 1],
        evidence: [
          { probe: 'entry#1', where: 'request.header.cookie', value: '(no Cookie header)' },
          {
            probe: 'entry#0',
            where: 'response.header.set-cookie',
            value: 'sid=…; Path=/; HttpOnly; SameSite=Strict',
          },
          { probe: 'entry#1', where: 'request.header.sec-fetch-site', value: 'cross-site' },
        ],
      },
    },
    {
      name: 'no SameSite attribute: Chromium treats it as Lax, and a cross-site fetch goes without it',
      har: [
        signIn('sid=opaque-session-1234; Path=/; HttpOnly'),
        { ...crossSiteCall(), req: { Referer: `${APP}/app` } },
      ],
      expect: { confidence: 'likely', mentions: ['no SameSite attribute', 'Lax'] },
    },
    {
      name: 'a host-only cookie of app.example.com does not reach api.example.com',
      har: [
        signIn('session_id=opaque-session-1234; Path=/; Secure; HttpOnly', 'https://app.example.com/login'),
        {
          url: 'https://api.example.com/v1/me',
          status: 401,
          at: 2000,
          req: { Origin: 'https://app.example.com', 'Sec-Fetch-Site': 'same-site' },
          res: JSON_401,
        },
      ],
      expect: { mentions: ['host-only', 'api.example.com'], fixMentions: ['Domain=example.com'] },
    },
    {
      name: 'Path=/app keeps the cookie from /api',
      har: [
        signIn('sid=opaque-session-1234; Path=/app; HttpOnly'),
        {
          url: `${API}/api/me`,
          status: 401,
          at: 1000,
          req: { 'Sec-Fetch-Site': 'same-origin' },
          res: JSON_401,
        },
      ],
      expect: { mentions: ['Path=/app does not cover /api/me'], fixMentions: ['Path=/'] },
    },
    {
      name: 'a Secure cookie set over https does not go to http',
      har: [
        signIn('sid=opaque-session-1234; Path=/; Secure; HttpOnly', 'https://shop.example.com/login'),
        {
          url: 'http://shop.example.com/account',
          status: 403,
          at: 1000,
          res: JSON_401,
          resourceType: 'document',
        },
      ],
      expect: { mentions: ['Secure', 'plain http'] },
    },
    {
      name: "a cross-origin, same-site fetch without credentials: 'include' carries no cookie at all",
      har: [
        signIn(
          'session=opaque-session-1234; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax',
          'https://app.example.com/login',
        ),
        {
          url: 'https://api.example.com/v1/me',
          status: 401,
          at: 1000,
          req: { Origin: 'https://app.example.com', 'Sec-Fetch-Site': 'same-site' },
          res: JSON_401,
        },
      ],
      expect: { mentions: ["credentials: 'include'"], fixMentions: ["credentials: 'include'"] },
    },
    {
      name: 'SameSite=None without Secure: Chromium never stored it',
      har: [
        {
          url: `${API}/auth/session`,
          method: 'POST',
          status: 200,
          at: 0,
          req: { Origin: APP, 'Sec-Fetch-Site': 'cross-site' },
          res: {
            'Set-Cookie': 'sid=opaque-session-1234; Path=/; SameSite=None',
            'Content-Type': 'application/json',
          },
          body: '{}',
        },
        crossSiteCall(),
      ],
      expect: { mentions: ['refused to store', 'SameSite=None without Secure'] },
    },
  ],
});
