import check from '../../../src/checks/session/changed-since-success.js';
import { jwt, testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'https://api.example.com';
const good = jwt({
  iss: 'https://idp.example/',
  aud: 'https://api.example.com',
  scope: 'read write',
  exp: 4102444800,
});
const other = jwt({
  iss: 'https://idp.example/',
  aud: 'https://staging-api.example.com',
  scope: 'read',
  exp: 4102444800,
});
const expired = jwt({
  iss: 'https://idp.example/',
  aud: 'https://api.example.com',
  scope: 'read write',
  exp: 1764000000,
});

const call = (path: string, at: number, status: number, headers: Record<string, string>): Spec => ({
  url: `${API}${path}`,
  status,
  at,
  req: headers,
  res: { 'Content-Type': 'application/json' },
  body: '{}',
});

testSessionCheck(check, {
  valid: [
    { name: 'nothing failed', har: [call('/v1/me', 0, 200, { Authorization: `Bearer ${good}` })] },
    {
      name: 'no success on that origin before the failure',
      har: [call('/v1/me', 0, 401, { Authorization: `Bearer ${good}` })],
    },
    {
      name: 'only a page load succeeded before an API call failed (nothing comparable)',
      har: [
        {
          url: `${API}/`,
          status: 200,
          at: 0,
          resourceType: 'document',
          mime: 'text/html',
          body: '<!doctype html>',
        },
        call('/v1/me', 1000, 401, { Authorization: `Bearer ${good}` }),
      ],
    },
  ],
  invalid: [
    {
      name: 'the token changed: another audience and fewer scopes',
      har: [
        call('/v1/me', 0, 200, { Authorization: `Bearer ${good}`, Accept: 'application/json' }),
        call('/v1/me', 60_000, 401, {
          Authorization: `Bearer ${other}`,
          Accept: 'application/json',
          'X-Tenant': 't2',
        }),
      ],
      expect: {
        id: 'info.changed-since-success',
        kind: 'info',
        confidence: 'confirmed',
        mentions: [
          'entry 0',
          'entry 1',
          'headers.added x-tenant',
          'token.aud https://api.example.com → https://staging-api.example.com',
          'token.scope read write → read',
        ],
        entries: [0, 1],
        evidence: [{ probe: 'entry#0→entry#1', where: 'response.status', value: '200 → 401' }],
      },
    },
    {
      name: 'the cookie went missing and the path changed',
      har: [
        call('/v1/me', 0, 200, { Cookie: 'sid=opaque-1234; theme=dark' }),
        call('/v1/orders', 1000, 401, { Cookie: 'theme=dark' }),
      ],
      expect: { mentions: ['cookies.removed sid', 'path /v1/me → /v1/orders'] },
    },
    {
      name: 'the same token, now expired',
      har: [
        call('/v1/me', 0, 200, { Authorization: `Bearer ${expired}` }),
        call('/v1/me', 1000, 401, { Authorization: `Bearer ${expired}` }),
      ],
      expect: { mentions: ['expired'] },
    },
    {
      name: 'nothing in the request changed',
      har: [
        call('/v1/me', 0, 200, { Authorization: `Bearer ${good}` }),
        call('/v1/me', 1000, 403, { Authorization: `Bearer ${good}` }),
      ],
      expect: { mentions: ['Nothing in the request changed'] },
    },
  ],
});
