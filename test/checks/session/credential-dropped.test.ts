import check from '../../../src/checks/session/credential-dropped.js';
import { jwt, testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const T = jwt({ iss: 'https://idp.example/', aud: 'api', sub: 'u1', exp: 4102444800 });
const T2 = jwt({ iss: 'https://idp.example/', aud: 'api', sub: 'u1', exp: 4102444800, jti: 'two' });

/** A call to the API with the given request headers (a header set to undefined is left out). */
const call = (path: string, at: number, status: number, req: Record<string, string | undefined>): Spec => {
  const headers: Record<string, string> = { Accept: 'application/json' };
  for (const [k, v] of Object.entries(req)) if (v !== undefined) headers[k] = v;
  return {
    url: `${API}${path}`,
    status,
    at,
    time: 10,
    req: headers,
    res: { 'Content-Type': 'application/json' },
    body: status === 200 ? '{"orders":[]}' : '{"message":"Unauthorized"}',
  };
};

testSessionCheck(check, {
  valid: [
    {
      name: 'the header keeps its token: every request works',
      har: [call('/api/orders', 0, 200, { token: T }), call('/api/orders', 100, 200, { token: T })],
    },
    {
      name: 'a new token in the same header, refused: another story (stale, refresh), not a dropped one',
      har: [call('/api/orders', 0, 200, { token: T }), call('/api/orders', 100, 401, { token: T2 })],
    },
    {
      name: 'the page switched to Authorization: another credential took the header’s place',
      har: [
        call('/api/orders', 0, 200, { token: T }),
        call('/api/orders', 100, 401, { Authorization: `Bearer ${T2}` }),
      ],
    },
    {
      name: 'a header that carries no credential (neither its name nor a JWT) went empty',
      har: [
        call('/api/orders', 0, 200, { 'X-Tenant': 'acme' }),
        call('/api/orders', 100, 401, { 'X-Tenant': '' }),
      ],
    },
    {
      name: 'a 404 without the header: not a refusal',
      har: [call('/api/orders', 0, 200, { token: T }), call('/api/missing', 100, 404, {})],
    },
    {
      name: 'another origin refused it: the success does not speak for it',
      har: [
        call('/api/orders', 0, 200, { token: T }),
        { ...call('/api/orders', 100, 401, {}), url: 'http://127.0.0.1:3100/api/orders' },
      ],
    },
  ],
  invalid: [
    {
      name: 'a JWT under the generic name `token`, then the header empty and a 401',
      har: [
        call('/api/orders', 0, 200, { token: T }),
        call('/api/orders', 100, 200, { token: T }),
        call('/api/orders', 5000, 401, { token: '' }),
      ],
      expect: {
        id: 'session.credential-dropped',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['the header token', 'entry 1', 'entry 2', 'a JWT', 'empty'],
        entries: [1, 2],
        evidence: [
          { probe: 'entry#1', where: 'request.header.token' },
          { probe: 'entry#2', where: 'request.header.token', value: '(empty)' },
        ],
      },
    },
    {
      name: 'a JWT under a name no list knows (x-user), left out altogether',
      har: [call('/api/orders', 0, 200, { 'x-user': T }), call('/api/orders', 100, 401, {})],
      expect: { mentions: ['x-user', 'not at all'], evidence: [{ value: '(not sent)' }] },
    },
    {
      name: 'an API key by the credential rule’s judgement of its name, sent as the text "null"',
      har: [
        call('/api/orders', 0, 200, { 'X-Auth-Token': 'k-7f3a9c21d4e5b6a8f0c1' }),
        call('/api/items', 100, 403, { 'X-Auth-Token': 'null' }),
      ],
      expect: {
        confidence: 'likely',
        mentions: ['X-Auth-Token', 'the placeholder "null"'],
        evidence: [{ probe: 'entry#1', where: 'request.header.x-auth-token' }],
      },
    },
    {
      name: 'two refusals after one success: one story naming both',
      har: [
        call('/api/orders', 0, 200, { token: T }),
        call('/api/orders', 100, 401, { token: '' }),
        call('/api/orders', 200, 401, { token: '' }),
      ],
      expect: { count: 1, entries: [0, 1, 2], mentions: ['Entry 2 went the same way'] },
    },
  ],
});
