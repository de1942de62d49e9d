/**
 * At most `max` tasks in flight per host: an audit of a large document must not flood the API it
 * checks (issue 17: at most 8 requests in flight to one host). Tasks for other hosts do not wait.
 */
export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();
  /** The most tasks ever in flight to one host at once. */
  peak = 0;

  constructor(readonly max = 8) {}

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const n = this.active.get(host) ?? 0;
    if (n >= this.max) {
      // A finishing task hands its slot over whole (the count stays), so a newcomer arriving
      // between the hand-over and the waiter's resumption cannot take it too.
      await new Promise<void>((resolve) => {
        const q = this.waiting.get(host) ?? [];
        q.push(resolve);
        this.waiting.set(host, q);
      });
    } else {
      this.active.set(host, n + 1);
      this.peak = Math.max(this.peak, n + 1);
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.get(host)?.shift();
      if (next) next();
      else this.active.set(host, (this.active.get(host) ?? 1) - 1);
    }
  }
}

/** The key the limiter counts by: the host and port a connection goes to. */
export function hostKey(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
