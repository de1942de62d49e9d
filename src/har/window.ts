import type { HarEntry } from '../model/har.js';
import { isPreflightEntry, isUsableEntry, LOOK_BACK, startedAtOf } from '../facts/har-entry.js';

/**
 * The entries of a streamed HAR as a session replay needs them: in time order, and with the few
 * hundred entries before each one still at hand (a redirect's earlier hops and a preflight are
 * looked for up to LOOK_BACK entries back). Exporters write entries in the order requests started,
 * or nearly (Playwright logs some as they finish), so a small reorder buffer puts them in time
 * order; an entry that comes more than `reorder` entries late is replayed where it arrives. Memory
 * is at most `size` entries, whatever the file holds, and in practice the `reorder` waiting ones
 * and the few redirects and preflights among the last `size`. Platform-neutral.
 */

export const REORDER = 128;
export const WINDOW = REORDER + LOOK_BACK + 64;

interface Pending {
  t: number;
  i: number;
}

const before = (a: Pending, b: Pending): boolean => a.t < b.t || (a.t === b.t && a.i < b.i);

export class EntryWindow {
  private readonly ring: Array<HarEntry | undefined>;
  private last = -1;
  /** A binary min-heap by (start time, index): the order `timeOrder` sorts a whole file in. */
  private readonly heap: Pending[] = [];

  constructor(
    private readonly reorder = REORDER,
    private readonly size = WINDOW,
  ) {
    this.ring = new Array<HarEntry | undefined>(size);
  }

  /** The entry at a HAR index, while it is in the window. */
  readonly at = (i: number): HarEntry | undefined =>
    i < 0 || i > this.last || i <= this.last - this.size ? undefined : this.ring[i % this.size];

  /** One entry in file order; `ready` gets the indices whose turn has come, in time order. */
  push(e: HarEntry, index: number, ready: (index: number) => void): void {
    this.ring[index % this.size] = e;
    if (index > this.last) this.last = index;
    if (!isUsableEntry(e)) return;
    this.up({ t: startedAtOf(e), i: index });
    while (this.heap.length > this.reorder) ready(this.pop().i);
  }

  /**
   * An entry has been replayed: later entries look back only for redirects (a 3xx) and preflights,
   * so any other entry's data can go at once (what keeps a window of 200,000-entry files small).
   */
  done(index: number): void {
    const e = this.at(index);
    if (!e) return;
    const s = e.response?.status;
    if (typeof s === 'number' && s >= 300 && s <= 399) return;
    if (isPreflightEntry(e)) return;
    this.ring[index % this.size] = undefined;
  }

  /** The end of the file: every entry still waiting, in time order. */
  drain(ready: (index: number) => void): void {
    while (this.heap.length) ready(this.pop().i);
  }

  private up(p: Pending): void {
    const h = this.heap;
    let k = h.length;
    h.push(p);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(p, h[parent]!)) break;
      h[k] = h[parent]!;
      k = parent;
    }
    h[k] = p;
  }

  private pop(): Pending {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[k] = h[c]!;
        k = c;
      }
      h[k] = last;
    }
    return top;
  }
}
