import { describe, expect, it } from 'vitest';
import * as full from 'undici';
import { request, undici } from '../../src/probe/undici.js';

const { Agent, ProxyAgent, Pool, buildConnector } = undici();
import { startServer } from '../support/http-server.js';

/** The probes load undici's parts one by one (start-up time); these paths are undici 7's internals. */
describe('undici, loaded part by part', () => {
  it('gives the same classes as the package index', () => {
    expect(Agent).toBe(full.Agent);
    expect(ProxyAgent).toBe(full.ProxyAgent);
    expect(Pool).toBe(full.Pool);
    expect(buildConnector).toBe(full.buildConnector);
  });

  it('request() sends origin, path and query as undici.request does', async () => {
    const s = await startServer((_q, res) => res.end('hi'));
    const agent = new Agent();
    try {
      const r = await request(`${s.url}/a/b?c=1`, {
        method: 'GET',
        dispatcher: agent,
        headers: ['x-one', '1'],
      });
      expect(r.statusCode).toBe(200);
      expect(await r.body.text()).toBe('hi');
      expect(s.received[0]).toMatchObject({ method: 'GET', url: '/a/b?c=1' });
      expect(s.received[0]!.headers['x-one']).toBe('1');
    } finally {
      await agent.close();
      await s.close();
    }
  });
});
