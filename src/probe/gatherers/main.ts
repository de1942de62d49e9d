import type { Gatherer } from './types.js';
import { walk } from './walk.js';
import { wireOf } from './wire.js';

/** The user's own request, as curl would send it, hop by hop through the redirects it follows. */
export const main: Gatherer<'main'> = {
  name: 'main',
  applies: () => true,
  async run({ ev, spec, probe, signer }) {
    const r = await walk(this.name, wireOf(spec, ev.browserOrigin), probe, {
      follow: spec.followRedirects,
      ...(signer ? { signer } : {}),
    });
    // `main#2`: the hop that was not sent, or sent without what it would have carried.
    for (const n of r.notes) ev.skippedProbes.push({ probe: `${this.name}#${n.hop}`, reason: n.reason });
    return r;
  },
  record: (r, { ev }) => void ev.exchanges.push(...r.exchanges),
};
