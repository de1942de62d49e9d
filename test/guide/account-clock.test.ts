import { describe, expect, it } from 'vitest';
import { accountFromAuthorization, clockSkewSeconds } from '../../src/guide/index.js';
import { NOW } from '../support/evidence.js';
import { CLAIMS, DATE, jwt, report, SEC } from './fixtures.js';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('accountFromAuthorization', () => {
  const all = {
    email: 'alice@example.com',
    preferred_username: 'alice.p',
    upn: 'alice@corp.example',
    name: 'Alice Example',
    sub: '248289761001',
  };
  it.each([
    ['email', all, 'alice@example.com'],
    ['preferred_username', { ...all, email: undefined }, 'alice.p'],
    ['upn', { ...all, email: undefined, preferred_username: undefined }, 'alice@corp.example'],
    ['name', { name: 'Alice Example', sub: '248289761001' }, 'Alice Example'],
    ['sub', { sub: '248289761001' }, '248289761001'],
  ])('a JWT names the account by its %s claim', (_claim, claims, expected) => {
    expect(accountFromAuthorization(`Bearer ${jwt({ ...claims, exp: SEC + 60 })}`)).toBe(expected);
  });

  it('reads DPoP tokens, bare tokens and stray quotes alike', () => {
    const t = jwt({ email: 'bob@example.com' });
    expect(accountFromAuthorization(`DPoP ${t}`)).toBe('bob@example.com');
    expect(accountFromAuthorization(t)).toBe('bob@example.com');
    expect(accountFromAuthorization(`  Bearer "${t}" `)).toBe('bob@example.com');
  });

  it('Basic: the user name, never the password', () => {
    const secret = 'Pa55word-CANARY-91f3';
    const a = accountFromAuthorization(basic(`alice:${secret}`));
    expect(a).toBe('alice');
    expect(a).not.toContain(secret);
    expect(accountFromAuthorization(basic('j\u00fcrgen:p\u00e4ss'))).toBe('j\u00fcrgen');
  });

  it('nothing when there is no account to name, or when the "user name" may be a key', () => {
    expect(accountFromAuthorization(basic('sk_live_51HxYz0123456789abcdef:'))).toBeUndefined();
    expect(accountFromAuthorization('Basic YWxpY2U=')).toBeUndefined(); // "alice", no colon
    expect(accountFromAuthorization('Bearer opaque-token-0123456789')).toBeUndefined();
    expect(accountFromAuthorization(`Bearer ${jwt({ scope: 'read', exp: SEC })}`)).toBeUndefined();
    expect(accountFromAuthorization(`Bearer ${jwt({ email: 'x\ny@example.com' })}`)).toBeUndefined();
    expect(accountFromAuthorization('Bearer ${TOKEN}')).toBeUndefined();
    expect(accountFromAuthorization('')).toBeUndefined();
  });
});

describe('clockSkewSeconds', () => {
  const at = (date: string | undefined) =>
    report({
      headers: { Authorization: `Bearer ${jwt({ ...CLAIMS, exp: SEC + 3600 })}` },
      status: 200,
      responseHeaders: date ? { Date: date } : {},
    });

  it("is the device clock minus the server's Date, in seconds", () => {
    expect(clockSkewSeconds(at(DATE), NOW)).toBe(0);
    expect(clockSkewSeconds(at(DATE), NOW + 90_000)).toBe(90);
    expect(clockSkewSeconds(at(DATE), NOW - 3_600_000)).toBe(-3600);
    expect(clockSkewSeconds(at(new Date(NOW - 300_000).toUTCString()), NOW)).toBe(300);
  });

  it('reads the last answer of the main probe (after redirects)', () => {
    const r = report({
      hops: [
        { status: 302, responseHeaders: { Location: '/next', Date: new Date(NOW - 999_000).toUTCString() } },
      ],
      status: 200,
      responseHeaders: { Date: DATE },
    });
    expect(clockSkewSeconds(r, NOW + 5000)).toBe(5);
  });

  it('is undefined without a readable Date', () => {
    expect(clockSkewSeconds(at(undefined), NOW)).toBeUndefined();
    expect(clockSkewSeconds(at('not a date'), NOW)).toBeUndefined();
    expect(clockSkewSeconds(at(DATE), Number.NaN)).toBeUndefined();
  });
});
