import { withoutUrlCredentials } from '../../knowledge/credential-rule.js';
import { requestsWritten } from '../first-send.js';
import { RepairRunner, repairTargetAllowed, type RepairOptions } from '../repairs.js';
import type { Gatherer } from './types.js';
import { walk } from './walk.js';
import { bodyOf, defaultHeaders, resignRepair } from './wire.js';

/**
 * The repair rounds (../repairs.ts): what the request alone shows leaves with the user's request;
 * what needs the server's answer leaves when it is in. The checks load here, once the first
 * request's headers are written. Not `after: ['main']`: the first round does not wait for it.
 */
export const repair: Gatherer<'repair'> = {
  name: 'repair',
  applies: ({ ev, opts }) => opts.probes && opts.repairs !== false && !ev.offline,
  async run({ ev, spec, probe, opts, signer, wait }) {
    // Not before the user's request is on the wire: evaluating the checks blocks the thread for
    // tens of milliseconds, which held the request's connect callback back (first-send.ts).
    await requestsWritten(50, probe.prefetch);
    const [{ proposeRepairs, checks }, { deriveFacts }] = await Promise.all([
      import('../../checks/index.js'),
      import('../../facts/request.js'),
    ]);
    const ro: RepairOptions = {
      allowReplay: opts.allowReplay,
      extraHeaders: defaultHeaders(spec),
      follow: spec.followRedirects,
    };
    const body = bodyOf(spec);
    if (body !== undefined) ro.body = body;
    if (signer) ro.sign = resignRepair(spec, signer);
    const runner = new RepairRunner(ev, probe, ro, walk);
    runner.offer(proposeRepairs(deriveFacts({ ...ev, exchanges: [] }), checks));
    const mainWalk = await wait('main');
    // The checks run again on the answer: not while the boot-time JWKS request is still to leave
    // (its discovery answer comes in beside the user's), which it would hold back (Prefetch.quiet).
    await probe.prefetch?.quiet;
    const main = mainWalk?.exchanges ?? [];
    const final = main.at(-1)?.response?.status;
    // Nothing to repair when the request worked, or never got an answer.
    if (final !== undefined && final >= 400)
      runner.offer(proposeRepairs(deriveFacts({ ...ev, exchanges: main }), checks));
    // An http → https redirect not followed (no -L): the user's request sent to the https URL of the
    // same host, where the user's credentials may go (repairTargetAllowed). It shows whether the
    // secure URL was all the request lacked.
    const to = mainWalk?.notFollowed;
    if (to && to.startsWith('https:') && spec.url.startsWith('http:') && repairTargetAllowed(spec.url, to)) {
      const status = main.at(-1)?.response?.status ?? 'a redirect';
      runner.offer([
        {
          cause: 'url.insecure-http',
          change: `the request sent to ${withoutUrlCredentials(to).split('?')[0]}, where the ${status} points`,
          request: { method: spec.method, url: to, headers: [...spec.headers] },
        },
      ]);
    }
    return { sent: runner.sent, exchanges: await runner.done() };
  },
  record({ sent, exchanges }, { ev }) {
    if (sent.length) ev.repairs = sent;
    ev.exchanges.push(...exchanges);
  },
};
