import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/ui-server/security.js';
import { startUiServer, type UiServer } from '../../src/ui-server/server.js';
import { api, exchange, LINK, raw, type RawAnswer } from './raw.js';

/** docs/UI.md, "Security of the local server": each defence against a real server on a real port. */
let ui: UiServer;
let unbuilt: UiServer;
let root: string;
beforeAll(async () => {
  // A built page in dist/ui beside a file that must stay out of reach.
  root = mkdtempSync(join(tmpdir(), 'why401-ui-'));
  const dir = join(root, 'ui');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>page</title><script src="/assets/app.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'assets', 'font.woff2'), 'wOF2');
  writeFileSync(join(dir, '.env'), 'HIDDEN=1');
  writeFileSync(join(root, 'secret.txt'), 'OUTSIDE-THE-PAGE');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'link.txt'));
  ui = await startUiServer({ staticDir: dir });
  unbuilt = await startUiServer({ staticDir: join(root, 'nothing-here') });
});
afterAll(async () => {
  await Promise.all([ui.close(), unbuilt.close()]);
  rmSync(root, { recursive: true, force: true });
});

function expectSecurityHeaders(r: RawAnswer) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(r.headers[name.toLowerCase()], name).toBe(value);
}

function expectRefusal(r: RawAnswer, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(r.body) as { error: string };
  expect(body.error).toMatch(/^[^\n]+$/);
  expectSecurityHeaders(r);
}

describe('launch', () => {
  it('listens on 127.0.0.1 with a 43-character base64url secret that no URL holds', () => {
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/`);
    expect(ui.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(unbuilt.secret).not.toBe(ui.secret);
    const link = ui.link();
    expect(link).toMatch(LINK);
    expect(link).not.toContain(ui.secret);
    expect(ui.link()).not.toBe(link);
  });

  it('refuses to listen anywhere but loopback', async () => {
    await expect(startUiServer({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('Host, Origin, Sec-Fetch-Site', () => {
  it('answers its own Host names', async () => {
    for (const host of [`127.0.0.1:${ui.port}`, `localhost:${ui.port}`]) {
      const r = await raw(ui.port, { headers: { Host: host } });
      expect(r.status, host).toBe(200);
    }
  });

  it.each(['evil.example:PORT', '127.0.0.1:OTHER', 'localhost', '127.0.0.1', 'evil.example'])(
    'refuses Host %s (DNS rebinding)',
    async (h) => {
      const host = h.replace('OTHER', String(ui.port + 1)).replace('PORT', String(ui.port));
      expectRefusal(await raw(ui.port, { headers: { Host: host } }), 403);
      // The API too, key or not.
      expectRefusal(
        await raw(ui.port, { path: '/api/hello', headers: { Host: host, 'X-Why401-Key': ui.secret } }),
        403,
      );
    },
  );

  it.each(['http://evil.example', 'null', 'https://127.0.0.1:PORT', 'http://127.0.0.1:OTHER'])(
    'refuses Origin %s',
    async (o) => {
      const origin = o.replace('OTHER', String(ui.port + 1)).replace('PORT', String(ui.port));
      expectRefusal(await raw(ui.port, { headers: { Origin: origin } }), 403);
      expectRefusal(
        await raw(ui.port, {
          method: 'POST',
          path: '/api/diagnose',
          headers: { Origin: origin, 'X-Why401-Key': ui.secret, 'Content-Type': 'application/json' },
          body: '{"input":"http://127.0.0.1:1/"}',
        }),
        403,
      );
    },
  );

  it('accepts its own Origin', async () => {
    for (const origin of [`http://127.0.0.1:${ui.port}`, `http://localhost:${ui.port}`]) {
      const r = await raw(ui.port, {
        path: '/api/hello',
        headers: { Origin: origin, 'X-Why401-Key': ui.secret },
      });
      expect(r.status, origin).toBe(200);
    }
  });

  it.each(['cross-site', 'same-site'])('refuses Sec-Fetch-Site: %s', async (site) => {
    expectRefusal(await raw(ui.port, { headers: { 'Sec-Fetch-Site': site } }), 403);
    expectRefusal(
      await raw(ui.port, {
        path: '/api/hello',
        headers: { 'Sec-Fetch-Site': site, 'X-Why401-Key': ui.secret },
      }),
      403,
    );
  });

  it.each(['same-origin', 'none'])('accepts Sec-Fetch-Site: %s', async (site) => {
    expect((await raw(ui.port, { headers: { 'Sec-Fetch-Site': site } })).status).toBe(200);
  });
});

