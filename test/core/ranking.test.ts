import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveFacts } from '../../src/facts/request.js';
import { checks } from '../../src/checks/index.js';
import { analyze } from '../../src/core/analyze.js';
import type { Evidence, Exchange } from '../../src/model/evidence.js';
import type { Report } from '../../src/model/report.js';
import { ev, list, type EvInput } from '../support/evidence.js';

/**
 * The ranking and contradiction rules of issue 11, as a table of evidence → answer, and as a
 * property over random evidence: no finding the evidence contradicts, no id twice, and every cause
 * after the first says why it ranks lower.
 */

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: object, typ = 'at+jwt') =>
  `${b64({ alg: 'RS256', kid: 'k1', typ })}.${b64(claims)}.c2ln`;
const NOW_S = Math.floor(Date.parse('2026-11-27T12:00:00Z') / 1000);
const GOOD = jwt({
  iss: 'https://id.example.com/',
  sub: 'u1',
  aud: 'https://api.example.com',
  exp: NOW_S + 3600,
});
const EXPIRED = jwt({
  iss: 'https://id.example.com/',
  sub: 'u1',
  aud: 'https://api.example.com',
  exp: NOW_S - 7200,
});
const BARE = 'Bearer realm="api"';

/** Adds a repaired request (probe repair-1) with its final answer to built evidence. */
function withRepair(e: Evidence, cause: string, url: string, status: number): Evidence {
  const x: Exchange = {
    probe: 'repair-1',
    hop: 0,
    request: { method: e.request.method, url, headers: e.request.headers },
    response: { status, headers: [], body: '', bodyBytes: 0, bodyTruncated: false },
    startedAt: e.now,
    ms: 5,
  };
  return {
    ...e,
    exchanges: [...e.exchanges, x],
    repairs: [{ probe: 'repair-1', causes: [cause], change: 'the fix' }],
  };
}

interface Case {
  name: string;
  evidence: Evidence;
  first: string | undefined;
  absent?: string[];
  absorbed?: string[];
  verified?: boolean;
}

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

