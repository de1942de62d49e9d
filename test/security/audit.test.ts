import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startAuditIssuer, type AuditIssuer } from '../audit/support/issuer.js';
import { startExpressAuditApi, type ExpressAuditApi } from '../audit/support/express-api.js';

/**
 * The audit's promises (issue 17): tokens appear in no output, whatever probe carried them; the
 * OpenAPI parser reaches nothing by itself; a document fetched from a URL is fetched by why401's
 * own transport, with its cap and without following redirects.
 */
let issuer: AuditIssuer;
let leaky: ExpressAuditApi;
let docs: Server;
let docsUrl = '';
const asked: IncomingMessage[] = [];
const AUD = 'https://api.example.test';

function yamlDoc(extraPath = ''): string {
  return `openapi: 3.1.0
info: { title: t, version: '1' }
servers: [{ url: /v1 }]
security: [{ bearer: [] }]
paths:
  /items:
    get:
      responses: { '200': { description: ok } }
${extraPath}components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
`;
}

beforeAll(async () => {
  issuer = await startAuditIssuer();
  leaky = await startExpressAuditApi({ issuer: issuer.issuer, defects: ['query-token'] });
  docs = createServer((req, res) => {
    asked.push(req);
    if (req.url === '/openapi.yaml')
      return void res.writeHead(200, { 'Content-Type': 'application/yaml' }).end(yamlDoc());
    if (req.url === '/moved.yaml') return void res.writeHead(302, { Location: '/openapi.yaml' }).end();
    if (req.url === '/huge.yaml')
      return void res.writeHead(200).end(`${yamlDoc()}x-padding: '${'a'.repeat(2 * 1024 * 1024)}'\n`);
    if (req.url === '/with-ref.yaml')
      return void res
        .writeHead(200)
        .end(
          yamlDoc(
            `  /other:\n    $ref: '${docsUrl}/evil.yaml#/paths/~1x'\n  /file:\n    $ref: '/etc/passwd'\n`,
          ),
        );
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => docs.listen(0, '127.0.0.1', r));
  const a = docs.address();
  docsUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  docs.closeAllConnections();
  await Promise.all([leaky.close(), issuer.close(), new Promise((r) => docs.close(r))]);
});

describe('a token is never printed, even in the URL of the query-string probe', () => {
  it('text and json: the evidence of audit.query-token-accepted shows a fingerprint', async () => {
    const token = await issuer.sign({ audience: AUD, scope: 'read:items admin' });
    for (const format of ['text', 'json']) {
      const r = await runCli([
        'audit',
        leaky.url,
        '--openapi',
        `${docsUrl}/openapi.yaml`,
        '--token',
        token,
        '--format',
        format,
      ]);
      expect(r.stdout).toContain('audit.query-token-accepted');
      expect(r.stdout).toMatch(/access_token=eyJhbG…\(sha256:[0-9a-f]{6}\)/);
      expect(r.stdout + r.stderr).not.toContain(token);
      expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(token));
    }
  });
});

describe('the OpenAPI parser fetches no $ref itself', () => {
  it('a $ref to a URL and one to a file are left alone and named in the notes', async () => {
    asked.length = 0;
    const r = await runCli(['audit', leaky.url, '--openapi', `${docsUrl}/with-ref.yaml`, '--format', 'json']);
    expect(asked.map((q) => q.url)).toEqual(['/with-ref.yaml']);
    const report = JSON.parse(r.stdout) as { notes: string[] };
    expect(report.notes).toEqual(
      expect.arrayContaining([
        `external $ref not followed (never fetched): ${docsUrl}/evil.yaml#/paths/~1x`,
        'external $ref not followed (never fetched): /etc/passwd',
      ]),
    );
    expect(r.stdout).not.toContain('root:');
  });
});

describe('a document from a URL goes through why401 transport', () => {
  it('past the 1 MiB cap: exit 2, one line', async () => {
    const r = await runCli(['audit', leaky.url, '--openapi', `${docsUrl}/huge.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^why401: the OpenAPI document at .*huge\.yaml is larger than 1 MiB: download it and pass the file$/,
    );
  });

  it('a redirect is not followed: exit 2, naming it', async () => {
    asked.length = 0;
    const r = await runCli(['audit', leaky.url, '--openapi', `${docsUrl}/moved.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/answered 302 \(redirects are not followed: give the final URL\)/);
    expect(asked.map((q) => q.url)).toEqual(['/moved.yaml']);
  });
});
