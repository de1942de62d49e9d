import { inspectTls } from '../tls.js';
import type { Gatherer } from './types.js';

/**
 * The certificate chain of an https target, from its own handshake, beside the request: it
 * carries no HTTP and no credentials, and names a TLS-intercepting middlebox when there is one.
 */
export const tls: Gatherer<'tls'> = {
  name: 'tls',
  applies: ({ spec }) => spec.url.startsWith('https:'),
  run: ({ ev, spec, probe, opts }) =>
    inspectTls(spec.url, {
      insecure: spec.insecure,
      signal: probe.signal,
      ...(opts.env ? { env: opts.env } : {}),
      ...(spec.cacert?.pem ? { ca: spec.cacert.pem } : {}),
      ...(ev.proxy && !ev.proxy.bypassed ? { proxy: ev.proxy.url } : {}),
    }),
  // Attached only when every probe is done, so the checks that propose repairs read the main
  // request's exchanges without it, whichever finished first.
  record(info, { spec, artifact }) {
    if ('error' in info) return;
    const origin = new URL(spec.url).origin;
    for (const x of artifact('main')?.exchanges ?? [])
      if (new URL(x.request.url).origin === origin) x.tls = info;
  },
};
