import { describe, expect, it } from 'vitest';
import type { Evidence, Exchange } from '../../src/model/evidence.js';
import { MAX_REPAIRS, RepairRunner, repairTargetAllowed } from '../../src/probe/repairs.js';
import type { ProbeContext } from '../../src/probe/run.js';
import { ev } from '../support/evidence.js';

/** Where a repaired request may go: it carries the user's credentials, so only where they went. */
describe('repairTargetAllowed', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://api.example.com/v1/me', 'https://api.example.com/v1/me', true],
    ['https://api.example.com//v1/me', 'https://api.example.com/v1/me?x=1', true],
    ['http://api.example.com/v1/me', 'https://api.example.com/v1/me', true],
    ['http://api.example.com/v1/me', 'https://api.example.com:8443/v1/me', false],
    ['https://api.example.com/v1/me', 'http://api.example.com/v1/me', false],
    ['http://127.0.0.1:8080/a', 'http://localhost:8080/a', false],
    ['https://api.example.com/a', 'https://login.example.com/a', false],
    ['https://api.example.com/a', 'https://api.example.com:444/a', false],
    ['https://api.example.com/a', 'not a url', false],
  ];
  for (const [target, url, ok] of cases)
    it(`${target} → ${url}: ${ok ? 'allowed' : 'refused'}`, () =>
      expect(repairTargetAllowed(target, url)).toBe(ok));
});

describe('RepairRunner', () => {
  const ctx = {} as ProbeContext;
  function runner(e: Evidence, allowReplay = false) {
    const walked: string[] = [];
    const walk = async (probe: string, first: { method: string; url: string }) => {
      walked.push(`${probe} ${first.method} ${first.url}`);
      return { exchanges: [] as Exchange[] };
    };
    return {
      walked,
      r: new RepairRunner(
        e,
        ctx,
        { allowReplay, extraHeaders: [['User-Agent', 'why401/x']], follow: false },
        walk,
      ),
    };
  }
  const proposal = (url: string, cause = 'url.double-slash', method = 'GET') => ({
    cause,
    change: `to ${url}`,
    request: { method, url, headers: [['Authorization', 'Bearer t']] as Array<[string, string]> },
  });

  it(`sends at most ${MAX_REPAIRS}, says so once, and sends the same repair once for two causes`, async () => {
    const e = ev({ url: 'https://api.example.com/a' });
    const { walked, r } = runner(e);
    r.offer([proposal('https://api.example.com/1'), proposal('https://api.example.com/1', 'header.quoted')]);
    r.offer([2, 3, 4, 5, 6].map((n) => proposal(`https://api.example.com/${n}`)));
    await r.done();
    expect(walked).toHaveLength(MAX_REPAIRS);
    expect(r.sent[0]?.causes).toEqual(['url.double-slash', 'header.quoted']);
    expect(e.skippedProbes.filter((s) => s.probe === 'repair')).toHaveLength(1);
  });

  it('never sends to another origin, nor an unsafe method without --allow-replay', async () => {
    const e = ev({ url: 'https://api.example.com/a', method: 'POST' });
    const { walked, r } = runner(e);
    r.offer([
      proposal('https://other.example.com/a', 'x', 'GET'),
      proposal('https://api.example.com/b', 'y', 'POST'),
    ]);
    await r.done();
    expect(walked).toEqual([]);
    const replay = runner(ev({ url: 'https://api.example.com/a', method: 'POST' }), true);
    replay.r.offer([proposal('https://api.example.com/b', 'y', 'POST')]);
    await replay.r.done();
    expect(replay.walked).toEqual(['repair-1 POST https://api.example.com/b']);
  });
});
