import { describe, expect, it } from 'vitest';
import { adviceFor, type Advice, type Answer } from '../../src/guide/index.js';
import { CLAIMS, DATE, jwt, report, SEC } from './fixtures.js';

const pointsAt = (a: Advice[]) => a.map((x) => `${x.from} → ${x.pointsAt}`);

describe('adviceFor', () => {
  it.each<[Record<string, Answer>, string[]]>([
    [{ 'private-window': 'yes' }, ['private-window → cookies-or-cache']],
    [{ 'cleared-cookies': 'yes' }, ['cleared-cookies → cookies-or-cache']],
    [{ 'signed-in-again': 'yes' }, ['signed-in-again → credentials']],
    [{ 'sso-signout': 'yes' }, ['sso-signout → account']],
    [{ 'authenticator-time': 'yes' }, ['authenticator-time → clock']],
    [{ 'password-on-site': 'no' }, ['password-on-site → credentials']],
    [{ colleague: 'yes' }, ['colleague → account']],
    [{ colleague: 'no' }, ['colleague → server']],
    [{ 'mobile-data': 'yes' }, ['mobile-data → network']],
    [{ 'vpn-off': 'yes' }, ['vpn-off → network']],
    [{ 'other-browser': 'yes' }, ['other-browser → browser']],
    [{ 'other-device': 'yes' }, ['other-device → clock']],
    // A private window already says "this browser's saved data": no second, vaguer advice.
    [
      { 'private-window': 'yes', 'other-browser': 'yes', 'other-device': 'yes' },
      ['private-window → cookies-or-cache'],
    ],
    [{ 'other-browser': 'yes', 'other-device': 'yes' }, ['other-browser → browser']],
  ])('%j → %j', (answers, expected) => {
    expect(pointsAt(adviceFor(answers))).toEqual(expected);
  });

  it('"works in a private window" points at cookies or cache, in plain words', () => {
    const [a] = adviceFor({ 'private-window': 'yes' });
    expect(a?.text).toMatch(/^It works in a private window/);
    expect(a?.text).toContain("this site's cookies or cache");
  });

  it('works on another device and the clock is right: this browser, not the clock', () => {
    expect(pointsAt(adviceFor({ 'other-device': 'yes' }, undefined, { clockSkewSeconds: 3 }))).toEqual([
      'other-device → browser',
    ]);
  });

  it('nothing helped: send the support block', () => {
    const all: Record<string, Answer> = {
      'private-window': 'no',
      'signed-in-again': 'no',
      'vpn-off': 'no',
      'mobile-data': 'no',
      'other-browser': 'no',
      'other-device': 'not-tried',
    };
    const a = adviceFor(all);
    expect(pointsAt(a)).toEqual(['nothing-helped → server']);
    expect(a[0]!.text).toMatch(/^Nothing you tried helped: send the block below/);
    expect(adviceFor({})[0]!.text).toMatch(/^Try the steps above; if nothing helps, send the block below/);
  });

  it('device facts: a clock off by more than 60 s, blocked cookies', () => {
    expect(pointsAt(adviceFor({}, undefined, { clockSkewSeconds: 61 }))).toEqual(['clock-skew → clock']);
    expect(pointsAt(adviceFor({}, undefined, { clockSkewSeconds: -300 }))).toEqual(['clock-skew → clock']);
    expect(pointsAt(adviceFor({}, undefined, { clockSkewSeconds: 60 }))).toEqual(['nothing-helped → server']);
    expect(pointsAt(adviceFor({}, undefined, { cookiesEnabled: false }))).toEqual([
      'cookies-enabled → cookies-or-cache',
    ]);
  });

  it("the report's first cause adds its own advice, unless the answers already point there", () => {
    const expired = report({
      headers: { Authorization: `Bearer ${jwt({ ...CLAIMS, exp: SEC - 3600 })}` },
      status: 401,
      responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"', Date: DATE },
    });
    expect(pointsAt(adviceFor({}, expired))).toEqual(['token.expired → credentials']);
    expect(pointsAt(adviceFor({ 'mobile-data': 'yes' }, expired))).toEqual([
      'mobile-data → network',
      'token.expired → credentials',
    ]);
    expect(pointsAt(adviceFor({ 'signed-in-again': 'yes' }, expired))).toEqual([
      'signed-in-again → credentials',
    ]);
    expect(pointsAt(adviceFor({ 'vpn-off': 'no' }, expired))).toEqual([
      'token.expired → credentials',
      'nothing-helped → server',
    ]);
  });

  it('a 403 for a missing permission points at the account', () => {
    const r = report({
      headers: { Authorization: `Bearer ${jwt({ ...CLAIMS, exp: SEC + 3600 })}` },
      status: 403,
      responseHeaders: {
        'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"',
        Date: DATE,
      },
    });
    expect(adviceFor({}, r).map((a) => a.pointsAt)).toEqual(['account']);
  });

  it('a request that works here points at the browser or device', () => {
    const r = report({ status: 200, responseHeaders: { Date: DATE } });
    expect(pointsAt(adviceFor({}, r))).toEqual(['outcome.ok → browser']);
  });
});
