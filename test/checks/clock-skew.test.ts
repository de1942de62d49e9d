import { expect } from 'vitest';
import check from '../../src/checks/clock-skew.js';
import { testCheck } from '../support/check-tester.js';
import { NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000;
const jwt = (payload: object) => ({ Authorization: `Bearer ${seg({ alg: 'RS256' })}.${seg(payload)}.c2ln` });
const http = (d: number) => new Date(NOW + d).toUTCString();

testCheck(check, {
  valid: [
    { name: 'clocks agree', input: { responseHeaders: { Date: http(0) } } },
    { name: '59 s apart is normal', input: { responseHeaders: { Date: http(59_000) } } },
    { name: 'no Date header', input: { status: 401 } },
    { name: 'an unparsable Date', input: { responseHeaders: { Date: 'yesterday' } } },
  ],
  invalid: [
    {
      name: 'the local clock is 4 min 10 s behind',
      input: { responseHeaders: { Date: http(250_000) } },
      expect: {
        id: 'clock.skew',
        kind: 'warning',
        step: 4,
        confidence: 'confirmed',
        title: "This machine's clock is 4 min 10 s behind the server's",
        mentions: [`Date: ${http(250_000)}`, '2026-11-27T12:00:00Z'],
        evidence: [
          { probe: 'main', where: 'response.header.date', value: http(250_000) },
          { probe: 'clock', where: 'local.now', value: '2026-11-27T12:00:00Z' },
        ],
        fix: expect.stringContaining('NTP'),
        count: 1,
      },
    },
    {
      name: 'the local clock is 2 hours ahead',
      input: { responseHeaders: { Date: http(-2 * 3600_000) } },
      expect: { kind: 'warning', title: "This machine's clock is 2 h ahead of the server's" },
    },
    {
      name: 'a skew that does not change the token verdict stays a warning',
      input: { headers: jwt({ exp: S + 3600 }), responseHeaders: { Date: http(5 * 60_000) } },
      expect: { kind: 'warning' },
    },
    {
      name: 'valid locally, expired by the server clock: a cause',
      input: { headers: jwt({ exp: S + 120 }), responseHeaders: { Date: http(10 * 60_000) } },
      expect: {
        kind: 'cause',
        confidence: 'confirmed',
        title: "This machine's clock is 10 min behind the server's, which turns the token invalid",
        mentions: ['valid for 2 min more', 'expired 8 min ago'],
        evidence: [{ where: 'token.exp', value: '2026-11-27T12:02:00Z' }],
        fix: expect.stringContaining('get a new token'),
      },
    },
    {
      name: 'valid locally, not yet valid by the server clock: a cause',
      input: { headers: jwt({ nbf: S - 60, exp: S + 3600 }), responseHeaders: { Date: http(-5 * 60_000) } },
      expect: {
        kind: 'cause',
        mentions: ['not valid for another 4 min'],
        evidence: [{ where: 'token.nbf' }],
      },
    },
    {
      name: 'expired by both clocks: the skew is not the cause',
      input: { headers: jwt({ exp: S - 3600 }), responseHeaders: { Date: http(5 * 60_000) } },
      expect: { kind: 'warning' },
    },
  ],
});
