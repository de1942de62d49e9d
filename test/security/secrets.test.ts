import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { isPlaceholder } from '../../src/knowledge/credential-rule.js';
import { startEchoServer, type EchoServer } from '../../src/echo/server.js';
import { analyzeHar } from '../../src/diagnose/har-report.js';
import { sanitizeHar } from '../../src/har/sanitize.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { HarEntry, HarNameValue } from '../../src/model/har.js';
import type { Report } from '../../src/model/report.js';
import { renderHarMarkdown } from '../../src/render/har-markdown.js';
import { renderHarText } from '../../src/render/har-text.js';
import { renderHarHtml, renderHtml } from '../../src/render/html.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { startUiServer, type UiServer } from '../../src/ui-server/server.js';
import { runCli } from '../support/cli.js';
import { ev, type EvInput } from '../support/evidence.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { entry, makeJwt } from '../har/sanitize-fixture.js';
import { api } from '../ui-server/raw.js';

/**
 * Issue 13, "One credential rule": no secret of any form in the list appears in any output. The
 * issue's cases run end to end (the built CLI against a real 127.0.0.1 server that refuses with
 * 401 and echoes what it received), then a property test puts a random secret in every position
 * a request, a response or a HAR can hold one and looks for it in every rendering.
 */

const enc = encodeURIComponent;
const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
/** The WHATWG form encoding (URLSearchParams): `+` for a space, `!'()~` escaped. */
const form = (s: string) => new URLSearchParams({ a: s }).toString().slice(2);
const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const html = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A secret as any output could write it: as is, percent-encoded either way (upper- or lower-case hex), HTML-escaped. */
function spellings(secret: string): string[] {
  const strict = enc(secret).replace(/[!'()*]/g, hex);
  return [
    ...new Set([
      secret,
      enc(secret),
      strict,
      form(secret),
      lower(enc(secret)),
      lower(form(secret)),
      html(secret),
    ]),
  ];
}

const API = 'https://api.example.com/v1/items';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const nv = (name: string, value: string): HarNameValue => ({ name, value });

function expectNowhere(text: string, secrets: readonly string[], where: string): void {
  for (const s of secrets)
    for (const spelled of spellings(s)) expect(text, `${where}: ${spelled}`).not.toContain(spelled);
}

// ——— (a) the issue's cases, end to end —————————————————————————————————————————————————————

/** A server that refuses everything with 401 and tells everything it received: the worst case. */
let target: TestServer;
let dir: string;
beforeAll(async () => {
  target = await startServer((req, res, body) => {
    res.writeHead(401, {
      'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
      'Content-Type': 'application/json',
    });
    res.end(
      JSON.stringify({ error: 'invalid_token', received: { url: req.url, headers: req.headers, body } }),
    );
  });
  dir = mkdtempSync(join(tmpdir(), 'why401-secrets-'));
});
afterAll(() => target.close());

const S = {
  vault: 'hvs.CAESIVaultCanary7f3a9c2e41d8b6',
  datadog: 'ddcanary0b1c2d3e4f5a6b7c8d9e0f1a2b',
  datadogApp: 'ddAppCanary9f8e7d6c5b4a39281706f5e4d3c2',
  authentication: 'authnCanary5c7e9a1b3d5f7091',
  gitlab: 'glpat-PrivCanary8x7y6z5w4v3u',
  code: 'codeCanary4Vn8Qp2Lk6Zt',
  state: 'stateCanary9Hg3Rf7Ds1A',
  // Azure SAS signatures are base64: `+`, `/` and `=` are percent-encoded in the URL.
  sig: 'sasCanary+Q2w/E3r4T5y6U7i8O9p0==',
  amz: 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
  apiKey: 'apiKeyCanary3Jk5Lm7Np9Qr',
  fragment: 'fragCanary2Tx4Vz6Bn8Mq0Wc',
  warning: 'warnCanary6Yh8Uj0Ik2Ol4Pp',
  proxyUser: 'proxyCanary1Qa3Ws5Ed7Rf9',
};

interface Case {
  name: string;
  args: (base: string) => string[];
  secrets: string[];
}

const HEADER_CASES: Case[] = [
  {
    name: 'X-Vault-Token',
    args: (b) => [`${b}/v1/secret`, '-H', `X-Vault-Token: ${S.vault}`],
    secrets: [S.vault],
  },
  {
    name: 'DD-API-KEY and DD-APPLICATION-KEY',
    args: (b) => [
      `${b}/api/v1/validate`,
      '-H',
      `DD-API-KEY: ${S.datadog}`,
      '-H',
      `DD-APPLICATION-KEY: ${S.datadogApp}`,
    ],
    secrets: [S.datadog, S.datadogApp],
  },
  {
    name: 'Authentication',
    args: (b) => [`${b}/me`, '-H', `Authentication: Bearer ${S.authentication}`],
    secrets: [S.authentication],
  },
  {
    name: 'Private-Token',
    args: (b) => [`${b}/api/v4/user`, '-H', `Private-Token: ${S.gitlab}`],
    secrets: [S.gitlab],
  },
  {
    name: 'a Referer carrying code= and state=',
    args: (b) => [`${b}/me`, '-H', `Referer: https://app.example/callback?code=${S.code}&state=${S.state}`],
    secrets: [S.code, S.state],
  },
];

const URL_CASES: Case[] = [
  {
    name: 'sig= (percent-encoded)',
    args: (b) => [`${b}/container/blob.txt?sv=2022-11-02&sr=b&sp=r&sig=${enc(S.sig)}`],
    secrets: [S.sig],
  },
  {
    name: 'X-Amz-Signature',
    args: (b) => [
      `${b}/bucket/key.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${S.amz}`,
    ],
    secrets: [S.amz],
  },
  { name: 'an encoded api%5Fkey', args: (b) => [`${b}/v1/items?api%5Fkey=${S.apiKey}`], secrets: [S.apiKey] },
  {
    name: 'a token in a URL fragment',
    args: (b) => [`${b}/cb#access_token=${S.fragment}&token_type=bearer&expires_in=3600`],
    secrets: [S.fragment],
  },
];

/** Every case through the built CLI, in --json and text (Markdown and HTML: the property below): nothing on stdout or stderr. */
async function expectReportsClean(cases: Case[]): Promise<void> {
  for (const c of cases) {
    for (const fmt of [['--json'], []]) {
      const r = await runCli([...fmt, ...c.args(target.url)]);
      expect(r.code, `${c.name} ${fmt.join('')}: ${r.stderr}`).toBe(1);
      expect(r.stdout.length).toBeGreaterThan(0);
      expectNowhere(r.stdout, c.secrets, `${c.name}: stdout ${fmt.join('')}`);
      expectNowhere(r.stderr, c.secrets, `${c.name}: stderr ${fmt.join('')}`);
    }
  }
}

/** Each case as one pasted command (why401 curl "curl …") and on standard input (curl -). */
async function expectPastesClean(cases: Case[]): Promise<void> {
  for (const c of cases) {
    const paste = `curl ${c
      .args(target.url)
      .map((a) => `'${a}'`)
      .join(' ')}`;
    for (const r of [
      await runCli(['--json', 'curl', paste]),
      await runCli(['curl', '-'], { input: paste }),
    ]) {
      expect(r.code, r.stderr).toBe(1);
      expectNowhere(r.stdout + r.stderr, c.secrets, c.name);
    }
  }
}

/** The cases as a HAR capture: `why401 har` in every format, and the `--sanitize` copy. */
async function expectHarClean(cases: Case[], name: string): Promise<void> {
  const entries: HarEntry[] = cases.map((c) => {
    const [url, ...rest] = c.args('https://api.example.com');
    const reqHeaders: HarNameValue[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) {
      const colon = rest[i + 1]!.indexOf(':');
      reqHeaders.push(nv(rest[i + 1]!.slice(0, colon), rest[i + 1]!.slice(colon + 1).trim()));
    }
    return entry({
      url: url!,
      reqHeaders,
      status: 401,
      resHeaders: [nv('www-authenticate', 'Bearer realm="api", error="invalid_token"')],
      body: '{"error":"invalid_token"}',
    });
  });
  const file = join(dir, `${name}.har`);
  writeFileSync(
    file,
    JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }),
  );
  const all = cases.flatMap((c) => c.secrets);
  for (const fmt of [['--json'], [], ['--markdown']]) {
    const r = await runCli(['har', ...fmt, file]);
    expect(r.code, r.stderr).toBe(1);
    expectNowhere(r.stdout + r.stderr, all, `har ${fmt.join('')}`);
  }
  const out = join(dir, `${name}.sanitized.har`);
  const s = await runCli(['har', '--sanitize', file, out]);
  expect(s.code, s.stderr).toBe(0);
  expectNowhere(readFileSync(out, 'utf8') + s.stderr, all, 'har --sanitize');
}

