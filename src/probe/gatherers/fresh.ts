import { withoutHeaders } from '../../model/http.js';
import { mayReplay } from '../plan-idp.js';
import type { WireRequest } from '../transport.js';
import type { Gatherer } from './types.js';
import { walk } from './walk.js';
import { bodyOf, wireOf } from './wire.js';

/**
 * A fresh token from the token endpoint (--token-url, or --issuer's discovery document), and the
 * user's request sent again with it: does a new token fix it? A grant at --token-url leaves at
 * once; one at a discovered endpoint waits for `discovery` only.
 */
export const fresh: Gatherer<'fresh'> = {
  name: 'fresh',
  applies: ({ idp }) => idp?.wantsGrant === true,
  async run({ ev, spec, probe, opts, signer, idp, wait }) {
    const token = await idp!.grant(() => wait('discovery'));
    if (!token) return undefined;
    if (!mayReplay(spec, opts.allowReplay)) {
      ev.skippedProbes.push({
        probe: this.name,
        reason: `${spec.method} is not a safe method; pass --allow-replay to send it again with the fresh token`,
      });
      return undefined;
    }
    const headers = withoutHeaders(wireOf(spec).headers, ['authorization', ...(signer?.added ?? [])]);
    headers.push(['Authorization', `Bearer ${token}`]);
    const w: WireRequest = { method: spec.method, url: spec.url, headers };
    const body = bodyOf(spec);
    if (body !== undefined) w.body = body;
    return (await walk(this.name, w, probe, { follow: spec.followRedirects })).exchanges;
  },
  record: (xs, { ev }) => void (xs && ev.exchanges.push(...xs)),
};
