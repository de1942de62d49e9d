import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { makeJwt } from '../har/sanitize-fixture.js';
import { secretsOf, whereLeft } from '../har/sanitize-secrets.js';
import { isSecretCookie } from '../../src/knowledge/credential-rule.js';

/**
 * Issue 14, "A sanitizer that misses nothing and hides no more than it must": `why401 har
 * --sanitize IN OUT` through the built CLI, on every form a secret takes in a HAR (headers by
 * the credential rule, cookies in any form, Basic credentials whatever the password, query and
 * fragment parameters, JWTs, form and JSON fields, and copies of them anywhere), on what is not
 * a secret (a URL, a locale, a flag in a cookie), on inputs that are not whole HARs, and on every
 * HAR fixture of the repository.
 */

const dir = mkdtempSync(join(tmpdir(), 'why401-sanitize-complete-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Obj = Record<string, unknown>;
const nv = (name: string, value: string) => ({ name, value });
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** One HAR 1.2 entry, every field present unless the test leaves it out. */
function entry(o: {
  method?: string;
  url: string;
  reqHeaders?: Array<{ name: string; value: string }>;
  cookies?: unknown;
  postData?: Obj;
  status?: number;
  resHeaders?: Array<{ name: string; value: string }>;
  resCookies?: unknown;
  body?: string;
  mimeType?: string;
  redirectURL?: string;
  comment?: string;
}): Obj {
  const u = new URL(o.url);
  return {
    startedDateTime: '2024-05-01T10:00:00.000Z',
    time: 12,
    request: {
      method: o.method ?? 'GET',
      url: o.url,
      httpVersion: 'HTTP/1.1',
      headers: o.reqHeaders ?? [],
      queryString: [...u.searchParams].map(([name, value]) => nv(name, value)),
      cookies: o.cookies ?? [],
      headersSize: -1,
      bodySize: 0,
      ...(o.postData ? { postData: o.postData } : {}),
    },
    response: {
      status: o.status ?? 200,
      statusText: o.status === 401 ? 'Unauthorized' : 'OK',
      httpVersion: 'HTTP/1.1',
      headers: o.resHeaders ?? [],
      cookies: o.resCookies ?? [],
      content: { size: o.body?.length ?? 0, mimeType: o.mimeType ?? 'text/plain', text: o.body ?? '' },
      redirectURL: o.redirectURL ?? '',
      headersSize: -1,
      bodySize: o.body?.length ?? 0,
    },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
  };
}

function har(entries: Obj[], creator = { name: 'why401 tests (hand-made)', version: '1' }): Obj {
  return { log: { version: '1.2', creator, pages: [], entries } };
}

let n = 0;
/** Writes `content` as a HAR, runs `why401 har --sanitize` on it; the copy's text when there is one. */
async function sanitize(content: Obj | string): Promise<{ r: CliResult; out: string; copy?: string }> {
  const d = join(dir, `case-${++n}`);
  mkdirSync(d);
  const input = join(d, 'in.har');
  writeFileSync(input, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  const out = join(d, 'out.har');
  const r = await runCli(['har', '--sanitize', input, out]);
  return { r, out, ...(existsSync(out) ? { copy: readFileSync(out, 'utf8') } : {}) };
}

/**
 * The secret is in none of the ways a file writes it (as is, percent-encoded, form-encoded,
 * JSON-escaped); a word-like one is looked for where it stood, under `names`.
 */
function expectGone(text: string, secret: string, what: string, names: Iterable<string> = []): void {
  const left = whereLeft(text, secret, names);
  expect(left, `${what}: ${JSON.stringify(secret)} survives in …${left}…`).toBeUndefined();
}

// The secrets of the capture below, each unique, each in one or more of the places the issue names.
const S = {
  bearer: '7fQm2ZrX9vLp4KtW8nYc',
  apiKey: 'ak_9Hq2Lm7Vx4Tz1Rw6Ny3B',
  /** A JWT in a custom header (`token: <JWT>`): its signature is the secret, its claims the diagnosis. */
  tokenHeaderSig: 'TkHdr9Sig-Lq2Wm5Zx8Kp1Rv4Ty7NbCe3Fg6Hj',
  sid: 'Ck3mQ8wZp1Lx7Rv2Bn5Ty',
  ieSession: 'ie5Kq2Wm8Zx1Lp4Rv7Ty0Nb',
  setCookie: 'St9Wq2Lm5Zx8Kp1Rv4Ty7N',
  basicUser: 'client',
  basicWord: 'secret',
  basicPassword: 'Pw4Basic9Word',
  query: 'Qt7Lm2Zx9Wp4Kv1R',
  fragment: 'Fr8Zq3Lm6Wx1Kp4V',
  idTokenSig: 'IdTok7Sig-Wq2Lm5Zx8Kp1Rv4Ty7NbCe3Fg6Hj',
  formPassword: 'p@ss/w0rd+x=1',
  refresh: 'Rf3Tq8Lm1Zx6Wp9K',
  /** A CSRF cookie the page copies into bodies, headers, URLs and comments: short, yet generated. */
  csrfCookie: 'kX9vQ2pL',
};

const tokenJwt = makeJwt(
  { alg: 'HS256', typ: 'JWT' },
  { sub: 'u1', aud: 'api', exp: 1714557600 },
  S.tokenHeaderSig,
);
const idToken = makeJwt(
  { alg: 'RS256', kid: 'k1' },
  { sub: 'u1', aud: 'spa', iss: 'https://login.example.com' },
  S.idTokenSig,
);

/** Cookies that are no secrets: they stay, in every place a cookie is written. */
const PLAIN_COOKIES = 'lang=en-US; homepage=http%3A%2F%2Fwww.cnn.com; consent=true; visits=3';

const CAPTURE = har([
  // 0: headers by the credential rule, cookies as a header and as an array.
  entry({
    url: 'https://api.example.com/v1/me',
    reqHeaders: [
      nv('Authorization', `Bearer ${S.bearer}`),
      nv('X-Api-Key', S.apiKey),
      nv('token', tokenJwt),
      nv('Cookie', `sid=${S.sid}; ${PLAIN_COOKIES}`),
    ],
    cookies: [
      nv('sid', S.sid),
      nv('lang', 'en-US'),
      nv('homepage', 'http://www.cnn.com'),
      nv('consent', 'true'),
      nv('visits', '3'),
    ],
    status: 401,
    resHeaders: [nv('WWW-Authenticate', 'Bearer realm="api", error="invalid_token"')],
  }),
  // 1: IE11's F12 export: a one-cookie list written as the cookie itself.
  entry({
    url: 'https://intranet.example.com/app/default.aspx',
    reqHeaders: [nv('Cookie', `ASP.NET_SessionId=${S.ieSession}`)],
    cookies: { name: 'ASP.NET_SessionId', value: S.ieSession },
  }),
  // 2: …and a preference cookie, the same way (harviewer's ie11.har).
  entry({
    url: 'https://intranet.example.com/app/list.aspx',
    reqHeaders: [nv('Cookie', 'previewCols=url%20status%20size%20timeline')],
    cookies: { name: 'previewCols', value: 'url%20status%20size%20timeline' },
  }),
  // 3: Set-Cookie and response.cookies.
  entry({
    method: 'POST',
    url: 'https://app.example.com/login',
    resHeaders: [nv('Set-Cookie', `session=${S.setCookie}; Path=/; HttpOnly; Secure`)],
    resCookies: [{ name: 'session', value: S.setCookie, path: '/', httpOnly: true, secure: true }],
    postData: {
      mimeType: 'application/x-www-form-urlencoded',
      text: `username=alice&password=${encodeURIComponent(S.formPassword)}&remember=1`,
      params: [nv('username', 'alice'), nv('password', S.formPassword), nv('remember', '1')],
    },
  }),
  // 4: a token request with client_secret_basic whose password is an ordinary word, echoed back.
  entry({
    method: 'POST',
    url: 'https://login.example.com/oauth/token',
    reqHeaders: [
      nv('Authorization', `Basic ${b64(`${S.basicUser}:${S.basicWord}`)}`),
      nv('Content-Type', 'application/x-www-form-urlencoded'),
    ],
    postData: {
      mimeType: 'application/x-www-form-urlencoded',
      text: `grant_type=client_credentials&client_id=client&client_secret=${S.basicWord}`,
      params: [
        nv('grant_type', 'client_credentials'),
        nv('client_id', 'client'),
        nv('client_secret', S.basicWord),
      ],
    },
    status: 401,
    mimeType: 'application/json',
    body: JSON.stringify({
      error: 'invalid_client',
      debug: `credentials ${S.basicUser}:${S.basicWord} not accepted`,
    }),
    resHeaders: [nv('WWW-Authenticate', 'Basic realm="token"')],
  }),
  // 5: Basic with a generated password, Proxy-Authorization.
  entry({
    url: 'https://api.example.com/v1/reports',
    reqHeaders: [nv('Proxy-Authorization', `Basic ${b64(`alice:${S.basicPassword}`)}`)],
  }),
  // 6: query and fragment parameters, a JWT in a query, a refresh token in JSON.
  entry({
    url: `https://api.example.com/v1/items?page=2&access_token=${S.query}&id_token=${idToken}`,
    status: 302,
    redirectURL: `https://app.example.com/cb#access_token=${S.fragment}&token_type=bearer&expires_in=3600`,
    resHeaders: [
      nv(
        'Location',
        `https://app.example.com/cb#access_token=${S.fragment}&token_type=bearer&expires_in=3600`,
      ),
    ],
  }),
  entry({
    method: 'POST',
    url: 'https://api.example.com/v1/session/refresh',
    postData: {
      mimeType: 'application/json',
      text: JSON.stringify({ refresh_token: S.refresh, password: S.formPassword }),
    },
  }),
  // 8: the CSRF cookie, and the page's copies of it: a JSON body, a form body, another header, a
  // URL, the entry's comment.
  entry({
    method: 'POST',
    url: `https://app.example.com/api/save?v=${S.csrfCookie}`,
    reqHeaders: [nv('Cookie', `csrftoken=${S.csrfCookie}`), nv('X-Trace', `req ${S.csrfCookie}`)],
    cookies: [nv('csrftoken', S.csrfCookie)],
    postData: { mimeType: 'application/json', text: JSON.stringify({ t: S.csrfCookie, item: 42 }) },
    comment: `the page sent ${S.csrfCookie} back`,
  }),
  entry({
    method: 'POST',
    url: 'https://app.example.com/api/form',
    postData: { mimeType: 'application/x-www-form-urlencoded', text: `x=${S.csrfCookie}&y=2` },
  }),
]);

let capture: { r: CliResult; copy?: string };
let copied: Obj;
beforeAll(async () => {
  capture = await sanitize(CAPTURE);
  copied = capture.copy ? (JSON.parse(capture.copy) as Obj) : {};
}, 60_000);

const entriesOf = (h: Obj) => ((h.log as Obj).entries as Obj[]) ?? [];
const requestOf = (h: Obj, i: number) => entriesOf(h)[i]!.request as Obj;

describe("IE11's F12 export stores `request.cookies` as an object: `--sanitize` leaves that cookie's value in the output", () => {
  // The copy is read through the one tolerant reader, which gives every list as the array HAR 1.2
  // defines: an IE11 object comes out as a list of one, a valid HAR for every other tool.
  const one = (v: unknown) => (Array.isArray(v) ? (v as Obj[])[0]! : (v as Obj));
  it('replaces the session cookie, and keeps the preference cookie as written', () => {
    expect(capture.r.code).toBe(0);
    expectGone(capture.copy!, S.ieSession, 'IE11 object cookie');
    const session = one(requestOf(copied, 1).cookies);
    expect(session).toMatchObject({
      name: 'ASP.NET_SessionId',
      value: expect.stringMatching(/^why401-redacted-/),
    });
    // The Cookie header and the object give it the same stand-in.
    expect((requestOf(copied, 1).headers as Obj[])[0]!.value).toBe(
      `ASP.NET_SessionId=${session.value as string}`,
    );
    expect(one(requestOf(copied, 2).cookies)).toEqual({
      name: 'previewCols',
      value: 'url%20status%20size%20timeline',
    });
  });
});

describe('`--sanitize` keeps Basic credentials whose password is an ordinary word (`client:secret`)', () => {
  it('replaces the password in the header, the form and the echo, and keeps the user name', () => {
    expectGone(capture.copy!, b64(`${S.basicUser}:${S.basicWord}`), 'Basic credentials');
    expectGone(capture.copy!, `${S.basicUser}:${S.basicWord}`, 'the user:password pair echoed');
    expectGone(capture.copy!, S.basicWord, 'the Basic password and client_secret in the form', [
      'client_secret',
    ]);
    const auth = ((requestOf(copied, 4).headers as Obj[])[0]!.value as string).split(' ')[1]!;
    expect(Buffer.from(auth, 'base64').toString()).toMatch(/^client:why401-redacted-/);
    // Field names that are the password's word stay names.
    expect((requestOf(copied, 4).postData as Obj).text).toMatch(/&client_secret=why401-redacted-/);
  });

  it('replaces a generated Basic password too', () => {
    expectGone(capture.copy!, S.basicPassword, 'Proxy-Authorization Basic');
    expectGone(capture.copy!, b64(`alice:${S.basicPassword}`), 'Proxy-Authorization Basic');
  });
});

describe("`--sanitize` keeps a cookie's value that the page copied into a request body", () => {
  it('replaces the copies wherever they are: bodies, another header, the URL, the comment', () => {
    expectGone(capture.copy!, S.csrfCookie, 'CSRF cookie and its copies');
    const e = entriesOf(copied)[8]!;
    const stand = ((e.request as Obj).cookies as Obj[])[0]!.value as string;
    expect(stand).toMatch(/^why401-redacted-/);
    // One stand-in everywhere: the copies still match the cookie.
    expect(((e.request as Obj).postData as Obj).text).toBe(JSON.stringify({ t: stand, item: 42 }));
    expect(e.comment).toBe(`the page sent ${stand} back`);
    expect((requestOf(copied, 9).postData as Obj).text).toBe(`x=${stand}&y=2`);
  });
});

describe('A cookie whose value is a URL (`http://www.cnn.com`) is taken for a secret, and every URL in the report becomes `…(sha256:d3ccf5)/…`', () => {
  it('--sanitize keeps a URL, a locale, a flag and a small number in a cookie, wherever it is written', () => {
    const req = requestOf(copied, 0);
    const cookie = (req.headers as Obj[]).find((h) => h.name === 'Cookie')!.value as string;
    expect(cookie).toMatch(/^sid=why401-redacted-[0-9a-f]+; /);
    expect(cookie.slice(cookie.indexOf(';') + 2)).toBe(PLAIN_COOKIES);
    expect((req.cookies as Obj[]).slice(1)).toEqual([
      nv('lang', 'en-US'),
      nv('homepage', 'http://www.cnn.com'),
      nv('consent', 'true'),
      nv('visits', '3'),
    ]);
    expectGone(capture.copy!, S.sid, 'session cookie beside them');
  });

  it('the report keeps every URL as it is, and still hides the session cookie beside it', async () => {
    const file = join(dir, 'cnn.har');
    writeFileSync(
      file,
      JSON.stringify(
        har([
          entry({
            url: 'http://www.cnn.com/api/account',
            reqHeaders: [nv('Cookie', `homepage=http://www.cnn.com; lang=en-US; sid=${S.sid}`)],
            cookies: [nv('homepage', 'http://www.cnn.com'), nv('lang', 'en-US'), nv('sid', S.sid)],
            status: 401,
            resHeaders: [nv('WWW-Authenticate', 'Bearer realm="cnn"')],
          }),
        ]),
      ),
    );
    for (const format of ['--json', '--markdown']) {
      const r = await runCli(['har', format, file]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toContain('http://www.cnn.com/api/account');
      expect(r.stdout).not.toMatch(/sha256:[0-9a-f]{6}\)?\/api/);
      expect(r.stdout + r.stderr).not.toContain(S.sid);
    }
  });
});

describe('A cookie is a secret by its name and its value’s shape, not by being a cookie (a URL, a locale, `true` are not)', () => {
  const SECRET: Array<[string, string]> = [
    ['sid', 'abc'],
    ['connect.sid', 's%3Awhy401-fake.xK9pL0vR3tY6uW8zA1bC4dE7fG0hJ2kM5nP8qS1'],
    ['JSESSIONID', 'ABC123DEF456.node1'],
    ['ASP.NET_SessionId', 'ie5kq2wm8zx1lp4rv7ty0nb'],
    ['XSRF-TOKEN', 'kX9vQ2pL'],
    ['__Host-next-auth.session-token', 'dashboard'],
    ['remember_user_token', 'W1s0Ml0sIiQyYSQxMCR4In0%3D--1f2e'],
    ['_ga', 'GA1.2.1234567890.1609459200'],
    ['prefs', 'Zk9rQm3Xp2Lw8Yt4Qa7Bn'],
    ['data', makeJwt({ alg: 'HS256' }, { sub: 'u' }, 'c2lnbmF0dXJlLW9mLWEtand0')],
  ];
  const PLAIN: Array<[string, string]> = [
    ['homepage', 'http://www.cnn.com'],
    ['homepage', 'http%3A%2F%2Fwww.cnn.com'],
    ['returnTo', 'https://app.example.com/account/settings?tab=security'],
    ['lang', 'en-US'],
    ['locale', 'zh-Hant-TW'],
    ['i18next', 'de'],
    ['consent', 'true'],
    ['session', 'false'],
    ['visits', '3'],
    ['theme', 'dark'],
    ['tz', 'Europe%2FBerlin'],
    ['previewCols', 'url%20status%20size%20timeline'],
    ['last_seen', '2024-05-01T10:00:00Z'],
    ['user_id', '48213'],
    ['sid', '[REMOVED]'],
    ['sid', ''],
  ];

  it.each(SECRET)('%s=%s is a secret', (name, value) => expect(isSecretCookie(name, value)).toBe(true));
  it.each(PLAIN)('%s=%s is not', (name, value) => expect(isSecretCookie(name, value)).toBe(false));
});

describe('A HAR whose entries lack `response`: `--sanitize` exits 2 but leaves a valid-looking HAR with 0 entries', () => {
  const requestOnly = har([
    {
      startedDateTime: '2024-05-01T10:00:00.000Z',
      request: {
        method: 'GET',
        url: `https://api.example.com/a?access_token=${S.query}`,
        headers: [nv('Authorization', `Bearer ${S.bearer}`)],
      },
    },
    {
      startedDateTime: '2024-05-01T10:00:01.000Z',
      request: { method: 'GET', url: 'https://api.example.com/b', headers: [] },
    },
  ]);

  it('never writes a copy that lost entries: every entry sanitized, or nothing written at all', async () => {
    const { r, out, copy } = await sanitize(requestOnly);
    if (copy !== undefined) {
      // A reader that takes entries without an answer: they are entries, sanitized and kept.
      expect(r.code, r.stderr).toBe(0);
      expect(entriesOf(JSON.parse(copy) as Obj)).toHaveLength(2);
      expectGone(copy, S.query, 'query of an unanswered request');
      expectGone(copy, S.bearer, 'Authorization of an unanswered request');
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^why401: cannot sanitize \S+in\.har: .*; nothing was written\n$/);
      expect(readdirSync(dirname(out))).toEqual(['in.har']);
    }
  });

  it('a file cut short: exit 2, one line, no output and no temporary file, an existing OUT untouched', async () => {
    const text = JSON.stringify(CAPTURE);
    const d = join(dir, 'cut');
    mkdirSync(d);
    writeFileSync(join(d, 'in.har'), text.slice(0, Math.floor(text.length * 0.6)));
    writeFileSync(join(d, 'out.har'), 'the copy of yesterday\n');
    const r = await runCli(['har', '--sanitize', join(d, 'in.har'), join(d, 'out.har')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^why401: cannot sanitize \S+in\.har: .*; nothing was written\n$/);
    expect(readFileSync(join(d, 'out.har'), 'utf8')).toBe('the copy of yesterday\n');
    expect(readdirSync(d).sort()).toEqual(['in.har', 'out.har']);
  });

  it('a file that is not a HAR: exit 2 and nothing written', async () => {
    // (NetExport's JSONP, `onInputData({"log":…});`, is a HAR: the reader reads what it wraps.)
    for (const text of [
      'onInputData({"entries":[]});',
      '{"request":{"method":"GET","url":"https://a/"}}',
      '',
    ]) {
      const { r, out } = await sanitize(text);
      expect(r.code, text).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(readdirSync(dirname(out))).toEqual(['in.har']);
    }
  });
});

describe('The sanitizer gathers every secret value first and replaces every occurrence anywhere in the file', () => {
  const ALL: Array<[string, string]> = [
    ['Authorization: Bearer', S.bearer],
    ['X-Api-Key', S.apiKey],
    ['a custom `token:` header holding a JWT (its signature)', S.tokenHeaderSig],
    ['a Cookie header and request.cookies', S.sid],
    ['an IE11 object cookie', S.ieSession],
    ['Set-Cookie and response.cookies', S.setCookie],
    ['Basic with a word password', `${S.basicUser}:${S.basicWord}`],
    ['Proxy-Authorization Basic', S.basicPassword],
    ['a query parameter', S.query],
    ['a fragment parameter in redirectURL and Location', S.fragment],
    ['a JWT in a query (its signature)', S.idTokenSig],
    ['a form field, encoded in text and decoded in params, and a JSON field', S.formPassword],
    ['a JSON field named like a secret', S.refresh],
    ['a cookie copied elsewhere', S.csrfCookie],
  ];

  it.each(ALL)('%s: gone, raw and percent-encoded', (_what, secret) => {
    expect(capture.r.code, capture.r.stderr).toBe(0);
    expectGone(capture.copy!, secret, _what);
    expect(capture.r.stderr).not.toContain(secret);
  });

  it('keeps what the diagnosis reads: JWT claims, user names, cookie names and attributes, every entry', () => {
    expect(entriesOf(copied)).toHaveLength(entriesOf(CAPTURE).length);
    expect(capture.copy).toContain(tokenJwt.split('.').slice(0, 2).join('.'));
    expect(capture.copy).toContain(idToken.split('.').slice(0, 2).join('.'));
    expect((requestOf(copied, 3).postData as Obj).params).toContainEqual(nv('username', 'alice'));
    const set = ((entriesOf(copied)[3]!.response as Obj).headers as Obj[])[0]!.value as string;
    expect(set).toMatch(/^session=why401-redacted-[0-9a-f]+; Path=\/; HttpOnly; Secure$/);
  });

  it('finds every secret the credential rule sees in the capture, by a collector of its own', () => {
    const found = secretsOf(CAPTURE);
    for (const s of Object.values(S).filter((v) => v !== S.basicUser)) expect([...found.keys()]).toContain(s);
    for (const [s, names] of found) expectGone(capture.copy!, s, 'rule', names);
  });
});

// ---- every fixture ----

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/har');

function harFiles(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((f) =>
    f.isDirectory() ? harFiles(join(d, f.name)) : f.name.endsWith('.har') ? [join(d, f.name)] : [],
  );
}

/** What `why401 har --json` concludes: the session's finding ids, and each entry's cause ids. */
function diagnosis(r: CliResult) {
  const report = JSON.parse(r.stdout) as {
    findings: Array<{ id: string }>;
    entries: Array<{ index: number; findings: Array<{ id: string; kind: string }> }>;
  };
  return {
    code: r.code,
    findings: report.findings.map((f) => f.id),
    entries: report.entries.map(
      (e) =>
        `${e.index}: ${e.findings
          .filter((f) => f.kind === 'cause')
          .map((f) => f.id)
          .join(' ')}`,
    ),
  };
}

describe('No secret value of any fixture survives `--sanitize` anywhere in the output, and the diagnosis of each sanitized fixture equals that of its original', () => {
  const files = harFiles(FIXTURES);

  it('has fixtures, in every folder under test/fixtures/har', () =>
    expect(files.length).toBeGreaterThanOrEqual(8));

  it.each(files.map((f) => [relative(FIXTURES, f), f]))(
    '%s',
    async (_name, file) => {
      const d = join(dir, `fixture-${++n}`);
      mkdirSync(d);
      const out = join(d, 'out.har');
      const [before, s] = await Promise.all([
        runCli(['har', '--json', file]),
        runCli(['har', '--sanitize', file, out]),
      ]);
      if (before.code === 2) {
        // Not a HAR (a fixture of the reader's refusals): no copy of it either.
        expect(s.code, s.stderr).toBe(2);
        expect(readdirSync(d)).toEqual([]);
        return;
      }
      expect([0, 1], `why401 har --json on the original: ${before.stderr}`).toContain(before.code);
      // A damaged or cut-short file is analysed up to the damage, but never copied: a copy that lost
      // entries would pass for the capture (issue 14), so --sanitize refuses it and writes nothing.
      const damaged = (JSON.parse(before.stdout) as { warnings: string[] }).warnings.some((w) =>
        /cut short|syntax error/.test(w),
      );
      if (damaged) {
        expect(s.code, s.stderr).toBe(2);
        expect(s.stderr).toMatch(/^why401: cannot sanitize .*; nothing was written\n$/);
        expect(readdirSync(d)).toEqual([]);
        return;
      }
      expect(s.code, s.stderr).toBe(0);
      const copy = readFileSync(out, 'utf8');
      // The original as JSON: a byte order mark and NetExport's JSONP wrapper, if the reader takes them, off.
      const text = readFileSync(file, 'utf8')
        .replace(/^\uFEFF/, '')
        .replace(/^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$/, '$1');
      for (const [secret, names] of secretsOf(JSON.parse(text))) expectGone(copy, secret, _name, names);
      expect(diagnosis(await runCli(['har', '--json', out]))).toEqual(diagnosis(before));
    },
    60_000,
  );
});
