import { headerValue } from '../../model/http.js';
import { CITE, PASS, apiRule, fail } from './rule.js';

/** What is tolerated: Date has a one-second resolution, and the answer takes its time to arrive. */
export const DATE_TOLERANCE_S = 60;

export default apiRule(
  {
    id: 'audit.date-skew',
    category: 'transport',
    severity: 'warning',
    weight: 2,
    title: "The server's clock is off, or it sends no Date",
    description:
      "Tokens are checked against the server's clock (exp, nbf, iat): a clock minutes off refuses fresh tokens or accepts expired ones, and without a Date header nobody can tell.",
    cites: [CITE.rfc9110_date],
    fixes: [
      {
        server: 'any',
        fix: 'run NTP (chrony, systemd-timesyncd) on the API hosts, and send Date (RFC 9110 §6.6.1: an origin server with a clock MUST)',
      },
    ],
  },
  (api) => {
    const answered = api.operations
      .flatMap((op) => Object.values(op.exchanges))
      .filter((ex) => ex?.status !== undefined);
    if (answered.length === 0) return undefined;
    let worst: { skew: number; date: string } | undefined;
    let dated = 0;
    for (const ex of answered) {
      const date = headerValue(ex!.headers, 'date');
      const t = date ? Date.parse(date) : NaN;
      if (!Number.isFinite(t)) continue;
      dated++;
      const skew = Math.round((t - ex!.receivedAt) / 1000);
      if (!worst || Math.abs(skew) > Math.abs(worst.skew)) worst = { skew, date: date! };
    }
    if (dated === 0) return fail(`none of ${answered.length} answers has a Date header`);
    if (worst && Math.abs(worst.skew) > DATE_TOLERANCE_S)
      return fail(
        `Date: ${worst.date} is ${Math.abs(worst.skew)} s ${worst.skew > 0 ? 'ahead of' : 'behind'} this machine's clock`,
      );
    return PASS;
  },
);
