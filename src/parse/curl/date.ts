/**
 * curl_getdate() as curl 7.88.1 reads a `-z` date (lib/parsedate.c, tag curl-7_88_1), and the
 * IMF-fixdate curl writes it back in (lib/http.c Curl_add_timecondition). Platform-neutral.
 *
 * The parser takes up to six words in any order: a weekday and a month by name (three letters,
 * or a weekday in full), a time zone by name or as +hhmm/-hhmm, hh:mm[:ss], an 8-digit YYYYMMDD,
 * a day of the month (1–31) and a year (two digits: 71–99 are 19xx, the rest 20xx). Anything
 * else fails it, and curl then tries the argument as a file name.
 */

const WKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const WEEKDAY = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Minutes west of GMT, as parsedate.c's tz[] table has them (daylight zones one hour less). */
const TZ: Record<string, number> = {
  GMT: 0,
  UT: 0,
  UTC: 0,
  WET: 0,
  BST: -60,
  WAT: 60,
  AST: 240,
  ADT: 180,
  EST: 300,
  EDT: 240,
  CST: 360,
  CDT: 300,
  MST: 420,
  MDT: 360,
  PST: 480,
  PDT: 420,
  YST: 540,
  YDT: 480,
  HST: 600,
  HDT: 540,
  CAT: 600,
  AHST: 600,
  NT: 660,
  IDLW: 720,
  CET: -60,
  MET: -60,
  MEWT: -60,
  MEST: -120,
  CEST: -120,
  MESZ: -120,
  FWT: -60,
  FST: -120,
  EET: -120,
  WAST: -420,
  WADT: -480,
  CCT: -480,
  JST: -540,
  EAST: -600,
  EADT: -660,
  GST: -600,
  NZT: -720,
  NZST: -720,
  NZDT: -780,
  IDLE: -720,
  // Military zones, with the signs of actual use ("J" is local time, not a zone).
  A: 60,
  B: 120,
  C: 180,
  D: 240,
  E: 300,
  F: 360,
  G: 420,
  H: 480,
  I: 540,
  K: 600,
  L: 660,
  M: 720,
  N: -60,
  O: -120,
  P: -180,
  Q: -240,
  R: -300,
  S: -360,
  T: -420,
  U: -480,
  V: -540,
  W: -600,
  X: -660,
  Y: -720,
  Z: 0,
};

const isAlpha = (c: string) => /^[A-Za-z]$/.test(c);
const isDigit = (c: string) => /^[0-9]$/.test(c);

/** Seconds since the epoch, or undefined where curl_getdate() returns -1. */
export function curlGetdate(date: string): number | undefined {
  let wday = -1;
  let mon = -1;
  let mday = -1;
  let hour = -1;
  let min = -1;
  let sec = -1;
  let year = -1;
  let tzoff = -1; // seconds to add; -1 = none yet (as in C, a real -1 cannot occur: offsets are whole minutes)
  let dignext: 'mday' | 'year' = 'mday';
  let i = 0;
  let part = 0;
  while (i < date.length && part < 6) {
    let found = false;
    while (i < date.length && !isAlpha(date.charAt(i)) && !isDigit(date.charAt(i))) i += 1;
    if (i >= date.length) break;
    const c = date.charAt(i);
    if (isAlpha(c)) {
      const word = /^[A-Za-z]{1,31}/.exec(date.slice(i))![0];
      const lower = word.toLowerCase();
      if (wday === -1) {
        wday = (word.length > 3 ? WEEKDAY : WKDAY).findIndex((d) => d.toLowerCase() === lower);
        if (wday !== -1) found = true;
      }
      if (!found && mon === -1) {
        mon = MONTH.findIndex((m) => m.toLowerCase() === lower);
        if (mon !== -1) found = true;
      }
      if (!found && tzoff === -1) {
        const z = Object.keys(TZ).find((k) => k.toLowerCase() === lower);
        if (z !== undefined) {
          tzoff = TZ[z]! * 60;
          found = true;
        }
      }
      if (!found) return undefined;
      i += word.length;
    } else {
      const rest = date.slice(i);
      // sscanf("%02d:%02d:%02d") and "%02d:%02d": at most two digits each.
      const hms = /^(\d{1,2}):(\d{1,2}):(\d{1,2})/.exec(rest);
      const hm = hms ? undefined : /^(\d{1,2}):(\d{1,2})/.exec(rest);
      if (sec === -1 && hms) {
        hour = Number(hms[1]);
        min = Number(hms[2]);
        sec = Number(hms[3]);
        i += hms[0].length;
      } else if (sec === -1 && hm) {
        hour = Number(hm[1]);
        min = Number(hm[2]);
        sec = 0;
        i += hm[0].length;
      } else {
        const digits = /^\d+/.exec(rest)![0];
        const val = Number(digits);
        if (val > 2147483647) return undefined; // strtol into an int: out of range fails
        const before = i > 0 ? date.charAt(i - 1) : '';
        if (tzoff === -1 && digits.length === 4 && val <= 1400 && (before === '+' || before === '-')) {
          found = true;
          const off = (Math.trunc(val / 100) * 60 + (val % 100)) * 60;
          // +hhmm is ahead of GMT: subtract to get GMT.
          tzoff = before === '+' ? -off : off;
        }
        if (digits.length === 8 && year === -1 && mon === -1 && mday === -1) {
          found = true;
          year = Math.trunc(val / 10000);
          mon = Math.trunc((val % 10000) / 100) - 1;
          mday = val % 100;
        }
        if (!found && dignext === 'mday' && mday === -1) {
          if (val > 0 && val < 32) {
            mday = val;
            found = true;
          }
          dignext = 'year';
        }
        if (!found && dignext === 'year' && year === -1) {
          year = val;
          found = true;
          if (year < 100) year += year > 70 ? 1900 : 2000;
          if (mday === -1) dignext = 'mday';
        }
        if (!found) return undefined;
        i += digits.length;
      }
    }
    part += 1;
  }
  if (sec === -1) sec = min = hour = 0;
  if (mday === -1 || mon === -1 || year === -1) return undefined;
  if (year < 1583) return undefined; // 64-bit time_t: "The Gregorian calendar was introduced 1582"
  if (mday > 31 || mon > 11 || hour > 23 || min > 59 || sec > 60) return undefined;
  // time2epoch(): days from 1970 with the Gregorian leap rule, no validation of the day per month.
  const leapYears = year - (mon <= 1 ? 1 : 0);
  const leapDays =
    Math.trunc(leapYears / 4) -
    Math.trunc(leapYears / 100) +
    Math.trunc(leapYears / 400) -
    (Math.trunc(1969 / 4) - Math.trunc(1969 / 100) + Math.trunc(1969 / 400));
  const cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][mon]!;
  const t = ((((year - 1970) * 365 + leapDays + cumulative + mday - 1) * 24 + hour) * 60 + min) * 60 + sec;
  const epoch = t + (tzoff === -1 ? 0 : tzoff);
  return epoch === -1 ? 0 : epoch; // curl_getdate: "avoid returning -1 for a working scenario"
}

/** `Wed, 01 Sep 2021 12:18:00 GMT`, as Curl_add_timecondition writes it (gmtime of the seconds). */
export function imfFixdate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = WKDAY[(d.getUTCDay() + 6) % 7]!;
  return `${day}, ${two(d.getUTCDate())} ${MONTH[d.getUTCMonth()]!} ${String(d.getUTCFullYear()).padStart(4, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}
