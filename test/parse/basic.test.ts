import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseBasic } from '../../src/parse/basic.js';

/** Standard base64 of UTF-8 text, without Buffer (the parsers are platform-neutral; so are their tests). */
function b64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

describe('parseBasic', () => {
  it.each<[string, string, string, boolean]>([
    [b64('alice:secret'), 'alice', 'secret', false],
    [b64('alice:'), 'alice', '', false],
    [b64(':secret'), '', 'secret', false],
    [b64('alice:pa:ss:word'), 'alice', 'pa:ss:word', false], // RFC 7617 §2: user-id has no ":", the password may
    [b64('jürgen:pässwörd'), 'jürgen', 'pässwörd', true],
    [b64('u:€'), 'u', '€', true],
    [`  ${b64('alice:secret')}\t`, 'alice', 'secret', false], // surrounding spaces go
    ['YTpi', 'a', 'b', false], // no padding needed when the length is a multiple of 4
  ])('%j → %j / %j', (credentials, user, password, nonAscii) => {
    expect(parseBasic(credentials)).toEqual({ ok: true, user, password, nonAscii });
  });

  it('reads Latin-1 bytes as non-ASCII, with replacement characters', () => {
    // "u:pä" in ISO-8859-1: the byte 0xE4 alone is not UTF-8 (RFC 7617 §2.1: only UTF-8 is defined).
    const got = parseBasic(btoa('u:p\xe4'));
    expect(got).toEqual({ ok: true, user: 'u', password: 'p\ufffd', nonAscii: true });
  });

  it.each<[string, string]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc!', 'not-base64'],
    ['YWxp Y2U6', 'not-base64'], // a space inside
    [`${b64('alice:secret')}\n`, 'not-base64'], // a newline is a finding of its own, not trimmed away
    ['"YWxpY2U6c2VjcmV0"', 'not-base64'],
    ['YWxpY2U6c2VjcmV0ä', 'not-base64'],
    ['YWxp-2U6_2VjcmV0', 'base64url'],
    ['PDw_Pz4-', 'base64url'],
    ['YWxpY2U6c2VjcmV', 'bad-padding'], // 15 characters
    ['YWxpY2U6c2VjcmV0=', 'bad-padding'],
    ['YW=xpY2U6', 'bad-padding'],
    ['YQ===', 'bad-padding'],
    ['====', 'bad-padding'],
    [b64('alicesecret'), 'no-colon'],
    [b64(''), 'empty'],
  ])('%j → %s', (credentials, problem) => {
    const got = parseBasic(credentials);
    expect(got).toMatchObject({ ok: false, problem });
    if (!got.ok) expect(got.message).toMatch(/^The .*\.$/);
  });

  it('does not put the password in the message', () => {
    const got = parseBasic(b64('hunter2hunter2'));
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.message).not.toContain('hunter2');
  });
});

describe('parseBasic: properties', () => {
  it('never throws', () => {
    const anyChar = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    });
    const b64ish = fc.string({ unit: fc.constantFrom(...'AZaz09+/=-_: \t\n'.split('')) });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          anyChar,
          b64ish,
          fc.string({ unit: 'binary', maxLength: 5000 }),
        ),
        (s) => {
          const got = parseBasic(s);
          expect(typeof got.ok).toBe('boolean');
        },
      ),
    );
  });

  it('gives back any user:password', () => {
    const user = fc.string({ unit: 'binary' }).filter((u) => !u.includes(':'));
    fc.assert(
      fc.property(user, fc.string({ unit: 'binary' }), (u, p) => {
        const got = parseBasic(b64(`${u}:${p}`));
        expect(got).toEqual({ ok: true, user: u, password: p, nonAscii: /[^\0-\x7f]/.test(u + p) });
      }),
    );
  });
});