describe('the launch secret', () => {
  it('is required on every /api/* call', async () => {
    for (const path of ['/api/hello', '/api/diagnose', '/api/token', '/api/nothing', '/api']) {
      expectRefusal(await raw(ui.port, { path }), 403);
      expectRefusal(await raw(ui.port, { path, headers: { 'X-Why401-Key': 'wrong' } }), 403);
      // Same length, one character off; and another launch's secret.
      const off = (ui.secret[0] === 'A' ? 'B' : 'A') + ui.secret.slice(1);
      expectRefusal(await raw(ui.port, { path, headers: { 'X-Why401-Key': off } }), 403);
      expectRefusal(await raw(ui.port, { path, headers: { 'X-Why401-Key': unbuilt.secret } }), 403);
    }
  });

  it('is not required by /api/key, which gives it for a live ticket only', async () => {
    const ticket = LINK.exec(ui.link())![2]!;
    const r = await exchange(ui.port, ticket);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ key: ui.secret });
    expectSecurityHeaders(r);
    expectRefusal(await exchange(ui.port, ticket), 403); // once
    expectRefusal(await exchange(ui.port, 'A'.repeat(43)), 403);
    expectRefusal(await exchange(unbuilt.port, LINK.exec(ui.link())![2]!), 403); // another launch's
  });

  it('a ticket on /api/key is refused from another origin, by GET, and as a form', async () => {
    const ticket = LINK.exec(ui.link())![2]!;
    const body = JSON.stringify({ ticket });
    expectRefusal(
      await raw(ui.port, {
        method: 'POST',
        path: '/api/key',
        headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
        body,
      }),
      403,
    );
    expectRefusal(await raw(ui.port, { path: `/api/key?ticket=${ticket}` }), 405);
    expectRefusal(
      await raw(ui.port, {
        method: 'POST',
        path: '/api/key',
        headers: { 'Content-Type': 'text/plain' },
        body,
      }),
      415,
    );
  });

  it('is not accepted in the query string', async () => {
    expectRefusal(await raw(ui.port, { path: `/api/hello?key=${ui.secret}` }), 403);
  });

  it('opens /api/hello', async () => {
    const r = await api(ui.port, ui.secret, '/api/hello');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ tool: 'why401', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expectSecurityHeaders(r);
  });
});

describe('methods and bodies', () => {
  it('refuses every OPTIONS (CORS preflight)', async () => {
    for (const path of ['/', '/api/diagnose']) {
      const r = await raw(ui.port, {
        method: 'OPTIONS',
        path,
        headers: {
          Origin: 'http://evil.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'x-why401-key',
        },
      });
      expectRefusal(r, 403);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      // Even from its own origin.
      expectRefusal(
        await raw(ui.port, { method: 'OPTIONS', path, headers: { 'X-Why401-Key': ui.secret } }),
        403,
      );
    }
  });

  it('answers 405 to other methods', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await raw(ui.port, { method, path: '/' });
      expectRefusal(r, 405);
      expect(r.headers.allow).toBe('GET, HEAD');
      expectRefusal(
        await raw(ui.port, { method, path: '/api/diagnose', headers: { 'X-Why401-Key': ui.secret } }),
        405,
      );
    }
    expectRefusal(await raw(ui.port, { method: 'POST', path: '/' }), 405);
    expectRefusal(await api(ui.port, ui.secret, '/api/diagnose'), 405); // GET
  });

  it('refuses an API body over 1 MiB with 413, with or without a Content-Length', async () => {
    const big = JSON.stringify({ input: `http://127.0.0.1:1/\n\n${'x'.repeat(1024 * 1024)}` });
    for (const chunked of [false, true]) {
      const r = await raw(ui.port, {
        method: 'POST',
        path: '/api/diagnose',
        headers: { 'X-Why401-Key': ui.secret, 'Content-Type': 'application/json' },
        body: big,
        chunked,
      });
      expectRefusal(r, 413);
    }
    // The server is still there.
    expect((await api(ui.port, ui.secret, '/api/hello')).status).toBe(200);
  });

  it('refuses another content type (415) and bad JSON (400)', async () => {
    const post = (type: string, body: string) =>
      raw(ui.port, {
        method: 'POST',
        path: '/api/token',
        headers: { 'X-Why401-Key': ui.secret, 'Content-Type': type },
        body,
      });
    expectRefusal(await post('text/plain', '{"token":"x"}'), 415);
    expectRefusal(await post('application/x-www-form-urlencoded', 'token=x'), 415);
    expectRefusal(await post('application/json', '{"token":'), 400);
    expectRefusal(await post('application/json', '["token"]'), 400);
    expectRefusal(await post('application/json', '{"token":42}'), 400);
    expectRefusal(await post('application/json; charset=utf-8', '{}'), 400);
  });

  it('a malformed request still gets the headers', async () => {
    const { connect } = await import('node:net');
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(ui.port, '127.0.0.1', () =>
        s.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => resolve(out));
      s.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain(`Content-Security-Policy: ${SECURITY_HEADERS['Content-Security-Policy']}`);
  });
});

describe('the built page', () => {
  it('serves / as index.html and the assets with their types and the headers', async () => {
    const index = await raw(ui.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>page</title>');
    expectSecurityHeaders(index);
    const types: Record<string, RegExp> = {
      '/assets/app.js': /^text\/javascript/,
      '/assets/app.css': /^text\/css/,
      '/assets/icon.svg': /^image\/svg\+xml$/,
      '/assets/font.woff2': /^font\/woff2$/,
      '/index.html': /^text\/html/,
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await raw(ui.port, { path });
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toMatch(type);
      expectSecurityHeaders(r);
    }
    const head = await raw(ui.port, { method: 'HEAD', path: '/assets/app.js' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log(1);'.length));
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/../../secret.txt',
    '/assets/%2E%2E/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/index.html%00.js',
    '/%2e%2e/package.json',
    '/../package.json',
    '/.env',
    '/link.txt',
    '/missing.js',
    '/%E0%A4%A',
  ])('refuses %s', async (path) => {
    const r = await raw(ui.port, { path });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body).not.toContain('OUTSIDE-THE-PAGE');
    expect(r.body).not.toContain('HIDDEN');
    expect(r.body).not.toContain('"name": "why401"');
    expectRefusal(r, r.status);
  });

  it('says the page is not built when dist/ui is missing, and the API still works', async () => {
    const r = await raw(unbuilt.port, { path: '/' });
    expect(r.status).toBe(200);
    expect(r.body).toContain('npm run build');
    expectSecurityHeaders(r);
    expect((await raw(unbuilt.port, { path: '/app.js' })).status).toBe(404);
    expect((await api(unbuilt.port, unbuilt.secret, '/api/hello')).status).toBe(200);
  });
});
