import { createHash, randomBytes } from 'node:crypto';

/**
 * One-time tickets: how the page's access key reaches the browser without ever being on a
 * command line.
 *
 * `why401 ui` used to open `http://127.0.0.1:PORT/?key=KEY`. The opener (xdg-open, open, start)
 * and often the browser itself are new processes, and their arguments are readable by every
 * local user (`ps`, /proc/PID/cmdline) for as long as they run; the key then drove the API,
 * which sends requests with the user's credentials. Now the URL carries a ticket in its
 * fragment (`/#ticket=T`, never sent in a request line): the page posts it to `/api/key` once
 * and gets the key back in the answer's body; it keeps the key in sessionStorage (per tab and
 * per origin, port included) and sends it in `X-Why401-Key` as before. A ticket works once,
 * and the one handed to the opener only for 60 s: read from `ps` after the page has loaded, it
 * gives nothing.
 *
 * Why not a cookie, as sessions usually do: cookies are not isolated by port (RFC 6265 §8.5),
 * so a cookie for 127.0.0.1 would also go to every other server on 127.0.0.1 the browser visits,
 * run by any local user. Storage is per origin, port included; and a custom header still forces
 * the CORS preflight that the server refuses.
 *
 * What is left: a local user who reads the ticket from `ps` in the moment between the launch and
 * the page's exchange can use it first. The page then says its link was already used, which is
 * the sign to stop `why401 ui`. Tickets are 256 random bits, kept as SHA-256 digests (a lookup
 * by the secret itself could leak its prefix through timing).
 */

/** How long a ticket given to another process (the browser opener) stays usable. */
export const OPENER_TICKET_MS = 60_000;

/** Tickets not yet used; a launch makes one or two, so expired ones are dropped as they are met. */
export class Tickets {
  readonly #live = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new ticket, usable once; within `ttlMs` when given (Infinity: until used). */
  issue(ttlMs = Infinity): string {
    const ticket = randomBytes(32).toString('base64url');
    this.#live.set(digest(ticket), this.now() + ttlMs);
    return ticket;
  }

  /** True once for a live ticket; it is dead afterwards, whatever the answer. */
  redeem(ticket: unknown): boolean {
    if (typeof ticket !== 'string' || ticket.length > 100) return false;
    const d = digest(ticket);
    const until = this.#live.get(d);
    this.#live.delete(d);
    for (const [k, t] of this.#live) if (t < this.now()) this.#live.delete(k);
    return until !== undefined && this.now() <= until;
  }
}

function digest(ticket: string): string {
  return createHash('sha256').update(ticket).digest('base64url');
}
