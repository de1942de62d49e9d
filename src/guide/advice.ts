import type { Report } from '../model/report.js';
import { SKEW_LIMIT_SECONDS } from './checks.js';
import { plainTitle } from './plain.js';
import type { Advice, Answer, DeviceFacts } from './types.js';

/**
 * What the answers point at (the article's quick diagnostics: "same request from a second
 * browser/device", "with and without VPN/proxy"), then what the device measured, then what the
 * report found. When nothing the person tried or the device showed points anywhere, the advice is
 * to send the support block.
 */

const SEND_BLOCK =
  "send the block below to the site's support team (or your IT help desk): it has the time, the address and the reference they need to find your request in their logs";

function fromDevice(device: DeviceFacts): Advice[] {
  const out: Advice[] = [];
  const skew = device.clockSkewSeconds;
  if (skew !== undefined && Math.abs(skew) > SKEW_LIMIT_SECONDS) {
    out.push({
      pointsAt: 'clock',
      from: 'clock-skew',
      text: `Your device's clock is off by ${Math.abs(skew)} seconds compared with the site's. Sign-ins are only valid for a set time, so a wrong clock makes them look expired or not yet valid: turn on "Set date and time automatically" in the system settings, then sign in again.`,
    });
  }
  if (device.cookiesEnabled === false) {
    out.push({
      pointsAt: 'cookies-or-cache',
      from: 'cookies-enabled',
      text: "Your browser blocks cookies, and sites need a cookie to remember that you signed in: allow cookies for this site in the browser's privacy settings, then sign in again.",
    });
  }
  return out;
}

function fromAnswers(a: Record<string, Answer>, device: DeviceFacts): Advice[] {
  const out: Advice[] = [];
  const add = (from: string, pointsAt: Advice['pointsAt'], text: string) =>
    out.push({ from, pointsAt, text });
  if (a['private-window'] === 'yes')
    add(
      'private-window',
      'cookies-or-cache',
      "It works in a private window, so something your normal window has saved is in the way: this site's cookies or cache (or an extension, which private windows usually turn off). Clear this site's cookies and cache in your normal window, then sign in again.",
    );
  if (a['signed-in-again'] === 'yes')
    add(
      'signed-in-again',
      'credentials',
      "Signing in again fixed it: your session had ended. If it keeps happening, tell the site's support team.",
    );
  if (a['cleared-cookies'] === 'yes')
    add(
      'cleared-cookies',
      'cookies-or-cache',
      'Clearing the cookies fixed it: an old or broken sign-in cookie was the problem.',
    );
  if (a['sso-signout'] === 'yes')
    add(
      'sso-signout',
      'account',
      'Signing out of your company, Google or Microsoft account fixed it: that account held an old sign-in, or a different account was signed in.',
    );
  if (a['authenticator-time'] === 'yes')
    add(
      'authenticator-time',
      'clock',
      'A fresh code works once the phone sets its own time: the phone\'s clock was off. Keep "Set automatically" on.',
    );
  if (a['password-on-site'] === 'no')
    add(
      'password-on-site',
      'credentials',
      'Your password does not work even on the site\'s own sign-in page: reset it with the "Forgot password" link, or ask whoever manages your account whether it is locked.',
    );
  if (a['colleague'] === 'yes')
    add(
      'colleague',
      'account',
      "It works for a colleague, so the site itself is fine and your account is the difference: ask whoever manages access to check your account's permissions, or whether it is locked.",
    );
  if (a['colleague'] === 'no')
    add(
      'colleague',
      'server',
      `It fails for a colleague too, so the problem is on the site's side: ${SEND_BLOCK}.`,
    );
  if (a['vpn-off'] === 'yes')
    add(
      'vpn-off',
      'network',
      'It works with the VPN, proxy or extensions turned off: one of them removes or changes your sign-in on the way. Leave it off for this site, or ask your IT team to let sign-ins to this site through unchanged.',
    );
  if (a['mobile-data'] === 'yes')
    add(
      'mobile-data',
      'network',
      'It works on mobile data, so your office or home network is in the way (a proxy, firewall or filter there): ask your IT team to let sign-ins to this site through unchanged.',
    );
  if (a['other-browser'] === 'yes' && a['private-window'] !== 'yes')
    add(
      'other-browser',
      'browser',
      "It works in another browser, so this browser is the difference: its cookies, cache or extensions. Clear this site's cookies and cache here, and turn extensions off one by one to find the one in the way.",
    );
  if (a['other-device'] === 'yes' && a['other-browser'] !== 'yes' && a['private-window'] !== 'yes') {
    const skew = device.clockSkewSeconds;
    if (skew !== undefined && Math.abs(skew) <= SKEW_LIMIT_SECONDS)
      add(
        'other-device',
        'browser',
        "It works on another device but not this one, and this device's clock is right: clear this browser's cache and cookies for the site, and try with extensions turned off.",
      );
    else
      add(
        'other-device',
        'clock',
        "It works on another device but not this one, so this device is the difference: check that its date, time and time zone are set automatically, then clear this browser's cache and cookies for the site.",
      );
  }
  return out;
}

