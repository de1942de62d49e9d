import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { request } from 'undici';
import { parseEchoArgs, runEcho } from '../../src/cli/echo.js';
import { fingerprint } from '../../src/core/fingerprint.js';
import { echoReport, type EchoReport } from '../../src/echo/format.js';
import { startEchoServer, type EchoServer } from '../../src/echo/server.js';
import { makeProxyDispatcher } from '../../src/probe/proxy.js';
import { startForwardProxy } from '../support/forward-proxy.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlY2hvLXRlc3QiLCJhdWQiOiJhcGkifQ.c2lnbmF0dXJlLWJ5dGVz';
const COOKIE_VALUE = 'sess-9f8e7d6c5b4a39281706';
const API_KEY = 'ak_live_51HxQ2ZpT0pSecretValue';
const OPAQUE = 'opaque-gateway-forwarded-token-123456';

const headers = [
  'Authorization',
  `Bearer ${TOKEN}`,
  'Cookie',
  `session=${COOKIE_VALUE}; theme=dark`,
  'X-Api-Key',
  API_KEY,
  'X-Forwarded-Access-Token',
  OPAQUE,
  'X-Trace',
  'one',
  'X-Trace',
  'two',
];

function noSecrets(text: string): void {
  for (const s of [TOKEN, COOKIE_VALUE, API_KEY, OPAQUE, 'sk_query_secret_value_42'])
    expect(text).not.toContain(s);
}

