import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeJwt, looksLikeJwt } from '../../src/parse/jwt.js';

/** base64url of UTF-8 text without padding (RFC 7515 §2), without Buffer. */
function b64u(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return b64uBytes(bin);
}
/** base64url of a byte string (one character per byte). */
function b64uBytes(bin: string): string {
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const seg = (v: unknown) => b64u(JSON.stringify(v));

const HEADER = { alg: 'RS256', typ: 'JWT', kid: 'k1' };
const PAYLOAD = { sub: 'u1', iss: 'https://issuer.example/', aud: 'api', exp: 1700000000, name: 'Jürgen ✓' };
const JWT = `${seg(HEADER)}.${seg(PAYLOAD)}.c2lnbmF0dXJl`;

describe('looksLikeJwt', () => {
  it.each<[string, boolean]>([
    [JWT, true],
    ['eyJhbGciOiJub25lIn0.', true],
    ['eyJ.x', true], // meant to be a JWT, even if broken: decodeJwt says what is wrong
    [`${seg(HEADER)}.${seg(PAYLOAD)}`, true], // two segments, starts eyJ
    [`${b64u('{ "alg": "HS256" }')}.${seg(PAYLOAD)}.sig`, true], // header written with a space: not eyJ
    [`${b64u('{ "alg": "HS256" }')}.${seg(PAYLOAD)}.`, true],
    ['eyJhbGciOiJSUzI1NiJ9', false], // no dot
    ['abc123', false],
    ['a.b.c', false], // the first segment is not JSON
    [`${b64u('[1]')}.e30.sig`, false], // JSON, but not an object
    [`${b64u('{ "a": 1 }')}.e30.s+g`, false], // not base64url
    ['', false],
    ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', false], // a GitHub token
  ])('%j → %s', (s, want) => expect(looksLikeJwt(s)).toBe(want));
});

describe('decodeJwt', () => {
  it('decodes header, payload and signature', () => {
    expect(decodeJwt(JWT)).toEqual({
      ok: true,
      jwt: { header: HEADER, payload: PAYLOAD, signature: 'c2lnbmF0dXJl' },
    });
  });

  it('allows an empty signature (alg none, RFC 7519 §6)', () => {
    const got = decodeJwt(`${seg({ alg: 'none' })}.${seg({ sub: 'x' })}.`);
    expect(got).toEqual({ ok: true, jwt: { header: { alg: 'none' }, payload: { sub: 'x' }, signature: '' } });
  });

  it.each<[string, string, string, RegExp]>([
    [
      'a JWE (5 segments)',
      'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d',
      'jwe',
      /encrypted JWT \(JWE\).*cannot be read without the key/,
    ],
    [
      '2 segments',
      `${seg(HEADER)}.${seg(PAYLOAD)}`,
      'segments',
      /2 segments \(header\.payload\).*no signature.*cut off/,
    ],
    ['no dots', 'eyJhbGciOiJSUzI1NiJ9', 'segments', /no dots/],
    ['4 segments', 'a.b.c.d', 'segments', /4 segments/],
    ['6 segments', 'a.b.c.d.e.f', 'segments', /6 segments/],
    [
      'standard base64 in the payload',
      `${seg(HEADER)}.ab+/.sig`,
      'base64',
      /payload segment uses standard base64/,
    ],
    [
      'padding in the header',
      `${b64u('{"alg":"none"}')}=.e30.sig`,
      'base64',
      /header segment ends with "=" padding/,
    ],
    ['a space in the payload', `${seg(HEADER)}.e30 x.sig`, 'base64', /payload segment contains " "/],
    [
      'an impossible length',
      `${seg(HEADER)}.abcde.sig`,
      'base64',
      /payload segment has an impossible base64url length/,
    ],
    [
      'a bad signature segment',
      `${seg(HEADER)}.e30.si+g`,
      'base64',
      /signature segment uses standard base64/,
    ],
    ['a trailing newline', `${JWT}\n`, 'base64', /signature segment contains "\\n"/],
    ['an empty header', `.${seg(PAYLOAD)}.sig`, 'json', /header segment is empty/],
    ['an empty payload', `${seg(HEADER)}..sig`, 'json', /payload segment is empty/],
    ['a header that is not JSON', `${b64u('alg:none')}.e30.sig`, 'json', /header segment is not valid JSON/],
    [
      'a payload that is not JSON',
      `${seg(HEADER)}.${b64u('{"sub":')}.sig`,
      'json',
      /payload segment is not valid JSON/,
    ],
    [
      'a payload that is not UTF-8',
      `${seg(HEADER)}.${b64uBytes('{"a":"\xff"}')}.sig`,
      'json',
      /payload segment does not decode to UTF-8/,
    ],
    ['a header that is an array', `${seg([1])}.e30.sig`, 'not-object', /header is JSON but an array/],
    [
      'a payload that is a string',
      `${seg(HEADER)}.${seg('x')}.sig`,
      'not-object',
      /payload is JSON but a string/,
    ],
    ['a payload that is null', `${seg(HEADER)}.${seg(null)}.sig`, 'not-object', /payload is JSON but null/],
    [
      'a payload that is a number',
      `${seg(HEADER)}.${seg(42)}.sig`,
      'not-object',
      /payload is JSON but a number/,
    ],
    ['the empty string', '', 'segments', /no dots/],
  ])('reports %s', (_name, raw, reason, message) => {
    const got = decodeJwt(raw);
    expect(got).toMatchObject({ ok: false, reason });
    if (!got.ok) {
      expect(got.message).toMatch(message);
      // One sentence for the user.
      expect(got.message).toMatch(/^The token[^.]*(\.[^ .][^.]*)*\.$/);
    }
  });
});

describe('decodeJwt: properties', () => {
  const anyChar = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
  const jwtish = fc.string({
    unit: fc.constantFrom('eyJ', '.', 'e30', 'a', '-', '_', '+', '/', '=', ' ', 'ä', 'W10'),
  });

  it('never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          anyChar,
          jwtish,
          fc.string({ unit: 'binary', maxLength: 5000 }),
        ),
        (s) => {
          expect(typeof looksLikeJwt(s)).toBe('boolean');
          const got = decodeJwt(s);
          if (!got.ok) expect(got.message.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('gives back any JSON objects', () => {
    const obj = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' }));
    const sig = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
    fc.assert(
      fc.property(obj, obj, sig, (header, payload, signature) => {
        const raw = `${seg(header)}.${seg(payload)}.${signature}`;
        // Through JSON once, as the decoder sees it (-0 becomes 0).
        const want = {
          header: JSON.parse(JSON.stringify(header)),
          payload: JSON.parse(JSON.stringify(payload)),
          signature,
        };
        expect(decodeJwt(raw)).toEqual({ ok: true, jwt: want });
        expect(looksLikeJwt(raw)).toBe(true);
      }),
    );
  });
});
