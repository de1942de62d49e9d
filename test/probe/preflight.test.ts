/**
 * The CORS preflight as a browser sends it (Fetch §4.8): the header computation for several
 * requests, and what a real node:http server receives when the probe sends it.
 */
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../src/checks/cors-preflight-rejected.js';
import { deriveFacts } from '../../src/facts/request.js';
import type { Evidence, RequestSpec } from '../../src/model/evidence.js';
import type { HeaderList } from '../../src/model/http.js';
import {
  browserRequestExtras,
  credentialsMode,
  needsPreflight,
  preflightHeaders,
  sendPreflight,
} from '../../src/probe/preflight.js';
import { makeDispatcher } from '../../src/probe/transport.js';
import { startServer, type TestServer } from '../support/http-server.js';

const ORIGIN = 'https://app.example.com';
const API = 'https://api.example.com/v1/items';

function spec(method: string, headers: HeaderList | Record<string, string> = [], url = API): RequestSpec {
  return {
    method,
    url,
    headers: Array.isArray(headers) ? headers : Object.entries(headers),
    followRedirects: false,
    insecure: false,
    compressed: false,
  };
}

function acrh(s: RequestSpec): string | undefined {
  return preflightHeaders(s, ORIGIN).find(([n]) => n === 'Access-Control-Request-Headers')?.[1];
}

