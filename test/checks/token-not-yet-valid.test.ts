import { expect } from 'vitest';
import check from '../../src/checks/token-not-yet-valid.js';
import { testCheck } from '../support/check-tester.js';
import { NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000;
const jwt = (payload: object) => ({ Authorization: `Bearer ${seg({ alg: 'RS256' })}.${seg(payload)}.c2ln` });
const http = (d: number) => new Date(NOW + d).toUTCString();

testCheck(check, {
  valid: [
    { name: 'nbf and iat in the past', input: { headers: jwt({ nbf: S - 60, iat: S - 60, exp: S + 3600 }) } },
    { name: 'no nbf or iat', input: { headers: jwt({ exp: S + 3600 }) } },
    { name: 'iat 30 s ahead is within slack', input: { headers: jwt({ iat: S + 30 }) } },
    {
      name: 'nbf ahead of the local clock but not of the server clock',
      input: { headers: jwt({ nbf: S + 120 }), responseHeaders: { Date: http(5 * 60_000) } },
    },
    { name: 'nbf as a string is ignored', input: { headers: jwt({ nbf: String(S + 3600) }) } },
    { name: 'an opaque token', input: { headers: { Authorization: 'Bearer abc' } } },
  ],
  invalid: [
    {
      name: 'nbf 10 minutes ahead: confirmed',
      input: {
        headers: jwt({ nbf: S + 600, iat: S + 600, exp: S + 4200 }),
        responseHeaders: { Date: http(0) },
      },
      expect: {
        id: 'token.not-yet-valid',
        kind: 'cause',
        step: 2,
        confidence: 'confirmed',
        title: 'The token is not valid for another 10 minutes (nbf lies in the future)',
        mentions: [
          'nbf 2026-11-27T12:10:00Z',
          'iat 2026-11-27T12:10:00Z',
          "clock is wrong somewhere: the issuer's or the API's",
          'skew 0 s',
        ],
        evidence: [
          { probe: 'input', where: 'token.nbf', value: '2026-11-27T12:10:00Z' },
          { probe: 'input', where: 'token.iat', value: '2026-11-27T12:10:00Z' },
          { probe: 'main', where: 'response.header.date' },
        ],
        fix: expect.stringContaining('NTP'),
        count: 1,
      },
    },
    {
      name: 'nbf 20 seconds ahead: likely',
      input: { headers: jwt({ nbf: S + 20 }) },
      expect: {
        confidence: 'likely',
        title: 'The token is not valid for another 20 seconds (nbf lies in the future)',
      },
    },
    {
      name: 'iat 3 minutes ahead: likely',
      input: { headers: jwt({ iat: S + 180, exp: S + 3780 }) },
      expect: {
        confidence: 'likely',
        title: 'The token was issued 3 minutes in the future (iat)',
        evidence: [{ where: 'token.iat' }],
      },
    },
    {
      name: 'iat 2 hours ahead: confirmed',
      input: { headers: jwt({ iat: S + 7200 }) },
      expect: { confidence: 'confirmed', mentions: ['2 hours in the future', 'issued 2 h after'] },
    },
    {
      name: 'the server clock is behind the local clock',
      input: { headers: jwt({ nbf: S - 60 }), responseHeaders: { Date: http(-10 * 60_000) } },
      expect: { confidence: 'confirmed', mentions: ['skew -10 min'] },
    },
  ],
});