let ui: UiServer;
beforeAll(async () => {
  ui = await startUiServer();
});
afterAll(() => ui?.close());

/** The cases pasted into the page: the API's answer. */
async function expectPageClean(cases: Case[]): Promise<void> {
  for (const c of cases) {
    const paste = `curl ${c
      .args(target.url)
      .map((a) => `'${a}'`)
      .join(' ')}`;
    const r = await api(ui.port, ui.secret, '/api/diagnose', { input: paste });
    expect(r.status, r.body.slice(0, 300)).toBe(200);
    expectNowhere(r.body, c.secrets, `page: ${c.name}`);
  }
}

describe('Percent-encoded secrets in query strings (sig=, X-Amz-Signature, an encoded api_key) and tokens in URL fragments are printed in full', () => {
  it('text and JSON reports', () => expectReportsClean(URL_CASES), 60_000);
  it('a pasted command, and one on standard input', () => expectPastesClean(URL_CASES), 60_000);
  it('why401 har summaries and the --sanitize copy', () => expectHarClean(URL_CASES, 'urls'), 60_000);
  it("the page's API", () => expectPageClean(URL_CASES), 60_000);
});

describe('Credential headers outside a fixed list (X-Vault-Token, DD-API-KEY, Authentication, Private-Token, a Referer carrying code=) are printed in full', () => {
  it('text and JSON reports', () => expectReportsClean(HEADER_CASES), 60_000);
  it('a pasted command, and one on standard input', () => expectPastesClean(HEADER_CASES), 60_000);
  it('why401 har summaries and the --sanitize copy', () => expectHarClean(HEADER_CASES, 'headers'), 60_000);
  it("the page's API", () => expectPageClean(HEADER_CASES), 60_000);

  it('why401 echo: what arrived, credentials fingerprinted by the same rule', async () => {
    const echo: EchoServer = await startEchoServer({ host: '127.0.0.1' });
    try {
      const headers = {
        Authentication: `Bearer ${S.authentication}`,
        'X-Auth-Key': S.datadog,
        'X-Hub-Signature-256': `sha256=${S.amz}`,
        Referer: `https://app.example/callback?code=${S.code}&state=${S.state}`,
      };
      for (const accept of ['text/plain', 'application/json']) {
        const r = await request(`${echo.url}/hook?sv=1&sig=${enc(S.sig)}`, {
          headers: { ...headers, accept },
        });
        const text = await r.body.text();
        expect(r.statusCode).toBe(200);
        expect(text).toContain('X-Auth-Key');
        expectNowhere(text, [S.authentication, S.datadog, S.amz, S.sig, S.code], accept);
      }
    } finally {
      await echo.close();
    }
  });
});

