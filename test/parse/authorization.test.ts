import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseAuthorization } from '../../src/parse/authorization.js';

describe('parseAuthorization', () => {
  it.each<[string, string | undefined, string]>([
    ['Bearer abc.def.ghi', 'Bearer', 'abc.def.ghi'],
    ['bearer abc', 'bearer', 'abc'],
    ['Basic dXNlcjpwYXNz', 'Basic', 'dXNlcjpwYXNz'],
    ['DPoP eyJhbGciOiJFUzI1NiJ9.e30.sig', 'DPoP', 'eyJhbGciOiJFUzI1NiJ9.e30.sig'],
    // RFC 9110 §11.4: 1*SP, so several spaces are still one separator; the checks judge them.
    ['Bearer   abc', 'Bearer', 'abc'],
    ['Bearer\tabc', 'Bearer', 'abc'],
    ['Bearer\u00a0abc', 'Bearer', 'abc'], // a non-breaking space still separates; header.non-ascii names it
    // Trailing whitespace stays in the credentials so the checks can see it.
    ['Bearer abc \n', 'Bearer', 'abc \n'],
    ['Bearer abc\r\n', 'Bearer', 'abc\r\n'],
    // Leading whitespace: the scheme is still found.
    ['  Bearer abc', 'Bearer', 'abc'],
    ['\tBasic dXNlcjpwYXNz', 'Basic', 'dXNlcjpwYXNz'],
    // Literal: the rest is credentials, whatever it holds.
    ['Bearer Bearer abc', 'Bearer', 'Bearer abc'],
    ['Bearer "abc"', 'Bearer', '"abc"'],
    ['Token abc', 'Token', 'abc'],
    ['JWT abc', 'JWT', 'abc'],
    ['Digest username="a", realm="b"', 'Digest', 'username="a", realm="b"'],
    [
      'AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/s3/aws4_request',
      'AWS4-HMAC-SHA256',
      'Credential=AKIA/20240101/us-east-1/s3/aws4_request',
    ],
    ['abc def', 'abc', 'def'],
    // A lone known scheme word: the credentials are missing.
    ['Bearer', 'Bearer', ''],
    ['basic', 'basic', ''],
    ['Bearer ', 'Bearer', ''],
    ['  DPoP  ', 'DPoP', ''],
    // No scheme: the whole value is the credentials.
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln', undefined, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln'],
    ['abc123', undefined, 'abc123'],
    ['abc123 ', undefined, 'abc123 '],
    [' abc123', undefined, ' abc123'],
    ['', undefined, ''],
    ['   ', undefined, '   '],
    ['Bearer"abc"', undefined, 'Bearer"abc"'],
    ['Bearer:abc', undefined, 'Bearer:abc'],
    ['"Bearer abc"', undefined, '"Bearer abc"'], // a quote is not a token character (RFC 9110 §5.6.2)
    ['dXNlcjpwYXNz==', undefined, 'dXNlcjpwYXNz=='],
  ])('%j → scheme %j, credentials %j', (raw, scheme, credentials) => {
    const got = parseAuthorization(raw);
    expect(got.raw).toBe(raw);
    expect(got.scheme).toBe(scheme);
    expect(got.credentials).toBe(credentials);
    expect('scheme' in got).toBe(scheme !== undefined);
  });
});

describe('parseAuthorization: properties', () => {
  const TOKEN = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,16}$/);

  it('never throws and keeps raw', () => {
    const anyChar = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), anyChar, fc.string({ unit: 'binary', maxLength: 5000 })),
        (raw) => {
          const got = parseAuthorization(raw);
          expect(got.raw).toBe(raw);
          if (got.scheme === undefined) expect(got.credentials).toBe(raw);
          else expect(raw.endsWith(got.credentials)).toBe(true);
        },
      ),
    );
  });

  it('gives back scheme and credentials', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ \t]{0,3}$/),
        TOKEN,
        fc.stringMatching(/^[ \t]{1,3}$/),
        fc.string({ unit: 'binary', minLength: 1 }).filter((c) => /^\S/.test(c)),
        (lead, scheme, gap, credentials) => {
          const got = parseAuthorization(`${lead}${scheme}${gap}${credentials}`);
          expect(got.scheme).toBe(scheme);
          expect(got.credentials).toBe(credentials);
        },
      ),
    );
  });
});