describe('why401 echo: the server', () => {
  let echo: EchoServer;
  const logged: EchoReport[] = [];
  beforeAll(async () => {
    echo = await startEchoServer({ host: '127.0.0.1', onRequest: (r) => logged.push(r) });
  });
  afterAll(() => echo.close());

  it('binds 127.0.0.1 and an ephemeral port by default', () => {
    expect(echo.host).toBe('127.0.0.1');
    expect(echo.url).toBe(`http://127.0.0.1:${echo.port}`);
    expect(echo.port).toBeGreaterThan(0);
  });

  it('answers in text: every header in arrival order, secrets fingerprinted, Authorization named', async () => {
    const res = await request(`${echo.url}/v1/me?api_key=sk_query_secret_value_42&page=2`, {
      method: 'POST',
      headers,
      body: 'hello=world',
    });
    const text = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['cache-control']).toBe('no-store');
    noSecrets(text);
    expect(text).toContain(`Authorization header: received: Bearer ${fingerprint(TOKEN)}`);
    expect(text).toContain(
      `POST /v1/me?api_key=${fingerprint('sk_query_secret_value_42')}&page=2 HTTP/1.1\n`,
    );
    expect(text).toContain(`session=${fingerprint(COOKIE_VALUE)}; theme=dark`);
    expect(text).toContain(fingerprint(API_KEY));
    expect(text).toContain(fingerprint(OPAQUE));
    expect(text).toContain('Other credentials that arrived: Cookie, X-Api-Key, X-Forwarded-Access-Token');
    expect(text).toContain('Body: 11 bytes');
    expect(text).toMatch(/^from 127\.0\.0\.1:\d+$/m);
    // Every header, in the order it arrived (undici writes Host and Connection first, then the rest as given).
    const names = [...text.matchAll(/^ {2}([\w-]+):/gm)].map((m) => m[1]);
    expect(names).toEqual([
      'host',
      'connection',
      'Authorization',
      'Cookie',
      'X-Api-Key',
      'X-Forwarded-Access-Token',
      'X-Trace',
      'X-Trace',
      'content-length',
    ]);
    expect(text).toMatch(/^ {2}X-Trace: +one$/m);
    expect(text).toMatch(/^ {2}X-Trace: +two$/m);
  });

  it('answers JSON to Accept: application/json', async () => {
    const res = await request(`${echo.url}/json`, {
      headers: [...headers, 'Accept', 'application/json'],
    });
    const raw = await res.body.text();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    noSecrets(raw);
    const j = JSON.parse(raw) as EchoReport;
    expect(j.tool).toBe('why401 echo');
    expect(j.method).toBe('GET');
    expect(j.target).toBe('/json');
    expect(j.httpVersion).toBe('1.1');
    expect(j.authorization).toEqual({ received: true, count: 1, values: [`Bearer ${fingerprint(TOKEN)}`] });
    expect(j.headers.map((h) => h.name)).toEqual([
      'host',
      'connection',
      'Authorization',
      'Cookie',
      'X-Api-Key',
      'X-Forwarded-Access-Token',
      'X-Trace',
      'X-Trace',
      'Accept',
    ]);
    expect(j.headers.find((h) => h.name === 'Cookie')?.value).toBe(
      `session=${fingerprint(COOKIE_VALUE)}; theme=dark`,
    );
    expect(j.bodyBytes).toBe(0);
  });

  it('answers JSON to ?format=json, and text to ?format=text whatever Accept says', async () => {
    const a = await request(`${echo.url}/x?format=json`, { headers: ['Authorization', `Bearer ${TOKEN}`] });
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    noSecrets(await a.body.text());
    const b = await request(`${echo.url}/x?format=text`, { headers: ['Accept', 'application/json'] });
    expect(b.headers['content-type']).toMatch(/^text\/plain/);
    expect(await b.body.text()).toContain('Authorization header: NOT received');
  });

  it('says plainly when no Authorization arrived', async () => {
    const res = await request(`${echo.url}/none`, { headers: ['Accept', 'application/json'] });
    const j = (await res.body.json()) as EchoReport;
    expect(j.authorization).toEqual({ received: false, count: 0, values: [] });
  });

  it('a placeholder stays readable (it is not a secret, and seeing it is the point)', async () => {
    const res = await request(`${echo.url}/p`, { headers: ['Authorization', 'Bearer undefined'] });
    expect(await res.body.text()).toContain('Authorization header: received: Bearer undefined');
  });

  it('two Authorization headers are named as such', async () => {
    const res = await request(`${echo.url}/dup`, {
      headers: ['Authorization', `Bearer ${TOKEN}`, 'Authorization', 'Basic YWxpY2U6czNjcmV0'],
    });
    const text = await res.body.text();
    expect(text).toContain('Authorization header: received 2 times');
    expect(text).not.toContain('YWxpY2U6czNjcmV0');
  });

  it('HEAD gets the headers only', async () => {
    const res = await request(`${echo.url}/h`, { method: 'HEAD' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('');
  });

  it('logs every request, redacted', () => {
    expect(logged.length).toBeGreaterThan(3);
    noSecrets(JSON.stringify(logged));
  });

  it('behind a proxy that strips Authorization, echo shows it did not arrive (and the Via it added)', async () => {
    const proxy = await startForwardProxy({ stripAuthorization: true });
    const dispatcher = makeProxyDispatcher(
      { url: proxy.url, source: 'http_proxy', bypassed: false },
      { insecure: false },
    );
    try {
      const res = await request(`${echo.url}/through-proxy`, {
        headers: ['Authorization', `Bearer ${TOKEN}`, 'Accept', 'application/json'],
        dispatcher,
      });
      const j = (await res.body.json()) as EchoReport;
      expect(j.authorization.received).toBe(false);
      expect(j.headers).toContainEqual({ name: 'Via', value: '1.1 why401-test-proxy' });
    } finally {
      await dispatcher.destroy();
      await proxy.close();
    }
  });

  it('answers CONNECT (a client taking it for a proxy) with 405 and why', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(echo.port, '127.0.0.1', () =>
        s.write('CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n'),
      );
      let buf = '';
      s.on('data', (c) => (buf += c.toString()));
      s.on('end', () => resolve(buf));
      s.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 405/);
    expect(text).toContain('not a proxy');
  });
});

