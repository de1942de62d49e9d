import check from '../../src/checks/token-malformed.js';
import { testCheck } from '../support/check-tester.js';

// {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890"} . signature
const H = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const P = 'eyJzdWIiOiIxMjM0NTY3ODkwIn0';
const S = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const JWT = `${H}.${P}.${S}`;

testCheck(check, {
  valid: [
    { name: 'a well-formed JWT', input: { headers: { Authorization: `Bearer ${JWT}` } } },
    {
      name: 'an opaque token is not judged',
      input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } },
    },
    {
      name: 'an unsigned JWT decodes (jwt.alg-none reports it)',
      input: { headers: { Authorization: `Bearer eyJhbGciOiJub25lIn0.${P}.` } },
    },
    { name: 'Basic credentials', input: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } },
    { name: 'no Authorization header', input: { headers: { 'X-API-Key': 'eyJ...' } } },
    {
      name: 'two Authorization headers (header.duplicate)',
      input: {
        headers: [
          ['Authorization', `Bearer ${H}.${P}`],
          ['Authorization', `Bearer ${H}.${P}`],
        ],
      },
    },
  ],
  invalid: [
    {
      name: 'two segments: cut off',
      input: { headers: { Authorization: `Bearer ${H}.${P}` } },
      expect: {
        id: 'token.malformed',
        kind: 'cause',
        step: 3,
        confidence: 'likely',
        mentions: ['2 segments', 'may have been cut off'],
        evidence: [{ probe: 'input', where: 'request.header.authorization', value: `Bearer ${H}.${P}` }],
        count: 1,
      },
    },
    {
      name: 'bad base64url in the payload',
      input: { headers: { Authorization: `Bearer ${H}.eyJzdWIi+/OiIx.${S}` } },
      expect: { confidence: 'likely', mentions: ['payload segment uses standard base64'] },
    },
    {
      name: 'payload is not JSON',
      input: { headers: { Authorization: `Bearer ${H}.bm90IGpzb24.${S}` } },
      expect: { confidence: 'likely', mentions: ['not valid JSON'] },
    },
    {
      name: 'four segments',
      input: { headers: { Authorization: `Bearer ${JWT}.${S}` } },
      expect: { confidence: 'likely', mentions: ['4 segments'] },
    },
    {
      name: 'a token without a scheme is judged too',
      input: { headers: { Authorization: `${H}.${P}` } },
      expect: { confidence: 'likely', mentions: ['2 segments'] },
    },
    {
      name: 'ends with an ellipsis (…)',
      input: { headers: { Authorization: `Bearer ${H}.${P}.SflKx\u2026` } },
      expect: {
        confidence: 'likely',
        title: 'The bearer token ends in an ellipsis: it was copied truncated',
        mentions: ['the rest of the token is missing'],
        count: 1,
      },
    },
    {
      name: 'ends with three dots',
      input: { headers: { Authorization: `Bearer ${H}.${P.slice(0, 10)}...` } },
      expect: { confidence: 'likely', mentions: ['truncated', '"..."'] },
    },
    {
      name: 'an opaque token ending in …',
      input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zC\u2026' } },
      expect: { confidence: 'likely', mentions: ['truncated'] },
    },
    {
      name: 'a JWE: possible',
      input: { headers: { Authorization: `Bearer eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d` } },
      expect: { confidence: 'possible', mentions: ['encrypted JWT (JWE)'] },
    },
  ],
});
