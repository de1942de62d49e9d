import type { CauseId } from '../checks/index.js';
import type { Finding } from '../model/finding.js';
import type { CheckResult, Report } from '../model/report.js';
import { plainTitle, stepOfFinding } from './plain.js';
import { credentialWords, headerOf, viewOf, type ReportView } from './report-view.js';
import type { DeviceFacts, GuideCheck, StepNo } from './types.js';

/**
 * What why401 checked by itself, per step, in plain words. Each step is a list of topics; a topic
 * shows the findings that speak to it (their check meta's `step`), or, when none does, what the
 * probes showed instead (a pass, a plain fact, or why it could not be checked). Findings of the
 * step that no topic names come last, so nothing the report found is left out.
 */

interface Ctx {
  v?: ReportView;
  device: DeviceFacts;
  /** Findings of this step not shown yet. */
  findings: Finding[];
}

interface Topic {
  /** The findings that answer this topic. */
  covers?: (id: string) => boolean;
  /** What to show when no finding answers it (may be nothing). */
  otherwise?: (c: Ctx) => GuideCheck[];
  /** Shown whatever the findings say (before them). */
  always?: (c: Ctx) => GuideCheck[];
}

const pass = (text: string): GuideCheck => ({ text, result: 'pass' });
const info = (text: string): GuideCheck => ({ text, result: 'info' });
const fail = (text: string): GuideCheck => ({ text, result: 'fail' });
const skipped = (text: string): GuideCheck => ({ text, result: 'skipped' });

/** A cause id, or an area of them (`header.`): typed by the registry, so a typo does not compile. */
type CauseArea = CauseId extends `${infer A}.${string}` ? `${A}.` : never;

const starts =
  (...prefixes: Array<CauseId | CauseArea>) =>
  (id: string) =>
    prefixes.some((p) => id === p || (p.endsWith('.') && id.startsWith(p)));

/**
 * What the report's checks[] says of these checks: every one clear, any not applicable (with the
 * first reason), or undefined when the report carries no checks[] (evidence saved by an older
 * version) or one of them found something.
 */
function verdict(c: Ctx, ...ids: CauseId[]): { clear: true } | { na: string } | undefined {
  const all = c.v?.report.checks;
  if (!all?.length) return undefined;
  const mine = ids.map((id) => all.find((x) => x.id === id)).filter((x): x is CheckResult => !!x);
  if (mine.length === 0) return undefined;
  const na = mine.find((x) => x.status === 'not-applicable');
  if (na) return { na: na.reason ?? 'it did not apply' };
  return mine.every((x) => x.status === 'clear') ? { clear: true } : undefined;
}

function identityText(f: Finding): string {
  const ev = (where: string) => f.evidence.find((e) => e.where === where)?.value;
  const user = ev('basic.user');
  if (user !== undefined) return `The user name sent is "${user}"`;
  const sub = ev('token.sub');
  const client = ev('token.client_id') ?? ev('token.azp') ?? ev('token.appid');
  const iss = ev('token.iss');
  if (sub === undefined && client === undefined) return f.title;
  const who = sub !== undefined ? `the user ${sub}` : `the app ${client}`;
  const via = sub !== undefined && client !== undefined ? `, through the app ${client}` : '';
  return `The sign-in token says it is for ${who}${via}${iss !== undefined ? `, issued by ${iss}` : ''}`;
}

function requestIdText(r: Report): string | undefined {
  const ids = Object.entries(r.support.requestIds);
  if (!ids.length) return undefined;
  return `The site gave a reference for its logs (request id): ${ids.map(([k, v]) => `${k} ${v}`).join(', ')}`;
}

function challengeText(f: Finding): string {
  const m = /^The server asks for (.+?)(?: \(to the anonymous probe\))?$/.exec(f.title);
  return m ? `The site says which kind of sign-in it accepts: ${m[1]}` : f.title;
}

/** credentials.rejected quotes the server's own words: keep them, in plain words around them. */
function rejectedText(f: Finding): string {
  const m =
    /^The server (says no credentials reached it|rejected the [^:]+|refused the request as malformed): (.+)$/s.exec(
      f.title,
    );
  if (!m) return plainTitle(f);
  const what = m[1]!.startsWith('says')
    ? 'The site says no sign-in details reached it'
    : m[1]!.startsWith('refused')
      ? 'The site refused the request as badly formed'
      : 'The site refused the sign-in details';
  return `${what}; in its own words: "${m[2]}"`;
}

