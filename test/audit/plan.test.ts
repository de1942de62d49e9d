import { describe, expect, it } from 'vitest';
import { MALFORMED_TOKEN, PREFLIGHT_ORIGIN, planOperation, type PlanInput } from '../../src/audit/plan.js';
import type { Operation, SecurityScheme } from '../../src/audit/types.js';

const op = (method: string, extra: Partial<Operation> = {}): Operation => ({
  method,
  path: '/items',
  target: '/items',
  security: [[{ scheme: 's', scopes: [] }]],
  documentedOpen: false,
  jsonBody: false,
  source: 'openapi',
  ...extra,
});
const INPUT: PlanInput = {
  baseUrl: 'https://api.example.test/v1/',
  token: 'good-token-0123456789',
  tokenLow: 'low-token-0123456789',
  expiredToken: 'eyJexpired.x.y',
  headers: [['X-Tenant', 't1']],
  allowUnsafe: false,
  userAgent: 'ua',
};
const BEARER: SecurityScheme = { name: 's', type: 'http', httpScheme: 'bearer' };
const header = (h: Array<[string, string]>, name: string) =>
  h.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

describe('the request plan of one operation', () => {
  it('a bearer operation: seven requests, each as a client or a browser would send it', () => {
    const plan = planOperation(op('GET'), [BEARER], INPUT);
    expect(plan.map((p) => p.kind)).toEqual([
      'anonymous',
      'malformed',
      'expired',
      'low',
      'valid',
      'query-token',
      'preflight',
    ]);
    const by = Object.fromEntries(plan.map((p) => [p.kind, p]));
    expect(by.anonymous!.url).toBe('https://api.example.test/v1/items');
    expect(header(by.anonymous!.headers, 'authorization')).toBeUndefined();
    expect(header(by.anonymous!.headers, 'x-tenant')).toBe('t1');
    expect(header(by.malformed!.headers, 'authorization')).toBe(`Bearer ${MALFORMED_TOKEN}`);
    expect(header(by.low!.headers, 'authorization')).toBe('Bearer low-token-0123456789');
    expect(by['query-token']!.url).toBe(
      'https://api.example.test/v1/items?access_token=good-token-0123456789',
    );
    expect(header(by['query-token']!.headers, 'authorization')).toBeUndefined();
    // Fetch's CORS-preflight fetch: no credentials, none of the extra headers, the method and header asked for.
    expect(by.preflight!.headers).toEqual([
      ['Origin', PREFLIGHT_ORIGIN],
      ['Access-Control-Request-Method', 'GET'],
      ['Access-Control-Request-Headers', 'authorization'],
      ['User-Agent', 'ua'],
    ]);
  });

  it('API keys go where the document puts them; Basic is encoded; no expired JWT for them', () => {
    const key = (where: 'header' | 'query' | 'cookie'): SecurityScheme => ({
      name: 's',
      type: 'apiKey',
      in: where,
      paramName: 'api_key',
    });
    const valid = (s: SecurityScheme) =>
      planOperation(op('GET'), [s], INPUT).find((p) => p.kind === 'valid')!;
    expect(header(valid(key('header')).headers, 'api_key')).toBe('good-token-0123456789');
    expect(valid(key('query')).url).toMatch(/\?api_key=good-token-0123456789$/);
    expect(header(valid(key('cookie')).headers, 'cookie')).toBe('api_key=good-token-0123456789');
    expect(planOperation(op('GET'), [key('header')], INPUT).map((p) => p.kind)).not.toContain('expired');
    const pre = planOperation(op('GET'), [key('header')], INPUT).find((p) => p.kind === 'preflight')!;
    expect(header(pre.headers, 'access-control-request-headers')).toBe('api_key');
    const basic = planOperation(op('GET'), [{ name: 'b', type: 'http', httpScheme: 'basic' }], {
      ...INPUT,
      token: 'alice:s3cret',
    });
    expect(header(basic.find((p) => p.kind === 'valid')!.headers, 'authorization')).toBe(
      `Basic ${btoa('alice:s3cret')}`,
    );
  });

  it('unsafe methods: nothing without --allow-unsafe; with it, {} for a JSON body, else empty', () => {
    expect(planOperation(op('DELETE'), [BEARER], INPUT)).toEqual([]);
    const post = planOperation(op('POST', { jsonBody: true }), [BEARER], { ...INPUT, allowUnsafe: true });
    expect(post[0]).toMatchObject({ kind: 'anonymous', method: 'POST', body: '{}' });
    expect(header(post[0]!.headers, 'content-type')).toBe('application/json');
    const del = planOperation(op('DELETE'), [BEARER], { ...INPUT, allowUnsafe: true });
    expect(del[0]!.body).toBe('');
  });
});
