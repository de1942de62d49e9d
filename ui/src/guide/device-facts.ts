import { accountFromAuthorization, clockSkewSeconds, type DeviceFacts } from '../../../src/guide/index.js';
import type { Report } from '../../../src/model/report.js';

/**
 * What the page can measure about this device by itself: its clock against the site's `Date`
 * (the report was made by the why401 ui server on this very computer, so the report's timestamp
 * plus the main request's time is this device's clock when the answer came), whether the browser
 * takes cookies, and which account the pasted sign-in details name.
 */

/** The `Authorization` value among pasted `Name: value` lines. */
export function authorizationOf(headerLines: string): string | undefined {
  for (const line of headerLines.split(/\r?\n/)) {
    const m = /^\s*authorization\s*:\s*(.+)$/i.exec(line);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

export function measureDevice(report: Report | undefined, headerLines: string): DeviceFacts {
  const d: DeviceFacts = { cookiesEnabled: navigator.cookieEnabled };
  if (report) {
    const mainMs = report.probes.filter((p) => p.name === 'main').reduce((n, p) => n + p.ms, 0);
    const skew = clockSkewSeconds(report, Date.parse(report.support.timestamp) + mainMs);
    if (skew !== undefined) d.clockSkewSeconds = skew;
  }
  const auth = authorizationOf(headerLines);
  const account = auth === undefined ? undefined : accountFromAuthorization(auth);
  if (account !== undefined) d.account = account;
  return d;
}
