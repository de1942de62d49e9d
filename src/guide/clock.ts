import type { Report } from '../model/report.js';
import { headerOf } from './report-view.js';

/**
 * The device clock minus the server's, in whole seconds, from the `Date` header (RFC 9110 §6.6.1)
 * of the main probe's last answer. `deviceNowMs` is the device's clock when that answer arrived;
 * a report made on this very device gives it as `Date.parse(report.support.timestamp)` plus that
 * hop's `ms`. Undefined when the server gave no readable Date.
 */
export function clockSkewSeconds(report: Report, deviceNowMs: number): number | undefined {
  if (!Number.isFinite(deviceNowMs)) return undefined;
  const main = report.probes
    .filter((p) => p.name === 'main' && p.status !== null)
    .sort((a, b) => b.hop - a.hop);
  for (const p of main) {
    const date = headerOf(p.responseHeaders, 'date')[0];
    const ms = date === undefined ? NaN : Date.parse(date);
    if (Number.isFinite(ms)) return Math.round((deviceNowMs - ms) / 1000);
  }
  return undefined;
}
