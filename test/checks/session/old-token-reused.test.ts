import check from '../../../src/checks/session/old-token-reused.js';
import { jwt, testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const IDP = 'http://127.0.0.1:4000';
const token = (id: string, aud = 'https://api.example') =>
  jwt({ iss: 'https://idp.example/', aud, sub: 'u1', scope: 'api', exp: 4102444800, jti: id });
const A = token('a');
const B = token('b');

const get = (path: string, t: string, at: number, status = 200, origin = API): Spec => ({
  url: `${origin}${path}`,
  status,
  at,
  time: 10,
  req: { Authorization: `Bearer ${t}` },
  res:
    status === 200
      ? { 'Content-Type': 'application/json' }
      : {
          'WWW-Authenticate':
            'Bearer error="invalid_token", error_description="The access token has been revoked"',
        },
  body: status === 200 ? '{}' : '{"error":"invalid_token"}',
});
const refresh = (issued: string, at: number): Spec => ({
  method: 'POST',
  url: `${IDP}/oauth/token`,
  status: 200,
  at,
  time: 20,
  postData: {
    mimeType: 'application/x-www-form-urlencoded',
    text: 'grant_type=refresh_token&refresh_token=rt-old-secret',
  },
  res: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ access_token: issued, refresh_token: 'rt-new-secret', expires_in: 3600 }),
});

testSessionCheck(check, {
  valid: [
    {
      name: 'after the refresh only the new token is used',
      har: [get('/api/me', A, 0), refresh(B, 100), get('/api/me', B, 200), get('/api/orders', B, 300)],
    },
    {
      name: 'a request sent while the refresh was in flight (started before the new token arrived)',
      har: [get('/api/me', A, 0), refresh(B, 100), get('/api/orders', A, 110, 401), get('/api/me', B, 200)],
    },
    {
      name: 'the old token still works: nothing was replaced',
      har: [
        get('/api/me', A, 0),
        refresh(B, 100),
        get('/api/me', B, 200),
        get('/api/orders', A, 300),
        get('/api/x', B, 400, 401),
      ],
    },
    {
      name: 'two APIs with tokens for two audiences: not a replacement',
      har: [
        get('/v1/a', token('x', 'https://other.example'), 0, 200, 'http://127.0.0.1:3100'),
        get('/api/me', A, 10),
        refresh(B, 100),
        get('/api/me', B, 200),
        get('/v1/a', token('x', 'https://other.example'), 300, 401, 'http://127.0.0.1:3100'),
      ],
    },
  ],
  invalid: [
    {
      name: 'a refresh ahead of time, the new token works, a widget still sends the old one',
      har: [get('/api/me', A, 0), refresh(B, 100), get('/api/me', B, 200), get('/api/orders', A, 300, 401)],
      expect: {
        id: 'session.old-token-reused',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['entry 1', 'entry 3', 'still sent the old token'],
        entries: [1, 2, 3],
        evidence: [
          { probe: 'entry#3', where: 'request.header.authorization' },
          { probe: 'entry#1', where: 'response.body.access_token' },
        ],
      },
    },
    {
      name: '401 → refresh → the retry still carries the old token',
      har: [get('/api/me', A, 0, 401), refresh(B, 100), get('/api/me', A, 200, 401)],
      expect: { confidence: 'likely', entries: [1, 2] },
    },
  ],
});
