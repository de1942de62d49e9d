import { expect } from 'vitest';
import check from '../../src/checks/header-non-ascii.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';

testCheck(check, {
  valid: [
    { name: 'a plain Bearer token', input: { headers: { Authorization: `Bearer ${TOKEN}` } } },
    {
      name: 'spaces and a newline are header.whitespace',
      input: { headers: { Authorization: `Bearer  ${TOKEN}\r\n` } },
    },
    {
      name: 'typographic quotes around the token are header.quoted',
      input: { headers: { Authorization: `Bearer \u201C${TOKEN}\u201D` } },
    },
    { name: 'a plain API key', input: { headers: { 'X-API-Key': 'k_123456' } } },
    { name: 'non-ASCII in another header', input: { headers: { 'X-Name': 'Jürgen' } } },
  ],
  invalid: [
    {
      name: 'a zero-width space',
      input: { headers: { Authorization: `Bearer \u200B${TOKEN}` } },
      expect: {
        id: 'header.non-ascii',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The Authorization header contains ZERO WIDTH SPACE (U+200B) at character 8',
        mentions: ['Invisible characters'],
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: `Bearer \u200B${TOKEN}` }],
        count: 1,
      },
    },
    {
      name: 'a no-break space between scheme and token',
      input: { headers: { Authorization: `Bearer\u00A0${TOKEN}` } },
      expect: { confidence: 'confirmed', mentions: ['NO-BREAK SPACE (U+00A0) at character 7', 'web page'] },
    },
    {
      name: 'a BOM at the start (file saved with a BOM)',
      input: { headers: { Authorization: `\uFEFFBearer ${TOKEN}` } },
      expect: {
        confidence: 'confirmed',
        mentions: ['BYTE ORDER MARK', 'at character 1'],
        fix: expect.stringContaining('without BOM'),
      },
    },
    {
      name: 'an ellipsis: copied truncated from a UI',
      input: { headers: { Authorization: `Bearer ${TOKEN.slice(0, 20)}\u2026` } },
      expect: {
        confidence: 'confirmed',
        mentions: ['HORIZONTAL ELLIPSIS (U+2026) at character 28', 'copied truncated from a UI'],
        fix: expect.stringContaining('copy button'),
      },
    },
    {
      name: 'an en dash copied from a document, in an API key',
      input: { headers: { 'X-API-Key': 'k\u2013123456' } },
      expect: {
        confidence: 'confirmed',
        title: 'The X-API-Key header contains EN DASH (U+2013) at character 2',
        mentions: ['copied from a document'],
        evidence: [{ where: 'request.header.x-api-key', value: 'k\u2013123456' }],
      },
    },
    {
      name: 'an em dash',
      input: { headers: { Authorization: `Bearer abc\u2014def` } },
      expect: { confidence: 'confirmed', mentions: ['EM DASH (U+2014)'] },
    },
    {
      name: 'a typographic quote inside the token',
      input: { headers: { Authorization: `Bearer abc\u2019def` } },
      expect: { confidence: 'confirmed', mentions: ['RIGHT SINGLE QUOTATION MARK (U+2019) at character 11'] },
    },
    {
      name: 'ZWNJ and ZWJ: several characters in one finding',
      input: { headers: { Authorization: `Bearer ab\u200Ccd\u200Def` } },
      expect: {
        confidence: 'confirmed',
        title: 'The Authorization header contains 2 non-ASCII characters',
        mentions: [
          'ZERO WIDTH NON-JOINER (U+200C) at character 10',
          'ZERO WIDTH JOINER (U+200D) at character 13',
        ],
        count: 1,
      },
    },
    {
      name: 'a control character',
      input: { headers: { Authorization: `Bearer abc\u0007def` } },
      expect: { confidence: 'confirmed', mentions: ['Control character U+0007'] },
    },
    {
      name: 'an accented letter',
      input: { headers: { Authorization: 'Bearer abcé' } },
      expect: {
        confidence: 'confirmed',
        mentions: ['U+00E9 "é" at character 11', 'tokens and keys are ASCII'],
      },
    },
  ],
});
