import { describe, expect, it } from 'vitest';
import { guideSteps, type GuideStep } from '../../src/guide/index.js';
import { CLAIMS, DATE, jwt, report, SEC, summary } from './fixtures.js';

const bearer = (exp: number) => ({ Authorization: `Bearer ${jwt({ ...CLAIMS, exp })}` });
const byStep = (steps: GuideStep[]) => Object.fromEntries(steps.map((s) => [s.step, summary(s)]));

const ANSWERED_401 =
  'info The address answered 401: the site does not know who you are yet, so it wants you to sign in';
const NO_LOGIN_PAGE = 'pass The site did not send you to a sign-in page';
const SAME_ENV =
  'pass The address and your sign-in token are for the same copy of the site (no test or staging mix-up seen)';
const NO_ENV =
  'skipped Whether the address is a test or staging copy could not be compared (no readable sign-in token)';
const HTTPS = 'pass The address uses a secure connection (https)';
const NO_COOKIES = 'skipped No cookies were sent, so there was no session cookie to check';
const NO_EXPIRY = 'skipped No sign-in token with an expiry time was sent, so there was no expiry to check';
const SENT_BEARER = 'pass Sign-in details were sent: a sign-in token (the "Authorization: Bearer" header)';
const FORM_OK =
  'pass The sign-in details are written the expected way (no stray spaces, quote marks or placeholders)';
const TOKEN_OK = 'pass The sign-in token is readable and of the right kind';
const CLOCK_OK = "pass This computer's clock agrees with the site's (within a minute)";
const NOTHING_IN_FRONT =
  "pass No firewall, gateway or stored copy (cache) was seen answering in the site's place";
const NO_REQUEST_ID =
  'info The site gave no reference (request id) for its logs; the time and the address will have to do';
const STEP5_OK = [
  'pass The site could be reached from this computer',
  'pass No proxy is set up on this computer for this address',
  'pass The secure connection goes straight to the site (no company filter or security tool opening it was seen)',
];

