import type { Evidence, Exchange, RepairSent } from '../model/evidence.js';
import { hasHeader, isSafeMethod, type HeaderList } from '../model/http.js';
import type { RepairProposal } from '../checks/index.js';
import type { ProbeContext, WalkOptions } from './gatherers/walk.js';
import type { WireRequest } from './transport.js';

/**
 * Repair probes: the fix, tried. The checks propose repaired requests (the user's request with one
 * mistake corrected); this module sends them beside the other probes, within strict limits:
 *
 * - at most `MAX_REPAIRS` requests in all, in parallel;
 * - only safe methods (GET, HEAD, OPTIONS), others only with --allow-replay;
 * - only to the origin the user targeted (or the same host upgraded from http to https, which is
 *   where a redirect that dropped the credentials pointed), and never on through a redirect to
 *   another origin: a repair carries the user's credentials, and they stay where the user sent them;
 * - a redirect is followed only with -L, as the user's own request follows it;
 * - a request signed with --aws-sigv4 is signed again for the repair (a repair of the signature's
 *   own header is not sent).
 *
 * Two rounds: what the request alone shows (a double slash, a token in a custom header, quotes)
 * leaves with the user's own request; what needs the answer (the scheme the challenge asks for, a
 * redirect's target) leaves as soon as the answer is in.
 */

export const MAX_REPAIRS = 4;

export interface RepairOptions {
  allowReplay: boolean;
  /** The user's request's body, re-sent unchanged with an unsafe method under --allow-replay. */
  body?: WireRequest['body'];
  /** What the user's request carried on the wire besides its own headers (curl's User-Agent, Accept). */
  extraHeaders: HeaderList;
  /** curl -L: a repair follows a redirect (on its own origin) only when the user's request does. */
  follow: boolean;
  /**
   * --aws-sigv4: the repaired request signed for what it now is, or undefined when it cannot be
   * (the repair changed the signature's own header): then it is not sent.
   */
  sign?: (w: WireRequest) => WireRequest | undefined;
}

type Walk = (
  probe: string,
  first: WireRequest,
  ctx: ProbeContext,
  opts: WalkOptions,
) => Promise<{ exchanges: Exchange[] }>;

export function repairTargetAllowed(target: string, url: string): boolean {
  try {
    const a = new URL(target);
    const b = new URL(url);
    if (a.origin === b.origin) return true;
    // http → https on the same host and default ports: the secure form of the same site.
    return a.protocol === 'http:' && b.protocol === 'https:' && a.hostname === b.hostname && b.port === '';
  } catch {
    return false;
  }
}

/** One key per distinct request, so two checks proposing the same repair send it once. */
function signature(p: RepairProposal): string {
  return JSON.stringify([p.request.method, p.request.url, p.request.headers]);
}

export class RepairRunner {
  readonly sent: RepairSent[] = [];
  private readonly byKey = new Map<string, RepairSent>();
  private readonly running: Array<Promise<Exchange[]>> = [];
  private skipped = false;

  constructor(
    private readonly ev: Evidence,
    private readonly ctx: ProbeContext,
    private readonly opts: RepairOptions,
    private readonly walk: Walk,
  ) {}

  /** Sends the proposals not sent yet, within the limits; returns at once (the walks run on). */
  offer(proposals: Array<RepairProposal & { cause: string }>): void {
    for (const p of proposals) {
      const key = signature(p);
      const known = this.byKey.get(key);
      if (known) {
        if (!known.causes.includes(p.cause)) known.causes.push(p.cause);
        continue;
      }
      if (!isSafeMethod(p.request.method) && !this.opts.allowReplay) {
        this.skip(
          `${p.request.method} is not a safe method; pass --allow-replay to let why401 try the repaired request`,
        );
        continue;
      }
      if (!repairTargetAllowed(this.ev.request.url, p.request.url)) continue;
      const extra = this.opts.extraHeaders.filter(([n]) => !hasHeader(p.request.headers, n));
      let w: WireRequest | undefined = { ...p.request, headers: [...p.request.headers, ...extra] };
      if (this.opts.body !== undefined && !isSafeMethod(p.request.method)) w.body = this.opts.body;
      if (this.opts.sign) {
        w = this.opts.sign(w);
        if (!w) {
          this.skip(
            `"${p.change}" changes the AWS signature's own Authorization header, so it was not tried`,
          );
          continue;
        }
      }
      if (this.sent.length >= MAX_REPAIRS) {
        this.skip(`at most ${MAX_REPAIRS} repaired requests are sent; "${p.change}" was not tried`);
        continue;
      }
      const r: RepairSent = { probe: `repair-${this.sent.length + 1}`, causes: [p.cause], change: p.change };
      this.sent.push(r);
      this.byKey.set(key, r);
      this.running.push(
        this.walk(r.probe, w, this.ctx, { follow: this.opts.follow, stayOnOrigin: true }).then(
          (x) => x.exchanges,
        ),
      );
    }
  }

  private skip(reason: string): void {
    if (this.skipped) return;
    this.skipped = true;
    this.ev.skippedProbes.push({ probe: 'repair', reason });
  }

  async done(): Promise<Exchange[]> {
    return (await Promise.all(this.running)).flat();
  }
}
