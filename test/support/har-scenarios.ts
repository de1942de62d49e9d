import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { ACTION_TIMEOUT_MS, withTimeout, type HttpCredentials } from './chromium.js';
import { startServer, type TestServer } from './http-server.js';

/**
 * Local servers and browser scenarios, one per session-level cause, for HAR recordings by real
 * Chromium. Every server is node:http on 127.0.0.1; a page that must be cross-site to the API is
 * browsed as http://localhost:PORT (Chromium: a different site from http://127.0.0.1:PORT).
 * The pages' own scripts make the calls (as an app would), then set `window.__why401.done`.
 * Every secret is a fixed, clearly fake value (see FAKE_SECRETS), so recordings can be committed.
 */

export type ScenarioName =
  | 'cookie-samesite-strict'
  | 'cookie-expired'
  | 'refresh-loop'
  | 'stale-tab'
  | 'preflight-rejected'
  | 'old-token-reused'
  | 'healthy';

/** The top-level finding `why401 har` must give first for each recording; null: no cause at all. */
export const EXPECTED_FINDING: Record<ScenarioName, string | null> = {
  'cookie-samesite-strict': 'session.cookie-not-sent',
  'cookie-expired': 'session.cookie-expired',
  'refresh-loop': 'session.refresh-loop',
  'stale-tab': 'session.stale',
  'preflight-rejected': 'cors.preflight-rejected',
  'old-token-reused': 'session.old-token-reused',
  healthy: null,
};

/** Committed recordings, one per scenario: test/fixtures/har/<name>.har (usable without a browser). */
export const harFixture = (name: ScenarioName): string =>
  fileURLToPath(new URL(`../fixtures/har/${name}.har`, import.meta.url));

export interface Scenario {
  name: ScenarioName;
  /** The top-level finding `why401 har` must give first; null: no cause at all. */
  finding: string | null;
  /** What the recording must show, in words (the e2e test checks each). */
  shows: string[];
  /** Only where a Basic challenge would otherwise stall the page (none of these scenarios). */
  httpCredentials?: HttpCredentials;
  servers: { api: TestServer; app?: TestServer; idp?: TestServer };
  /** Origins as the browser sees them. */
  origins: { api: string; app?: string; idp?: string };
  /** What the pages' own scripts saw (statuses, errors), filled by `play`. */
  pageLog: unknown[];
  play(page: Page, ctx: BrowserContext): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Fake secrets (fixed, so committed recordings and sanitizer tests can name them)

const API_AUDIENCE = 'https://api.why401.test';
const WRONG_AUDIENCE = 'https://other-api.why401.test';
const ISSUER = 'https://idp.why401.test/';
const CLIENT_ID = 'why401-fake-spa';

function fakeSignature(id: string): string {
  const s = `why401-fake-signature-${id}`;
  return s.length % 4 === 1 ? `${s}x` : s; // a length base64url can decode
}

/** A JWT-shaped access token with a fake signature (RS256 header, nothing verifies it). */
function fakeJwt(id: string, aud: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = { alg: 'RS256', typ: 'JWT', kid: 'why401-fake-key' };
  const claims = {
    iss: ISSUER,
    sub: 'why401-fake-user',
    aud,
    client_id: CLIENT_ID,
    scope: 'openid api',
    iat: 1767225600, // 2026-01-01T00:00:00Z
    exp: 4102444800, // 2100-01-01T00:00:00Z: fixed tokens must never expire by the clock
    jti: `why401-fake-${id}`,
  };
  return `${part(header)}.${part(claims)}.${fakeSignature(id)}`;
}

export const FAKE = {
  password: 'why401-fake-password',
  sidSameSite: 'why401-fake-sid-samesite',
  sidExpiring: 'why401-fake-sid-expiring',
  sidStale: 'why401-fake-sid-stale',
  preflightToken: 'why401-fake-access-preflight',
  /** refresh-loop: every access token is for the wrong audience. */
  loopAccess: [0, 1, 2, 3].map((n) => fakeJwt(`at-loop-${n}`, WRONG_AUDIENCE)),
  loopRefresh: [0, 1, 2, 3].map((n) => `why401-fake-refresh-loop-${n}`),
  oldAccess: fakeJwt('at-old', API_AUDIENCE),
  newAccess: fakeJwt('at-new', API_AUDIENCE),
  oldRefresh: 'why401-fake-refresh-old',
  newRefresh: 'why401-fake-refresh-new',
  healthyAccess: [fakeJwt('at-healthy-1', API_AUDIENCE), fakeJwt('at-healthy-2', API_AUDIENCE)],
  healthyRefresh: ['why401-fake-refresh-healthy-1', 'why401-fake-refresh-healthy-2'],
} as const;

/** Every secret a recording may contain: none must survive `why401 har --sanitize`. */
export const FAKE_SECRETS: string[] = Object.values(FAKE).flatMap((v) =>
  typeof v === 'string' ? [v] : [...v],
);

// ---------------------------------------------------------------------------------------------
// Server helpers

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body = ''): void {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(body));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie ?? '');
  return m?.[1];
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
}

