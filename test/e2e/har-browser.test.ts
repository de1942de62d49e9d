import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { HarEntry, HarNameValue } from '../../src/model/har.js';
import { chromiumAvailable, launchChromium, recordHar } from '../support/chromium.js';
import { CLI, runCli } from '../support/cli.js';
import { startServer } from '../support/http-server.js';
import {
  BASIC_CREDENTIALS,
  basicChallenge,
  EXPECTED_FINDING,
  EXPIRING_MAX_AGE_S,
  FAKE,
  FAKE_SECRETS,
  harFixture,
  REFRESH_RETRIES,
  SCENARIO_NAMES,
  SCENARIOS,
  type Scenario,
  type ScenarioName,
} from '../support/har-scenarios.js';

/**
 * HAR files recorded by real Chromium (Debian's `chromium`, playwright-core's `recordHar`) against
 * local servers that reproduce each session-level cause. First: what the HAR really contains (the
 * facts why401 relies on). Then, once `why401 har` is wired, what the CLI finds in each recording.
 * Each scenario is also kept as a small committed recording in test/fixtures/har/<name>.har, checked
 * here without a browser. Re-record them with WHY401_RECORD_HAR_FIXTURES=1 (missing ones are written anyway).
 */

const fixture = harFixture;
const FIXTURE_MAX_BYTES = 200 * 1024;
const RECORD_FIXTURES = process.env.WHY401_RECORD_HAR_FIXTURES === '1';

/** `why401 har` exists in the build: `har --help` exits 0. Until then the CLI assertions are skipped. */
const harWired =
  existsSync(CLI) &&
  spawnSync(process.execPath, [CLI, 'har', '--help'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    timeout: 15_000,
    stdio: 'ignore',
  }).status === 0;

// ---------------------------------------------------------------------------------------------
// Reading a recording

interface Har {
  log: { creator?: { name: string }; browser?: { name: string; version?: string }; entries: HarEntry[] };
}

const entriesOf = (har: unknown) => (har as Har).log.entries;
const header = (list: HarNameValue[], name: string) =>
  list.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
const first = (list: HarNameValue[], name: string) => header(list, name)[0];
const url = (e: HarEntry) => new URL(e.request.url);
const line = (e: HarEntry) => `${e.request.method} ${url(e).pathname} ${e.response.status}`;
const bearerOf = (e: HarEntry) => /^Bearer (\S+)$/.exec(first(e.request.headers, 'authorization') ?? '')?.[1];
const at = (e: HarEntry) => Date.parse(e.startedDateTime);
/** Entries other than page loads (documents). */
const calls = (har: unknown) => entriesOf(har).filter((e) => e._resourceType !== 'document');
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** Every credential a recording carries is one of the fixed fake ones, so recordings can be committed. */
function onlyFakeSecrets(har: unknown): void {
  for (const e of entriesOf(har)) {
    const token = bearerOf(e);
    if (token) expect(FAKE_SECRETS).toContain(token);
    for (const c of e.request.cookies ?? []) expect(FAKE_SECRETS).toContain(c.value);
    for (const c of e.response.cookies ?? []) if (c.value) expect(FAKE_SECRETS).toContain(c.value);
  }
}

// ---------------------------------------------------------------------------------------------
// The facts each recording must show. `s` (the live scenario, with what its servers received) is
// absent when checking a committed fixture.

type Facts = (har: unknown, s?: Scenario) => void;

