import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Evidence, Exchange } from '../../src/model/evidence.js';
import { renderText } from '../../src/render/text.js';
import { visibleLength } from '../../src/render/wrap.js';
import { ev } from '../support/evidence.js';

/**
 * The terminal report, answer first and wrapped: snapshots at 60, 80 and 120 columns, and the
 * rules the snapshots only show: the first screen is the answer, no line is wider than the
 * terminal unless one word is, and no internal word reaches the reader.
 */
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const NOW_S = Math.floor(Date.parse('2026-11-27T12:00:00Z') / 1000);
const TOKEN = `${b64({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })}.${b64({
  iss: 'https://login.example.com/',
  sub: 'alice',
  aud: 'https://api.example.com',
  exp: NOW_S - 3 * 3600,
  iat: NOW_S - 4 * 3600,
})}.c2lnbmF0dXJl`;

const FRESH = `${b64({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })}.${b64({
  iss: 'https://login.example.com/',
  sub: 'alice',
  aud: 'https://api.example.com',
  exp: NOW_S + 3600,
})}.c2lnbmF0dXJl`;

function expired(): Evidence {
  return ev({
    headers: { Authorization: `Bearer ${TOKEN}` },
    status: 401,
    responseHeaders: {
      'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="jwt expired"',
      Date: 'Thu, 27 Nov 2026 12:00:00 GMT',
      'X-Request-Id': '1fe08ff0-5a3c-4b8e-9d1e-2a7f3c9b0d41',
    },
    anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
  });
}

function doubleSlashRepaired(): Evidence {
  const e = ev({
    url: 'https://api.example.com//v1/me',
    headers: { Authorization: `Bearer ${FRESH}` },
    status: 401,
    responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' },
    anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } },
  });
  const x: Exchange = {
    probe: 'repair-1',
    hop: 0,
    request: { method: 'GET', url: 'https://api.example.com/v1/me', headers: e.request.headers },
    response: { status: 200, headers: [], body: '{}', bodyBytes: 2, bodyTruncated: false },
    startedAt: e.now,
    ms: 12,
  };
  return {
    ...e,
    exchanges: [...e.exchanges, x],
    repairs: [
      { probe: 'repair-1', causes: ['url.double-slash'], change: 'the path /v1/me without the double slash' },
    ],
  };
}

const notFound = () => ev({ status: 404, responseBody: 'Not Found' });

const CASES: Array<[string, () => Evidence]> = [
  ['an expired token', expired],
  ['a double slash, repaired and Verified', doubleSlashRepaired],
  ['a 404: not an auth problem', notFound],
];

describe('the text report', () => {
  for (const [name, make] of CASES) {
    for (const width of [60, 80, 120]) {
      it(`${name} at ${width} columns`, () => {
        const text = renderText(analyze(make()), { color: false, width });
        expect(text).toMatchSnapshot();
        for (const line of text.split('\n')) {
          // A line may be wider only when one word is (a URL, a command) or it is a probe row.
          if (visibleLength(line) <= width) continue;
          const longest = Math.max(
            ...line
              .trim()
              .split(' ')
              .map((w) => w.length),
          );
          const probeRow = /^ {2}\S+\s+(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) /.test(line);
          const command = /^ {4}curl /.test(line);
          expect(probeRow || command || longest > width / 2, `too wide at ${width}: ${line}`).toBe(true);
        }
      });
    }
  }

  it('answer first: what is wrong, then what to do, then the proof', () => {
    const lines = renderText(analyze(doubleSlashRepaired()), { color: false, width: 80 }).split('\n');
    expect(lines[2]).toMatch(/^✖ The path \/\/v1\/me has a double slash/);
    expect(lines[3]).toMatch(/^→ Type the path exactly as the API documents it/);
    const at = lines.findIndex((l) => l.includes('✔ Verified:'));
    expect(at).toBe(5);
    expect(`${lines[at]} ${lines[at + 1]?.trim()}`).toContain('got 200 OK');
  });

  it('no internal words: a 404 is explained, not called an outcome', () => {
    const text = renderText(analyze(notFound()), { color: false, width: 80 });
    expect(text).toContain('The server answered 404 Not Found: the address does not exist there.');
    expect(text).not.toMatch(/outcome/);
  });

  it('request ids are listed once', () => {
    const text = renderText(analyze(expired()), { color: false, width: 120 });
    expect(text.split('1fe08ff0-5a3c-4b8e-9d1e-2a7f3c9b0d41').length - 1).toBe(1);
  });
});