describe('needsPreflight and preflightHeaders', () => {
  const cases: Array<{ name: string; req: RequestSpec; preflight: boolean; acrh?: string; acrm?: string }> = [
    {
      name: 'GET with Authorization',
      req: spec('GET', { Authorization: 'Bearer t' }),
      preflight: true,
      acrh: 'authorization',
    },
    { name: 'GET with only Accept', req: spec('GET', { Accept: 'application/json' }), preflight: false },
    { name: 'GET with nothing', req: spec('GET'), preflight: false },
    {
      name: 'POST with a form content type',
      req: spec('POST', { 'Content-Type': 'application/x-www-form-urlencoded' }),
      preflight: false,
    },
    {
      name: 'POST with text/plain and parameters, multipart with a boundary',
      req: spec('POST', [
        ['Content-Type', 'text/plain;charset=UTF-8'],
        ['Content-Type', 'multipart/form-data; boundary=----x'],
      ]),
      preflight: false,
    },
    {
      name: 'POST with a form content type and Authorization',
      req: spec('POST', { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic dTpw' }),
      preflight: true,
      acrh: 'authorization',
    },
    {
      name: 'POST with JSON',
      req: spec('POST', { 'Content-Type': 'application/json' }),
      preflight: true,
      acrh: 'content-type',
    },
    { name: 'PUT without headers', req: spec('PUT'), preflight: true, acrm: 'PUT' },
    { name: 'DELETE', req: spec('delete'), preflight: true, acrm: 'DELETE' },
    {
      name: 'PATCH is not normalized: `patch` stays `patch`',
      req: spec('patch'),
      preflight: true,
      acrm: 'patch',
    },
    {
      name: 'sorted, lower-cased, without duplicates and without the safelisted ones',
      req: spec('GET', [
        ['X-Trace', '1'],
        ['Content-Type', 'application/json'],
        ['authorization', 'Bearer t'],
        ['x-trace', '2'],
        ['Accept', 'application/json'],
        ['Accept-Language', 'en-US,en;q=0.9'],
      ]),
      preflight: true,
      acrh: 'authorization,content-type,x-trace',
    },
    {
      name: 'headers the browser sets itself are never listed',
      req: spec('GET', {
        Cookie: 'sid=1',
        Host: 'api.example.com',
        'User-Agent': 'Mozilla/5.0',
        'Accept-Encoding': 'gzip, br',
        'Content-Length': '0',
        Connection: 'keep-alive',
        Origin: 'https://elsewhere.example',
        Referer: 'https://app.example.com/page',
        'Sec-Fetch-Mode': 'cors',
        'sec-ch-ua': '"Chromium";v="156"',
        'Proxy-Authorization': 'Basic eDp5',
        Priority: 'u=1, i',
        DNT: '1',
        'X-HTTP-Method-Override': 'TRACE',
      }),
      preflight: false,
    },
    {
      name: 'a method override with an ordinary method is an author header',
      req: spec('POST', { 'X-HTTP-Method-Override': 'PUT' }),
      preflight: true,
      acrh: 'x-http-method-override',
    },
    {
      name: 'unsafe bytes or a non-safelisted MIME type make Content-Type unsafe',
      req: spec('POST', { 'Content-Type': 'text/plain; x="("' }),
      preflight: true,
      acrh: 'content-type',
    },
    {
      name: 'Accept-Language with `_`',
      req: spec('GET', { 'Accept-Language': 'en_US' }),
      preflight: true,
      acrh: 'accept-language',
    },
    { name: 'Range bytes=0-', req: spec('GET', { Range: 'bytes=0-' }), preflight: false },
    {
      name: 'Range bytes=-500 (no start)',
      req: spec('GET', { Range: 'bytes=-500' }),
      preflight: true,
      acrh: 'range',
    },
    {
      name: 'an Accept value over 128 bytes',
      req: spec('GET', { Accept: 'a'.repeat(129) }),
      preflight: true,
      acrh: 'accept',
    },
    {
      name: 'safelisted values over 1024 bytes together',
      req: spec(
        'GET',
        Array.from({ length: 9 }, () => ['Accept-Language', 'en'.repeat(60)] as [string, string]),
      ),
      preflight: true,
      acrh: 'accept-language',
    },
    {
      name: 'same-origin: no preflight whatever the headers',
      req: spec('PUT', { Authorization: 'Bearer t' }, 'https://app.example.com/api'),
      preflight: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(needsPreflight(c.req, ORIGIN)).toBe(c.preflight);
      if (c.acrh !== undefined) expect(acrh(c.req)).toBe(c.acrh);
      if (c.acrm !== undefined)
        expect(preflightHeaders(c.req, ORIGIN)).toContainEqual(['Access-Control-Request-Method', c.acrm]);
    });
  }

  it('is exactly Accept, Access-Control-Request-Method, Access-Control-Request-Headers and Origin', () => {
    const s = spec('PUT', { Authorization: 'Bearer t', Cookie: 'sid=1', 'Content-Type': 'application/json' });
    expect(preflightHeaders(s, ORIGIN)).toEqual([
      ['Accept', '*/*'],
      ['Access-Control-Request-Method', 'PUT'],
      ['Access-Control-Request-Headers', 'authorization,content-type'],
      ['Origin', ORIGIN],
    ]);
  });

  it('leaves Access-Control-Request-Headers out when nothing is unsafe', () => {
    expect(preflightHeaders(spec('DELETE'), ORIGIN)).toEqual([
      ['Accept', '*/*'],
      ['Access-Control-Request-Method', 'DELETE'],
      ['Origin', ORIGIN],
    ]);
  });

  it('the actual request carries Origin; cookies need credentials: include', () => {
    expect(browserRequestExtras(ORIGIN)).toEqual([['Origin', ORIGIN]]);
    expect(credentialsMode(spec('GET', { Cookie: 'sid=1' }))).toBe('include');
    expect(credentialsMode(spec('GET', { Authorization: 'Bearer t' }))).toBe('same-origin');
  });
});

describe('sendPreflight against a node:http server', () => {
  let dispatcher: Dispatcher;
  let server: TestServer;
  /** Per path: what the server answers to OPTIONS. */
  const answers: Record<string, { status: number; headers?: Record<string, string> }> = {
    '/ok': {
      status: 204,
      headers: {
        'Access-Control-Allow-Origin': ORIGIN,
        'Access-Control-Allow-Headers': 'authorization, content-type, x-trace',
      },
    },
    '/guarded': { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } },
    '/moved': { status: 301, headers: { Location: '/moved/' } },
  };

  beforeAll(async () => {
    dispatcher = makeDispatcher({});
    server = await startServer((req, res) => {
      const a = answers[(req.url ?? '').split('?')[0]!] ?? { status: 404 };
      res.writeHead(a.status, a.headers ?? {}).end();
    });
  });
  afterAll(async () => {
    await server.close();
    await dispatcher.close();
  });
  const ctx = () => ({ dispatcher, signal: AbortSignal.timeout(10_000) });

  it('arrives as OPTIONS with Origin and the Access-Control-Request-* headers, and no credentials', async () => {
    const before = server.received.length;
    const s = spec(
      'GET',
      [
        ['Authorization', 'Bearer s3cr3t'],
        ['Content-Type', 'application/json'],
        ['X-Trace', 'abc'],
        ['Cookie', 'sid=s3cr3t'],
        ['Accept', 'application/json'],
      ],
      `${server.url}/ok?page=2#frag`,
    );
    const x = await sendPreflight(s, ORIGIN, ctx());
    const got = server.received.slice(before);
    expect(got).toHaveLength(1);
    const r = got[0]!;
    expect(r.method).toBe('OPTIONS');
    expect(r.url).toBe('/ok?page=2');
    expect(r.body).toBe('');
    expect(r.headers.origin).toBe(ORIGIN);
    expect(r.headers['access-control-request-method']).toBe('GET');
    expect(r.headers['access-control-request-headers']).toBe('authorization,content-type,x-trace');
    expect(r.headers.accept).toBe('*/*');
    for (const h of ['authorization', 'cookie', 'x-trace', 'content-type'])
      expect(r.headers[h]).toBeUndefined();
    expect(x).toMatchObject({
      probe: 'preflight',
      hop: 0,
      request: { method: 'OPTIONS', url: `${server.url}/ok?page=2` },
      response: { status: 204 },
    });
    expect(x.request.headers.some(([n]) => /^(authorization|cookie)$/i.test(n))).toBe(false);
  });

  it('sends no userinfo from the URL', async () => {
    const before = server.received.length;
    const url = server.url.replace('http://', 'http://user:pass@');
    const x = await sendPreflight(spec('PUT', {}, `${url}/ok`), ORIGIN, ctx());
    expect(server.received.slice(before)[0]!.headers.authorization).toBeUndefined();
    expect(x.request.url).toBe(`${server.url}/ok`);
  });

  it('records a redirect without following it', async () => {
    const before = server.received.length;
    const x = await sendPreflight(
      spec('GET', { Authorization: 'Bearer t' }, `${server.url}/moved`),
      ORIGIN,
      ctx(),
    );
    expect(server.received.length - before).toBe(1);
    expect(x.response?.status).toBe(301);
    expect(x.response?.headers).toContainEqual(['location', '/moved/']);
  });

  it('a 401 on OPTIONS becomes cors.preflight-rejected, confirmed', async () => {
    const s = spec('GET', { Authorization: 'Bearer t' }, `${server.url}/guarded`);
    const pf = await sendPreflight(s, ORIGIN, ctx());
    const ev: Evidence = {
      now: Date.now(),
      source: 'flags',
      request: s,
      inputWarnings: [],
      exchanges: [
        {
          probe: 'main',
          hop: 0,
          request: { method: 'GET', url: s.url, headers: [...s.headers, ...browserRequestExtras(ORIGIN)] },
          response: { status: 200, headers: [], body: '', bodyBytes: 0, bodyTruncated: false },
          startedAt: Date.now(),
          ms: 1,
        },
        pf,
      ],
      skippedProbes: [],
      expect: {},
      offline: false,
      browserOrigin: ORIGIN,
    };
    const [d] = check.run(deriveFacts(ev));
    expect(d).toMatchObject({ confidence: 'confirmed' });
    expect(d!.evidence).toContainEqual({ probe: 'preflight', where: 'response.status', value: '401' });
    expect(d!.evidence).toContainEqual({
      probe: 'preflight',
      where: 'response.header.www-authenticate',
      value: 'Bearer realm="api"',
    });
  });

  it('records a transport failure as an error on the preflight exchange', async () => {
    const gone = await startServer((_q, r) => r.end());
    const url = gone.url;
    await gone.close();
    const x = await sendPreflight(spec('PUT', {}, `${url}/x`), ORIGIN, ctx());
    expect(x.probe).toBe('preflight');
    expect(x.response).toBeUndefined();
    expect(x.error?.phase).toBe('connect');
  });
});