describe('guideSteps over real reports', () => {
  it('an expired token: step 2 fails on token.expired; the server and the network pass', () => {
    const r = report({
      headers: bearer(SEC - 3600),
      status: 401,
      responseHeaders: {
        'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="jwt expired"',
        Date: DATE,
        'X-Request-Id': 'req-123',
      },
    });
    const steps = guideSteps(r);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    expect(byStep(steps)).toEqual({
      1: [ANSWERED_401, NO_LOGIN_PAGE, SAME_ENV, HTTPS],
      2: ['fail token.expired', NO_COOKIES],
      // The server's refusal is the expiry (absorbed into token.expired), not a second failure.
      3: [SENT_BEARER, FORM_OK, TOKEN_OK, 'info info.identity'],
      4: ['info info.challenge', CLOCK_OK, NOTHING_IN_FRONT, 'info info.request-ids'],
      5: STEP5_OK,
    });
    const checks = steps.flatMap((s) => s.checks);
    // The server's refusal folded into the expiry: one check, with the site's own words in it.
    expect(checks.find((c) => c.causeId === 'token.expired')?.text).toBe(
      'Your sign-in has expired (the pass the site gave you ran out of time); the site\'s own words: "jwt expired"',
    );
    expect(checks.find((c) => c.causeId === 'credentials.rejected')).toBeUndefined();
    expect(checks.find((c) => c.causeId === 'info.identity')?.text).toBe(
      'The sign-in token says it is for the user alice, through the app web-app, issued by https://login.example.com/',
    );
    expect(checks.find((c) => c.causeId === 'info.challenge')?.text).toBe(
      'The site says which kind of sign-in it accepts: Bearer',
    );
    expect(checks.find((c) => c.causeId === 'info.request-ids')?.text).toBe(
      'The site gave a reference for its logs (request id): x-request-id req-123',
    );
  });

  it('a working request: every step passes', () => {
    const r = report({
      headers: bearer(SEC + 3600),
      status: 200,
      responseHeaders: { Date: DATE, 'X-Request-Id': 'req-200' },
    });
    expect(byStep(guideSteps(r))).toEqual({
      1: ['pass The address answered 200: it works', NO_LOGIN_PAGE, SAME_ENV, HTTPS],
      2: ['pass Your sign-in token has not expired (it is valid until 2026-11-27T13:00:00Z)', NO_COOKIES],
      3: [SENT_BEARER, FORM_OK, TOKEN_OK, 'info info.identity'],
      4: [CLOCK_OK, NOTHING_IN_FRONT, 'info info.request-ids'],
      5: STEP5_OK,
    });
  });

  it('a redirect to the sign-in page: step 1 fails on login.redirect, the cookie stays attached', () => {
    const r = report({
      url: 'https://app.example.com/dashboard',
      headers: { Cookie: 'sid=abc123def456', Accept: 'text/html' },
      hops: [{ status: 302, responseHeaders: { Location: '/login?next=/dashboard', Date: DATE } }],
      status: 200,
      responseHeaders: { 'Content-Type': 'text/html', Date: DATE },
      responseBody: '<html><title>Sign in</title><form><input type="password" name="password"></form></html>',
    });
    expect(r.outcome).toBe('login-required');
    expect(byStep(guideSteps(r))).toEqual({
      1: [
        'info The address answered 200, but with a sign-in page instead of what you asked for',
        'fail login.redirect',
        NO_ENV,
        HTTPS,
      ],
      2: [
        NO_EXPIRY,
        'info Cookies were sent with the request (whether one of them has expired cannot be seen from the request itself)',
      ],
      3: [
        'pass Sign-in details were sent: cookies',
        'pass Your sign-in details were still attached when the request reached the final address',
      ],
      4: [CLOCK_OK, NOTHING_IN_FRONT, NO_REQUEST_ID],
      5: STEP5_OK,
    });
  });

  it('credentials dropped on a cross-origin redirect: step 1 and step 3 both say so', () => {
    const r = report({
      url: 'https://api.example.com/v1/me',
      headers: bearer(SEC + 3600),
      hops: [{ status: 301, responseHeaders: { Location: 'https://www.example.com/v1/me', Date: DATE } }],
      dropped: ['authorization'],
      status: 401,
      responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"', Date: DATE },
    });
    const [s1, , s3] = guideSteps(r);
    expect(summary(s1)).toContain('fail url.redirect-dropped-credentials');
    expect(s3?.checks).toContainEqual({
      text: 'Your sign-in details were left behind when the request was sent on to the final address',
      result: 'fail',
      causeId: 'url.redirect-dropped-credentials',
    });
  });

  it('no credentials and no challenge: step 3 and step 4 fail', () => {
    const r = report({
      status: 401,
      responseHeaders: { Date: DATE },
      responseBody: '{"message":"Unauthorized"}',
    });
    const s = byStep(guideSteps(r));
    expect(s[3]).toEqual(['fail credentials.missing']);
    expect(s[4]).toEqual(['fail server.challenge-missing', CLOCK_OK, NOTHING_IN_FRONT, NO_REQUEST_ID]);
  });

  it('an unreachable host: step 1 did not answer, step 5 fails on network.unreachable', () => {
    const r = report({
      error: { phase: 'dns', code: 'ENOTFOUND', message: 'the host name does not resolve (DNS)' },
    });
    const s = byStep(guideSteps(r));
    expect(s[1]![0]).toBe('fail The address did not answer (see step 5)');
    expect(s[4]).toEqual([
      'skipped The site did not say what time it is, so the clocks could not be compared',
    ]);
    expect(s[5]).toEqual(['fail network.unreachable']);
  });

  it("the server's clock 10 minutes behind: clock.skew in step 4; the device's own measurement stands for it", () => {
    const r = report({
      headers: bearer(SEC + 3600),
      status: 401,
      responseHeaders: {
        'WWW-Authenticate': 'Bearer realm="api"',
        Date: new Date(Date.parse(DATE) - 600_000).toUTCString(),
      },
    });
    expect(summary(guideSteps(r)[3])).toContain('fail clock.skew');
    const withDevice = guideSteps(r, { clockSkewSeconds: 600 })[3]!;
    expect(withDevice.checks.filter((c) => c.causeId === 'clock.skew')).toEqual([
      {
        text: "Your device's clock is 10 minutes ahead of the site's clock",
        result: 'fail',
        causeId: 'clock.skew',
      },
    ]);
    expect(summary(guideSteps(r)[4])).toContain('fail credentials.not-received');
  });

  it('a refused CORS preflight: the CORS findings go to step 4', () => {
    const r = report({
      origin: 'https://app.example.com',
      headers: bearer(SEC + 3600),
      status: 200,
      responseHeaders: { Date: DATE },
      preflight: { status: 401 },
    });
    const s = byStep(guideSteps(r));
    expect(s[1]![0]).toBe(
      "info The address answered 200 here, but a browser's request to it is refused (see step 4)",
    );
    expect(s[4]).toEqual([
      CLOCK_OK,
      NOTHING_IN_FRONT,
      'fail cors.preflight-rejected',
      'fail cors.origin-not-allowed',
      NO_REQUEST_ID,
    ]);
  });

  it('device facts become checks: cookies, clock, account', () => {
    const r = report({ headers: bearer(SEC + 3600), status: 200, responseHeaders: { Date: DATE } });
    const steps = guideSteps(r, { cookiesEnabled: false, clockSkewSeconds: 1, account: 'alice@example.com' });
    expect(steps[1]!.checks).toContainEqual({
      text: 'Your browser blocks cookies, so sites cannot keep you signed in',
      result: 'fail',
    });
    expect(steps[2]!.checks.at(-1)).toEqual({
      text: 'The sign-in details name the account alice@example.com: is it the one you meant to use?',
      result: 'info',
    });
    expect(steps[3]!.checks[0]).toEqual({
      text: "Your device's clock agrees with the site's (within a second)",
      result: 'pass',
    });
  });

  it('without a report: to-do lists and questions, and only what the device showed', () => {
    const steps = guideSteps(undefined, { cookiesEnabled: true });
    expect(steps.map((s) => s.checks.length)).toEqual([0, 1, 0, 0, 0]);
    expect(steps[1]!.checks[0]).toEqual({ text: 'Your browser accepts cookies', result: 'pass' });
    for (const s of steps) {
      expect(s.title.length).toBeGreaterThan(10);
      expect(s.todo.length).toBeGreaterThan(0);
    }
  });

  it('asks the questions only the person can answer, with stable ids, in step order', () => {
    const qs = guideSteps(undefined).flatMap((s) => s.questions);
    expect(qs.map((q) => `${q.step} ${q.id}`)).toEqual([
      '1 private-window',
      '2 signed-in-again',
      '2 cleared-cookies',
      '2 sso-signout',
      '2 authenticator-time',
      '3 password-on-site',
      '4 colleague',
      '5 vpn-off',
      '5 mobile-data',
      '5 other-browser',
      '5 other-device',
    ]);
    for (const q of qs) expect(q.text).toMatch(/\?$/);
  });

  it('speaks plain words: no jargon without explanation in titles, to-dos and questions', () => {
    const steps = guideSteps(undefined);
    const words = steps.flatMap((s) => [
      s.title,
      ...s.todo,
      ...s.questions.flatMap((q) => [q.text, q.how ?? '']),
    ]);
    for (const w of words) expect(w).not.toMatch(/\b(bearer|JWT|WWW-Authenticate|401|403)\b/i);
  });
});
