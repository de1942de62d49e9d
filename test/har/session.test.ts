import { describe, expect, it } from 'vitest';
import { CookieReplay, explainCookie, type HeldCookie } from '../../src/facts/cookies.js';
import { deriveSessionFacts, isChromium, needsDiagnosis, signOutKind } from '../../src/facts/session.js';
import { isLocalHost } from '../../src/parse/url.js';
import { registrableDomain, siteOf } from '../../src/parse/site.js';
import { authorizationToken, tokenEndpointCall } from '../../src/facts/tokens.js';
import { sha256Hex } from '../../src/spec/sha256.js';
import { har, harEntry, jwt, sessionFacts, T0 } from './report-fixtures.js';

describe('sites', () => {
  it('tells sites apart the way Chromium does (schemeful, registrable domain; IPs and localhost stand alone)', () => {
    expect(siteOf('http://127.0.0.1:5173/x')).toBe('http://127.0.0.1');
    expect(siteOf('http://localhost:3000/')).toBe('http://localhost');
    expect(siteOf('https://app.example.com')).toBe(siteOf('https://api.example.com'));
    expect(siteOf('http://app.example.com')).not.toBe(siteOf('https://app.example.com'));
    expect(registrableDomain('a.b.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('foo.github.io')).toBe('foo.github.io');
    expect(registrableDomain('x.localhost')).toBe('x.localhost');
    expect(isLocalHost('127.0.0.1')).toBe(true);
    expect(isLocalHost('[::1]')).toBe(true);
    expect(isLocalHost('example.com')).toBe(false);
  });
});

describe('cookie replay', () => {
  const held = (over: Partial<HeldCookie>): HeldCookie => ({
    name: 'sid',
    value: 'v',
    fp: 'f',
    domain: 'app.example.com',
    hostOnly: true,
    path: '/',
    secure: true,
    httpOnly: true,
    partitioned: false,
    setAt: T0,
    setBy: 0,
    attributes: 'sid=…',
    cleared: false,
    ...over,
  });
  const req = { url: 'https://app.example.com/api', method: 'GET', at: T0 + 1000, navigation: false };

  it('names the rule that keeps a cookie out, HttpOnly never among them', () => {
    expect(explainCookie(held({}), req)).toEqual({ send: true });
    expect(explainCookie(held({ httpOnly: true }), req).send).toBe(true);
    expect(explainCookie(held({}), { ...req, url: 'https://api.example.com/api' })).toMatchObject({
      rule: 'domain',
    });
    expect(
      explainCookie(held({ hostOnly: false, domain: 'example.com' }), {
        ...req,
        url: 'https://api.example.com/api',
      }),
    ).toEqual({ send: true });
    expect(explainCookie(held({ path: '/app' }), req)).toMatchObject({ rule: 'path' });
    expect(explainCookie(held({}), { ...req, url: 'http://app.example.com/api' })).toMatchObject({
      rule: 'secure',
    });
    expect(explainCookie(held({}), { ...req, url: 'http://localhost/api' })).toMatchObject({
      rule: 'domain',
    });
    expect(explainCookie(held({ expiresAt: T0 + 500 }), req)).toMatchObject({ rule: 'expired' });
    expect(explainCookie(held({ cleared: true }), req)).toMatchObject({ rule: 'cleared' });
    expect(explainCookie(held({ sameSite: 'strict' }), { ...req, crossSite: true })).toMatchObject({
      rule: 'samesite',
    });
    expect(explainCookie(held({ sameSite: 'lax' }), { ...req, crossSite: true })).toMatchObject({
      rule: 'samesite',
    });
    expect(explainCookie(held({ sameSite: 'lax' }), { ...req, crossSite: true, navigation: true })).toEqual({
      send: true,
    });
    expect(
      explainCookie(held({ sameSite: 'strict' }), { ...req, crossSite: true, navigation: true }),
    ).toMatchObject({ rule: 'samesite' });
    expect(explainCookie(held({}), { ...req, crossSite: true })).toMatchObject({ rule: 'samesite' });
    expect(explainCookie(held({}), { ...req, crossSite: true }, false)).toEqual({ send: true });
    expect(explainCookie(held({ sameSite: 'none' }), { ...req, crossSite: true })).toEqual({ send: true });
    expect(
      explainCookie(held({ sameSite: 'none', partitioned: true, partitionSite: 'https://a.example' }), {
        ...req,
        crossSite: true,
        topSite: 'https://b.example',
      }),
    ).toMatchObject({ rule: 'partitioned' });
  });

  it("stores through tough-cookie at the capture's time: Max-Age counts from the response, never from today", () => {
    const r = new CookieReplay();
    const at = Date.parse('2019-05-01T10:00:00Z');
    r.apply(0, 'https://app.example.com/login', ['sid=abc; Max-Age=60; Path=/'], at, {
      navigation: true,
      chromium: true,
    });
    const [c] = r.snapshot();
    expect(c).toMatchObject({
      name: 'sid',
      expiresAt: at + 60_000,
      cleared: false,
      fp: sha256Hex('abc'),
      attributes: 'sid=…; Max-Age=60; Path=/',
    });
    expect(
      explainCookie(c!, {
        url: 'https://app.example.com/',
        method: 'GET',
        at: at + 30_000,
        navigation: false,
      }),
    ).toEqual({ send: true });
  });

  it('records the Set-Cookie lines the browser refuses, with the reason', () => {
    const r = new CookieReplay();
    r.apply(0, 'http://app.example.com/', ['a=1; Secure'], T0, { navigation: true, chromium: true });
    r.apply(1, 'https://app.example.com/', ['b=1; Domain=other.com'], T0, {
      navigation: true,
      chromium: true,
    });
    r.apply(2, 'https://app.example.com/', ['c=1; SameSite=Strict'], T0, {
      navigation: false,
      crossSite: true,
      chromium: true,
    });
    r.apply(3, 'https://app.example.com/', ['d=1; SameSite=None'], T0, { navigation: false, chromium: true });
    r.apply(4, 'https://app.example.com/', ['e=1'], T0, {
      navigation: false,
      crossSite: true,
      chromium: true,
    });
    expect(r.rejected.map((x) => [x.name, x.reason])).toEqual([
      ['a', expect.stringMatching(/Secure/)],
      ['b', expect.stringMatching(/domain/i)],
      ['c', expect.stringMatching(/SameSite=Strict.*cross-site/)],
      ['d', expect.stringMatching(/SameSite=None without Secure/)],
      ['e', expect.stringMatching(/no SameSite attribute/)],
    ]);
    expect(r.snapshot()).toEqual([]);
  });

  it('notes a Set-Cookie that removes a held cookie (a sign-out)', () => {
    const r = new CookieReplay();
    r.apply(0, 'https://app.example.com/', ['sid=abc; Path=/'], T0, { navigation: true, chromium: true });
    r.apply(5, 'https://app.example.com/logout', ['sid=; Path=/; Max-Age=0'], T0 + 1000, {
      navigation: false,
      chromium: true,
    });
    expect(r.clearings).toHaveLength(1);
    expect(r.clearings[0]).toMatchObject({
      name: 'sid',
      cleared: true,
      setBy: 5,
      replaced: { value: 'abc' },
    });
  });
});

describe('tokens', () => {
  it('fingerprints the Authorization credential and reads its claims', () => {
    const t = jwt({ iss: 'https://idp/', aud: ['a', 'b'], scope: 'read write', exp: 2000000000 });
    const info = authorizationToken([['Authorization', `Bearer ${t}`]]);
    expect(info).toMatchObject({
      fp: sha256Hex(t),
      short: `sha256:${sha256Hex(t).slice(0, 6)}`,
      scheme: 'Bearer',
    });
    expect(info?.claims).toEqual({
      iss: 'https://idp/',
      aud: ['a', 'b'],
      exp: 2000000000,
      scopes: ['read', 'write'],
    });
    expect(authorizationToken([])).toBeUndefined();
  });

  it('recognises token-endpoint calls by path, by grant_type, or by an access_token in the answer', () => {
    expect(
      tokenEndpointCall(
        'POST',
        'https://idp/oauth/token',
        'grant_type=refresh_token&refresh_token=r',
        200,
        '{"access_token":"new-token-1234"}',
      ),
    ).toMatchObject({
      grantType: 'refresh_token',
      ok: true,
      issued: { fp: sha256Hex('new-token-1234') },
    });
    expect(
      tokenEndpointCall(
        'POST',
        'https://idp/realms/x/protocol/openid-connect/token',
        'x=1',
        400,
        '{"error":"invalid_grant"}',
      ),
    ).toEqual({
      ok: false,
      error: 'invalid_grant',
    });
    expect(
      tokenEndpointCall('POST', 'https://app/api/session', '{}', 200, '{"data":{"accessToken":"at-5678"}}')
        ?.issued?.fp,
    ).toBe(sha256Hex('at-5678'));
    expect(tokenEndpointCall('GET', 'https://app/api/me', undefined, 200, '{"user":"u"}')).toBeUndefined();
    expect(tokenEndpointCall('GET', 'https://app/token', undefined, 200, '{}')).toBeUndefined();
  });
});

describe('deriveSessionFacts', () => {
  it('orders entries by time, and records origin, site, page and cross-site for each', () => {
    const f = sessionFacts([
      {
        url: 'http://127.0.0.1:3000/api/me',
        status: 401,
        at: 2000,
        req: { Origin: 'http://localhost:5173', Authorization: 'Bearer tok-1234' },
      },
      {
        url: 'http://localhost:5173/app',
        status: 200,
        at: 0,
        resourceType: 'document',
        mime: 'text/html',
        body: '<html>',
      },
    ]);
    expect(f.entries.map((e) => e.index)).toEqual([1, 0]);
    const api = f.byIndex.get(0)!;
    expect(api).toMatchObject({
      origin: 'http://127.0.0.1:3000',
      site: 'http://127.0.0.1',
      pageOrigin: 'http://localhost:5173',
      crossOrigin: true,
      crossSite: true,
      outcome: 'refused',
      authorization: { fp: sha256Hex('tok-1234') },
    });
    expect(api.diagnosis?.outcome).toBe('unauthorized');
    expect(f.byIndex.get(1)).toMatchObject({ navigation: true, crossOrigin: false, outcome: 'ok' });
  });

  it('takes cross-site from Sec-Fetch-Site when the browser recorded it', () => {
    const f = sessionFacts([
      { url: 'https://api.example.com/x', status: 401, req: { 'Sec-Fetch-Site': 'cross-site' } },
    ]);
    expect(f.entries[0]!.crossSite).toBe(true);
  });

  it('judges every cookie the browser held for a failing request', () => {
    const f = sessionFacts([
      {
        url: 'http://127.0.0.1:3000/login',
        status: 200,
        at: 0,
        res: { 'Set-Cookie': 'sid=abc123456; Path=/; SameSite=Strict' },
      },
      {
        url: 'http://127.0.0.1:3000/api/me',
        status: 200,
        at: 100,
        req: { Cookie: 'sid=abc123456', 'Sec-Fetch-Site': 'same-origin' },
      },
      {
        url: 'http://127.0.0.1:3000/api/me',
        status: 401,
        at: 200,
        req: { Origin: 'http://localhost:5173', 'Sec-Fetch-Site': 'cross-site' },
      },
    ]);
    const checks = f.byIndex.get(2)!.cookieChecks!;
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      sent: false,
      reliedOn: true,
      verdict: { send: false, rule: 'samesite' },
    });
    expect(f.byIndex.get(1)!.cookieChecks).toBeUndefined();
  });

  it('calls the per-entry diagnosis with the cookies the requests relied on', () => {
    const { entries, meta } = har([
      {
        url: 'https://app.example.com/login',
        status: 302,
        at: 0,
        res: { Location: '/', 'Set-Cookie': ['sid=s-123456; Max-Age=10; Path=/', 'theme=dark; Path=/'] },
      },
      { url: 'https://app.example.com/api/me', status: 401, at: 60_000 },
    ]);
    const seen: Array<[number, string[]]> = [];
    deriveSessionFacts(entries, meta, {
      diagnose: (i, jar) => {
        seen.push([i, jar.map((c) => c.name)]);
        return undefined;
      },
    });
    expect(seen).toEqual([[1, ['sid']]]);
  });
});

