import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { ev } from './support/evidence.js';

/** Ranking over real check output: the diagnosis is the cause to act on, the gateway is who said it. */
describe('ranking', () => {
  it("Envoy's 'Jwt is expired': token.expired first, the gateway beside it", () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(Date.parse('2026-11-27T09:00:00Z') / 1000);
    const token = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: 'u', exp })}.c2ln`;
    const report = analyze(
      ev({
        headers: { Authorization: `Bearer ${token}` },
        status: 401,
        responseHeaders: {
          'WWW-Authenticate': 'Bearer realm="https://api.example.com/v1/me", error="invalid_token"',
          'Content-Type': 'text/plain',
        },
        responseBody: 'Jwt is expired',
      }),
    );
    const ids = report.findings.filter((f) => f.kind === 'cause').map((f) => f.id);
    expect(ids[0]).toBe('token.expired');
    expect(report.findings[0]?.confidence).toBe('confirmed');
  });

  it('a cause turns into a warning when the request succeeded', () => {
    const report = analyze(
      ev({
        url: 'http://api.example.com/x',
        headers: { Authorization: 'Bearer "abc.def.ghi"' },
        status: 200,
      }),
    );
    expect(report.outcome).toBe('ok');
    expect(report.findings.filter((f) => f.kind === 'cause')).toEqual([]);
    expect(report.findings.some((f) => f.id === 'header.quoted' && f.kind === 'warning')).toBe(true);
  });
});
