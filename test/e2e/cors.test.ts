import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/** --origin: the preflight a browser sends first, checked against a real server. */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const TOKEN = 'Bearer tok-abcdefghijklmnop';
const ORIGIN = 'http://app.example.test';

async function api(preflight: (res: import('node:http').ServerResponse) => void) {
  const s = await startServer((req, res) => {
    if (req.method === 'OPTIONS') return preflight(res);
    res.writeHead(req.headers.authorization === TOKEN ? 200 : 401, {
      'Access-Control-Allow-Origin': ORIGIN,
      'WWW-Authenticate': 'Bearer realm="api"',
    });
    res.end('{}');
  });
  servers.push(s);
  return s;
}

describe('CORS preflight', () => {
  it('an OPTIONS that demands credentials: cors.preflight-rejected, although curl gets 200', async () => {
    const s = await api((res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
      res.end();
    });
    const r = await runCli([`${s.url}/me`, '-H', `Authorization: ${TOKEN}`, '--origin', ORIGIN, '--json']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.status).toBe(200);
    expect(rep.outcome).toBe('unauthorized');
    expect(rep.findings[0]?.id).toBe('cors.preflight-rejected');
    expect(r.code).toBe(1);
    const pre = s.received.find((q) => q.method === 'OPTIONS')!;
    expect(pre.headers.origin).toBe(ORIGIN);
    expect(pre.headers['access-control-request-method']).toBe('GET');
    expect(pre.headers['access-control-request-headers']).toBe('authorization');
    expect(pre.headers.authorization).toBeUndefined();
    expect(s.received.find((q) => q.method === 'GET' && q.headers.authorization)?.headers.origin).toBe(
      ORIGIN,
    );
  });

  it('Access-Control-Allow-Headers without authorization: cors.header-not-allowed', async () => {
    const s = await api((res) => {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': ORIGIN,
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'content-type',
      });
      res.end();
    });
    const r = await runCli([`${s.url}/me`, '-H', `Authorization: ${TOKEN}`, '--origin', ORIGIN, '--json']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.findings[0]?.id).toBe('cors.header-not-allowed');
    expect(rep.findings[0]?.evidence).toContainEqual(
      expect.objectContaining({
        probe: 'preflight',
        where: 'response.header.access-control-allow-headers',
        value: 'content-type',
      }),
    );
  });

  it('a correct preflight: no CORS finding, exit 0', async () => {
    const s = await api((res) => {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': ORIGIN,
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'authorization',
      });
      res.end();
    });
    const r = await runCli([`${s.url}/me`, '-H', `Authorization: ${TOKEN}`, '--origin', ORIGIN, '--json']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.findings.filter((f) => f.id.startsWith('cors.'))).toEqual([]);
    expect(r.code).toBe(0);
  });
});
