import check from '../../src/checks/jwt-alg-none.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const P = seg({ sub: 'u1', exp: 1796000000 });
const auth = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });

testCheck(check, {
  valid: [
    {
      name: 'an RS256 token with a signature',
      input: auth(`${seg({ alg: 'RS256', typ: 'JWT' })}.${P}.c2lnbmF0dXJl`),
    },
    { name: 'an HS256 token with a signature', input: auth(`${seg({ alg: 'HS256' })}.${P}.c2ln`) },
    { name: 'an opaque token', input: auth('2YotnFZFEjr1zCsicMWpAA') },
    { name: 'a token that does not decode (token.malformed)', input: auth(`${seg({ alg: 'none' })}.${P}`) },
    { name: 'Basic credentials', input: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } },
  ],
  invalid: [
    {
      name: 'alg none with an empty signature',
      input: auth(`${seg({ alg: 'none' })}.${P}.`),
      expect: {
        id: 'jwt.alg-none',
        kind: 'cause',
        step: 3,
        confidence: 'confirmed',
        title: 'The token is unsigned (`"alg": "none"`)',
        mentions: ['signature segment is empty', 'RFC 8725'],
        evidence: [
          { probe: 'input', where: 'token.header.alg', value: 'none' },
          { probe: 'input', where: 'token.signature', value: '(empty)' },
        ],
        count: 1,
      },
    },
    {
      name: 'alg None in another case',
      input: auth(`${seg({ alg: 'None', typ: 'JWT' })}.${P}.`),
      expect: { confidence: 'confirmed', mentions: ['"alg": "None"'] },
    },
    {
      name: 'alg NONE with a signature segment anyway',
      input: auth(`${seg({ alg: 'NONE' })}.${P}.c2ln`),
      expect: { confidence: 'confirmed', mentions: ['yet it carries a signature segment'] },
    },
    {
      name: 'RS256 with the signature stripped',
      input: auth(`${seg({ alg: 'RS256' })}.${P}.`),
      expect: {
        confidence: 'confirmed',
        title: 'The token has no signature (empty third segment, though "alg" says RS256)',
        evidence: [{ where: 'token.header.alg', value: 'RS256' }],
      },
    },
    {
      name: 'no alg at all and no signature',
      input: auth(`${seg({ typ: 'JWT' })}.${P}.`),
      expect: {
        confidence: 'confirmed',
        title: 'The token has no signature (empty third segment, and no "alg")',
      },
    },
  ],
});