const FACTS: Record<ScenarioName, Facts> = {
  'cookie-samesite-strict': (har, s) => {
    const es = entriesOf(har);
    const setter = es.find((e) => url(e).pathname === '/login')!;
    expect(url(setter).hostname).toBe('127.0.0.1');
    expect(header(setter.response.headers, 'set-cookie')).toEqual([
      `sid=${FAKE.sidSameSite}; Path=/; HttpOnly; SameSite=Strict`,
    ]);
    expect(setter.response.cookies).toEqual([
      expect.objectContaining({ name: 'sid', value: FAKE.sidSameSite, sameSite: 'Strict', httpOnly: true }),
    ]);
    const [sameSite, crossSite] = es.filter((e) => url(e).pathname === '/api/me');
    // Same-site: the cookie goes out, the API answers 200.
    expect(sameSite!.response.status).toBe(200);
    expect(first(sameSite!.request.headers, 'cookie')).toBe(`sid=${FAKE.sidSameSite}`);
    expect(sameSite!.request.cookies).toEqual([{ name: 'sid', value: FAKE.sidSameSite }]);
    expect(first(sameSite!.request.headers, 'sec-fetch-site')).toBe('same-origin');
    // Cross-site (page on localhost, API on 127.0.0.1, same port as the setter): no Cookie at all, 401.
    expect(crossSite!.response.status).toBe(401);
    expect(url(crossSite!).host).toBe(url(setter).host);
    expect(new URL(first(crossSite!.request.headers, 'origin')!).hostname).toBe('localhost');
    expect(first(crossSite!.request.headers, 'sec-fetch-site')).toBe('cross-site');
    expect(header(crossSite!.request.headers, 'cookie')).toEqual([]);
    expect(crossSite!.request.cookies).toEqual([]);
    expect(at(crossSite!)).toBeGreaterThan(at(setter));
    // The response is readable by the page (CORS with credentials): the refusal is the API's, not CORS.
    expect(first(crossSite!.response.headers, 'access-control-allow-credentials')).toBe('true');
    if (s) {
      const received = s.servers.api.received.filter((r) => r.url === '/api/me');
      expect(received.map((r) => r.headers.cookie)).toEqual([`sid=${FAKE.sidSameSite}`, undefined]);
      expect(s.pageLog).toEqual(['same-site 200', 'cross-site 401']);
    }
  },

  'cookie-expired': (har, s) => {
    const es = entriesOf(har);
    const signIn = es.find((e) => e.request.method === 'POST' && url(e).pathname === '/login')!;
    expect(signIn.response.status).toBe(302);
    expect(new URL(signIn.response.redirectURL!).pathname).toBe('/app');
    expect(header(signIn.response.headers, 'set-cookie')).toEqual([
      `sid=${FAKE.sidExpiring}; Max-Age=${EXPIRING_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Lax`,
    ]);
    // Playwright turns Max-Age into an absolute `expires` in response.cookies.
    const cookie = signIn.response.cookies?.[0];
    expect(cookie).toMatchObject({ name: 'sid', value: FAKE.sidExpiring });
    const expires = Date.parse(cookie!.expires!);
    expect(expires - at(signIn)).toBeGreaterThan(EXPIRING_MAX_AGE_S * 1000 - 500);
    expect(expires - at(signIn)).toBeLessThan(EXPIRING_MAX_AGE_S * 1000 + 2_000);
    // The form post carries the password in postData.text and postData.params.
    expect(signIn.request.postData?.text).toContain(`password=${FAKE.password}`);
    expect(signIn.request.postData?.params).toContainEqual({ name: 'password', value: FAKE.password });

    expect(calls(har).map(line)).toEqual(['GET /api/me 200', 'GET /api/me 302', 'GET /login 200']);
    const [ok, expired, loginPage] = calls(har);
    expect(first(ok!.request.headers, 'cookie')).toBe(`sid=${FAKE.sidExpiring}`);
    expect(at(ok!)).toBeLessThan(expires);
    // After the expiry: no Cookie, a redirect to the sign-in page, which the fetch follows.
    expect(at(expired!)).toBeGreaterThan(expires);
    expect(header(expired!.request.headers, 'cookie')).toEqual([]);
    expect(expired!.request.cookies).toEqual([]);
    expect(expired!.response.redirectURL).toMatch(/\/login\?next=%2Fapi%2Fme$/);
    expect(loginPage!.request.url).toBe(expired!.response.redirectURL);
    expect(loginPage!.response.content?.mimeType).toMatch(/^text\/html/);
    expect(loginPage!.response.content?.text).toContain('type="password"');
    // Nothing ever cleared the cookie: it just expired.
    const setCookies = es.flatMap((e) => header(e.response.headers, 'set-cookie'));
    expect(setCookies).toHaveLength(1);
    if (s) expect(s.pageLog).toEqual(['first 200', 'after wait 200 /login redirected=true']);
  },

  'refresh-loop': (har, s) => {
    const cs = calls(har);
    const expected = ['GET /api/me 401'];
    for (let i = 0; i < REFRESH_RETRIES; i++) expected.push('POST /oauth/token 200', 'GET /api/me 401');
    expect(cs.map(line)).toEqual(expected);
    const gets = cs.filter((e) => e.request.method === 'GET');
    const posts = cs.filter((e) => e.request.method === 'POST');
    // The API and the token endpoint are different origins.
    expect(url(posts[0]!).origin).not.toBe(url(gets[0]!).origin);
    // Each GET sends a different token, all for the same wrong audience; each is refused the same way.
    const tokens = gets.map((e) => bearerOf(e)!);
    expect(tokens).toEqual(FAKE.loopAccess);
    for (const t of tokens) expect(claims(t).aud).toBe('https://other-api.why401.test');
    for (const e of gets) {
      expect(header(e.response.headers, 'www-authenticate')).toEqual([
        `Bearer realm="api", error="invalid_token", error_description="Unexpected 'aud' claim value"`,
      ]);
    }
    // Each token call is a refresh grant whose access_token the next GET sends.
    posts.forEach((e, i) => {
      expect(e.request.postData?.mimeType).toMatch(/^application\/x-www-form-urlencoded/);
      const form = new URLSearchParams(e.request.postData?.text ?? '');
      expect(form.get('grant_type')).toBe('refresh_token');
      expect(form.get('refresh_token')).toBe(FAKE.loopRefresh[i]);
      const body = JSON.parse(e.response.content?.text ?? '{}') as Record<string, unknown>;
      expect(body.access_token).toBe(tokens[i + 1]);
      expect(body.refresh_token).toBe(FAKE.loopRefresh[i + 1]);
      expect(at(e)).toBeGreaterThan(at(gets[i]!));
      expect(at(e)).toBeLessThan(at(gets[i + 1]!));
    });
    if (s) expect(s.pageLog).toHaveLength(2 * REFRESH_RETRIES + 1);
  },

  'stale-tab': (har, s) => {
    const es = entriesOf(har);
    expect(es.map(line)).toEqual([
      'GET /login 302',
      'GET /app 200',
      'GET /api/me 200',
      'POST /logout 200',
      'GET /api/me 401',
    ]);
    const [login, , working, logout, failing] = es;
    expect(header(login!.response.headers, 'set-cookie')).toEqual([
      `sid=${FAKE.sidStale}; Path=/; HttpOnly; SameSite=Lax`,
    ]);
    expect(first(working!.request.headers, 'cookie')).toBe(`sid=${FAKE.sidStale}`);
    expect(first(logout!.request.headers, 'cookie')).toBe(`sid=${FAKE.sidStale}`);
    // The sign-out clears the cookie: empty value, Max-Age=0 and an Expires in 1970.
    expect(header(logout!.response.headers, 'set-cookie')).toEqual([
      'sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    ]);
    expect(logout!.response.cookies).toEqual([
      expect.objectContaining({ name: 'sid', value: '', expires: '1970-01-01T00:00:00.000Z' }),
    ]);
    expect(header(failing!.request.headers, 'cookie')).toEqual([]);
    expect(failing!.request.cookies).toEqual([]);
    expect(at(failing!)).toBeGreaterThanOrEqual(at(logout!));
    if (s) expect(s.pageLog).toEqual(['GET /api/me 200', 'POST /logout 200', 'GET /api/me 401']);
  },

  'preflight-rejected': (har, s) => {
    const es = entriesOf(har);
    // The refused OPTIONS is not in the HAR at all.
    expect(es.filter((e) => e.request.method === 'OPTIONS')).toEqual([]);
    expect(es.map((e) => `${e.request.method} ${url(e).hostname} ${url(e).pathname}`)).toEqual([
      'GET localhost /app',
      'GET 127.0.0.1 /api/me',
    ]);
    const failed = es[1]!;
    // Status -1 (Playwright; Chrome's own export says 0), _failureText, no response headers.
    expect([-1, 0]).toContain(failed.response.status);
    expect(failed.response._failureText).toBe('net::ERR_FAILED');
    expect(failed.response.headers).toEqual([]);
    // Only the page-side request headers: Authorization and Referer, no Origin, no Sec-Fetch-*.
    expect(bearerOf(failed)).toBe(FAKE.preflightToken);
    expect(new URL(first(failed.request.headers, 'referer')!).hostname).toBe('localhost');
    expect(header(failed.request.headers, 'origin')).toEqual([]);
    expect(failed.request.headers.filter((h) => /^sec-fetch-/i.test(h.name))).toEqual([]);
    if (s) {
      // The server did get the preflight (and answered 401), never the GET.
      expect(s.servers.api.received.map((r) => r.method)).toEqual(['OPTIONS']);
      const pre = s.servers.api.received[0]!;
      expect(pre.headers.origin).toBe(s.origins.app);
      expect(pre.headers['access-control-request-method']).toBe('GET');
      expect(pre.headers['access-control-request-headers']).toBe('authorization');
      expect(pre.headers.authorization).toBeUndefined();
      expect(s.pageLog).toEqual(['GET /api/me failed: Failed to fetch']);
    }
  },

  'old-token-reused': (har, s) => {
    const cs = calls(har);
    expect(cs.map(line)).toEqual([
      'GET /api/me 200',
      'POST /oauth/token 200',
      'GET /api/me 200',
      'GET /api/orders 401',
    ]);
    const [before, refresh, after, stale] = cs;
    const form = new URLSearchParams(refresh!.request.postData?.text ?? '');
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe(FAKE.oldRefresh);
    const issued = JSON.parse(refresh!.response.content?.text ?? '{}') as Record<string, unknown>;
    expect(issued.access_token).toBe(FAKE.newAccess);
    expect(bearerOf(before!)).toBe(FAKE.oldAccess);
    expect(bearerOf(after!)).toBe(FAKE.newAccess);
    // After the refresh, /api/orders still sends the replaced token.
    expect(bearerOf(stale!)).toBe(FAKE.oldAccess);
    expect(at(stale!)).toBeGreaterThan(at(refresh!));
    expect(header(stale!.response.headers, 'www-authenticate')).toEqual([
      'Bearer realm="api", error="invalid_token", error_description="The access token has been revoked"',
    ]);
    // Both tokens are for the right audience: the only difference is old vs new.
    expect(claims(FAKE.oldAccess).aud).toBe(claims(FAKE.newAccess).aud);
    if (s) expect(s.pageLog.at(-1)).toBe('GET /api/orders 401');
  },

  healthy: (har, s) => {
    const es = entriesOf(har);
    expect(es.map((e) => e.response.status)).toEqual(es.map(() => 200));
    expect(calls(har).map(line)).toEqual([
      'GET /api/me 200',
      'POST /oauth/token 200',
      'GET /api/orders 200',
      'GET /api/me 200',
    ]);
    const [me, refresh, orders, me2] = calls(har);
    expect(bearerOf(me!)).toBe(FAKE.healthyAccess[0]);
    expect(JSON.parse(refresh!.response.content?.text ?? '{}')).toMatchObject({
      access_token: FAKE.healthyAccess[1],
    });
    expect(bearerOf(orders!)).toBe(FAKE.healthyAccess[1]);
    expect(bearerOf(me2!)).toBe(FAKE.healthyAccess[1]);
    // Cross-site with Authorization, yet no OPTIONS entry: successful preflights are not recorded either.
    expect(new URL(first(me!.request.headers, 'origin')!).hostname).toBe('localhost');
    expect(es.filter((e) => e.request.method === 'OPTIONS')).toEqual([]);
    expect(es.filter((e) => e.response._failureText)).toEqual([]);
    if (s) expect(s.servers.api.received.filter((r) => r.method === 'OPTIONS').length).toBeGreaterThan(0);
  },
};

// ---------------------------------------------------------------------------------------------
// What `why401 har FILE --json` must find (the CLI assertions, skipped until `har` is wired)

interface HarReport {
  findings: Finding[];
  entries: Array<{ findings?: Finding[] }>;
}

async function expectCliFinds(name: ScenarioName, file: string): Promise<void> {
  const expected = EXPECTED_FINDING[name];
  const r = await runCli(['har', file, '--json'], { timeoutMs: 25_000 });
  const report = JSON.parse(r.stdout) as HarReport;
  const causes = report.findings.filter((f) => f.kind === 'cause');
  if (expected === null) {
    expect(causes).toEqual([]);
    expect(report.entries.flatMap((e) => e.findings ?? []).filter((f) => f.kind === 'cause')).toEqual([]);
    expect(r.code).toBe(0);
    return;
  }
  expect(causes[0]?.id, JSON.stringify(report.findings, null, 1)).toBe(expected);
  if (name === 'cookie-samesite-strict') {
    const c = causes[0]!;
    expect([c.title, c.detail ?? '', ...c.evidence.map((e) => e.value)].join('\n')).toMatch(/SameSite/);
  }
  expect(r.code).toBe(1);
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(!chromiumAvailable())('HAR recorded by real Chromium', () => {
  let browser: Browser | undefined;
  const recorded = new Map<ScenarioName, string>();
  const dirs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const name of SCENARIO_NAMES) {
    it(`${name}: the recording shows the facts why401 relies on`, async () => {
      const s = await SCENARIOS[name]();
      expect(s.finding).toBe(EXPECTED_FINDING[name]);
      let rec;
      try {
        rec = await recordHar((page, ctx) => s.play(page, ctx), {
          browser,
          ...(s.httpCredentials ? { httpCredentials: s.httpCredentials } : {}),
        });
      } finally {
        await s.close();
      }
      dirs.push(dirname(rec.harPath));
      recorded.set(name, rec.harPath);
      const log = (rec.har as Har).log;
      expect(log.creator?.name).toBe('Playwright');
      expect(log.browser?.name).toBe('chromium');
      FACTS[name](rec.har, s);
      onlyFakeSecrets(rec.har);
      expect(statSync(rec.harPath).size).toBeLessThan(FIXTURE_MAX_BYTES);
      if (RECORD_FIXTURES || !existsSync(fixture(name))) {
        mkdirSync(dirname(fixture(name)), { recursive: true });
        copyFileSync(rec.harPath, fixture(name));
      }
    });

    // CLI assertion: needs `why401 har` in dist/ (skipped until the integrator wires it).
    it.skipIf(!harWired)(
      `${name}: CLI why401 har --json finds ${EXPECTED_FINDING[name] ?? 'no cause'}`,
      async () => {
        const file = recorded.get(name);
        expect(file, 'the recording test above failed').toBeDefined();
        await expectCliFinds(name, file!);
      },
    );
  }

  it('the browser reaches nothing but 127.0.0.1/localhost: other names do not resolve', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const ctx = await browser!.newContext();
    try {
      const page = await ctx.newPage();
      // This machine's own name (in /etc/hosts here) would reach the server without the resolver rule.
      const own = /^localhost$/i.test(hostname()) ? 'why401-unresolvable.test' : hostname();
      await expect(page.goto(`http://${own}:${srv.port}/`, { timeout: 10_000 })).rejects.toThrow(
        /ERR_NAME_NOT_RESOLVED/,
      );
      const other = await ctx.newPage();
      await expect(other.goto(`http://localhost:${srv.port}/`, { timeout: 10_000 })).resolves.toBeTruthy();
    } finally {
      await ctx.close();
      await srv.close();
    }
    // Only the localhost page (and its favicon) arrived.
    expect(srv.received.map((r) => r.headers.host)).toContain(`localhost:${srv.port}`);
    expect(srv.received.filter((r) => r.headers.host !== `localhost:${srv.port}`)).toEqual([]);
  });

  // Not a session-level cause: what `httpCredentials` (the fix for the Basic-challenge hang) leaves in a HAR.
  it('a Basic challenge recorded with httpCredentials: no stall; one entry, the final 401 and its challenge, no Authorization', async () => {
    const b = await basicChallenge();
    let rec;
    try {
      rec = await recordHar((page) => b.play(page), { browser, httpCredentials: b.httpCredentials });
    } finally {
      await b.server.close();
    }
    rmSync(dirname(rec.harPath), { recursive: true, force: true });
    expect(b.pageLog).toEqual(['GET /api/me 401']);
    // The server saw two requests: without credentials, then with the context's Basic credentials.
    const sent = b.server.received.filter((r) => r.url === '/api/me').map((r) => r.headers.authorization);
    expect(sent).toEqual([
      undefined,
      `Basic ${Buffer.from(`${BASIC_CREDENTIALS.username}:${BASIC_CREDENTIALS.password}`).toString('base64')}`,
    ]);
    // The HAR has only one of them: the answer to the retry, whose request shows no Authorization.
    const api = entriesOf(rec.har).filter((e) => url(e).pathname === '/api/me');
    expect(api.map(line)).toEqual(['GET /api/me 401']);
    expect(header(api[0]!.response.headers, 'www-authenticate')).toEqual([
      'Basic realm="api", charset="UTF-8"',
    ]);
    expect(header(api[0]!.request.headers, 'authorization')).toEqual([]);
  });
});

describe('committed HAR recordings (test/fixtures/har, no browser)', () => {
  for (const name of SCENARIO_NAMES) {
    const file = fixture(name);
    it.skipIf(!existsSync(file))(`${name}.har shows the same facts, with fake secrets only`, () => {
      expect(statSync(file).size).toBeLessThan(FIXTURE_MAX_BYTES);
      const har = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      FACTS[name](har);
      onlyFakeSecrets(har);
    });

    // CLI assertion: needs `why401 har` in dist/ (skipped until the integrator wires it).
    it.skipIf(!harWired || !existsSync(file))(
      `${name}.har: CLI why401 har --json finds ${EXPECTED_FINDING[name] ?? 'no cause'}`,
      async () => {
        await expectCliFinds(name, file);
      },
    );
  }
});
