import { defineCheck } from './check.js';
import { probeName } from './cite.js';

const PHASE_TITLE: Record<string, string> = {
  dns: 'The host name does not resolve',
  connect: 'The server could not be reached',
  tls: 'The TLS connection failed',
  timeout: 'The server did not answer in time',
  protocol: 'The server answered with something that is not valid HTTP',
  aborted: 'The request was cut off by the time limit',
};

/** Not an auth problem at all: nothing answered, so nothing was refused. */
export default defineCheck(
  {
    id: 'network.unreachable',
    step: 5,
    kind: 'cause',
    title: 'The server could not be reached',
    fix: 'Check the host name, port and scheme, your network (VPN, proxy, firewall) and, for TLS errors, the certificate; -k accepts a self-signed certificate for a test.',
  },
  (f) => {
    const x = f.final;
    if (!x?.error || x.error.phase === 'refused-by-tool') return;
    let host = x.request.url;
    try {
      host = new URL(x.request.url).host;
    } catch {
      // keep the URL as given
    }
    return {
      confidence: 'confirmed',
      title: `${PHASE_TITLE[x.error.phase] ?? 'The request failed'}: ${host}`,
      detail: `${x.error.message}. This is not an authentication problem: no server refused the credentials.`,
      evidence: [{ probe: probeName(x), where: `error.${x.error.phase}`, value: x.error.code }],
    };
  },
);
