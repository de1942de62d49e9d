import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeHar,
  diagnose,
  diffHar,
  inspectToken,
  isWhy401Error,
  loadOpenApiDocument,
  OpenApiDocumentError,
  sanitizeHar,
  summarizeOpenApi,
  type OpenApiSummary,
  type Report,
} from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/**
 * The library gives what the CLI prints: the same report for the same request, token or capture.
 * The CLI is the built one (dist), run as a child process; the library is the source.
 */
const HAR = 'test/fixtures/har/cookie-expired.har';
const HEALTHY = 'test/fixtures/har/healthy.har';
const REUSED = 'test/fixtures/har/old-token-reused.har';
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const EXPIRED = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1', iss: 'https://issuer.example', aud: 'api', iat: 1599990000, exp: 1600000000 })}.c2lnbmF0dXJl`;

/** What differs between two runs of the same diagnosis: timings and the clock. */
function stable(r: Report): unknown {
  return JSON.parse(
    JSON.stringify(r, (k, v: unknown) =>
      k === 'ms' || k === 'timestamp' || k === 'date' || k === 'now' ? undefined : v,
    ),
  );
}

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'why401-api-'));
  server = await startServer((_req, res) => {
    res.writeHead(401, {
      'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
    });
    res.end();
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('diagnose', () => {
  it('a request object, a pasted command and the CLI: the same findings', async () => {
    const url = `${server.url}/me`;
    const header = `Authorization: Bearer ${EXPIRED}`;
    const cli = JSON.parse((await runCli([url, '-H', header, '--json', '--no-probes'])).stdout) as Report;
    const obj = await diagnose({ url, headers: { Authorization: `Bearer ${EXPIRED}` } }, { probes: false });
    const paste = await diagnose(`curl -H '${header}' ${url}`, { probes: false });
    expect(cli.findings[0]?.id).toBe('token.expired');
    expect(obj.findings.map((f) => f.id)).toEqual(cli.findings.map((f) => f.id));
    expect(paste.findings.map((f) => f.id)).toEqual(cli.findings.map((f) => f.id));
    expect(obj.outcome).toBe('unauthorized');
  });

  it('refuses, by default, a command that would read a local file', async () => {
    const e = await diagnose(`curl -d @/etc/passwd ${server.url}/`).catch((x: unknown) => x);
    expect(isWhy401Error(e)).toBe(true);
    expect((e as Error).message).toMatch(/local files are not read/);
    expect(server.received.filter((r) => r.body.includes('root:'))).toEqual([]);
  });

  it('a URL that is not http(s) is a UsageError with code USAGE', async () => {
    await expect(diagnose('ftp://example.com/x')).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('inspectToken', () => {
  it('offline: the report `why401 token --offline --json` prints', async () => {
    const cli = JSON.parse((await runCli(['token', EXPIRED, '--offline', '--json'])).stdout) as Report;
    const lib = await inspectToken(EXPIRED, { offline: true });
    expect(stable(lib)).toEqual(stable(cli));
    expect(lib.findings[0]?.id).toBe('token.expired');
  });
});

describe('analyzeHar', () => {
  it('a stream, bytes and text: the report `why401 har --json` prints', async () => {
    const cli = JSON.parse((await runCli(['har', HAR, '--json'])).stdout) as unknown;
    const fromStream = await analyzeHar(() => createReadStream(HAR), { name: HAR });
    const fromBytes = await analyzeHar(readFileSync(HAR), { name: HAR });
    const fromText = await analyzeHar(readFileSync(HAR, 'utf8'), { name: HAR });
    expect(fromStream).toEqual(cli);
    expect(fromBytes).toEqual(cli);
    expect(fromText).toEqual(cli);
  });

  it('a web ReadableStream read once', async () => {
    const bytes = readFileSync(HAR);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 100));
        c.enqueue(bytes.subarray(100));
        c.close();
      },
    });
    expect((await analyzeHar(stream, { name: HAR })).findings[0]?.id).toBe(
      (await analyzeHar(bytes, { name: HAR })).findings[0]?.id,
    );
  });

  it('not a HAR: a Why401Error with code HAR_READ', async () => {
    await expect(analyzeHar('{"hello":1}')).rejects.toMatchObject({ code: 'HAR_READ' });
  });
});

describe('sanitizeHar', () => {
  it('the very bytes `why401 har --sanitize` writes', async () => {
    const out = join(dir, 'out.har');
    expect((await runCli(['har', '--sanitize', HAR, out])).code).toBe(0);
    const copy = await sanitizeHar(() => createReadStream(HAR));
    let text = '';
    for await (const piece of copy.chunks) text += piece;
    expect(text).toBe(readFileSync(out, 'utf8'));
    expect(copy.summary.total).toBeGreaterThan(0);
  });

  it('a capture cut short: HAR_NOT_WHOLE, nothing to write', async () => {
    const cut = readFileSync(HAR, 'utf8').slice(0, 400);
    await expect(sanitizeHar(cut)).rejects.toMatchObject({ code: 'HAR_NOT_WHOLE' });
  });
});

describe('diffHar', () => {
  it('two captures and two commands: what `why401 diff --json` prints', async () => {
    const cli = JSON.parse((await runCli(['diff', HEALTHY, REUSED, '--json'])).stdout) as unknown;
    expect(
      await diffHar(
        () => createReadStream(HEALTHY),
        () => createReadStream(REUSED),
      ),
    ).toEqual(cli);
    const good = `curl -H 'Authorization: Bearer ${EXPIRED}' https://x.example/`;
    const bad = 'curl https://x.example/';
    const cliCurl = JSON.parse((await runCli(['diff', good, bad, '--json'])).stdout) as unknown;
    expect(await diffHar(good, bad)).toEqual(cliCurl);
  });
});

describe('summarizeOpenApi + loadOpenApiDocument: diagnose({ openapi }) as `why401 --openapi` runs it', () => {
  const DOC = 'test/fixtures/openapi/pets.yaml';
  const readFile = (p: string) => readFileSync(p, 'utf8');

  it('the same summary and the same findings as the CLI, from the library', async () => {
    const openapi: OpenApiSummary = summarizeOpenApi(
      await loadOpenApiDocument(DOC, { readFile, userAgent: 'why401-test' }),
      DOC,
    );
    expect(openapi.basePaths).toEqual(['/v1']);
    expect(openapi.operations.find((o) => o.method === 'POST')).toEqual({
      method: 'POST',
      path: '/pets',
      security: [[{ scheme: 'oauth', type: 'oauth2', scopes: ['pets:write'] }]],
    });
    const url = `${server.url}/v1/pet`;
    const lib = await diagnose(url, { openapi, probes: false });
    const cli = JSON.parse((await runCli([url, '--openapi', DOC, '--json', '--no-probes'])).stdout) as Report;
    expect(lib.findings.map((f) => f.id)).toContain('url.wrong-endpoint');
    expect(lib.findings.map((f) => f.id)).toEqual(cli.findings.map((f) => f.id));
  });

  it('a document built by hand is summarised alike; credentials in its URL are left out', () => {
    const s = summarizeOpenApi(
      {
        servers: ['https://api.example.test/v2/'],
        schemes: { key: { type: 'apiKey', in: 'header', paramName: 'X-API-Key' } },
        operations: [{ method: 'GET', path: '/me', security: [[{ scheme: 'key', scopes: [] }]] }],
      },
      'https://user:s3cret@docs.example.test/openapi.json',
    );
    expect(s).toEqual({
      source: 'https://docs.example.test/openapi.json',
      basePaths: ['/v2'],
      operations: [
        {
          method: 'GET',
          path: '/me',
          security: [[{ scheme: 'key', type: 'apiKey', in: 'header', name: 'X-API-Key', scopes: [] }]],
        },
      ],
    });
  });

  it('a file that is not an OpenAPI document: OpenApiDocumentError, one line', async () => {
    const e = await loadOpenApiDocument('package.json', { readFile, userAgent: 'why401-test' }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(OpenApiDocumentError);
    expect((e as Error).message).toMatch(/is not an OpenAPI or Swagger document/);
  });
});
