import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostLimiter } from '../../src/audit/limiter.js';
import { pathOperation } from '../../src/audit/openapi.js';
import { runAudit } from '../../src/audit/run.js';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startExpressAuditApi, type ExpressAuditApi } from './support/express-api.js';

let issuer: AuditIssuer;
let api: ExpressAuditApi;

beforeAll(async () => {
  issuer = await startAuditIssuer();
  api = await startExpressAuditApi({ issuer: issuer.issuer, delayMs: 25 });
});
afterAll(async () => {
  await Promise.all([api.close(), issuer.close()]);
});

describe('at most 8 requests in flight to one host', () => {
  it("a real server never sees more than 8 of the audit's requests at once, and does see several", async () => {
    const operations = Array.from({ length: 30 }, (_, i) => pathOperation(`GET:/v1/items?page=${i}`)!);
    const run = await runAudit({
      baseUrl: api.url,
      description: { servers: [], schemes: {}, operations, unresolvedRefs: [] },
      token: await issuer.sign({ audience: 'https://api.example.test', scope: 'read:items' }),
      headers: [],
      allowUnsafe: false,
      userAgent: 'why401-test',
    });
    expect(run.requests).toBeGreaterThan(150);
    expect(api.peak).toBeLessThanOrEqual(8);
    expect(api.peak).toBeGreaterThanOrEqual(4);
    expect(run.maxInFlight).toBe(api.peak);
  });

  it('the limiter counts per host: another host does not wait, a newcomer never slips past a hand-over', async () => {
    const limiter = new HostLimiter(2);
    const live = new Map<string, number>();
    let worst = 0;
    const task = (host: string) =>
      limiter.run(host, async () => {
        live.set(host, (live.get(host) ?? 0) + 1);
        worst = Math.max(worst, live.get(host)!);
        await new Promise((r) => setTimeout(r, 5));
        live.set(host, live.get(host)! - 1);
      });
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 10 }, () => task('a:1')),
      // Queued behind a's, b would take 25 ms more; with its own slots it ends with a's first pair.
      task('b:1'),
    ]);
    expect(worst).toBe(2);
    expect(limiter.peak).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
