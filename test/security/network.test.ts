import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { runCli } from '../support/cli.js';
import { startForwardProxy } from '../support/forward-proxy.js';
import { startServer, type Received, type TestServer } from '../support/http-server.js';
import { sigv4Signer } from '../../src/probe/sigv4.js';

/**
 * Issue 13, "Credentials stay at their origin": what each real server RECEIVED when why401 ran
 * against it. Two servers on different ports are two origins; the forward proxy is a real one.
 */

const certs: TestCerts | undefined = makeTestCerts();
const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  certs?.cleanup();
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  closers.push(() => s.close());
  return s;
}

/** An https server on 127.0.0.1 (a leaf for 127.0.0.1; why401 runs with -k), recording what it received. */
async function httpsServer(
  handler: (req: Received, res: import('node:http').ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const s: HttpsServer = createHttpsServer({ cert: certs!.leaf.cert, key: certs!.leaf.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  );
  return { url: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, received };
}

async function json(
  args: string[],
): Promise<{ report: Report; code: number; stdout: string; stderr: string }> {
  const r = await runCli([...args, '--json']);
  return { report: JSON.parse(r.stdout) as Report, code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Every header value a server received, as one lower-cased list of `name: value`. */
const headerLines = (rs: Received[]) =>
  rs.flatMap((r) =>
    Object.entries(r.headers).flatMap(([n, v]) =>
      (Array.isArray(v) ? v : [v ?? '']).map((x) => `${n}: ${x}`),
    ),
  );

const refuse401 = (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"', 'Content-Type': 'application/json' });
  res.end('{"error":"unauthorized"}');
};

describe('A cross-origin redirect is followed even without -L, also from https to http, and carries X-Api-Key, X-Auth-Token and other custom credential headers to the other origin', () => {
  const CREDENTIALS = [
    ['X-Api-Key', 'key-0123456789abcdef'],
    ['X-Auth-Token', 'tok-0123456789abcdef'],
    ['Private-Token', 'glpat-0123456789abcdef'],
    ['X-Vault-Token', 'hvs.0123456789abcdef'],
    ['Authorization', 'Bearer bearer-0123456789abcdef'],
    ['Cookie', 'session=sess-0123456789abcdef'],
  ];
  const hArgs = (pairs: string[][]) => pairs.flatMap(([n, v]) => ['-H', `${n}: ${v}`]);

  it('without -L the 302 is the answer: nothing reaches the other origin, and the report names where it points', async () => {
    const other = await server(refuse401);
    const first = await server((_q, res) => {
      res.writeHead(302, { Location: `${other.url}/elsewhere` });
      res.end();
    });
    const { report } = await json([`${first.url}/api`, ...hArgs(CREDENTIALS)]);
    expect(other.received).toEqual([]);
    expect(report.status).toBe(302);
    const note = report.skippedProbes.find((s) => s.probe === 'main#1');
    expect(note?.reason).toContain(`${other.url}/elsewhere`);
    expect(note?.reason).toContain('-L');
  });

  it('with -L every credential header by the rule stays behind, and the others go on', async () => {
    const other = await server(refuse401);
    const first = await server((_q, res) => {
      res.writeHead(302, { Location: `${other.url}/elsewhere` });
      res.end();
    });
    const { report } = await json([
      `${first.url}/api`,
      '-L',
      ...hArgs(CREDENTIALS),
      '-H',
      'X-Request-Id: req-42',
    ]);
    expect(other.received.length).toBeGreaterThan(0);
    const lines = headerLines(other.received);
    for (const [name, value] of CREDENTIALS) {
      expect(lines.join('\n')).not.toContain(value!.split('=').at(-1));
      expect(lines.some((l) => l.startsWith(`${name!.toLowerCase()}:`))).toBe(false);
    }
    expect(other.received[0]!.headers['x-request-id']).toBe('req-42');
    const hop = report.probes.find((p) => p.name === 'main' && p.hop === 1)!;
    expect(hop.droppedHeaders).toEqual(
      expect.arrayContaining([
        'x-api-key',
        'x-auth-token',
        'private-token',
        'x-vault-token',
        'authorization',
        'cookie',
      ]),
    );
    expect(report.findings.some((f) => f.id === 'url.redirect-dropped-credentials')).toBe(true);
  });

  it.skipIf(!certs)(
    'https → http with -L: no credential header and no body travel in clear, and the downgrade is named',
    async () => {
      const plain = await server(refuse401);
      const secure = await httpsServer((req, res) => {
        // GET: 302 (followed as GET); PUT: 307 (a body to carry, which must not go in clear).
        res.writeHead(req.method === 'PUT' ? 307 : 302, { Location: `${plain.url}/plain` });
        res.end();
      });
      const get = await json([`${secure.url}/api`, '-k', '-L', ...hArgs(CREDENTIALS)]);
      expect(plain.received.length).toBeGreaterThan(0);
      expect(
        headerLines(plain.received).some((l) => /^(x-api-key|x-auth-token|authorization|cookie):/.test(l)),
      ).toBe(false);
      expect(get.report.skippedProbes.find((s) => s.probe === 'main#1')?.reason).toMatch(
        /https to plain http/,
      );

      plain.received.length = 0;
      const put = await json([
        `${secure.url}/api`,
        '-k',
        '-L',
        '-X',
        'PUT',
        '--data-raw',
        'password=hunter2-secret',
        ...hArgs(CREDENTIALS),
      ]);
      expect(plain.received).toEqual([]);
      expect(put.report.skippedProbes.find((s) => s.probe === 'main#1')?.reason).toMatch(
        /https to plain http: not followed/,
      );
    },
  );

  it.skipIf(!certs)(
    'an http → https 301 without -L ends with the https URL named, and nothing is sent there',
    async () => {
      const secure = await httpsServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
      const plain = await server((_q, res) => {
        res.writeHead(301, { Location: `${secure.url}/api` });
        res.end();
      });
      const { report } = await json([`${plain.url}/api`, '-k', ...hArgs(CREDENTIALS.slice(0, 2))]);
      expect(report.status).toBe(301);
      expect(report.skippedProbes.find((s) => s.probe === 'main#1')?.reason).toContain(`${secure.url}/api`);
      const text = await runCli([`${plain.url}/api`, '-k', ...hArgs(CREDENTIALS.slice(0, 2))]);
      expect(text.stdout.replace(/\s+/g, ' ')).toContain(
        `301 Moved Permanently, a redirect to ${secure.url}/api`,
      );
      expect(text.stdout).not.toContain('the request succeeded');
      // A repair may go there only on the same host and the default https port (repairTargetAllowed);
      // this test's https server has its own port, so nothing at all reaches it.
      expect(secure.received).toEqual([]);
    },
  );
});

describe('A direct (proxy-bypassing) probe sends Proxy-Authorization to the origin', () => {
  it('the origin never receives Proxy-Authorization, through the proxy or straight', async () => {
    const origin = await server(refuse401);
    const proxy = await startForwardProxy();
    closers.push(() => proxy.close());
    const { report } = await json([
      '-x',
      proxy.url,
      '-U',
      'proxyuser:pr0xy-pw-1',
      `${origin.url}/api`,
      '-H',
      'Proxy-Authorization: Basic dXNlcjpwcm94eS1wdy0y',
      '-H',
      'Authorization: Bearer tok-0123456789abcdef',
    ]);
    // The direct probe was sent (the proxied request was refused), and reached the origin itself.
    expect(report.probes.some((p) => p.name === 'direct')).toBe(true);
    expect(origin.received.length).toBeGreaterThanOrEqual(2);
    expect(origin.received.every((r) => r.headers['proxy-authorization'] === undefined)).toBe(true);
  });
});

describe('--proxy-user is accepted and silently ignored (curl uses it)', () => {
  const USER = 'proxyuser';
  const PASSWORD = 'pr0xy-s3cret-!x';
  const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

  it('-U reaches the proxy as Proxy-Authorization (absolute form), never the origin, and is never printed', async () => {
    const origin = await server((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const proxy = await startForwardProxy({ requireAuth: { user: USER, password: PASSWORD } });
    closers.push(() => proxy.close());
    const r = await json(['-x', proxy.url, `${origin.url}/api`, '-U', `${USER}:${PASSWORD}`]);
    expect(r.report.status).toBe(200);
    const asked = proxy.received.filter((x) => x.method === 'GET');
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]!.headers.find(([n]) => n.toLowerCase() === 'proxy-authorization')?.[1]).toBe(basic);
    expect(origin.received.every((x) => x.headers['proxy-authorization'] === undefined)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it.skipIf(!certs)('-U reaches the proxy on CONNECT for an https target, and not the origin', async () => {
    const origin = await httpsServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const proxy = await startForwardProxy({ requireAuth: { user: USER, password: PASSWORD } });
    closers.push(() => proxy.close());
    const r = await json(['-x', proxy.url, '-k', `${origin.url}/api`, '--proxy-user', `${USER}:${PASSWORD}`]);
    expect(r.report.status).toBe(200);
    const connect = proxy.received.find((x) => x.method === 'CONNECT');
    expect(connect?.headers.find(([n]) => n.toLowerCase() === 'proxy-authorization')?.[1]).toBe(basic);
    expect(origin.received.length).toBeGreaterThan(0);
    expect(origin.received.every((x) => x.headers['proxy-authorization'] === undefined)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });
});

describe('--aws-sigv4 … -u AKID:SECRET sends the secret key as HTTP Basic credentials to the server instead of signing the request', () => {
  const AKID = 'AKIDEXAMPLE';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

  it('the request is signed (AWS4-HMAC-SHA256), the secret is in no header, and the anonymous probe carries no signature', async () => {
    const api = await server((_q, res) => {
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code></Error>');
    });
    const r = await json([
      `${api.url}/bucket/key.txt?list-type=2`,
      '--aws-sigv4',
      'aws:amz:us-east-1:s3',
      '-u',
      `${AKID}:${SECRET}`,
    ]);
    const signed = api.received.filter((x) => x.headers.authorization !== undefined);
    expect(signed.length).toBeGreaterThan(0);
    for (const x of signed) {
      expect(x.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${AKID}/\\d{8}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(x.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(x.headers['x-amz-content-sha256']).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    }
    const all = headerLines(api.received).join('\n');
    expect(all).not.toMatch(/authorization: basic/i);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(Buffer.from(`${AKID}:${SECRET}`).toString('base64'));
    const anonymous = api.received.filter((x) => x.headers.authorization === undefined);
    expect(anonymous.length).toBeGreaterThan(0);
    for (const x of anonymous) expect(x.headers['x-amz-date']).toBeUndefined();
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toMatch(/unsigned/);
  });

  it('a same-origin redirect followed with -L is signed again for its own path, and every signature verifies', async () => {
    const api = await server((req, res) => {
      if (req.url === '/a') res.writeHead(302, { Location: '/b?x=1' });
      else res.writeHead(403);
      res.end();
    });
    await json([
      `${api.url}/a`,
      '-L',
      '--no-probes',
      '--aws-sigv4',
      'aws:amz:eu-west-1:execute-api',
      '-u',
      `${AKID}:${SECRET}`,
    ]);
    const a = api.received.find((x) => x.url === '/a')!;
    const b = api.received.find((x) => x.url === '/b?x=1')!;
    expect(b.headers.authorization).toBeDefined();
    expect(b.headers.authorization).not.toBe(a.headers.authorization);
    // What the server would compute, from what it received: the same signature.
    const verifier = sigv4Signer(
      {
        provider0: 'aws',
        provider1: 'amz',
        region: 'eu-west-1',
        service: 'execute-api',
        accessKeyId: AKID,
        secretAccessKey: SECRET,
      },
      [],
    );
    for (const x of [a, b]) {
      const date = String(x.headers['x-amz-date']);
      const at = new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      );
      const expected = verifier.sign({ method: x.method, url: `${api.url}${x.url}`, headers: [] }, at);
      expect(x.headers.authorization).toBe(expected.headers.find(([n]) => n === 'Authorization')![1]);
    }
  });

  it('a request that cannot be signed is refused in one line (exit 2), and nothing is sent', async () => {
    const api = await server(refuse401);
    const noService = await runCli([`${api.url}/x`, '--aws-sigv4', 'aws:amz', '-u', `${AKID}:${SECRET}`]);
    expect(noService.code).toBe(2);
    expect(noService.stderr.trim().split('\n')).toHaveLength(1);
    expect(noService.stderr).toMatch(/--aws-sigv4/);
    expect(noService.stderr).not.toContain(SECRET);
    const noKey = await runCli([`${api.url}/x`, '--aws-sigv4', 'aws:amz:us-east-1:execute-api']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--aws-sigv4 needs -u ACCESS_KEY_ID:SECRET_ACCESS_KEY/);
    expect(api.received).toEqual([]);
  });
});

describe('The anonymous probe keeps signed query parameters (X-Amz-Signature) in its URL, and the resource-metadata probe copies the whole query to the /.well-known/oauth-protected-resource/… URL', () => {
  it('no credential query parameter in the anonymous or the metadata request line', async () => {
    const api = await server(refuse401);
    const signature = 'a'.repeat(16) + '0123456789abcdef'.repeat(3);
    const query = [
      'X-Amz-Algorithm=AWS4-HMAC-SHA256',
      'X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request',
      `X-Amz-Signature=${signature}`,
      'api%5Fkey=k-0123456789abcdef',
      'page=2',
    ].join('&');
    await json([`${api.url}/files/a.txt?${query}`, '-H', 'Authorization: Bearer tok-0123456789abcdef']);
    const anonymous = api.received.filter(
      (x) => x.headers.authorization === undefined && !x.url.startsWith('/.well-known/'),
    );
    expect(anonymous.length).toBeGreaterThan(0);
    for (const x of anonymous) {
      expect(x.url).toContain('page=2');
      expect(x.url).not.toContain(signature);
      expect(x.url).not.toContain('k-0123456789abcdef');
    }
    const metadata = api.received.filter((x) => x.url.startsWith('/.well-known/oauth-protected-resource'));
    expect(metadata.map((x) => x.url)).toEqual(['/.well-known/oauth-protected-resource/files/a.txt']);
  });

  it('nor in the CORS preflight why401 sends for --origin', async () => {
    const api = await server((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': 'https://app.example',
          'Access-Control-Allow-Headers': 'authorization',
        });
        return res.end();
      }
      refuse401(req, res);
    });
    await json([
      '--origin',
      'https://app.example',
      `${api.url}/items?api_key=k-0123456789abcdef&page=2`,
      '-H',
      'Authorization: Bearer tok-0123456789abcdef',
    ]);
    const preflight = api.received.filter((x) => x.method === 'OPTIONS');
    expect(preflight.map((x) => x.url)).toEqual(['/items?page=2']);
  });
});

describe("Following a token's iss, jwks_uri or a 401's resource_metadata fetches any host, link-local and cloud metadata addresses included, with no limit beyond the timeout", () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const tokenFor = (iss: string) =>
    `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss, sub: 'alice', aud: 'api', exp: Math.floor(Date.now() / 1000) + 600 })}.${'c2lnbmF0dXJl'.repeat(4)}`;

  /** A local identity provider whose discovery document names `jwksUri(port)`. */
  async function idp(jwksUri: (port: number) => string): Promise<TestServer> {
    let port = 0;
    const s = await server((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ issuer: `http://127.0.0.1:${port}`, jwks_uri: jwksUri(port) }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"keys":[]}');
    });
    port = s.port;
    return s;
  }

  it('an unspecified-address jwks_uri and resource_metadata (0.0.0.0, which reaches this machine) are not fetched', async () => {
    const provider = await idp((port) => `http://0.0.0.0:${port}/jwks`);
    const api = await server((_q, res) => {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer resource_metadata="http://0.0.0.0:${provider.port}/meta"`,
      });
      res.end();
    });
    const { report } = await json([`${api.url}/me`, '-H', `Authorization: Bearer ${tokenFor(provider.url)}`]);
    expect(provider.received.map((x) => x.url)).toEqual(['/.well-known/openid-configuration']);
    expect(report.skippedProbes).toEqual(
      expect.arrayContaining([
        {
          probe: 'jwks',
          reason: expect.stringMatching(/^not fetched: 0\.0\.0\.0 is an unspecified address/),
        },
        {
          probe: 'resource-metadata',
          reason: expect.stringMatching(/^not fetched: 0\.0\.0\.0 is an unspecified address/),
        },
      ]),
    );
  });

  it('a cloud metadata jwks_uri (169.254.169.254) is not fetched, and says why', async () => {
    const provider = await idp(() => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    const api = await server(refuse401);
    const { report } = await json([`${api.url}/me`, '-H', `Authorization: Bearer ${tokenFor(provider.url)}`]);
    expect(report.probes.some((p) => p.url.includes('169.254.169.254'))).toBe(false);
    expect(report.skippedProbes).toContainEqual({
      probe: 'jwks',
      reason: expect.stringMatching(/^not fetched: 169\.254\.169\.254 is a cloud metadata address/),
    });
  });
});