describe('echoReport: redaction rules', () => {
  const at = Date.parse('2026-11-27T12:00:00Z');
  const base = {
    method: 'GET',
    target: '/',
    httpVersion: '1.1',
    bodyBytes: 0,
    at,
    origin: 'http://127.0.0.1:1',
  };
  it('Basic credentials: the base64 and the password are fingerprinted', () => {
    const b64 = Buffer.from('alice:correct-horse-battery').toString('base64');
    const r = echoReport({ ...base, headers: [['Authorization', `Basic ${b64}`]] });
    expect(r.authorization.values).toEqual([`Basic ${fingerprint(b64)}`]);
    expect(JSON.stringify(r)).not.toContain('correct-horse-battery');
  });
  it('a JWT anywhere (even in a header with an innocent name) is fingerprinted', () => {
    const r = echoReport({ ...base, headers: [['X-Debug', `copied ${TOKEN} here`]] });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });
  it('a short token is fingerprinted too', () => {
    const r = echoReport({ ...base, headers: [['Authorization', 'Bearer ab1']] });
    expect(r.authorization.values).toEqual([`Bearer ${fingerprint('ab1')}`]);
  });
  it('an absolute-form target keeps its host and loses its password and key', () => {
    const r = echoReport({
      ...base,
      target: 'http://u:pa55word-long@api.example.com/x?access_token=abcdef123456',
      headers: [],
    });
    expect(r.target).not.toContain('pa55word-long');
    expect(r.target).not.toContain('abcdef123456');
    expect(r.target).toContain('api.example.com/x?access_token=');
  });
});

describe('why401 echo: the command', () => {
  it('parses its options', () => {
    expect(parseEchoArgs([])).toEqual({
      port: 8401,
      host: '127.0.0.1',
      json: false,
      quiet: false,
      help: false,
    });
    expect(parseEchoArgs(['--port', '0', '--json', '--host=::1'])).toMatchObject({
      port: 0,
      json: true,
      host: '::1',
    });
    expect(parseEchoArgs(['--port=9000', '--quiet', '--no-color'])).toMatchObject({
      port: 9000,
      quiet: true,
    });
    expect(() => parseEchoArgs(['--port', '70000'])).toThrow(/port number/);
    expect(() => parseEchoArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseEchoArgs(['--bogus'])).toThrow(/unknown option --bogus for why401 echo/);
    expect(() => parseEchoArgs(['--prot', '1'])).toThrow('unknown option --prot; did you mean --port?');
    expect(() => parseEchoArgs(['extra'])).toThrow(/unexpected argument/);
  });

  it('prints the URL and the hint, logs each request, stops when told', async () => {
    let out = '';
    let err = '';
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    let url = '';
    const done = runEcho(['--port', '0'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      until,
      onListening: (s) => {
        url = s.url;
      },
    });
    while (!url) await new Promise((r) => setTimeout(r, 5));
    await (await request(`${url}/hello`, { headers: ['Authorization', `Bearer ${TOKEN}`] })).body.text();
    stop();
    expect(await done).toBe(0);
    expect(err).toBe('');
    expect(out).toContain(`why401 echo listening on ${url}`);
    expect(out).toContain('Point your proxy, CDN or gateway at this URL and send a request through it');
    expect(out).toMatch(/GET \/hello {2}Authorization: received \(Bearer eyJhbG…\(sha256:[0-9a-f]{6}\)\)/);
    noSecrets(out);
  });

  it('--json logs one JSON object per line; another host warns that it exposes what arrives', async () => {
    let out = '';
    let err = '';
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    let url = '';
    const done = runEcho(['--port', '0', '--json', '--host', '0.0.0.0'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      until,
      onListening: (s) => {
        url = s.url;
      },
    });
    while (!url) await new Promise((r) => setTimeout(r, 5));
    const res = await request(`${url}/j`, { headers: ['Cookie', `session=${COOKIE_VALUE}`] });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    await res.body.text();
    stop();
    await done;
    expect(err).toContain('exposes what arrives');
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ listening: url });
    expect(lines[1]).toMatchObject({ method: 'GET', target: '/j', otherCredentials: ['Cookie'] });
    noSecrets(out);
  });

  it('a port in use is a usage error, not a crash', async () => {
    const busy = await startEchoServer();
    try {
      await expect(
        runEcho(['--port', String(busy.port)], { stdout: { write: () => 0 }, stderr: { write: () => 0 } }),
      ).rejects.toThrow(/already in use/);
    } finally {
      await busy.close();
    }
  });

  it('--help prints the echo help', async () => {
    let out = '';
    expect(
      await runEcho(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 } }),
    ).toBe(0);
    expect(out).toContain('why401 echo [--port N]');
  });
});
