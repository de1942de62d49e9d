import { withoutHeaders } from '../../model/http.js';
import { directProbePlan } from '../proxy.js';
import type { GatherContext, Gatherer } from './types.js';
import { walk } from './walk.js';
import { wireOf } from './wire.js';

/** Whether the direct probe is sent, from the main request's answer through the proxy. */
function plan({ ev, opts, artifact }: GatherContext) {
  return directProbePlan(
    { ...ev, exchanges: artifact('main')?.exchanges ?? [] },
    { allowReplay: opts.allowReplay, probes: opts.probes },
  );
}

/**
 * Through a proxy and refused: the same request sent direct tells whether the proxy is the
 * difference. It needs the main request's answer to know whether the proxy is suspected.
 */
export const direct: Gatherer<'direct'> = {
  name: 'direct',
  after: ['main'],
  applies(ctx) {
    const { ev, opts } = ctx;
    if (!ev.proxy || ev.proxy.bypassed || !opts.direct) return false;
    const p = plan(ctx);
    return p.send || (p.reason ?? false);
  },
  async run({ ev, spec, probe, opts, signer }) {
    const { via: _via, ...rest } = probe;
    // Straight to the origin: the proxy's own credentials (-U, the proxy URL's, or a
    // Proxy-Authorization written with -H) are for the proxy and never go there.
    const w = wireOf(spec, ev.browserOrigin);
    w.headers = withoutHeaders(w.headers, ['proxy-authorization']);
    const to = { ...rest, dispatcher: opts.direct! };
    return (await walk(this.name, w, to, { follow: spec.followRedirects, ...(signer ? { signer } : {}) }))
      .exchanges;
  },
  record: (xs, { ev }) => void ev.exchanges.push(...xs),
};