describe('warnings echo raw arguments, secrets included', () => {
  const variants: Array<[string, (b: string) => string[]]> = [
    ['an unknown curl flag with a value', (b) => [`${b}/me`, `--tokn=${S.warning}`]],
    ['a value given to a switch', (b) => [`${b}/me`, `--compressed=${S.warning}`]],
    ['a header that cannot be sent as written', (b) => [`${b}/me`, '-H', `X-Vault-Token : ${S.warning}`]],
    [
      'an unknown credential-sounding flag and its value',
      (b) => ['curl', `${b}/me`, '--proxy-passwd', S.warning],
    ],
    [
      '--proxy-user',
      (b) => [`${b}/me`, '--proxy-user', `alice:${S.proxyUser}`, '-H', `X-Auth-Key: ${S.warning}`],
    ],
  ];
  it.each(variants)('%s', async (_name, args) => {
    for (const fmt of [['--json'], []]) {
      const r = await runCli([...fmt, ...args(target.url)]);
      expect(r.stdout.length + r.stderr.length).toBeGreaterThan(0);
      expectNowhere(r.stdout + r.stderr, [S.warning, S.proxyUser], fmt.join(''));
    }
  });

  it('-U and --aws-sigv4 keys under --offline, in the report and a saved evidence file', async () => {
    // --offline keeps the request as parsed: the proxy user and the AWS key stay in the evidence.
    const dir = mkdtempSync(join(tmpdir(), 'why401-offline-'));
    const saved = join(dir, 'evidence.json');
    for (const args of [
      ['--offline', `${target.url}/me`, '-U', `alice:${S.proxyUser}`, '-x', 'http://127.0.0.1:9'],
      [
        '--offline',
        'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/me',
        '--aws-sigv4',
        'aws:amz:eu-west-1:execute-api',
        '-u',
        `AKIAIOSFODNN7EXAMPLE:${S.warning}`,
      ],
    ]) {
      for (const fmt of [['--json'], []]) {
        const r = await runCli([...fmt, '--save-evidence', saved, ...args]);
        expect(r.code, r.stderr).not.toBe(2);
        expectNowhere(r.stdout + r.stderr, [S.warning, S.proxyUser], fmt.join(''));
        expectNowhere(readFileSync(saved, 'utf8'), [S.warning, S.proxyUser], 'evidence file');
      }
    }
  });

  it('a usage error quoting the argument (a whole command in one argument)', async () => {
    const r = await runCli([`${target.url}/me?api_key=${S.warning} -H Authorization: Bearer ${S.vault}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^why401: .*looks like a whole command/);
    expectNowhere(r.stderr, [S.warning, S.vault], 'stderr');
  });
});

// ——— (b) a random secret in every position ————————————————————————————————————————————————

const HEADER_NAMES = [
  'X-Vault-Token',
  'DD-API-KEY',
  'DD-APPLICATION-KEY',
  'Authentication',
  'Private-Token',
  'X-Auth-Key',
  'X-Auth',
  'Auth-Token',
  'X-Functions-Key',
  'X-Client-Secret',
  'X-Api-Key',
  'X-Csrf-Token',
] as const;
const SIGNATURE_HEADERS = ['X-Hub-Signature-256', 'X-Signature', 'Stripe-Signature'] as const;
const PARAM_NAMES = [
  'sig',
  'signature',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'token',
  'access_token',
  'id_token',
  'key',
  'api_key',
  'api%5Fkey',
  'apikey',
  'secret',
  'password',
  'client_secret',
] as const;
const POSITIONS = [
  'authorization',
  'basic',
  'proxy-authorization',
  'cookie',
  'credential-header',
  'signature-header',
  'rfc9421-signature',
  'query',
  'query-oauth-code',
  'fragment',
  'userinfo',
  'json-body',
  'form-body',
  'referer',
  'location',
  'response-header',
  'set-cookie',
  'response-body',
  'jwt',
] as const;
type Position = (typeof POSITIONS)[number];

/**
 * A random secret: characters that need percent-encoding in a URL (`+/=!*'()~`) among letters and
 * digits, with a letter and a digit at its ends so that no placeholder rule can claim it.
 */
const secretArb = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9._~+/=!*'()-]{10,40}$/), fc.constantFrom('a1', 'Z9', 'q7', 'K3'))
  .map(([s, end]) => `k${end}${s}${end}`)
  .filter((s) => !isPlaceholder(s) && !/why401|eyJ/i.test(s));

interface Built {
  evidence: Evidence;
  har: HarEntry[];
  forbidden: string[];
}

function build(
  position: Position,
  s: string,
  pick: { header: string; sig: string; param: string; formEnc: boolean },
): Built {
  const q = pick.formEnc ? form : enc;
  const refused = { status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } };
  let input: EvInput;
  let har: Parameters<typeof entry>[0];
  const forbidden = [s];
  switch (position) {
    case 'authorization':
      input = { headers: { Authorization: `Bearer ${s}` } };
      har = { url: API, reqHeaders: [nv('authorization', `Bearer ${s}`)] };
      break;
    case 'basic':
    case 'proxy-authorization': {
      const name = position === 'basic' ? 'Authorization' : 'Proxy-Authorization';
      input = { headers: { [name]: `Basic ${b64(`alice:${s}`)}` } };
      har = { url: API, reqHeaders: [nv(name.toLowerCase(), `Basic ${b64(`alice:${s}`)}`)] };
      forbidden.push(b64(`alice:${s}`));
      break;
    }
    case 'cookie':
      input = { headers: { Cookie: `theme=dark; sid=${s}` } };
      har = {
        url: API,
        reqHeaders: [nv('cookie', `theme=dark; sid=${s}`)],
        cookies: [{ name: 'sid', value: s }],
      };
      break;
    case 'credential-header':
      input = { headers: { [pick.header]: s } };
      har = { url: API, reqHeaders: [nv(pick.header.toLowerCase(), s)] };
      break;
    case 'signature-header':
      input = { headers: { [pick.sig]: `sha256=${s}` } };
      har = { url: API, reqHeaders: [nv(pick.sig.toLowerCase(), `sha256=${s}`)] };
      break;
    case 'rfc9421-signature':
      input = {
        headers: { 'Signature-Input': 'sig1=("@method");created=1618884473', Signature: `sig1=:${s}:` },
      };
      har = { url: API, reqHeaders: [nv('signature', `sig1=:${s}:`)] };
      break;
    case 'query': {
      const url = `${API}?page=2&${pick.param}=${q(s)}`;
      input = { url };
      har = { url };
      break;
    }
    case 'query-oauth-code': {
      const url = `https://app.example.com/callback?code=${q(s)}&state=af0ifjsldkj`;
      input = { url };
      har = { url };
      break;
    }
    case 'fragment': {
      const url = `https://app.example.com/callback#${pick.param}=${q(s)}&token_type=bearer`;
      input = { url };
      har = { url };
      break;
    }
    case 'userinfo': {
      const url = `https://alice:${enc(s)}@api.example.com/v1/items`;
      input = { url };
      har = { url };
      break;
    }
    case 'json-body': {
      const body = JSON.stringify({ user: 'alice', credentials: { [pick.param.replace('%5F', '_')]: s } });
      input = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body };
      har = { url: API, method: 'POST', postData: { mimeType: 'application/json', text: body } };
      break;
    }
    case 'form-body': {
      const body = `grant_type=password&username=alice&password=${q(s)}`;
      input = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body };
      har = {
        url: API,
        method: 'POST',
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          text: body,
          params: [{ name: 'password', value: s }],
        },
      };
      break;
    }
    case 'referer': {
      const ref = `https://app.example.com/callback?code=${q(s)}&state=xyz`;
      input = { headers: { Referer: ref } };
      har = { url: API, reqHeaders: [nv('referer', ref)] };
      break;
    }
    case 'location': {
      const loc = `https://app.example.com/callback?code=${q(s)}&state=xyz`;
      return {
        evidence: ev({
          url: 'https://login.example.com/authorize',
          status: 302,
          responseHeaders: { Location: loc },
        }),
        har: [
          entry({
            url: 'https://login.example.com/authorize',
            status: 302,
            resHeaders: [nv('location', loc)],
            redirectURL: loc,
          }),
        ],
        forbidden,
      };
    }
    case 'response-header':
      input = { ...refused, responseHeaders: { ...refused.responseHeaders, [pick.header]: s } };
      har = { url: API, status: 401, resHeaders: [nv(pick.header.toLowerCase(), s)] };
      return { evidence: ev(input), har: [entry(har)], forbidden };
    case 'set-cookie':
      input = {
        ...refused,
        responseHeaders: { ...refused.responseHeaders, 'Set-Cookie': `sid=${s}; Path=/; HttpOnly` },
      };
      har = { url: API, status: 401, resHeaders: [nv('set-cookie', `sid=${s}; Path=/; HttpOnly`)] };
      return { evidence: ev(input), har: [entry(har)], forbidden };
    case 'response-body': {
      const body = JSON.stringify({ token_type: 'Bearer', access_token: s, expires_in: 3600 });
      input = { ...refused, responseBody: body };
      har = { url: API, status: 401, body };
      return { evidence: ev(input), har: [entry(har)], forbidden };
    }
    case 'jwt': {
      const sig = s.replace(/[^A-Za-z0-9_-]/g, '_');
      const jwt = makeJwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', aud: 'api', exp: 4102444800 }, sig);
      input = { headers: { Authorization: `Bearer ${jwt}` }, responseBody: `{"echo":"${jwt}"}` };
      har = { url: API, reqHeaders: [nv('authorization', `Bearer ${jwt}`)], body: `{"echo":"${jwt}"}` };
      return {
        evidence: ev({ ...refused, ...input }),
        har: [entry({ ...har, status: 401 })],
        forbidden: [jwt, sig],
      };
    }
  }
  return { evidence: ev({ ...refused, ...input }), har: [entry({ status: 401, ...har })], forbidden };
}

function renderings(report: Report): Array<[string, string]> {
  return [
    ['text', renderText(report, { color: false, width: 100_000 })],
    ['json', renderJson(report)],
    ['markdown', renderMarkdown(report)],
    ['html', renderHtml(report)],
  ];
}

describe('No secret of any form in the list appears in any output: a random secret in every position', () => {
  it('is nowhere in the text, JSON, Markdown and HTML reports, the sanitized HAR, nor the HAR reports', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.constantFrom(...HEADER_NAMES),
        fc.constantFrom(...SIGNATURE_HEADERS),
        fc.constantFrom(...PARAM_NAMES),
        fc.boolean(),
        (secret, header, sig, param, formEnc) => {
          for (const position of POSITIONS) {
            const b = build(position, secret, { header, sig, param, formEnc });
            for (const [name, text] of renderings(analyze(b.evidence)))
              expectNowhere(text, b.forbidden, `${position}: report ${name}`);
            const { har } = sanitizeHar({ log: { entries: b.har } });
            expectNowhere(JSON.stringify(har), b.forbidden, `${position}: sanitized HAR`);
            const harReport = analyzeHar(b.har, {});
            for (const [name, text] of [
              ['har json', JSON.stringify(harReport)],
              ['har text', renderHarText(harReport, { color: false })],
              ['har markdown', renderHarMarkdown(harReport)],
              ['har html', renderHarHtml(harReport)],
            ] as const)
              expectNowhere(text, b.forbidden, `${position}: ${name}`);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
