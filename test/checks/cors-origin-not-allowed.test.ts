import { describe, expect, it } from 'vitest';
import check from '../../src/checks/cors-origin-not-allowed.js';
import { deriveFacts } from '../../src/facts/request.js';
import { testCheck } from '../support/check-tester.js';
import { ev } from '../support/evidence.js';

const ORIGIN = 'https://app.example.com';
const AUTH = { Authorization: 'Bearer abc.def.ghi' };
const PF = { 'Access-Control-Allow-Origin': ORIGIN, 'Access-Control-Allow-Headers': 'authorization' };

testCheck(check, {
  valid: [
    {
      name: 'the exact origin on the preflight and on the actual response',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': ORIGIN, Vary: 'Origin' },
        preflight: { status: 204, responseHeaders: PF },
      },
    },
    {
      name: '`*` without credentials',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': '*' },
        preflight: { status: 204, responseHeaders: { ...PF, 'Access-Control-Allow-Origin': '*' } },
      },
    },
    {
      name: '`*` with cookies is cors.credentials-wildcard, not this',
      input: {
        headers: { Cookie: 'sid=1' },
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': '*' },
      },
    },
    {
      name: 'a refused preflight without the header is cors.preflight-rejected',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': ORIGIN },
        preflight: { status: 401 },
      },
    },
    {
      name: 'same-origin request: no CORS headers needed',
      input: { headers: AUTH, origin: 'https://api.example.com', status: 200, preflight: { status: 204 } },
    },
    { name: 'no --origin', input: { headers: AUTH, status: 200 } },
  ],
  invalid: [
    {
      name: 'the preflight answer has no Access-Control-Allow-Origin',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': ORIGIN },
        preflight: { status: 204, responseHeaders: { 'Access-Control-Allow-Headers': 'authorization' } },
      },
      expect: {
        id: 'cors.origin-not-allowed',
        kind: 'cause',
        step: 0,
        confidence: 'confirmed',
        count: 1,
        title: 'The preflight answer has no Access-Control-Allow-Origin for https://app.example.com',
        mentions: [
          'there is no Access-Control-Allow-Origin header',
          'the real request never leaves the browser',
        ],
        fix: expect.stringContaining(
          '`Access-Control-Allow-Origin: https://app.example.com`',
        ) as unknown as string,
        evidence: [
          { probe: 'preflight', where: 'request.header.origin', value: ORIGIN },
          { probe: 'preflight', where: 'response.status', value: '204' },
        ],
      },
    },
    {
      name: 'another origin on the actual 200 (a simple GET, no preflight)',
      input: {
        headers: { Accept: 'application/json' },
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': 'https://admin.example.com' },
      },
      expect: {
        kind: 'cause',
        confidence: 'confirmed',
        title:
          "The Access-Control-Allow-Origin of the actual response (GET → 200) does not match the page's origin https://app.example.com",
        mentions: ['names https://admin.example.com, another origin', 'hides the response from the page'],
        evidence: [
          { probe: 'main', where: 'request.header.origin', value: ORIGIN },
          {
            probe: 'main',
            where: 'response.header.access-control-allow-origin',
            value: 'https://admin.example.com',
          },
        ],
      },
    },
    {
      name: 'a trailing slash: the same origin written differently',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': ORIGIN },
        preflight: { status: 204, responseHeaders: { ...PF, 'Access-Control-Allow-Origin': `${ORIGIN}/` } },
      },
      expect: { count: 1, mentions: ["the page's origin written differently", 'byte for byte'] },
    },
    {
      name: 'http instead of https',
      input: {
        origin: ORIGIN,
        status: 200,
        responseHeaders: { 'Access-Control-Allow-Origin': 'http://app.example.com' },
      },
      expect: { mentions: ['scheme, host and port must all match'] },
    },
    {
      name: '`null`',
      input: { origin: ORIGIN, status: 200, responseHeaders: { 'Access-Control-Allow-Origin': 'null' } },
      expect: { mentions: ['the opaque origin `null`'] },
    },
    {
      name: 'two values (a proxy and the app both add it)',
      input: {
        origin: ORIGIN,
        status: 200,
        responseHeaders: [
          ['Access-Control-Allow-Origin', ORIGIN],
          ['Access-Control-Allow-Origin', '*'],
        ],
      },
      expect: {
        mentions: ['holds several values (https://app.example.com, *)'],
        evidence: [
          { where: 'response.header.access-control-allow-origin', value: 'https://app.example.com, *' },
        ],
      },
    },
    {
      name: 'the 401 has no CORS headers: a warning, the 401 has its own cause',
      input: {
        headers: AUTH,
        origin: ORIGIN,
        status: 401,
        responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        preflight: { status: 204, responseHeaders: PF },
      },
      expect: {
        kind: 'warning',
        confidence: 'confirmed',
        count: 1,
        title:
          'The actual response (GET → 401) has no Access-Control-Allow-Origin for https://app.example.com',
        mentions: ['instead of the 401'],
        fix: expect.stringContaining('run the CORS middleware before authentication') as unknown as string,
      },
    },
    {
      name: 'both the preflight and the actual response lack it: two findings',
      input: { headers: AUTH, origin: ORIGIN, status: 200, preflight: { status: 204 } },
      expect: { count: 2, confidence: 'confirmed' },
    },
  ],
});

describe('cors.origin-not-allowed: the actual response', () => {
  it('is the next problem, a warning, while the preflight fails', () => {
    const found = check.run(
      deriveFacts(ev({ headers: AUTH, origin: ORIGIN, status: 200, preflight: { status: 204 } })),
    );
    expect(found.map((d) => d.kind ?? 'cause')).toEqual(['cause', 'warning']);
    expect(found[0]!.evidence).toContainEqual({ probe: 'preflight', where: 'response.status', value: '204' });
    expect(found[1]!.detail).toContain('The browser does not get this far while the preflight fails');
  });

  it('gives no verdict when the request did not carry Origin (servers may leave CORS headers out then)', () => {
    const e = ev({ origin: ORIGIN, status: 200 });
    for (const x of e.exchanges) x.request.headers = x.request.headers.filter(([n]) => n !== 'Origin');
    expect(check.run(deriveFacts(e))).toEqual([]);
  });
});
