import check from '../../../src/checks/session/refresh-loop.js';
import { jwt, testSessionCheck, type Spec } from '../../har/report-fixtures.js';

const API = 'http://127.0.0.1:3000';
const IDP = 'http://127.0.0.1:4000';
const wrongAud = (n: number) =>
  jwt({
    iss: 'https://idp.example/',
    aud: 'https://other-api.example',
    sub: 'u1',
    scope: 'openid api',
    exp: 4102444800,
    jti: `t${n}`,
  });
const rightAud = (n: number) =>
  jwt({
    iss: 'https://idp.example/',
    aud: 'https://api.example',
    sub: 'u1',
    scope: 'openid api',
    exp: 4102444800,
    jti: `r${n}`,
  });

const call = (
  token: string,
  at: number,
  status = 401,
  description = "Unexpected 'aud' claim value",
): Spec => ({
  url: `${API}/api/me`,
  status,
  at,
  req: { Authorization: `Bearer ${token}`, 'Sec-Fetch-Site': 'same-origin' },
  res:
    status === 401
      ? {
          'Content-Type': 'application/json',
          'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${description}"`,
        }
      : { 'Content-Type': 'application/json' },
  body: status === 401 ? `{"error":"invalid_token","error_description":"${description}"}` : '{"user":"u1"}',
});
/** A 401 that says nothing (no error code, no message): the per-entry diagnosis cannot name a reason. */
const bare = (token: string, at: number): Spec => ({
  url: `${API}/api/me`,
  status: 401,
  at,
  req: { Authorization: `Bearer ${token}` },
  res: { 'WWW-Authenticate': 'Bearer realm="api"' },
});
const refresh = (n: number, issued: string, at: number, status = 200): Spec => ({
  method: 'POST',
  url: `${IDP}/oauth/token`,
  status,
  at,
  req: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: API, 'Sec-Fetch-Site': 'same-site' },
  postData: {
    mimeType: 'application/x-www-form-urlencoded',
    text: `grant_type=refresh_token&refresh_token=rt-secret-${n}&client_id=spa`,
    params: [
      { name: 'grant_type', value: 'refresh_token' },
      { name: 'refresh_token', value: `rt-secret-${n}` },
      { name: 'client_id', value: 'spa' },
    ],
  },
  res: { 'Content-Type': 'application/json' },
  body:
    status === 200
      ? JSON.stringify({
          access_token: issued,
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: `rt-secret-${n + 1}`,
        })
      : '{"error":"invalid_grant"}',
});

testSessionCheck(check, {
  valid: [
    {
      name: 'a refresh that helped',
      har: [call(rightAud(0), 0), refresh(0, rightAud(1), 100), call(rightAud(1), 200, 200)],
    },
    {
      name: 'one refresh that did not help is not yet a loop',
      har: [call(wrongAud(0), 0), refresh(0, wrongAud(1), 100), call(wrongAud(1), 200)],
    },
    {
      name: 'the refresh itself failed (token.refresh-rejected, not a loop)',
      har: [
        call(wrongAud(0), 0),
        refresh(0, '', 100, 400),
        call(wrongAud(0), 200),
        refresh(0, '', 300, 400),
        call(wrongAud(0), 400),
      ],
    },
    {
      name: 'retries with the same token and no refresh',
      har: [call(wrongAud(0), 0), call(wrongAud(0), 100), call(wrongAud(0), 200)],
    },
  ],
  invalid: [
    {
      name: 'three refreshes, each new token refused for the same reason',
      har: [
        call(wrongAud(0), 0),
        refresh(0, wrongAud(1), 100),
        call(wrongAud(1), 200),
        refresh(1, wrongAud(2), 300),
        call(wrongAud(2), 400),
        refresh(2, wrongAud(3), 500),
        call(wrongAud(3), 600),
      ],
      expect: {
        id: 'session.refresh-loop',
        kind: 'cause',
        confidence: 'confirmed',
        mentions: ['3 times', "Unexpected 'aud' claim value", 'aud https://other-api.example'],
        entries: [0, 1, 2, 3, 4, 5, 6],
        evidence: [{ probe: 'entry#1', where: 'request.url', value: `POST ${IDP}/oauth/token` }],
        count: 1,
      },
    },
    {
      name: 'two refreshes whose answers do not show the token (opaque): likely',
      har: [
        bare('opaque-token-0000', 0),
        { ...refresh(0, '', 100), body: '{"ok":true}' },
        bare('opaque-token-1111', 200),
        { ...refresh(1, '', 300), body: '{"ok":true}' },
        bare('opaque-token-2222', 400),
      ],
      expect: { confidence: 'likely', mentions: ['2 times'] },
    },
  ],
});
