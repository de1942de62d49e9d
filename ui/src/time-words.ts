/** Times in plain words: "3 hours ago", "in 5 minutes". */

const UNITS: Array<[number, string]> = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** A duration in seconds as the largest whole unit: "3 hours", "1 minute". */
export function durationWords(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  for (const [size, name] of UNITS) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

/** A moment relative to now: "3 hours ago", "in 5 minutes", "just now". */
export function relativeWords(atMs: number, nowMs: number): string {
  const d = (atMs - nowMs) / 1000;
  if (Math.abs(d) < 2) return 'just now';
  return d < 0 ? `${durationWords(d)} ago` : `in ${durationWords(d)}`;
}

/** ISO 8601 in UTC without milliseconds, readable: "2024-05-01 10:00:00 UTC". */
export function utcWords(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
