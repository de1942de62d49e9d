import { isSafeMethod } from '../../model/http.js';
import type { Gatherer } from './types.js';
import { walk } from './walk.js';
import { anonymousOf } from './wire.js';

/** The same request without a single credential: does the server answer it the same way? */
export const anonymous: Gatherer<'anonymous'> = {
  name: 'anonymous',
  applies({ spec, opts, signer }) {
    if (!opts.probes) return 'probes are off (--no-probes)';
    if (!anonymousOf(spec, signer)) return 'the request carries no credentials: it is the anonymous request';
    if (!isSafeMethod(spec.method) && !opts.allowReplay)
      return `${spec.method} is not a safe method; pass --allow-replay to let probes send it again`;
    return true;
  },
  async run({ spec, probe, signer }) {
    return (await walk(this.name, anonymousOf(spec, signer)!, probe, { follow: spec.followRedirects }))
      .exchanges;
  },
  record: (xs, { ev }) => void ev.exchanges.push(...xs),
};
