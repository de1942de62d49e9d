import { describe, expect, it } from 'vitest';
import { OPENER_TICKET_MS, Tickets } from '../../src/ui-server/tickets.js';

describe('one-time tickets', () => {
  it('work once', () => {
    const t = new Tickets();
    const a = t.issue();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t.redeem(a)).toBe(true);
    expect(t.redeem(a)).toBe(false);
  });

  it('die after their time, and a refused one is dead too', () => {
    let now = 1_000;
    const t = new Tickets(() => now);
    const a = t.issue(OPENER_TICKET_MS);
    const b = t.issue(OPENER_TICKET_MS);
    const c = t.issue(); // until used
    now += OPENER_TICKET_MS;
    expect(t.redeem(a)).toBe(true); // the last millisecond still counts
    now += 1;
    expect(t.redeem(b)).toBe(false);
    expect(t.redeem(b)).toBe(false);
    now += 86_400_000;
    expect(t.redeem(c)).toBe(true);
  });

  it('refuse what is not a ticket', () => {
    const t = new Tickets();
    t.issue();
    for (const x of [undefined, null, 42, {}, '', 'x'.repeat(43), 'x'.repeat(10_000)])
      expect(t.redeem(x)).toBe(false);
  });
});
