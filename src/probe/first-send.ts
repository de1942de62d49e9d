import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** undici's diagnostics channel: a request's headers have been written to its socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';

/**
 * How long after a request is written another one may still be on its way out: the user's request
 * and the anonymous probe connect together, and their connect callbacks come within a turn or two
 * of the event loop on a local server.
 */
const QUIET_MS = 5;

/**
 * Settles once the requests begun together have been written (undici's channel): `QUIET_MS` after
 * the last one written, or after `ms` when none is (an unreachable host, a slow handshake). What a
 * diagnosis loads while it waits for answers (the checks, the renderers, jose) starts on it, not
 * at once: loading ~80 modules is one block of the main thread, and begun before the user's
 * request left it held the request's connect callback back 30–40 ms; begun after the first
 * request only, it held the anonymous probe back as long on Node 22 and 24 (bench/timeline.mjs,
 * issue 16). At once when the user's request left at boot (`boot`: the CLI's Prefetch): what
 * undici sends after that is asked by the run itself, and nothing of it is the first byte.
 */
export function requestsWritten(ms: number, boot?: { sentExchanges: boolean }): Promise<void> {
  if (boot?.sentExchanges) return Promise.resolve();
  return new Promise((ok) => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(cap);
      clearTimeout(quiet);
      unsubscribe(SEND_HEADERS, sent);
      ok();
    };
    const sent = () => {
      clearTimeout(quiet);
      quiet = setTimeout(done, QUIET_MS);
    };
    const cap = setTimeout(done, ms);
    subscribe(SEND_HEADERS, sent);
  });
}
