import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/** Hostile servers and bad input: every run ends in a report or one line, with its exit code, in time. */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(...a: Parameters<typeof startServer>) {
  const s = await startServer(...a);
  servers.push(s);
  return s;
}
const json = (stdout: string) => JSON.parse(stdout) as Report;
/** The requests the probes made to the target, apart from RFC 9728 metadata look-ups (which must carry no credentials). */
function requests(s: TestServer) {
  const meta = s.received.filter((q) => q.url.startsWith('/.well-known/oauth-protected-resource'));
  for (const m of meta) expect(m.headers.authorization).toBeUndefined();
  return s.received.filter((q) => !meta.includes(q));
}

describe('hostile servers', () => {
  it('a closed port is unreachable: exit 3', async () => {
    const s = await server((_q, res) => res.end());
    const url = s.url;
    await s.close();
    servers.length = 0;
    const r = await runCli([`${url}/x`, '-H', 'Authorization: Bearer abcdefghijklmnop', '--json']);
    expect(r.code).toBe(3);
    const rep = json(r.stdout);
    expect(rep.outcome).toBe('unreachable');
    expect(rep.findings[0]?.id).toBe('network.unreachable');
    expect(rep.findings[0]?.evidence[0]?.value).toBe('ECONNREFUSED');
  });

  it('a server that never answers is cut off by -m', async () => {
    const s = await server(() => undefined);
    const t0 = Date.now();
    const r = await runCli([`${s.url}/hang`, '-m', '1', '--json']);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(r.code).toBe(3);
    expect(json(r.stdout).findings[0]?.id).toBe('network.unreachable');
  });

  it('a compression bomb is read to the 1 MiB cap and no further', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const s = await server((_q, res) => {
      res.writeHead(401, {
        'Content-Encoding': 'gzip',
        'WWW-Authenticate': 'Bearer realm="x", error="invalid_token"',
      });
      res.end(bomb);
    });
    const r = await runCli([
      `${s.url}/bomb`,
      '-H',
      'Authorization: Bearer abcdefghijklmnopqrstuvwxyz',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(json(r.stdout).status).toBe(401);
  });

  it('endless redirects stop after 10 hops', async () => {
    let n = 0;
    const s = await server((_q, res) => {
      res.writeHead(302, { Location: `/loop/${++n}` });
      res.end();
    });
    const r = await runCli([`${s.url}/loop/0`, '-L', '--json', '--no-probes']);
    const rep = json(r.stdout);
    expect(rep.probes.filter((p) => p.name === 'main')).toHaveLength(11);
    expect(rep.skippedProbes.some((p) => /10 redirects/.test(p.reason))).toBe(true);
  });

  it('oversized response headers are a clear failure, not a crash', async () => {
    const s = await server((_q, res) => {
      res.writeHead(401, { 'X-Big': 'a'.repeat(40_000) });
      res.end();
    });
    const r = await runCli([`${s.url}/big`, '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
    expect(json(r.stdout).probes[0]?.error).toMatch(/HEADERS_OVERFLOW|header/i);
  });
});

describe('what the server receives', () => {
  it('a header value with a newline is diagnosed and never sent', async () => {
    const s = await server((_q, res) => res.end('ok'));
    const r = await runCli([`${s.url}/me`, '-H', 'Authorization: Bearer abcdefghijklmnop\n', '--json']);
    // The broken header itself never left: the anonymous probe arrived without credentials, and
    // the repair with the newline removed arrived clean (and proves the diagnosis).
    const got = requests(s).map((q) => q.headers.authorization);
    expect(got.sort()).toEqual(['Bearer abcdefghijklmnop', undefined]);
    expect(r.code).toBe(1);
    const first = json(r.stdout).findings[0];
    expect(first?.id).toBe('header.whitespace');
    expect(first?.verified?.status).toBe(200);
  });

  it('the anonymous probe sends no credentials; the main request sends them once', async () => {
    const s = await server((req, res) => {
      res.writeHead(401, {
        'WWW-Authenticate': req.headers.authorization
          ? 'Bearer realm="api", error="invalid_token"'
          : 'Bearer realm="api"',
      });
      res.end();
    });
    await runCli([
      `${s.url}/me`,
      '-H',
      'Authorization: Bearer tok-abcdefghijklmnop',
      '-H',
      'X-Api-Key: key-abcdefghijklmnop',
    ]);
    expect(requests(s)).toHaveLength(2);
    const withAuth = requests(s).filter((q) => q.headers.authorization);
    expect(withAuth).toHaveLength(1);
    expect(withAuth[0]!.headers.authorization).toBe('Bearer tok-abcdefghijklmnop');
    const anon = requests(s).find((q) => !q.headers.authorization)!;
    expect(anon.headers['x-api-key']).toBeUndefined();
  });

  it('a POST is sent once and never replayed by a probe', async () => {
    const s = await server((_q, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' });
      res.end();
    });
    const r = await runCli([
      `${s.url}/orders`,
      '-d',
      '{"a":1}',
      '-H',
      'Authorization: Bearer tok-abcdefghijklmnop',
      '--json',
    ]);
    expect(requests(s).map((q) => q.method)).toEqual(['POST']);
    expect(
      json(r.stdout).skippedProbes.some((p) => p.probe === 'anonymous' && /allow-replay/.test(p.reason)),
    ).toBe(true);
  });

  it('a cross-origin redirect does not carry the token to the other origin', async () => {
    const other = await server((req, res) => {
      res.writeHead(req.headers.authorization ? 200 : 401, { 'WWW-Authenticate': 'Bearer realm="api"' });
      res.end();
    });
    const first = await server((_q, res) => {
      res.writeHead(301, { Location: `http://localhost:${other.port}/me` });
      res.end();
    });
    const r = await runCli([
      `${first.url}/me`,
      '-L',
      '-H',
      'Authorization: Bearer tok-abcdefghijklmnop',
      '--json',
    ]);
    expect(other.received.every((q) => q.headers.authorization === undefined)).toBe(true);
    expect(json(r.stdout).findings[0]?.id).toBe('url.redirect-dropped-credentials');
    expect(r.code).toBe(1);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no arguments', [], /no URL given/],
    ['an empty curl paste', ['curl'], /no curl command/],
    ['an unterminated quote', ['curl', "curl 'https://x.example/"], /quote/i],
    ['a flag without its value', ['--expect-issuer'], /argument missing|expect-issuer/],
    ['a missing evidence file', ['--from', '/nonexistent/e.json'], /does not exist/],
    ['json and markdown together', ['--json', '--markdown', 'https://x.example/'], /cannot be used together/],
  ];
  it.each(cases)('%s: one line, exit 2', async (_name, args, msg) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('an unknown curl flag is a warning, not an error', async () => {
    const s = await server((_q, res) => res.end('{}'));
    const r = await runCli([`${s.url}/`, '--frobnicate', '--json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).warnings.join('\n')).toMatch(/frobnicate/);
  });
});

describe('RFC 9728 metadata carries no query', () => {
  it('a signed query stays out of the well-known metadata URL', async () => {
    const s = await server((_q, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
      res.end();
    });
    const r = await runCli([
      `${s.url}/v1/me?sig=s3cr3t-signature-value&page=2`,
      '-H',
      'Authorization: Bearer abcdefghijklmnop',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const meta = s.received.filter((q) => q.url.startsWith('/.well-known/oauth-protected-resource'));
    expect(meta.map((q) => q.url)).toEqual(['/.well-known/oauth-protected-resource/v1/me']);
  });
});