/** What the report's first cause points at, in the same words. */
function fromReport(r: Report, device: DeviceFacts): Advice[] {
  const out: Advice[] = [];
  if (device.clockSkewSeconds === undefined) {
    const skew = r.findings.find((f) => f.id === 'clock.skew');
    if (skew)
      out.push({
        pointsAt: 'clock',
        from: skew.id,
        text: 'This computer\'s clock disagrees with the site\'s: turn on "Set date and time automatically" in the system settings, then sign in again.',
      });
  }
  const cause = r.findings.find((f) => f.kind === 'cause');
  if (!cause) {
    if (r.outcome === 'ok' && r.source !== 'token')
      out.push({
        pointsAt: 'browser',
        from: 'outcome.ok',
        text: 'The request works from here with these sign-in details: if the page still fails for you, the difference is your browser or device (steps 2 and 5).',
      });
    return out;
  }
  const id = cause.id;
  const plain = plainTitle(cause);
  const add = (pointsAt: Advice['pointsAt'], text: string) => out.push({ pointsAt, from: id, text });
  if (/^(login\.|session\.|token\.(expired|inactive|fresh-token-works|refresh-rejected))/.test(id))
    add('credentials', `${plain}. Sign in again (step 2); if that does not help, ${SEND_BLOCK}.`);
  else if (id === 'credentials.missing')
    add(
      'credentials',
      `${plain}. Sign in first; if an app or a script makes this request, check that its sign-in setting (a password, key or token) is filled in (step 3).`,
    );
  else if (id === 'authz.forbidden' || id === 'jwt.scope-insufficient')
    add(
      'account',
      `${plain}. Ask whoever manages access to this site to give your account the permission it needs.`,
    );
  else if (id.startsWith('network.') || id === 'credentials.not-received')
    add(
      'network',
      `${plain}. Try without a VPN or proxy, or on mobile data (step 5), and tell your IT team.`,
    );
  else if (id.startsWith('url.'))
    add(
      'server',
      `${plain}. Check the address you were given (step 1); if it is right, this is for the people who run the site or the app: ${SEND_BLOCK}.`,
    );
  else if (/^(server\.|idp\.|cors\.|dpop\.)/.test(id) || id === 'token.not-yet-valid')
    add('server', `${plain}. This is for the people who run the site (step 4): ${SEND_BLOCK}.`);
  else if (/^(header\.|basic\.|jwt\.|credentials\.|token\.malformed)/.test(id))
    add(
      'credentials',
      `${plain}. If you pasted a password, key or token somewhere (an app's settings, a script), paste it again carefully or get a new one (step 3).`,
    );
  return out;
}

/**
 * Advice from the person's answers (question id → yes / no / not tried), what the device
 * measured and what the report found. Ends with "send the support block" when nothing the person
 * tried or the device measured points anywhere.
 */
export function adviceFor(
  answers: Record<string, Answer>,
  report?: Report,
  device: DeviceFacts = {},
): Advice[] {
  const personal = [...fromDevice(device), ...fromAnswers(answers ?? {}, device)];
  const out = [...personal];
  if (report) {
    for (const a of fromReport(report, device)) if (!out.some((x) => x.pointsAt === a.pointsAt)) out.push(a);
  }
  const tried = Object.values(answers ?? {}).some((a) => a === 'yes' || a === 'no');
  if (personal.length === 0 && (tried || out.length === 0)) {
    out.push({
      pointsAt: 'server',
      from: 'nothing-helped',
      text: tried
        ? `Nothing you tried helped: ${SEND_BLOCK}.`
        : `Try the steps above; if nothing helps, ${SEND_BLOCK}.`,
    });
  }
  return out;
}
