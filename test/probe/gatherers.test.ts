import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../src/diagnose/evidence.js';
import type { Evidence } from '../../src/model/evidence.js';
import { GATHERERS } from '../../src/probe/gatherers/index.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';

/**
 * The probe plan as gatherers (issue 15, item 4): one module per probe, `gather()` a loop over
 * them, and the evidence's probe names and skip reasons named after them.
 */

const NAMES = GATHERERS.map((g) => g.name);

describe('the gatherer list', () => {
  it('holds every probe of the plan once', () => {
    expect([...NAMES].sort()).toEqual(
      [
        'anonymous',
        'direct',
        'discovery',
        'fresh',
        'introspection',
        'jwks',
        'main',
        'preflight',
        'repair',
        'resource-metadata',
        'tls',
      ].sort(),
    );
  });

  it('lists what a gatherer waits for before it, and the user request first', () => {
    expect(NAMES[0]).toBe('main');
    for (const [i, g] of GATHERERS.entries())
      for (const a of g.after ?? []) expect(NAMES.indexOf(a), `${g.name} after ${a}`).toBeLessThan(i);
  });
});

/** A probe name in the evidence: a gatherer's, a hop of main (`main#2`) or a repair (`repair-1`). */
const gathererOf = (probe: string) => probe.replace(/#\d+$/, '').replace(/-\d+$/, '');

describe('gather() over a real API and issuer', () => {
  let issuer: TestIssuer;
  let api: TestServer;
  /** The API answers nothing until the user request and the anonymous probe are both in. */
  let arrived = 0;
  let barrierMet = false;
  const waiting: Array<() => void> = [];
  beforeAll(async () => {
    issuer = await startIssuer();
    api = await startServer((req, res) => {
      const answer = () => {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end();
      };
      if (req.url !== '/api/me') return answer();
      arrived += 1;
      if (arrived === 2) {
        barrierMet = true;
        for (const w of waiting.splice(0)) w();
      }
      if (barrierMet) return answer();
      waiting.push(answer);
      // Sent one after the other, the first would never be answered: answer anyway, and fail below.
      setTimeout(() => {
        const i = waiting.indexOf(answer);
        if (i < 0) return;
        waiting.splice(i, 1);
        answer();
      }, 3000);
    });
  });
  afterAll(async () => {
    await api?.close();
    await issuer?.close();
  });

  let ev: Evidence;
  beforeAll(async () => {
    const token = await issuer.sign({ sub: 'u1', aud: 'api' }, { foreignKey: true });
    ev = await gatherEvidence(
      {
        method: 'GET',
        url: `${api.url}/api/me`,
        headers: [['Authorization', `Bearer ${token}`]],
        followRedirects: false,
        insecure: false,
        compressed: false,
      },
      { source: 'flags', env: {} },
    );
  }, 20_000);

  it('sends the user request and the anonymous probe together', () => {
    expect(barrierMet).toBe(true);
  });

  it('lists the exchanges in the plan order, each under its gatherer name', () => {
    const names = ev.exchanges.map((x) => gathererOf(x.probe));
    expect(names.slice(0, 2)).toEqual(['main', 'anonymous']);
    for (const n of names) expect(NAMES).toContain(n);
    const order = names.map((n) => NAMES.indexOf(n as (typeof NAMES)[number]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('reads discovery, then the JWKS it names, and the RFC 9728 metadata after the 401', () => {
    expect(ev.idp?.documents.map((d) => d.kind).sort()).toEqual(
      ['jwks', 'oidc-discovery', 'protected-resource'].sort(),
    );
    expect(issuer.received.map((r) => r.path)).toEqual(['/.well-known/openid-configuration', '/jwks']);
    expect(ev.idp?.verification).toBeDefined();
  });

  it('records each skipped probe under a gatherer name', () => {
    for (const s of ev.skippedProbes) expect(NAMES).toContain(gathererOf(s.probe));
  });
});
