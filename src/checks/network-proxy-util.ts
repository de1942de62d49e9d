import type { Evidence } from '../model/evidence.js';

/** What the proxy checks read from the evidence: whether the request went through the proxy at all. */

/** Whether the user's request went through the proxy: one is in effect and NO_PROXY did not exempt the target. */
export function proxied(ev: Evidence): boolean {
  return ev.proxy !== undefined && !ev.proxy.bypassed;
}

/** Where the exemption came from: --noproxy when it was given (it replaces NO_PROXY), else the environment. */
export function bypassSource(ev: Evidence): string {
  return ev.request.noproxy !== undefined ? '--noproxy' : 'NO_PROXY';
}
