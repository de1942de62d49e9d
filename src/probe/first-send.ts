import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** undici's diagnostics channel: a request's headers have been written to its socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';

/**
 * Settles when the next request's headers have been written (undici's channel), or after `ms`
 * when none is (an unreachable host, a slow handshake). What a diagnosis loads while it waits for
 * answers (the checks, the renderers, jose) starts on it, not at once: loading ~80 modules is
 * one block of the main thread, and begun before the user's request leaves it held the request's
 * connect callback back 30–40 ms (bench/timeline.mjs, issue 16).
 */
export function nextRequestWritten(ms: number): Promise<void> {
  return new Promise((ok) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe(SEND_HEADERS, done);
      ok();
    };
    const timer = setTimeout(done, ms);
    subscribe(SEND_HEADERS, done);
  });
}
