import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import type { Report } from '../../src/model/report.js';
import { startUiServer, type UiServer } from '../../src/ui-server/server.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startLeakyRefuser } from '../support/leaky-refuser.js';
import { startIssuer, type TestIssuer } from '../support/issuer.js';
import { schemaErrors } from '../support/schema.js';
import { api } from './raw.js';

/** docs/UI.md, "API": real requests to real servers, through the in-process UI server. */
const AUD = 'https://api.why401.test';
let ui: UiServer;
let demo: DemoServer;
let issuer: TestIssuer;
beforeAll(async () => {
  [ui, demo, issuer] = await Promise.all([
    startUiServer(),
    startDemoServer(),
    startIssuer({ audience: AUD }),
  ]);
});
afterAll(async () => {
  await Promise.all([ui?.close(), demo?.close(), issuer?.close()]);
});

function endpoint(path: string) {
  const e = demo.endpoints.find((x) => x.path === path);
  if (!e) throw new Error(`no demo endpoint ${path}`);
  return e;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A command as "Copy as cURL" gives it: one argument a line, `\` continuations. */
function pastedCurl(e: ReturnType<typeof endpoint>): string {
  const lines = [`curl ${q(e.request.url)}`, `  -X ${e.request.method}`];
  for (const [n, v] of e.request.headers) lines.push(`  -H ${q(`${n}: ${v}`)}`);
  return lines.join(' \\\n');
}

async function report(path: string, body: unknown): Promise<Report> {
  const r = await api(ui.port, ui.secret, path, body);
  expect(r.status, r.body.slice(0, 300)).toBe(200);
  expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  const { report } = JSON.parse(r.body) as { report: Report };
  expect(schemaErrors(report)).toBe('');
  return report;
}

describe('POST /api/diagnose', () => {
  it.each(['/api/expired', '/api/no-scheme', '/api/quoted', '/api/basic'])(
    'a pasted multi-line curl command to the demo %s: the same first cause as the CLI',
    async (path) => {
      const e = endpoint(path);
      const r = await report('/api/diagnose', { input: pastedCurl(e) });
      expect(r.source).toBe('curl');
      expect(r.target.url).toBe(e.request.url);
      expect(r.findings[0]?.id).toBe(e.expect);
    },
  );

  it('gives the report the built CLI gives', async () => {
    const e = endpoint('/api/expired');
    const cli = await runCli(['--json', 'curl', '-'], { input: pastedCurl(e) });
    const fromCli = JSON.parse(cli.stdout) as Report;
    const fromUi = await report('/api/diagnose', { input: pastedCurl(e) });
    expect(fromUi.findings.map((f) => f.id)).toEqual(fromCli.findings.map((f) => f.id));
    expect(fromUi.outcome).toBe(fromCli.outcome);
  });

  it('the URL + header lines form', async () => {
    const e = endpoint('/api/no-scheme');
    const input = [e.request.url, ...e.request.headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
    const r = await report('/api/diagnose', { input });
    expect(r.source).toBe('flags');
    expect(r.target).toMatchObject({ method: 'GET', url: e.request.url });
    expect(r.findings[0]?.id).toBe('header.scheme-missing');
  });

  describe('against a recording server', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer((_req, res) => {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
        res.end();
      });
    });
    afterAll(() => s.close());

    it('URL form: headers, a body after a blank line, POST by default, method given', async () => {
      s.received.length = 0;
      const input = `  ${s.url}/things\nX-Trace: a b\nContent-Type: application/json\n\n{"a":\n 1}\n`;
      const r = await report('/api/diagnose', { input });
      expect(r.target.method).toBe('POST');
      const main = s.received.find((x) => x.url === '/things' && x.headers['x-trace']);
      expect(main).toMatchObject({ method: 'POST', body: '{"a":\n 1}' });
      expect(main?.headers['content-type']).toBe('application/json');

      s.received.length = 0;
      const put = await report('/api/diagnose', { input, method: 'put' });
      expect(put.target.method).toBe('PUT');
      expect(s.received.some((x) => x.method === 'PUT' && x.url === '/things')).toBe(true);
    });

    it('a URL form line starting with - is a URL, never a curl flag', async () => {
      const r = await api(ui.port, ui.secret, '/api/diagnose', { input: `-d @/etc/passwd ${s.url}/` });
      expect(r.status).toBeLessThan(500);
      expect(r.body).not.toContain('root:');
    });

    it('passes the expectations on', async () => {
      const token = await issuer.sign({ sub: 'u1', aud: 'https://other.api', scope: 'read' });
      const r = await report('/api/diagnose', {
        input: `curl ${s.url}/me -H 'Authorization: Bearer ${token}'`,
        expectAudience: AUD,
        expectScope: ['write'],
      });
      const ids = r.findings.map((f) => f.id);
      expect(ids).toContain('jwt.audience-mismatch');
      expect(ids).toContain('jwt.scope-insufficient');
    });
  });

  it.each([
    [{}, /"input" is missing/],
    [{ input: '   ' }, /nothing to diagnose/],
    [{ input: 'curl' }, /no URL/],
    [{ input: "curl 'http://127.0.0.1:1/ -H x" }, /unterminated/],
    [{ input: 'http://127.0.0.1:1/\nnot a header' }, /line 2 is not a header line/],
    [{ input: 'http://127.0.0.1:1/', method: 'GET /x' }, /not an HTTP method/],
    [{ input: 'http://127.0.0.1:1/', expectScope: 'read' }, /"expectScope" must be a list/],
    [{ input: 'curl -d @/etc/passwd http://127.0.0.1:1/' }, /does not read local files/],
    [{ input: 'curl -d @- http://127.0.0.1:1/' }, /does not read local files/],
    [{ input: 'curl -H @headers.txt http://127.0.0.1:1/' }, /does not read local files/],
    [{ input: 'curl -b cookies.txt http://127.0.0.1:1/' }, /does not read local files/],
    [{ input: 'curl --cacert /etc/ssl/ca.pem https://127.0.0.1:1/' }, /does not read local files/],
  ])('400 with one line for input the CLI would refuse: %j', async (body, message) => {
    const r = await api(ui.port, ui.secret, '/api/diagnose', body);
    expect(r.status).toBe(400);
    const { error } = JSON.parse(r.body) as { error: string };
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
    expect(error).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});

describe('POST /api/token', () => {
  it('verifies a token against its issuer: source token', async () => {
    issuer.received.length = 0;
    const token = await issuer.sign({ sub: 'u1', aud: AUD, scope: 'read' });
    const r = await report('/api/token', { token: `Bearer ${token}` });
    expect(r.source).toBe('token');
    expect(r.findings.filter((f) => f.kind === 'cause')).toEqual([]);
    expect(issuer.received.some((x) => x.path.includes('/.well-known/'))).toBe(true);
  });

  it('an expired token, offline: nothing is asked of the issuer', async () => {
    issuer.received.length = 0;
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ sub: 'u1', aud: AUD, iat: now - 7200, exp: now - 3600 });
    const r = await report('/api/token', { token: `  ${token}\n`, offline: true });
    expect(r.source).toBe('token');
    expect(r.findings[0]?.id).toBe('token.expired');
    expect(issuer.received).toEqual([]);
  });

  it.each([
    [{}, /"token" is missing/],
    [{ token: 'Bearer   ' }, /empty/],
    [{ token: 'x', offline: 'yes' }, /"offline" must be true or false/],
  ])('400: %j', async (body, message) => {
    const r = await api(ui.port, ui.secret, '/api/token', body);
    expect(r.status).toBe(400);
    expect((JSON.parse(r.body) as { error: string }).error).toMatch(message);
  });
});

describe('no raw secret in any answer', () => {
  const CANARY = 'CANARY-ui7f3a9c2e41d8b6';
  const JWT_CANARY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkiLCJleHAiOjF9.Q0FOQVJZLXVpLXNpZ25hdHVyZQ';
  const BASIC = Buffer.from(`alice:${CANARY}`).toString('base64');
  const forbidden = [CANARY, BASIC, JWT_CANARY, JWT_CANARY.split('.')[2]!];
  let s: TestServer;
  beforeAll(async () => {
    s = await startLeakyRefuser(CANARY);
  });
  afterAll(() => s.close());

  it('curl and URL forms, bearer, Basic, cookie, API key', async () => {
    const url = `${s.url}/me?api_key=${CANARY}`;
    const inputs = [
      `curl '${url}' \\\n  -H 'Authorization: Bearer ${JWT_CANARY}'`,
      `curl '${url}' -H 'Authorization: Bearer ${CANARY}'`,
      `curl '${url}' -u 'alice:${CANARY}'`,
      `curl '${url}' -b 'sid=${CANARY}'`,
      `${url}\nAuthorization: Basic ${BASIC}`,
      `${url}\nX-Api-Key: ${CANARY}\nCookie: sid=${CANARY}\n\n{"password":"${CANARY}"}`,
    ];
    for (const input of inputs) {
      s.received.length = 0;
      const r = await api(ui.port, ui.secret, '/api/diagnose', { input });
      expect(r.status, input).toBe(200);
      // The request did carry the secret (else the test proves nothing) …
      const sent = JSON.stringify(s.received);
      expect(
        forbidden.some((secret) => sent.includes(secret)),
        input,
      ).toBe(true);
      // … and the answer never does.
      for (const secret of forbidden) expect(r.body, input).not.toContain(secret);
    }
    const t = await api(ui.port, ui.secret, '/api/token', { token: `Bearer ${JWT_CANARY}`, offline: true });
    expect(t.status).toBe(200);
    for (const secret of forbidden) expect(t.body).not.toContain(secret);
  });
});
