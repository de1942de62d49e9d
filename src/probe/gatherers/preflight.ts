import { needsPreflight, sendPreflight } from '../preflight.js';
import type { Gatherer } from './types.js';

/** The CORS preflight a browser would send first (--origin): beside the request, with no credentials. */
export const preflight: Gatherer<'preflight'> = {
  name: 'preflight',
  applies({ ev, spec }) {
    if (!ev.browserOrigin) return false;
    return (
      needsPreflight(spec, ev.browserOrigin) ||
      'a browser sends no preflight for this request (a simple method and safelisted headers only, or the same origin)'
    );
  },
  async run({ ev, spec, probe }) {
    return [await sendPreflight(spec, ev.browserOrigin!, probe)];
  },
  record: (xs, { ev }) => void ev.exchanges.push(...xs),
};
