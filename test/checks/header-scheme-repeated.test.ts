import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/checks/check.js';
import { deriveFacts } from '../../src/facts/request.js';
import check from '../../src/checks/header-scheme-repeated.js';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';

testCheck(check, {
  valid: [
    { name: 'one Bearer', input: { headers: { Authorization: `Bearer ${TOKEN}` } } },
    { name: 'one Basic', input: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } },
    {
      name: 'a token that merely starts with the letters "Bearer"',
      input: { headers: { Authorization: 'Bearer BearerXYZ123abc' } },
    },
    { name: 'a scheme alone', input: { headers: { Authorization: 'Bearer' } } },
    { name: 'no scheme at all', input: { headers: { Authorization: TOKEN } } },
    {
      name: 'Digest auth-params',
      input: { headers: { Authorization: 'Digest username="basic", realm="x"' } },
    },
  ],
  invalid: [
    {
      name: 'Bearer Bearer',
      input: { headers: { Authorization: `Bearer Bearer ${TOKEN}` } },
      expect: {
        id: 'header.scheme-repeated',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The Authorization header says `Bearer` twice (`Bearer Bearer …`)',
        evidence: [
          { probe: 'input', where: 'request.header.authorization', value: `Bearer Bearer ${TOKEN}` },
        ],
        fix: expect.stringContaining('Remove the second `Bearer`'),
        count: 1,
      },
    },
    {
      name: 'any case: Bearer bearer',
      input: { headers: { Authorization: `Bearer bearer ${TOKEN}` } },
      expect: { confidence: 'confirmed', mentions: ['`Bearer` twice'] },
    },
    {
      name: 'Basic Basic',
      input: { headers: { Authorization: 'Basic Basic dXNlcjpwYXNz' } },
      expect: { confidence: 'confirmed', mentions: ['`Basic` twice'] },
    },
    {
      name: 'Bearer Basic: two different schemes',
      input: { headers: { Authorization: 'Bearer Basic dXNlcjpwYXNz' } },
      expect: {
        confidence: 'confirmed',
        title: 'The Authorization header holds two schemes (`Bearer Basic …`)',
      },
    },
    {
      name: 'Bearer Bearer with nothing after',
      input: { headers: { Authorization: 'Bearer Bearer' } },
      expect: { confidence: 'confirmed', mentions: ['twice'] },
    },
    {
      name: 'Bearer Bearer: with a colon',
      input: { headers: { Authorization: `Bearer Bearer: ${TOKEN}` } },
      expect: { confidence: 'confirmed' },
    },
  ],
});

describe('header.scheme-repeated and curl flags', () => {
  it('names --oauth2-bearer when curl added the first Bearer', () => {
    const e = ev({ headers: [['Authorization', `Bearer Bearer ${TOKEN}`]] });
    e.request.headerOrigins = ['oauth2-bearer'];
    const [f] = check.run(deriveFacts(e)).map((d) => toFinding(check.meta, d));
    expect(f?.fix).toContain('`--oauth2-bearer` adds `Bearer ` itself');
  });
});