/**
 * The server's own words a finding carries from the refusal it absorbed (an expired token that
 * folded in "the server rejected the token: jwt expired"): worth showing in the plain text too.
 */
function absorbedWords(f: Finding): string | undefined {
  if (!f.absorbed?.includes('credentials.rejected')) return undefined;
  for (const e of f.evidence) {
    if (e.where.startsWith('response.body')) return e.value;
    const d = e.where === 'response.header.www-authenticate' && /error_description="([^"]*)"/.exec(e.value);
    if (d) return d[1];
  }
  return undefined;
}

/** A finding as a check: a cause or a warning is something to fix (✗), context is information. */
export function checkOfFinding(f: Finding, r?: Report): GuideCheck {
  let text = plainTitle(f);
  const words = absorbedWords(f);
  if (words) text = `${text}; the site's own words: "${words}"`;
  if (f.id === 'info.identity') text = identityText(f);
  else if (f.id === 'info.request-ids') text = (r && requestIdText(r)) ?? f.title;
  else if (f.id === 'info.challenge') text = challengeText(f);
  else if (f.id === 'credentials.rejected') text = rejectedText(f);
  return { text, result: f.kind === 'info' ? 'info' : 'fail', causeId: f.id };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function answeredCheck(v: ReportView | undefined): GuideCheck[] {
  if (!v) return [];
  if (!v.final) {
    return [
      skipped(
        v.report.source === 'token'
          ? 'No address was tested: only a sign-in token was checked'
          : 'The address was not contacted (the request was only read, not sent)',
      ),
    ];
  }
  const r = v.report;
  const st = v.final.status;
  if (st === null) return [fail('The address did not answer (see step 5)')];
  // With --origin, a browser's request can fail at its CORS check while this one succeeds.
  if ((r.outcome === 'unauthorized' || r.outcome === 'forbidden') && st < 400)
    return [info(`The address answered ${st} here, but a browser's request to it is refused (see step 4)`)];
  switch (r.outcome) {
    case 'ok':
      return [pass(`The address answered ${st}: it works`)];
    case 'unauthorized':
      return [
        info(
          st === 401
            ? 'The address answered 401: the site does not know who you are yet, so it wants you to sign in'
            : `The address answered ${st} and asked you to sign in`,
        ),
      ];
    case 'forbidden':
      return [
        info(
          'The address answered 403: the site refuses this request (it knows who you are but does not allow it, or something in front of the site stepped in)',
        ),
      ];
    case 'login-required':
      return [info(`The address answered ${st}, but with a sign-in page instead of what you asked for`)];
    default:
      if (st === 404) return [fail('The address answered 404: there is no page at this address')];
      if (st >= 500) return [fail(`The address answered ${st}: the site itself had an error`)];
      return [info(`The address answered ${st}`)];
  }
}

function redirectChecks(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v?.final || !v.answered) return [];
  const out: GuideCheck[] = [];
  const hops = v.main.length - 1;
  if (hops > 0)
    out.push(info(`The address sent the request on ${plural(hops, 'time')}, ending at ${v.final.url}`));
  out.push(pass('The site did not send you to a sign-in page'));
  return out;
}

function environmentCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.final) return [];
  return c.v.jwt
    ? [
        pass(
          'The address and your sign-in token are for the same copy of the site (no test or staging mix-up seen)',
        ),
      ]
    : [
        skipped(
          'Whether the address is a test or staging copy could not be compared (no readable sign-in token)',
        ),
      ];
}

function httpsCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.final) return [];
  return /^https:/i.test(c.v.report.target.url)
    ? [pass('The address uses a secure connection (https)')]
    : [
        info(
          'The address starts with http://, not https:// (normal only for a test site on this computer or network)',
        ),
      ];
}

function expiryCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  const said = verdict(c, 'token.expired');
  if (said && 'na' in said) return [skipped(`The expiry could not be checked: ${said.na}`)];
  if (!v?.jwt)
    return [skipped('No sign-in token with an expiry time was sent, so there was no expiry to check')];
  const exp = v.identity?.evidence.find((e) => e.where === 'token.exp')?.value;
  return [
    pass(
      exp
        ? `Your sign-in token has not expired (it is valid until ${exp})`
        : 'Your sign-in token has not expired',
    ),
  ];
}

function cookieCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v?.first) return [];
  return v.sentCredentials.includes('cookie')
    ? [
        info(
          'Cookies were sent with the request (whether one of them has expired cannot be seen from the request itself)',
        ),
      ]
    : [skipped('No cookies were sent, so there was no session cookie to check')];
}

function deviceCookies(c: Ctx): GuideCheck[] {
  if (c.device.cookiesEnabled === false)
    return [fail('Your browser blocks cookies, so sites cannot keep you signed in')];
  if (c.device.cookiesEnabled === true) return [pass('Your browser accepts cookies')];
  return [];
}

function sentCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v) return [];
  const words = credentialWords(v);
  if (words.length) return [pass(`Sign-in details were sent: ${words.join(', ')}`)];
  if (!v.first) return [];
  return [info('No sign-in details (password, key or sign-in token) were sent with the request')];
}

function arrivedCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v?.first || !v.final || v.sentCredentials.length === 0 || v.main.length < 2) return [];
  const dropped = v.sentCredentials.filter((n) => headerOf(v.final!.requestHeaders, n).length === 0);
  if (dropped.length) {
    const check = fail(
      'Your sign-in details were left behind when the request was sent on to the final address',
    );
    if (v.report.findings.some((f) => f.id === 'url.redirect-dropped-credentials'))
      check.causeId = 'url.redirect-dropped-credentials';
    return [check];
  }
  return [pass('Your sign-in details were still attached when the request reached the final address')];
}

function formCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.sentCredentials.includes('authorization')) return [];
  return [
    pass('The sign-in details are written the expected way (no stray spaces, quote marks or placeholders)'),
  ];
}

function tokenCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v) return [];
  if (v.jwt) return [pass('The sign-in token is readable and of the right kind')];
  if (v.scheme === 'bearer' || v.scheme === 'dpop')
    return [info('The sign-in token cannot be read here (many sites use tokens only they can read)')];
  return [];
}

function accountCheck(c: Ctx): GuideCheck[] {
  const a = c.device.account;
  return a ? [info(`The sign-in details name the account ${a}: is it the one you meant to use?`)] : [];
}

function challengeCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v?.final || v.final.status !== 401) return [];
  return headerOf(v.final.responseHeaders, 'www-authenticate').length
    ? [pass('The site said how to sign in (its refusal came with sign-in instructions)')]
    : [];
}

function fmtSkew(s: number): string {
  const a = Math.abs(s);
  if (a < 120) return plural(a, 'second');
  if (a < 7200) return plural(Math.round(a / 60), 'minute');
  if (a < 172_800) return plural(Math.round(a / 3600), 'hour');
  return plural(Math.round(a / 86_400), 'day');
}

/** More than a minute apart: beyond the Date header's resolution and a round trip (clock-skew.ts). */
export const SKEW_LIMIT_SECONDS = 60;

function clockChecks(c: Ctx): GuideCheck[] {
  const skew = c.device.clockSkewSeconds;
  const finding = c.findings.find((f) => f.id === 'clock.skew');
  if (skew !== undefined) {
    // The device's own measurement stands for the finding (the same clock, measured the same way).
    c.findings = c.findings.filter((f) => f.id !== 'clock.skew');
    const check =
      Math.abs(skew) > SKEW_LIMIT_SECONDS
        ? fail(`Your device's clock is ${fmtSkew(skew)} ${skew > 0 ? 'ahead of' : 'behind'} the site's clock`)
        : pass(
            `Your device's clock agrees with the site's (within ${Math.abs(skew) <= 1 ? 'a second' : plural(Math.abs(skew), 'second')})`,
          );
    if (finding) check.causeId = finding.id;
    return [check];
  }
  if (finding) return [];
  const v = c.v;
  if (!v?.final) return [];
  return v.main.some((p) => headerOf(p.responseHeaders, 'date').length)
    ? [pass("This computer's clock agrees with the site's (within a minute)")]
    : [skipped('The site did not say what time it is, so the clocks could not be compared')];
}

function inFrontCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.answered) return [];
  const said = verdict(c, 'server.waf-blocked', 'server.gateway-rejected', 'server.cached-401');
  if (said && !('clear' in said)) return [];
  return [pass("No firewall, gateway or stored copy (cache) was seen answering in the site's place")];
}

function corsCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.report.probes.some((p) => p.name === 'preflight')) return [];
  return [pass("The browser's safety check before the request (CORS) passed")];
}

function requestIdCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.answered) return [];
  return [
    info('The site gave no reference (request id) for its logs; the time and the address will have to do'),
  ];
}

function reachCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v) return [];
  if (!v.final) return [skipped('No connection was tried')];
  return v.answered ? [pass('The site could be reached from this computer')] : [];
}

function proxyCheck(c: Ctx): GuideCheck[] {
  if (!c.v?.answered) return [];
  // network.proxy-auth-required is not applicable exactly when no proxy was in effect.
  const said = verdict(c, 'network.proxy-auth-required');
  if (said && 'clear' in said) return [pass('The proxy on this computer let the request through')];
  return [pass('No proxy is set up on this computer for this address')];
}

function tlsCheck(c: Ctx): GuideCheck[] {
  const v = c.v;
  if (!v?.answered) return [];
  return /^https:/i.test(v.report.target.url)
    ? [
        pass(
          'The secure connection goes straight to the site (no company filter or security tool opening it was seen)',
        ),
      ]
    : [skipped('The address is not secure (http), so there was no secure connection to check')];
}

const TOPICS: Record<StepNo, Topic[]> = {
  1: [
    { always: (c) => answeredCheck(c.v) },
    {
      covers: starts('login.redirect', 'login.page', 'url.redirect-dropped-credentials'),
      otherwise: redirectChecks,
    },
    { covers: starts('url.environment-mismatch'), otherwise: environmentCheck },
    { covers: starts('url.double-slash', 'url.wrong-endpoint') },
    { covers: starts('url.insecure-http'), otherwise: httpsCheck },
  ],
  2: [
    {
      covers: starts(
        'token.expired',
        'token.not-yet-valid',
        'token.inactive',
        'token.fresh-token-works',
        'token.refresh-rejected',
      ),
      otherwise: expiryCheck,
    },
    { covers: starts('session.', 'info.changed-since-success'), otherwise: cookieCheck },
    { always: deviceCookies },
  ],
  3: [
    { covers: starts('credentials.missing'), otherwise: sentCheck },
    { always: arrivedCheck },
    { covers: starts('header.', 'basic.', 'token.malformed', 'apikey.wrong-place'), otherwise: formCheck },
    { covers: starts('jwt.', 'credentials.rejected'), otherwise: tokenCheck },
    { covers: starts('info.identity') },
    { always: accountCheck },
  ],
  4: [
    {
      covers: starts(
        'server.challenge-missing',
        'server.challenge-malformed',
        'server.unsupported-challenge',
        'dpop.required',
        'info.challenge',
      ),
      otherwise: challengeCheck,
    },
    { covers: starts('clock.skew'), always: clockChecks },
    {
      covers: starts('server.waf-blocked', 'server.gateway-rejected', 'server.cached-401'),
      otherwise: inFrontCheck,
    },
    { covers: starts('server.status-misused', 'authz.', 'idp.') },
    { covers: starts('cors.'), otherwise: corsCheck },
    { covers: starts('info.request-ids'), otherwise: requestIdCheck },
  ],
  5: [
    { covers: starts('network.unreachable'), otherwise: reachCheck },
    {
      covers: starts(
        'network.proxy-strips-auth',
        'network.proxy-configured',
        'network.proxy-auth-required',
        'credentials.not-received',
      ),
      otherwise: proxyCheck,
    },
    { covers: starts('network.tls-intercepted'), otherwise: tlsCheck },
  ],
};

/** The automatic checks of one step, from a report (when there is one) and what the device measured. */
export function checksFor(step: StepNo, report: Report | undefined, device: DeviceFacts): GuideCheck[] {
  const c: Ctx = {
    device,
    findings: report ? report.findings.filter((f) => stepOfFinding(f) === step) : [],
  };
  if (report) c.v = viewOf(report);
  const out: GuideCheck[] = [];
  for (const t of TOPICS[step]) {
    if (t.always) out.push(...t.always(c));
    if (!t.covers) {
      if (t.otherwise && report) out.push(...t.otherwise(c));
      continue;
    }
    const mine = c.findings.filter((f) => t.covers!(f.id));
    c.findings = c.findings.filter((f) => !mine.includes(f));
    if (mine.length) out.push(...mine.map((f) => checkOfFinding(f, report)));
    else if (t.otherwise && report) out.push(...t.otherwise(c));
  }
  out.push(...c.findings.map((f) => checkOfFinding(f, report)));
  return out;
}
