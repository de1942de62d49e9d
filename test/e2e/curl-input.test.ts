import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startServer, type Received, type TestServer } from '../support/http-server.js';

/** Pasted curl commands and curl's file inputs, end to end: what the server received is asserted. */
let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startServer((req, res) => {
    const session = /(?:^|; )sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (req.url?.startsWith('/account')) {
      res.writeHead(
        session === 'live' ? 200 : 302,
        session === 'live' ? {} : { Location: '/login?next=/account' },
      );
      res.end();
      return;
    }
    const ok = req.headers.authorization === 'Bearer good-token-0123456789';
    res.writeHead(ok ? 200 : 401, {
      'Content-Encoding': 'gzip',
      'WWW-Authenticate': ok ? '' : 'Bearer realm="api", error="invalid_token"',
    });
    res.end(gzipSync(JSON.stringify({ ok })));
  });
  dir = mkdtempSync(join(tmpdir(), 'why401-curl-'));
});
afterAll(() => s.close());
const last = () => s.received.filter((r) => !r.url.startsWith('/login'))[0]!;

describe('curl input', () => {
  it("a Chrome 'Copy as cURL (bash)' paste on stdin", async () => {
    const paste = `curl '${s.url}/v1/me' \\\n  -H 'accept: application/json' \\\n  -H $'authorization: Bearer good-token-0123456789' \\\n  -H 'user-agent: Mozilla/5.0' \\\n  --compressed`;
    s.received.length = 0;
    const r = await runCli(['--json', 'curl', '-'], { input: paste });
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.outcome).toBe('ok');
    expect(r.code).toBe(0);
    expect(last().headers.authorization).toBe('Bearer good-token-0123456789');
    expect(last().headers['accept-encoding']).toMatch(/gzip/);
    expect(last().headers['user-agent']).toBe('Mozilla/5.0');
  });

  it('the same paste as one argument, with a bad token', async () => {
    const r = await runCli([
      '--json',
      'curl',
      `curl '${s.url}/v1/me' -H 'Authorization: Bearer bad-token-0123456789'`,
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.status).toBe(401);
    expect(rep.findings[0]?.id).toBe('credentials.rejected');
    expect(r.code).toBe(1);
  });

  it('-H @file reads headers from a file', async () => {
    const file = join(dir, 'headers.txt');
    writeFileSync(file, 'Authorization: Bearer good-token-0123456789\nX-Trace: 1\n');
    s.received.length = 0;
    const r = await runCli([`${s.url}/v1/me`, '-H', `@${file}`, '--json']);
    expect(r.code).toBe(0);
    expect(last().headers.authorization).toBe('Bearer good-token-0123456789');
  });

  it('-b with a cookie jar holding an expired session cookie', async () => {
    const jar = join(dir, 'cookies.txt');
    const past = Math.floor(Date.now() / 1000) - 3 * 3600;
    writeFileSync(
      jar,
      `# Netscape HTTP Cookie File\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t${past}\tsid\tstale-session-value\n`,
    );
    s.received.length = 0;
    const r = await runCli([`${s.url}/account`, '-b', jar, '--json']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(last().headers.cookie).toBeUndefined();
    expect(rep.findings[0]?.id).toBe('session.cookie-expired');
    expect(rep.findings[0]?.title).toMatch(/sid.*3 hours/);
    expect(rep.outcome).toBe('login-required');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('stale-session-value');
  });
});

/**
 * The one recogniser (issue 14): a paste that does not begin with exactly `curl ` (a comment, a
 * prompt, a path to curl, a pipeline, a cmd or PowerShell form) gives the same request whether it
 * is one argument (`why401 "…"`, `why401 curl "…"`) or read from standard input (`why401 curl -`).
 * Only the user's own request is sent (--no-probes --no-repairs), so the recorder holds just it.
 */
describe('a paste as one argument and through curl -: the same request', () => {
  const TOKEN = 'good-token-0123456789';
  const pastes = (): Array<{ name: string; paste: string; want: Partial<Received> }> => [
    {
      name: 'a terminal transcript: comment, "$ " and "> " prompts, $VARs, a quoted heredoc',
      paste: [
        '# the profile, as the docs show it',
        '$ curl -sS -X POST "$API_BASE/v1/me" \\',
        '>   -H "Authorization: Bearer $API_TOKEN" \\',
        ">   -H 'Content-Type: application/json' \\",
        ">   --data-binary @- <<'EOF'",
        '> {"name": "$NOT_EXPANDED"}',
        '> EOF',
      ].join('\n'),
      want: { method: 'POST', url: '/v1/me', body: '{"name": "$NOT_EXPANDED"}\n' },
    },
    {
      name: 'a shebang, a path to curl and a pipeline before it',
      paste: `#!/bin/sh\necho hi | /usr/bin/curl '${s.url}/v1/me?q=1' -H 'Authorization: Bearer ${TOKEN}'`,
      want: { method: 'GET', url: '/v1/me?q=1', body: '' },
    },
    {
      name: 'a cmd prompt, upper-case CURL.EXE, ^"…^" quoting and ^-newline continuations',
      paste: `C:\\Users\\me>CURL.EXE ^"${s.url}/v1/me^" ^\n  -H ^"Authorization: Bearer ${TOKEN}^" ^\n  -X PUT`,
      want: { method: 'PUT', url: '/v1/me', body: '' },
    },
    {
      name: 'a PowerShell prompt, backtick continuations and $env:API_TOKEN',
      paste: `PS C:\\Users\\me> curl.exe "$env:API_BASE/v1/me" \`\n>>   -H "Authorization: Bearer $env:API_TOKEN"`,
      want: { method: 'GET', url: '/v1/me', body: '' },
    },
    {
      name: 'cat FILE | curl -d @-: the file is the body',
      paste: `cat ${join(dir, 'body.txt')} | curl -d @- -H "Authorization: Bearer $API_TOKEN" ${s.url}/v1/me`,
      want: { method: 'POST', url: '/v1/me', body: 'a=1&b=2' },
    },
  ];

  const NAMES = [
    'a terminal transcript: comment, "$ " and "> " prompts, $VARs, a quoted heredoc',
    'a shebang, a path to curl and a pipeline before it',
    'a cmd prompt, upper-case CURL.EXE, ^"…^" quoting and ^-newline continuations',
    'a PowerShell prompt, backtick continuations and $env:API_TOKEN',
    'cat FILE | curl -d @-: the file is the body',
  ];

  it.each(NAMES)('%s', async (name) => {
    writeFileSync(join(dir, 'body.txt'), 'a=1&b=2\n');
    const { paste, want } = pastes().find((p) => p.name === name)!;
    const env = { API_BASE: s.url, API_TOKEN: TOKEN };
    const own = ['--json', '--no-probes', '--no-repairs'];
    const seen: Received[] = [];
    for (const [args, input] of [
      [[...own, paste], undefined],
      [[...own, 'curl', paste], undefined],
      [[...own, 'curl', '-'], paste],
    ] as const) {
      s.received.length = 0;
      const r = await runCli([...args], input === undefined ? { env } : { env, input });
      expect(
        r.stderr,
        `${name}: ${args.at(-1) === '-' ? 'curl -' : args.length === 4 ? 'one argument' : 'curl "…"'}`,
      ).not.toMatch(/why401: (?!warning)/);
      expect(s.received, name).toHaveLength(1);
      const got = s.received[0]!;
      expect(got).toMatchObject(want);
      expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect((JSON.parse(r.stdout) as Report).outcome).toBe('ok');
      expect(r.code).toBe(0);
      seen.push(got);
    }
    const same = (x: Received) => ({
      method: x.method,
      url: x.url,
      body: x.body,
      auth: x.headers.authorization,
    });
    expect(same(seen[1]!)).toEqual(same(seen[0]!));
    expect(same(seen[2]!)).toEqual(same(seen[0]!));
  });

  it('the report names the expanded variables, never their values', async () => {
    const r = await runCli(
      ['--no-probes', '--no-repairs', `curl "$API_BASE/v1/me" -H "Authorization: Bearer $API_TOKEN"`],
      { env: { API_BASE: s.url, API_TOKEN: TOKEN } },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('expanded from the environment (values not shown): $API_BASE, $API_TOKEN');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('after curl -, an @- with no input in the paste finds standard input used up, and says so', async () => {
    s.received.length = 0;
    const r = await runCli(['--no-probes', '--no-repairs', 'curl', '-'], {
      input: `curl -d @- -H 'Authorization: Bearer ${TOKEN}' ${s.url}/v1/me`,
    });
    expect(r.stderr).toContain('standard input held the pasted command');
    expect(s.received[0]?.body).toBe('');
  });
});
