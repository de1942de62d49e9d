import { describe, expect, it } from 'vitest';
import { deriveFacts } from '../../src/facts/request.js';
import { ev } from '../support/evidence.js';
import check from '../../src/checks/authz-csrf-rejected.js';
import { testCheck } from '../support/check-tester.js';

const SESSION = { Cookie: 'sessionid=k2x9q7w1m4v8; csrftoken=Jx3vQ0tWm8pLr2Ys' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const POST = { method: 'POST', url: 'https://app.example.com/api/orders/' };

/** Django's CSRF failure page (django/views/csrf.py), with DEBUG on when a reason is given. */
const djangoPage = (reason?: string) =>
  `<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">\n  <title>403 Forbidden</title>\n</head>\n<body>\n<div id="summary">\n  <h1>Forbidden <span>(403)</span></h1>\n  <p>CSRF verification failed. Request aborted.</p>\n</div>\n${reason ? `<div id="info">\n  <h2>Help</h2>\n    <p>Reason given for failure:</p>\n    <pre>\n    ${reason}\n    </pre>\n</div>\n` : ''}</body>\n</html>\n`;

testCheck(check, {
  valid: [
    { name: 'a 200', input: { ...POST, headers: SESSION, status: 200, responseBody: '{"id":7}' } },
    {
      name: 'a DRF permission refusal (a role problem, not CSRF)',
      input: {
        ...POST,
        headers: SESSION,
        status: 403,
        responseHeaders: JSON_TYPE,
        responseBody: '{"detail":"You do not have permission to perform this action."}',
      },
    },
    {
      name: 'a bare 403 that only mentions CSRF in passing',
      input: {
        ...POST,
        headers: SESSION,
        status: 403,
        responseHeaders: JSON_TYPE,
        responseBody: '{"message":"Forbidden. See the CSRF section of our docs."}',
      },
    },
    {
      name: 'Laravel words on another status than 419',
      input: { ...POST, headers: SESSION, status: 500, responseBody: '{"message":"CSRF token mismatch."}' },
    },
    {
      name: 'a 401 invalid_token',
      input: {
        headers: { Authorization: 'Bearer abc.def.ghi' },
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      },
    },
  ],
  invalid: [
    {
      name: 'DRF SessionAuthentication: CSRF Failed',
      input: {
        ...POST,
        headers: SESSION,
        status: 403,
        responseHeaders: { ...JSON_TYPE, Vary: 'Accept, Cookie' },
        responseBody: '{"detail":"CSRF Failed: CSRF token missing."}',
      },
      expect: {
        id: 'authz.csrf-rejected',
        kind: 'cause',
        step: 4,
        confidence: 'confirmed',
        title:
          'The server refused the request for a missing or wrong CSRF token: CSRF Failed: CSRF token missing.',
        mentions: ['not a permission problem', 'no role'],
        evidence: [
          { where: 'response.body.detail', value: 'CSRF Failed: CSRF token missing.' },
          { where: 'server.says', value: 'authz.csrf-rejected' },
          { where: 'response.status', value: '403' },
        ],
      },
    },
    {
      name: 'Django CSRF page, cookie not set (DEBUG on): the Django fix',
      input: {
        ...POST,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        status: 403,
        responseHeaders: { 'Content-Type': 'text/html; charset=utf-8' },
        responseBody: djangoPage('CSRF cookie not set.'),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['CSRF cookie not set.'],
        evidence: [{ where: 'response.body', value: 'CSRF cookie not set.' }],
      },
    },
    {
      name: 'Django CSRF page without DEBUG: the main line is quoted, the fix names X-CSRFToken',
      input: {
        ...POST,
        headers: SESSION,
        status: 403,
        responseHeaders: { 'Content-Type': 'text/html; charset=utf-8' },
        responseBody: djangoPage(),
      },
      expect: {
        confidence: 'confirmed',
        mentions: ['CSRF verification failed. Request aborted.'],
      },
    },
    {
      name: 'Django Origin check: the fix names CSRF_TRUSTED_ORIGINS',
      input: {
        ...POST,
        headers: SESSION,
        origin: 'https://admin.example.com',
        status: 403,
        responseBody: djangoPage(
          'Origin checking failed - https://admin.example.com does not match any trusted origins.',
        ),
      },
      expect: {
        title:
          "The server refused the request's origin for CSRF protection: Origin checking failed - https://admin.example.com does not match any trusted origins.",
      },
    },
    {
      name: 'Rails InvalidAuthenticityToken (development JSON)',
      input: {
        ...POST,
        headers: { Cookie: '_app_session=abc123def456' },
        status: 422,
        responseHeaders: JSON_TYPE,
        responseBody:
          '{"status":422,"error":"Unprocessable Entity","exception":"#<ActionController::InvalidAuthenticityToken: Can\'t verify CSRF token authenticity.>"}',
      },
      expect: { confidence: 'confirmed', mentions: ['Rails forgery protection answered 422'] },
    },
    {
      name: 'Laravel 419 JSON',
      input: {
        ...POST,
        headers: { Cookie: 'laravel_session=eyJpdiI6IjEyMyJ9' },
        status: 419,
        responseHeaders: JSON_TYPE,
        responseBody: '{"message":"CSRF token mismatch."}',
      },
      expect: {
        title: 'The server refused the request for a missing or wrong CSRF token: CSRF token mismatch.',
        evidence: [{ where: 'response.body.message', value: 'CSRF token mismatch.' }],
      },
    },
    {
      name: 'Laravel 419 page',
      input: {
        ...POST,
        status: 419,
        responseHeaders: { 'Content-Type': 'text/html; charset=UTF-8' },
        responseBody:
          '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Page Expired</title>\n</head>\n<body>\n<div>419</div>\n<div>Page Expired</div>\n</body>\n</html>\n',
      },
      expect: { confidence: 'confirmed', mentions: ['Page Expired'] },
    },
    {
      name: 'Spring Security: invalid token in the Boot error JSON',
      input: {
        ...POST,
        headers: { Cookie: 'JSESSIONID=5043FA6A990E4CF6E036E260359CB090' },
        status: 403,
        responseHeaders: JSON_TYPE,
        responseBody:
          '{"timestamp":"2026-11-27T12:00:00.000+00:00","status":403,"error":"Forbidden","message":"Invalid CSRF Token \'null\' was found on the request parameter \'_csrf\' or header \'X-XSRF-TOKEN\'.","path":"/api/orders"}',
      },
      expect: { confidence: 'confirmed', mentions: ['Invalid CSRF Token'] },
    },
  ],
});

describe('authz.csrf-rejected fixes', () => {
  const run = (input: Parameters<typeof ev>[0]) => check.run(deriveFacts(ev(input)))[0];
  it('Django: X-CSRFToken and the csrftoken cookie, or token auth', () => {
    const d = run({
      ...POST,
      headers: SESSION,
      status: 403,
      responseBody: '{"detail":"CSRF Failed: CSRF cookie not set."}',
    });
    expect(d?.fix).toMatch(/^Django: .*`csrftoken`.*`X-CSRFToken`.*token authentication/);
    expect(d?.fix).toContain('no role');
  });
  it('Django Origin: CSRF_TRUSTED_ORIGINS', () => {
    const d = run({
      ...POST,
      status: 403,
      responseBody: djangoPage(
        'Origin checking failed - https://admin.example.com does not match any trusted origins.',
      ),
    });
    expect(d?.fix).toContain('CSRF_TRUSTED_ORIGINS');
  });
  it('Rails: X-CSRF-Token from the csrf-token meta tag', () => {
    const d = run({ ...POST, status: 422, responseBody: "Can't verify CSRF token authenticity." });
    expect(d?.fix).toMatch(/^Rails: .*csrf-token.*`X-CSRF-Token`/);
  });
  it('Laravel: X-XSRF-TOKEN from the XSRF-TOKEN cookie, or X-CSRF-TOKEN', () => {
    const d = run({ ...POST, status: 419, responseBody: '{"message":"CSRF token mismatch."}' });
    expect(d?.fix).toMatch(/^Laravel: .*`XSRF-TOKEN`.*`X-XSRF-TOKEN`.*`X-CSRF-TOKEN`/);
  });
  it('Spring: X-XSRF-TOKEN or X-CSRF-TOKEN with the session', () => {
    const d = run({
      ...POST,
      status: 403,
      responseBody:
        '{"status":403,"error":"Forbidden","message":"Could not verify the provided CSRF token because no token was found to compare."}',
    });
    expect(d?.fix).toMatch(/^Spring Security: .*`X-XSRF-TOKEN`.*`X-CSRF-TOKEN`.*`JSESSIONID`/);
  });
});
