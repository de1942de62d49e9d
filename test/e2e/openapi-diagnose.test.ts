import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/**
 * Issue 17 item 4 end to end: `why401 <url> --openapi FILE` with the built CLI. The document is
 * read by the CLI and compared with the request; a real server that answers 401 to everything
 * (as a gateway in front of unknown routes does) leaves the document to tell which mistake it is.
 */

const DOC = fileURLToPath(new URL('../fixtures/openapi/pets.yaml', import.meta.url));
const seg = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = `${seg({ alg: 'RS256', typ: 'at+jwt' })}.${seg({ sub: 'u1', scope: 'pets:read' })}.c2lnbmF0dXJl`;

const KEY = 'k-1234567890abcdef';
let api: TestServer;
beforeAll(async () => {
  api = await startServer((req, res) => {
    // The key is read from X-API-Key, as the document declares; everything else is refused.
    if (req.url === '/v1/me' && req.headers['x-api-key'] === KEY) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"user":"u1"}');
      return;
    }
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="pets"' });
    res.end('{"message":"Unauthorized"}');
  });
});
afterAll(async () => {
  await api?.close();
});

interface JsonReport {
  findings: Array<{ id: string; title: string; confidence: string }>;
}
const ids = (stdout: string): string[] => (JSON.parse(stdout) as JsonReport).findings.map((f) => f.id);

describe.skipIf(!existsSync(CLI))('why401 diagnose --openapi (issue 17 item 4)', () => {
  it('a path the document lacks is url.wrong-endpoint, with the nearest documented operation', async () => {
    const r = await runCli([`${api.url}/v1/pet`, '--openapi', DOC, '--json', '--no-repairs']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const f = report.findings.find((x) => x.id === 'url.wrong-endpoint');
    expect(f?.title).toBe(`${DOC} documents no GET /pet: the path /pet is not part of this API`);
  });

  it("the operation's scopes are compared with the token's before anything is sent (--offline)", async () => {
    const r = await runCli([
      `${api.url}/v1/pets`,
      '-X',
      'POST',
      '-H',
      `Authorization: Bearer ${TOKEN}`,
      '--openapi',
      DOC,
      '--offline',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(ids(r.stdout)).toContain('jwt.scope-insufficient');
    expect(r.stdout).toContain("documents POST /pets as needing 'pets:write'");
  });

  it('a key sent where the document does not declare it is apikey.wrong-place, the move tried', async () => {
    const r = await runCli([`${api.url}/v1/me?api_key=${KEY}`, '--openapi', DOC, '--json']);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.findings[0]).toMatchObject({ id: 'apikey.wrong-place', confidence: 'confirmed' });
    expect(report.findings[0]!.title).toContain('reads it from the X-API-Key header');
    // The repair went to the server with the key in the header and out of the URL.
    expect(api.received.some((q) => q.url === '/v1/me' && q.headers['x-api-key'] === KEY)).toBe(true);
  });

  it('a document that cannot be read is a usage error (exit 2, one line)', async () => {
    const r = await runCli([`${api.url}/v1/pets`, '--openapi', `${DOC}.missing`, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