describe('what gets a per-entry diagnosis', () => {
  it('401, 403, a 400 with a challenge, no answer, a redirect to sign in, a 200 sign-in form', () => {
    const yes = [
      harEntry({ url: 'https://a/x', status: 401 }),
      harEntry({ url: 'https://a/x', status: 403 }),
      harEntry({
        url: 'https://a/x',
        status: 400,
        res: { 'WWW-Authenticate': 'Bearer error="invalid_request"' },
      }),
      harEntry({ url: 'https://a/x', status: -1 }),
      harEntry({
        url: 'https://a/x',
        status: 302,
        res: { Location: 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize?x=1' },
      }),
      harEntry({
        url: 'https://a/x',
        status: 200,
        mime: 'text/html',
        body: '<form><input type="password"></form>',
      }),
    ];
    const no = [
      harEntry({ url: 'https://a/x', status: 200 }),
      harEntry({ url: 'https://a/x', status: 400 }),
      harEntry({ url: 'https://a/x', status: 302, res: { Location: '/y' } }),
      harEntry({ url: 'https://a/login', status: 200, mime: 'text/html', body: '<input type="password">' }),
      harEntry({ url: 'https://a/x', status: -1, failure: 'net::ERR_ABORTED' }),
      harEntry({ method: 'OPTIONS', url: 'https://a/x', status: 401, resourceType: 'preflight' }),
    ];
    expect(yes.map(needsDiagnosis)).toEqual(yes.map(() => true));
    expect(no.map(needsDiagnosis)).toEqual(no.map(() => false));
  });

  it('knows sign-out and password-change URLs', () => {
    expect(signOutKind('POST', 'https://a/logout')).toBe('sign-out');
    expect(signOutKind('GET', 'https://a/auth/sign-out?x=1')).toBe('sign-out');
    expect(signOutKind('GET', 'https://idp/oidc/end_session')).toBe('sign-out');
    expect(signOutKind('POST', 'https://a/account/change-password')).toBe('password change');
    expect(signOutKind('GET', 'https://a/account/change-password')).toBeUndefined();
    expect(signOutKind('GET', 'https://a/blog/logouts-explained-2')).toBeUndefined();
  });

  it("applies Chromium's cookie defaults unless the HAR says Firefox or Safari", () => {
    expect(isChromium({ creator: { name: 'WebInspector' } })).toBe(true);
    expect(isChromium({ creator: { name: 'Playwright' }, browser: { name: 'chromium' } })).toBe(true);
    expect(isChromium({ creator: { name: 'Firefox' } })).toBe(false);
    expect(isChromium({ creator: { name: 'WebKit Web Inspector' } })).toBe(false);
  });
});
