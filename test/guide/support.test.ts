import { describe, expect, it } from 'vitest';
import { adviceFor, guideSteps, supportBlock, type Answer } from '../../src/guide/index.js';
import { NOW } from '../support/evidence.js';
import { CLAIMS, DATE, jwt, report, SEC } from './fixtures.js';

const expired = () =>
  report({
    url: 'https://api.example.com/v1/orders?page=2',
    method: 'POST',
    headers: { Authorization: `Bearer ${jwt({ ...CLAIMS, exp: SEC - 3600 })}` },
    status: 401,
    responseHeaders: {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
      Date: DATE,
      'X-Request-Id': 'req-7f3a',
      'CF-Ray': '8c1d2e3f4a5b-FRA',
    },
  });

const answers: Record<string, Answer> = {
  'private-window': 'yes',
  'vpn-off': 'no',
  'other-device': 'not-tried',
};
const device = { clockSkewSeconds: 2, account: 'alice@example.com' };

describe('supportBlock', () => {
  it('the text: timestamp, full URL, method, status, request ids, first cause, answers, device', () => {
    const r = expired();
    const advice = adviceFor(answers, r, device);
    const { text } = supportBlock(r, { now: NOW + 60_000, answers, device, advice });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^----- why401 support block/);
    expect(lines).toContain('Time of the request (UTC): 2026-11-27T12:00:00.000Z');
    expect(lines).toContain('Block written (UTC):       2026-11-27T12:01:00.000Z');
    expect(lines).toContain('Address:                   https://api.example.com/v1/orders?page=2');
    expect(lines).toContain('Method:                    POST');
    expect(lines).toContain('Status:                    401 Unauthorized');
    expect(lines).toContain('Request ids:               x-request-id: req-7f3a, cf-ray: 8c1d2e3f4a5b-FRA');
    expect(lines).toContain(
      'First cause:               token.expired: The access token expired 60 minutes ago',
    );
    expect(lines).toContain('  - Does the page work in a private (incognito) window? Yes.');
    expect(lines).toContain('  - Does it work with your VPN, proxy or browser extensions turned off? No.');
    expect(text).not.toContain('other-device');
    expect(lines).toContain("  - Clock: 2 seconds ahead of the site's");
    expect(lines).toContain('  - Account named by the sign-in details: alice@example.com');
    expect(lines).toContain(`  - ${advice[0]!.text}`);
    expect(lines.at(-2)).toBe('----- end (made by why401 0.1.0) -----');
  });

  it('the Markdown: the same fields in a table, code for the URL and ids', () => {
    const r = expired();
    const { markdown } = supportBlock(r, { now: NOW, answers, device });
    expect(markdown).toContain('### why401 support block');
    expect(markdown).toContain('| Time of the request (UTC) | 2026-11-27T12:00:00.000Z |');
    expect(markdown).toContain('| Address | `https://api.example.com/v1/orders?page=2` |');
    expect(markdown).toContain('| Status | 401 Unauthorized |');
    expect(markdown).toContain('| Request ids | `x-request-id: req-7f3a, cf-ray: 8c1d2e3f4a5b-FRA` |');
    expect(markdown).toContain('| First cause | token.expired: The access token expired 60 minutes ago |');
    expect(markdown).toContain('- Does the page work in a private (incognito) window? Yes.');
    expect(markdown).not.toContain('**Advice given**');
  });

  it('a redirect shows the final address too; no request id says so', () => {
    const r = report({
      url: 'https://app.example.com/dashboard',
      headers: { Cookie: 'sid=abc123def456' },
      hops: [{ status: 302, responseHeaders: { Location: '/login' } }],
      status: 200,
      responseHeaders: { 'Content-Type': 'text/html' },
      responseBody: '<form><input type="password" name="password"></form>',
    });
    const { text, markdown } = supportBlock(r, { now: NOW });
    expect(text).toContain('Final address:             https://app.example.com/login');
    expect(text).toContain('Request ids:               none returned');
    expect(markdown).toContain('| Request ids | none returned |');
  });

  it('without a report: the time now and nothing tested', () => {
    const { text } = supportBlock(undefined, { now: NOW, answers: { 'mobile-data': 'yes' } });
    expect(text).toContain('Time (UTC): 2026-11-27T12:00:00.000Z');
    expect(text).toContain('Address:    not tested');
    expect(text).toContain('Does it work on mobile data instead of Wi-Fi? Yes.');
  });

  it('escapes Markdown table cells', () => {
    const r = report({
      url: 'https://api.example.com/a|b',
      status: 401,
      responseHeaders: { 'X-Request-Id': 'a`b|c' },
    });
    const { markdown } = supportBlock(r, { now: NOW });
    expect(markdown).toContain('| Address | `https://api.example.com/a\\|b` |');
    expect(markdown).toContain('| Request ids | `` x-request-id: a`b\\|c `` |');
  });
});

describe('no secret reaches the guide', () => {
  it('steps, advice and the support block never hold the token, the password or the cookie', () => {
    const CANARY = 'CANARYsecret7f3a9c2e41d8b6';
    const token = jwt({ ...CLAIMS, email: 'alice@example.com', exp: SEC - 60 });
    const variants: Record<string, string>[] = [
      { Authorization: `Bearer ${token}`, Cookie: `sid=${CANARY}` },
      { Authorization: `Basic ${Buffer.from(`alice:${CANARY}`).toString('base64')}` },
      { Authorization: `Bearer ${CANARY}` },
    ];
    for (const headers of variants) {
      const r = report({
        headers,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"', Date: DATE },
        responseBody: JSON.stringify({ echoed: headers.Authorization, token: CANARY }),
      });
      const dev = { clockSkewSeconds: 0, account: 'alice@example.com' };
      const advice = adviceFor({ 'private-window': 'yes' }, r, dev);
      const all = JSON.stringify([
        guideSteps(r, dev),
        advice,
        supportBlock(r, { now: NOW, answers: { 'private-window': 'yes' }, device: dev, advice }),
      ]);
      expect(all).not.toContain(CANARY);
      expect(all).not.toContain(token.split('.')[2]);
      expect(all).not.toContain(Buffer.from(`alice:${CANARY}`).toString('base64'));
    }
  });
});

describe('stillOpen: a yes settles its step', () => {
  it('"works after signing in again" ends the other session questions, not the other steps', async () => {
    const { QUESTIONS, stillOpen } = await import('../../src/guide/index.js');
    const q = (id: string) => QUESTIONS.find((x) => x.id === id)!;
    const answers = { 'signed-in-again': 'yes' as const };
    expect(stillOpen(q('signed-in-again'), answers)).toBe(true);
    expect(stillOpen(q('cleared-cookies'), answers)).toBe(false);
    expect(stillOpen(q('sso-signout'), answers)).toBe(false);
    expect(stillOpen(q('vpn-off'), answers)).toBe(true);
    expect(stillOpen(q('cleared-cookies'), { 'signed-in-again': 'no' })).toBe(true);
  });
});
