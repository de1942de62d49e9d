import { expect } from 'vitest';
import check from '../../src/checks/token-expired.js';
import { testCheck } from '../support/check-tester.js';
import { NOW } from '../support/evidence.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const S = NOW / 1000; // 2026-11-27T12:00:00Z in seconds
const jwt = (payload: object) => `Bearer ${seg({ alg: 'RS256' })}.${seg(payload)}.c2ln`;
const http = (d: number) => new Date(NOW + d).toUTCString();

testCheck(check, {
  valid: [
    { name: 'valid for an hour', input: { headers: { Authorization: jwt({ exp: S + 3600 }) } } },
    { name: 'no exp claim', input: { headers: { Authorization: jwt({ sub: 'u1' }) } } },
    {
      name: 'exp as a string is not a NumericDate',
      input: { headers: { Authorization: jwt({ exp: String(S - 3600) }) } },
    },
    {
      name: 'expired by the local clock, valid by the server clock (local clock ahead)',
      input: {
        headers: { Authorization: jwt({ exp: S - 60 }) },
        responseHeaders: { Date: http(-10 * 60_000) },
      },
    },
    { name: 'an opaque token', input: { headers: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } } },
    { name: 'no token', input: {} },
  ],
  invalid: [
    {
      name: 'expired 3 hours ago: confirmed',
      input: {
        headers: { Authorization: jwt({ exp: S - 3 * 3600, iat: S - 4 * 3600 }) },
        responseHeaders: { Date: http(0) },
      },
      expect: {
        id: 'token.expired',
        kind: 'cause',
        step: 2,
        confidence: 'confirmed',
        title: 'The access token expired 3 hours ago',
        mentions: [
          'exp 2026-11-27T09:00:00Z',
          'lifetime 1 h',
          'server clock 2026-11-27T12:00:00Z (skew 0 s)',
        ],
        evidence: [
          { probe: 'input', where: 'token.exp', value: '2026-11-27T09:00:00Z' },
          { probe: 'main', where: 'response.header.date', value: http(0) },
        ],
        fix: expect.stringContaining('new access token'),
        count: 1,
      },
    },
    {
      name: 'expired 42 seconds ago: likely (within leeway)',
      input: { headers: { Authorization: jwt({ exp: S - 42 }) } },
      expect: {
        confidence: 'likely',
        title: 'The access token expired 42 seconds ago',
        mentions: ['ASP.NET Core 5 min', 'local clock'],
      },
    },
    {
      name: 'expired exactly now',
      input: { headers: { Authorization: jwt({ exp: S }) } },
      expect: { confidence: 'likely', title: 'The access token expired 0 seconds ago' },
    },
    {
      name: 'expired 6 minutes ago: confirmed',
      input: { headers: { Authorization: jwt({ exp: S - 360 }) } },
      expect: {
        confidence: 'confirmed',
        title: 'The access token expired 6 minutes ago',
        mentions: ['6 min before'],
      },
    },
    {
      name: 'expired 2 days ago',
      input: { headers: { Authorization: jwt({ exp: S - 2 * 86400 - 3600 }) } },
      expect: {
        confidence: 'confirmed',
        title: 'The access token expired 2 days ago',
        mentions: ['2 d 1 h'],
      },
    },
    {
      name: 'valid by the local clock, expired by the server clock (local clock behind)',
      input: {
        headers: { Authorization: jwt({ exp: S + 60 }) },
        responseHeaders: { Date: http(10 * 60_000) },
      },
      expect: {
        confidence: 'confirmed',
        title: 'The access token expired 9 minutes ago',
        mentions: ['skew +10 min'],
      },
    },
    {
      name: 'about to expire: possible',
      input: { headers: { Authorization: jwt({ exp: S + 12 }) } },
      expect: {
        confidence: 'possible',
        title: 'The access token expires in 12 seconds',
        fix: expect.stringContaining('60 s early'),
      },
    },
    {
      name: 'a token sent without a scheme is judged too',
      input: { headers: { Authorization: jwt({ exp: S - 7200 }).slice(7) } },
      expect: { confidence: 'confirmed', title: 'The access token expired 2 hours ago' },
    },
  ],
});