const CASES: Case[] = [
  {
    name: 'the body names the token invalid (its signature): nothing "not received"',
    evidence: ev({
      headers: auth(GOOD),
      status: 401,
      responseHeaders: { 'WWW-Authenticate': BARE, 'Content-Type': 'application/json' },
      responseBody: '{"error":"invalid_token","error_description":"signature verification failed"}',
      anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': BARE } },
    }),
    first: 'jwt.signature-invalid',
    absent: ['credentials.not-received', 'credentials.rejected'],
  },
  {
    name: 'a bare challenge, identical for the anonymous request: not received',
    evidence: ev({
      headers: auth(GOOD),
      status: 401,
      responseHeaders: { 'WWW-Authenticate': BARE, Server: 'Apache/2.4.57 (Debian)' },
      anonymous: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': BARE, Server: 'Apache/2.4.57 (Debian)' },
      },
    }),
    first: 'credentials.not-received',
  },
  {
    name: 'the anonymous request gets another answer: the credentials arrived',
    evidence: ev({
      headers: auth(GOOD),
      status: 401,
      responseHeaders: { 'WWW-Authenticate': BARE },
      responseBody: 'Could not validate credentials',
      anonymous: {
        status: 401,
        responseHeaders: { 'WWW-Authenticate': BARE },
        responseBody: 'Not authenticated',
      },
    }),
    first: 'credentials.rejected',
    absent: ['credentials.not-received'],
  },
  {
    name: 'an expired token refused with invalid_token: one cause, the refusal folded in',
    evidence: ev({
      headers: auth(EXPIRED),
      status: 401,
      responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
    }),
    first: 'token.expired',
    absent: ['credentials.rejected'],
    absorbed: ['credentials.rejected'],
  },
  {
    name: 'insufficient_scope: the scope finding absorbs the bare 403',
    evidence: ev({
      headers: auth(GOOD),
      status: 403,
      responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' },
    }),
    first: 'jwt.scope-insufficient',
    absent: ['authz.forbidden'],
    absorbed: ['authz.forbidden'],
  },
  {
    name: 'invalid_token with a scope parameter: no scope finding',
    evidence: ev({
      headers: auth(GOOD),
      status: 401,
      responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token", scope="admin"' },
    }),
    first: 'credentials.rejected',
    absent: ['jwt.scope-insufficient'],
  },
  {
    name: 'a 403 the anonymous request gets too: a rule about the request, not the account',
    evidence: ev({
      headers: auth(GOOD),
      status: 403,
      responseBody: 'Forbidden',
      anonymous: { status: 403, responseBody: 'Forbidden' },
    }),
    first: 'authz.request-rule',
    absent: ['authz.forbidden'],
  },
  {
    name: 'a 403 where the anonymous request gets 401: the account is refused',
    evidence: ev({
      headers: auth(GOOD),
      status: 403,
      responseBody: 'Forbidden',
      anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': BARE } },
    }),
    first: 'authz.forbidden',
    absent: ['authz.request-rule'],
  },
  {
    name: 'a repaired path that succeeds: Verified, and no other cause claimed',
    evidence: withRepair(
      ev({
        url: 'https://api.example.com//v1/me',
        headers: auth(GOOD),
        status: 401,
        responseHeaders: { 'WWW-Authenticate': BARE },
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': BARE } },
      }),
      'url.double-slash',
      'https://api.example.com/v1/me',
      200,
    ),
    first: 'url.double-slash',
    absent: ['credentials.not-received'],
    verified: true,
  },
  {
    name: 'a repaired path refused the same way: the double slash was not the cause',
    evidence: withRepair(
      ev({
        url: 'https://api.example.com//v1/me',
        headers: auth(GOOD),
        status: 401,
        responseHeaders: { 'WWW-Authenticate': BARE },
        anonymous: { status: 401, responseHeaders: { 'WWW-Authenticate': BARE } },
      }),
      'url.double-slash',
      'https://api.example.com/v1/me',
      401,
    ),
    first: 'credentials.not-received',
    absent: ['url.double-slash'],
  },
  {
    name: 'an ID token refused for its audience: one cause, not three',
    evidence: ev({
      headers: auth(
        jwt(
          {
            iss: 'https://id.example.com/',
            sub: 'u1',
            aud: 'web-client',
            nonce: 'n',
            at_hash: 'x',
            exp: NOW_S + 600,
          },
          'JWT',
        ),
      ),
      status: 401,
      responseHeaders: {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="Unexpected 'aud' value"`,
      },
    }),
    first: 'jwt.id-token-used',
    absent: ['credentials.rejected', 'jwt.audience-mismatch'],
  },
];

function causeIds(r: Report): string[] {
  return r.findings.filter((f) => f.kind === 'cause').map((f) => f.id);
}

describe('ranking by explanation: case table', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = analyze(c.evidence, { showSecrets: true });
      const ids = causeIds(r);
      expect(ids[0], ids.join(', ')).toBe(c.first);
      for (const a of c.absent ?? []) expect(r.findings.map((f) => f.id)).not.toContain(a);
      for (const a of c.absorbed ?? []) expect(r.findings[0]?.absorbed).toContain(a);
      if (c.verified) expect(r.findings[0]?.verified?.status).toBe(200);
      const ruled = r.checks.filter((x) => (c.absent ?? []).includes(x.id));
      for (const x of ruled) expect(x.status, x.id).not.toBe('error');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The property: any evidence from a space of realistic parts.

const challenge = fc.constantFrom(
  undefined,
  BARE,
  'Bearer realm="api", error="invalid_token"',
  'Bearer error="insufficient_scope", scope="admin write"',
  'Basic realm="x"',
  'Token',
  'Negotiate',
);
const body = fc.constantFrom(
  '',
  '{"error":"invalid_token"}',
  '{"message":"No Authorization was found in request.headers"}',
  '{"detail":"Authentication credentials were not provided."}',
  'Jwt is expired',
  'Forbidden',
  '<html><title>401 Authorization Required</title><center>nginx/1.22.1</center></html>',
);
const headers = fc.constantFrom<Record<string, string>>(
  {},
  auth(GOOD),
  auth(EXPIRED),
  { Authorization: GOOD },
  { Authorization: `Bearer "${GOOD}"` },
  { 'X-Auth-Token': GOOD },
  { Authorization: 'Basic Ym9iOndyb25n' },
  { Authorization: 'Token abcdefghijklmnop' },
);
const server = fc.constantFrom<Record<string, string>>(
  {},
  { Server: 'nginx/1.22.1' },
  { Server: 'Apache/2.4.57' },
);

const input = fc.record({
  status: fc.constantFrom(200, 400, 401, 403, 407),
  challenge,
  body,
  headers,
  server,
  url: fc.constantFrom('https://api.example.com/v1/me', 'https://api.example.com//v1/me'),
  anonymous: fc.option(fc.record({ status: fc.constantFrom(401, 403), challenge, body }), { nil: undefined }),
  repair: fc.option(
    fc.record({
      cause: fc.constantFrom(...checks.filter((c) => c.repair).map((c) => c.meta.id)),
      status: fc.constantFrom(200, 401),
    }),
    { nil: undefined },
  ),
});

const byId = new Map(checks.map((c) => [c.meta.id as string, c.meta]));

describe('ranking by explanation: properties', () => {
  it('no contradicted finding, no id twice, every later cause says why it ranks lower', () => {
    fc.assert(
      fc.property(input, (i) => {
        const rh: Record<string, string> = { ...i.server };
        if (i.challenge) rh['WWW-Authenticate'] = i.challenge;
        const e: EvInput = {
          url: i.url,
          headers: i.headers,
          status: i.status,
          responseHeaders: rh,
          responseBody: i.body,
        };
        if (i.anonymous)
          e.anonymous = {
            status: i.anonymous.status,
            responseHeaders: list(i.anonymous.challenge ? { 'WWW-Authenticate': i.anonymous.challenge } : {}),
            responseBody: i.anonymous.body,
          };
        let evidence = ev(e);
        if (i.repair) evidence = withRepair(evidence, i.repair.cause, i.url, i.repair.status);
        const r = analyze(evidence, { showSecrets: true });
        const ids = r.findings.map((f) => f.id);
        expect(new Set(ids).size, ids.join(', ')).toBe(ids.length);
        const facts = deriveFacts(evidence);
        for (const f of r.findings)
          if (f.kind === 'cause') expect(byId.get(f.id)?.contradictedBy?.(facts), f.id).toBeUndefined();
        const causes = r.findings.filter((f) => f.kind === 'cause');
        for (const f of causes.slice(1)) expect(f.whyLower, f.id).toBeTruthy();
        expect(r.checks.length).toBe(checks.length);
        for (const x of r.checks) expect(x.status, `${x.id}: ${x.reason ?? ''}`).not.toBe('error');
      }),
      { numRuns: 300 },
    );
  });
});