function audience(jwt: string): unknown {
  try {
    return (
      JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown }
    ).aud;
  } catch {
    return undefined;
  }
}

/** CORS headers for an allowed origin (credentials allowed too). */
function cors(req: IncomingMessage, allowed: string | undefined): OutgoingHttpHeaders {
  const origin = req.headers.origin;
  if (!allowed || origin !== allowed) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

function path(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://x').pathname;
}

/**
 * An HTML page whose script runs `body` (an async function body with `C` = config, `log` = an array
 * the scenario reads back, `go` = fetch with a 5 s timeout that reads the body) and then marks itself done.
 */
function page(title: string, config: unknown, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head>
<body><h1>${title}</h1>
<script>
window.__why401 = { done: false, log: [] };
const C = ${JSON.stringify(config)};
const log = window.__why401.log;
// as an app does: read every body (an unread body leaves content.size -1 in the HAR)
const go = async (url, init = {}) => {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await r.text();
  return { status: r.status, ok: r.ok, url: r.url, redirected: r.redirected, text, json: () => JSON.parse(text) };
};
const auth = (token) => ({ headers: { Authorization: 'Bearer ' + token } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
${body}
})()
  .catch((e) => log.push('error: ' + e))
  .finally(() => { window.__why401.done = true; });
</script></body></html>`;
}

function html(res: ServerResponse, body: string, headers: OutgoingHttpHeaders = {}): void {
  send(res, 200, { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body);
}

const LOGIN_FORM = `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in</title><link rel="icon" href="data:,"></head>
<body><h1>Sign in</h1>
<form method="post" action="/login">
<input name="username" value=""><input name="password" type="password" value="">
<button type="submit">Sign in</button>
</form></body></html>`;

type PageWindow = { __why401?: { done: boolean; log: unknown[] } };

/** Opens `url` and waits until the page's script is done; appends what it logged to `s.pageLog`. */
async function runPage(s: { pageLog: unknown[] }, p: Page, url: string): Promise<void> {
  if (p.url() !== url) await p.goto(url);
  await p.waitForFunction(() => (window as unknown as PageWindow).__why401?.done === true, undefined, {
    timeout: ACTION_TIMEOUT_MS,
  });
  const log = await withTimeout(
    p.evaluate(() => (window as unknown as PageWindow).__why401?.log ?? []),
    ACTION_TIMEOUT_MS,
    'read page log',
  );
  s.pageLog.push(...log);
}

function base(
  name: ScenarioName,
  finding: string | null,
  shows: string[],
  servers: Scenario['servers'],
  origins: Scenario['origins'],
  play: (s: Scenario, p: Page) => Promise<void>,
): Scenario {
  const s: Scenario = {
    name,
    finding,
    shows,
    servers,
    origins,
    pageLog: [],
    play: (p) => play(s, p),
    close: async () => {
      await Promise.all(Object.values(servers).map((v) => v?.close()));
    },
  };
  return s;
}

const localhost = (srv: TestServer) => `http://localhost:${srv.port}`;

const API_CHALLENGE = 'Bearer realm="api"';

// ---------------------------------------------------------------------------------------------
// (a) SameSite=Strict cookie on a cross-site request

export async function cookieSameSiteStrict(): Promise<Scenario> {
  const api = await startServer((req, res) => {
    const p = path(req);
    if (p === '/login') {
      return html(
        res,
        page('Signed in', {}, "const r = await go('/api/me');\nlog.push('same-site ' + r.status);"),
        {
          'Set-Cookie': `sid=${FAKE.sidSameSite}; Path=/; HttpOnly; SameSite=Strict`,
        },
      );
    }
    if (p === '/api/me') {
      const h = cors(req, appOrigin);
      if (cookie(req, 'sid') === FAKE.sidSameSite) return json(res, 200, { user: 'why401-fake-user' }, h);
      return json(res, 401, { error: 'not_signed_in', message: 'No session' }, h);
    }
    json(res, 404, { error: 'not_found' });
  });
  const app = await startServer((req, res) => {
    if (path(req) === '/app') {
      return html(
        res,
        page(
          'App',
          { api: api.url },
          "const r = await go(C.api + '/api/me', { credentials: 'include' });\nlog.push('cross-site ' + r.status);",
        ),
      );
    }
    json(res, 404, { error: 'not_found' });
  });
  const appOrigin = localhost(app); // read by the handlers above, only once requests arrive
  return base(
    'cookie-samesite-strict',
    EXPECTED_FINDING['cookie-samesite-strict'],
    [
      `GET ${api.url}/login sets sid with SameSite=Strict (Set-Cookie header and response.cookies)`,
      `GET ${api.url}/api/me from a page on ${api.url} sends Cookie: sid=… → 200`,
      `GET ${api.url}/api/me from a page on ${appOrigin} (credentials: include) has no Cookie → 401`,
    ],
    { api, app },
    { api: api.url, app: appOrigin },
    async (s, p) => {
      await runPage(s, p, `${api.url}/login`);
      await runPage(s, p, `${appOrigin}/app`);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// (b) An expired session cookie (Max-Age=3), then a login redirect
//
// The wait starts after the first 200, which came after the Set-Cookie: the second call is always
// past the expiry; the first call only has to come within 3 s of the sign-in.

export const EXPIRING_MAX_AGE_S = 3;
const EXPIRED_WAIT_MS = 3_300;

export async function cookieExpired(): Promise<Scenario> {
  const api = await startServer((req, res, body) => {
    const p = path(req);
    if (p === '/login' && req.method === 'GET') return html(res, LOGIN_FORM);
    if (p === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('password') !== FAKE.password) return html(res, LOGIN_FORM);
      return send(res, 302, {
        Location: '/app',
        'Set-Cookie': `sid=${FAKE.sidExpiring}; Max-Age=${EXPIRING_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Lax`,
      });
    }
    if (p === '/app') {
      return html(
        res,
        page(
          'App',
          { wait: EXPIRED_WAIT_MS },
          [
            "let r = await go('/api/me');",
            "log.push('first ' + r.status);",
            'await sleep(C.wait);',
            "r = await go('/api/me');",
            "log.push('after wait ' + r.status + ' ' + new URL(r.url).pathname + ' redirected=' + r.redirected);",
          ].join('\n'),
        ),
      );
    }
    if (p === '/api/me') {
      if (cookie(req, 'sid') === FAKE.sidExpiring) return json(res, 200, { user: 'why401-fake-user' });
      return send(res, 302, { Location: '/login?next=%2Fapi%2Fme' });
    }
    json(res, 404, { error: 'not_found' });
  });
  return base(
    'cookie-expired',
    EXPECTED_FINDING['cookie-expired'],
    [
      `POST ${api.url}/login (a form with a password) → 302 /app with Set-Cookie sid=…; Max-Age=${EXPIRING_MAX_AGE_S}`,
      `GET /api/me with Cookie: sid=… → 200`,
      `${EXPIRED_WAIT_MS} ms later GET /api/me without Cookie → 302 /login?next=…, then GET /login → 200 (the sign-in page)`,
    ],
    { api },
    { api: api.url },
    async (s, p) => {
      await p.goto(`${api.url}/login`);
      await p.fill('input[name=username]', 'why401-fake-user');
      await p.fill('input[name=password]', FAKE.password);
      await Promise.all([p.waitForURL(`${api.url}/app`), p.click('button[type=submit]')]);
      await runPage(s, p, `${api.url}/app`);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// (c) A refresh loop: the new tokens are refused for the same reason (wrong audience)

export const REFRESH_RETRIES = 3;

export async function refreshLoop(): Promise<Scenario> {
  const idp = await startServer((req, res, body) => {
    const h = cors(req, appOrigin);
    if (path(req) === '/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const n = FAKE.loopRefresh.indexOf(form.get('refresh_token') ?? '');
      if (form.get('grant_type') !== 'refresh_token' || n < 0 || n + 1 >= FAKE.loopRefresh.length) {
        return json(res, 400, { error: 'invalid_grant' }, h);
      }
      return json(
        res,
        200,
        {
          access_token: FAKE.loopAccess[n + 1],
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: FAKE.loopRefresh[n + 1],
          scope: 'openid api',
        },
        { ...h, Pragma: 'no-cache' },
      );
    }
    json(res, 404, { error: 'not_found' }, h);
  });
  const api = await startServer((req, res) => {
    const p = path(req);
    if (p === '/app') {
      return html(
        res,
        page(
          'App',
          {
            idp: idp.url,
            accessToken: FAKE.loopAccess[0],
            refreshToken: FAKE.loopRefresh[0],
            clientId: CLIENT_ID,
            retries: REFRESH_RETRIES,
          },
          [
            'let at = C.accessToken;',
            'let rt = C.refreshToken;',
            'for (let attempt = 0; ; attempt++) {',
            "  const r = await go('/api/me', auth(at));",
            "  log.push('GET /api/me ' + r.status);",
            '  if (r.ok || attempt === C.retries) break;',
            "  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, client_id: C.clientId });",
            "  const t = await go(C.idp + '/oauth/token', { method: 'POST', body });",
            "  log.push('POST /oauth/token ' + t.status);",
            '  const j = await t.json();',
            '  at = j.access_token;',
            '  rt = j.refresh_token;',
            '}',
          ].join('\n'),
        ),
      );
    }
    if (p === '/api/me') {
      const token = bearer(req);
      if (!token) return json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': API_CHALLENGE });
      if (audience(token) !== API_AUDIENCE) {
        return json(
          res,
          401,
          { error: 'invalid_token', error_description: "Unexpected 'aud' claim value" },
          {
            'WWW-Authenticate': `${API_CHALLENGE}, error="invalid_token", error_description="Unexpected 'aud' claim value"`,
          },
        );
      }
      return json(res, 200, { user: 'why401-fake-user' });
    }
    json(res, 404, { error: 'not_found' });
  });
  const appOrigin = api.url; // read by the handlers above, only once requests arrive
  return base(
    'refresh-loop',
    EXPECTED_FINDING['refresh-loop'],
    [
      `GET /api/me with a Bearer token (aud ${WRONG_AUDIENCE}) → 401 invalid_token, "Unexpected 'aud' claim value"`,
      `then ${REFRESH_RETRIES}× POST ${idp.url}/oauth/token grant_type=refresh_token → 200 with a new access_token (same wrong aud) and refresh_token, GET /api/me with it → 401 again`,
      'every GET sends a different token; 4 × 401 and 3 token calls in all',
    ],
    { api, idp },
    { api: api.url, idp: idp.url },
    (s, p) => runPage(s, p, `${api.url}/app`),
  );
}

// ---------------------------------------------------------------------------------------------
// (d) A stale tab: working, then sign-out clears the cookie, then a call fails

export async function staleTab(): Promise<Scenario> {
  const clear = `sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`;
  const api = await startServer((req, res) => {
    const p = path(req);
    if (p === '/login') {
      return send(res, 302, {
        Location: '/app',
        'Set-Cookie': `sid=${FAKE.sidStale}; Path=/; HttpOnly; SameSite=Lax`,
      });
    }
    if (p === '/app') {
      return html(
        res,
        page(
          'App',
          {},
          [
            "let r = await go('/api/me');",
            "log.push('GET /api/me ' + r.status);",
            "r = await go('/logout', { method: 'POST' });",
            "log.push('POST /logout ' + r.status);",
            "r = await go('/api/me');",
            "log.push('GET /api/me ' + r.status);",
          ].join('\n'),
        ),
      );
    }
    if (p === '/logout' && req.method === 'POST')
      return json(res, 200, { signedOut: true }, { 'Set-Cookie': clear });
    if (p === '/api/me') {
      if (cookie(req, 'sid') === FAKE.sidStale) return json(res, 200, { user: 'why401-fake-user' });
      return json(res, 401, { error: 'not_signed_in', message: 'Session ended' });
    }
    json(res, 404, { error: 'not_found' });
  });
  return base(
    'stale-tab',
    EXPECTED_FINDING['stale-tab'],
    [
      `GET ${api.url}/login → 302 /app with Set-Cookie sid=…`,
      'GET /api/me with Cookie: sid=… → 200',
      `POST /logout → 200 with Set-Cookie: ${clear}`,
      'GET /api/me without Cookie → 401',
    ],
    { api },
    { api: api.url },
    (s, p) => runPage(s, p, `${api.url}/login`),
  );
}

// ---------------------------------------------------------------------------------------------
// (e) A refused preflight: OPTIONS answered 401, the GET never goes out

export async function preflightRejected(): Promise<Scenario> {
  const api = await startServer((req, res) => {
    if (req.method === 'OPTIONS') {
      return json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': API_CHALLENGE });
    }
    if (path(req) === '/api/me') {
      if (bearer(req) === FAKE.preflightToken) return json(res, 200, { user: 'why401-fake-user' });
      return json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': API_CHALLENGE });
    }
    json(res, 404, { error: 'not_found' });
  });
  const app = await startServer((req, res) => {
    if (path(req) === '/app') {
      return html(
        res,
        page(
          'App',
          { api: api.url, token: FAKE.preflightToken },
          [
            'try {',
            "  const r = await go(C.api + '/api/me', auth(C.token));",
            "  log.push('GET /api/me ' + r.status);",
            '} catch (e) {',
            "  log.push('GET /api/me failed: ' + e.message);",
            '}',
          ].join('\n'),
        ),
      );
    }
    json(res, 404, { error: 'not_found' });
  });
  const appOrigin = localhost(app);
  return base(
    'preflight-rejected',
    EXPECTED_FINDING['preflight-rejected'],
    [
      `a page on ${appOrigin} fetches ${api.url}/api/me with Authorization: Bearer …`,
      'the server answers the OPTIONS preflight 401 (it receives no GET)',
      'the HAR has no OPTIONS entry; the GET has status -1 (0 in Chrome exports), _failureText net::ERR_FAILED, no response headers',
    ],
    { api, app },
    { api: api.url, app: appOrigin },
    (s, p) => runPage(s, p, `${appOrigin}/app`),
  );
}

// ---------------------------------------------------------------------------------------------
// (f) The old token reused after a refresh

export async function oldTokenReused(): Promise<Scenario> {
  const revoked = new Set<string>();
  const idp = await startServer((req, res, body) => {
    const h = cors(req, appOrigin);
    if (path(req) === '/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== FAKE.oldRefresh) {
        return json(res, 400, { error: 'invalid_grant' }, h);
      }
      revoked.add(FAKE.oldAccess); // rotation: the replaced access token is revoked
      return json(
        res,
        200,
        {
          access_token: FAKE.newAccess,
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: FAKE.newRefresh,
          scope: 'openid api',
        },
        { ...h, Pragma: 'no-cache' },
      );
    }
    json(res, 404, { error: 'not_found' }, h);
  });
  const api = await startServer((req, res) => {
    const p = path(req);
    if (p === '/app') {
      return html(
        res,
        page(
          'App',
          { idp: idp.url, accessToken: FAKE.oldAccess, refreshToken: FAKE.oldRefresh, clientId: CLIENT_ID },
          [
            'const first = C.accessToken;',
            "let r = await go('/api/me', auth(first));",
            "log.push('GET /api/me ' + r.status);",
            "const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, client_id: C.clientId });",
            "const t = await go(C.idp + '/oauth/token', { method: 'POST', body });",
            "log.push('POST /oauth/token ' + t.status);",
            'const fresh = (await t.json()).access_token;',
            "r = await go('/api/me', auth(fresh));",
            "log.push('GET /api/me ' + r.status);",
            '// the orders widget kept the token it was created with',
            "r = await go('/api/orders', auth(first));",
            "log.push('GET /api/orders ' + r.status);",
          ].join('\n'),
        ),
      );
    }
    if (p === '/api/me' || p === '/api/orders') {
      const token = bearer(req);
      if (!token || audience(token) !== API_AUDIENCE) {
        return json(
          res,
          401,
          { error: 'invalid_token' },
          { 'WWW-Authenticate': `${API_CHALLENGE}, error="invalid_token"` },
        );
      }
      if (revoked.has(token)) {
        return json(
          res,
          401,
          { error: 'invalid_token', error_description: 'The access token has been revoked' },
          {
            'WWW-Authenticate': `${API_CHALLENGE}, error="invalid_token", error_description="The access token has been revoked"`,
          },
        );
      }
      return json(res, 200, p === '/api/me' ? { user: 'why401-fake-user' } : { orders: [] });
    }
    json(res, 404, { error: 'not_found' });
  });
  const appOrigin = api.url; // read by the handlers above, only once requests arrive
  return base(
    'old-token-reused',
    EXPECTED_FINDING['old-token-reused'],
    [
      'GET /api/me with token A → 200',
      `POST ${idp.url}/oauth/token grant_type=refresh_token → 200, access_token B (A is revoked)`,
      'GET /api/me with token B → 200',
      'GET /api/orders still with token A → 401 invalid_token, "The access token has been revoked"',
    ],
    { api, idp },
    { api: api.url, idp: idp.url },
    (s, p) => runPage(s, p, `${api.url}/app`),
  );
}

// ---------------------------------------------------------------------------------------------
// (g) A healthy session: a successful preflight, a refresh, all 200

export async function healthy(): Promise<Scenario> {
  const idp = await startServer((req, res, body) => {
    const h = cors(req, appOrigin);
    if (path(req) === '/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('refresh_token') !== FAKE.healthyRefresh[0])
        return json(res, 400, { error: 'invalid_grant' }, h);
      return json(
        res,
        200,
        {
          access_token: FAKE.healthyAccess[1],
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: FAKE.healthyRefresh[1],
        },
        { ...h, Pragma: 'no-cache' },
      );
    }
    json(res, 404, { error: 'not_found' }, h);
  });
  const api = await startServer((req, res) => {
    if (req.method === 'OPTIONS') {
      if (req.headers.origin !== appOrigin) return send(res, 403, {});
      return send(res, 204, {
        'Access-Control-Allow-Origin': appOrigin,
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    const p = path(req);
    const h = cors(req, appOrigin);
    if (p === '/api/me' || p === '/api/orders') {
      const token = bearer(req);
      if (!token || !(FAKE.healthyAccess as readonly string[]).includes(token)) {
        return json(res, 401, { error: 'invalid_token' }, { ...h, 'WWW-Authenticate': API_CHALLENGE });
      }
      return json(res, 200, p === '/api/me' ? { user: 'why401-fake-user' } : { orders: [] }, h);
    }
    json(res, 404, { error: 'not_found' }, h);
  });
  const app = await startServer((req, res) => {
    if (path(req) === '/app') {
      return html(
        res,
        page(
          'App',
          {
            api: api.url,
            idp: idp.url,
            accessToken: FAKE.healthyAccess[0],
            refreshToken: FAKE.healthyRefresh[0],
            clientId: CLIENT_ID,
          },
          [
            "let r = await go(C.api + '/api/me', auth(C.accessToken));",
            "log.push('GET /api/me ' + r.status);",
            "const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, client_id: C.clientId });",
            "const t = await go(C.idp + '/oauth/token', { method: 'POST', body });",
            "log.push('POST /oauth/token ' + t.status);",
            'const fresh = (await t.json()).access_token;',
            "r = await go(C.api + '/api/orders', auth(fresh));",
            "log.push('GET /api/orders ' + r.status);",
            "r = await go(C.api + '/api/me', auth(fresh));",
            "log.push('GET /api/me ' + r.status);",
          ].join('\n'),
        ),
      );
    }
    json(res, 404, { error: 'not_found' });
  });
  const appOrigin = localhost(app); // read by the handlers above, only once requests arrive
  return base(
    'healthy',
    EXPECTED_FINDING.healthy,
    [
      `a page on ${appOrigin} calls ${api.url}/api/me with Authorization (its preflight succeeds and is not in the HAR) → 200`,
      `POST ${idp.url}/oauth/token (refresh) → 200 with a new token, then /api/orders and /api/me with the new token → 200`,
      'every entry has status 200',
    ],
    { api, app, idp },
    { api: api.url, app: appOrigin, idp: idp.url },
    (s, p) => runPage(s, p, `${appOrigin}/app`),
  );
}

export const SCENARIOS: Record<ScenarioName, () => Promise<Scenario>> = {
  'cookie-samesite-strict': cookieSameSiteStrict,
  'cookie-expired': cookieExpired,
  'refresh-loop': refreshLoop,
  'stale-tab': staleTab,
  'preflight-rejected': preflightRejected,
  'old-token-reused': oldTokenReused,
  healthy,
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

// ---------------------------------------------------------------------------------------------
// Not a session-level cause: how a recording looks when a Basic challenge needs `httpCredentials`

export const BASIC_CREDENTIALS: HttpCredentials = {
  username: 'why401-fake-user',
  password: FAKE.password,
  send: 'unauthorized',
};

/**
 * A page whose fetch meets `401 WWW-Authenticate: Basic` every time. Without `httpCredentials`
 * Chromium waits on its HTTP-auth prompt and the fetch never settles; with them it retries once
 * with the context's credentials and is refused again.
 */
export async function basicChallenge(): Promise<{
  server: TestServer;
  httpCredentials: HttpCredentials;
  pageLog: unknown[];
  play(page: Page): Promise<void>;
}> {
  const server = await startServer((req, res) => {
    if (path(req) === '/app') {
      return html(
        res,
        page('App', {}, "const r = await go('/api/me');\nlog.push('GET /api/me ' + r.status);"),
      );
    }
    json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Basic realm="api", charset="UTF-8"' });
  });
  const pageLog: unknown[] = [];
  return {
    server,
    httpCredentials: BASIC_CREDENTIALS,
    pageLog,
    play: (p) => runPage({ pageLog }, p, `${server.url}/app`),
  };
}
