import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startExpressAuditApi, type ExpressAuditApi } from './support/express-api.js';
import { fixture } from './support/audit.js';

/** `why401 audit` as a user runs it: the built CLI, a real Express API, text and JSON reports, exit codes. */
let issuer: AuditIssuer;
let good: ExpressAuditApi;
let open: ExpressAuditApi;
let token: string;
let low: string;
const AUD = 'https://api.example.test';

beforeAll(async () => {
  issuer = await startAuditIssuer();
  [good, open] = await Promise.all([
    startExpressAuditApi({ issuer: issuer.issuer }),
    startExpressAuditApi({ issuer: issuer.issuer, defects: ['anonymous-open'] }),
  ]);
  token = await issuer.sign({ audience: AUD, scope: 'read:items admin' });
  low = await issuer.sign({ audience: AUD, scope: 'profile' });
});
afterAll(async () => {
  await Promise.all([good.close(), open.close(), issuer.close()]);
});

describe('why401 audit (the CLI)', () => {
  it('text: the score, each category, the operations; exit 0 on a well configured API', async () => {
    const r = await runCli([
      'audit',
      good.url,
      '--openapi',
      fixture('express-3.1.yaml'),
      '--token',
      token,
      '--token-low',
      low,
    ]);
    expect(r.stderr).toMatch(/why401 audit: 5 operations of http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(r.stdout).toMatch(/Score 100\/100/);
    expect(r.stdout).toMatch(/Access control\s+100/);
    expect(r.stdout).toMatch(/No findings/);
    expect(r.stdout).toMatch(
      /GET \/items\/\{itemId\}\s+none 401, bad 401, expired 401, low 403, token 200, \?access_token 400, preflight 204/,
    );
    expect(r.stdout).toMatch(/DELETE \/admin\/stats\s+DELETE is not a safe method/);
    expect(r.code).toBe(0);
  });

  it('json: the report as data; exit 1 with the finding, its evidence, RFC and fix', async () => {
    const r = await runCli([
      'audit',
      open.url,
      '--openapi',
      fixture('express-3.1.yaml'),
      '--token',
      token,
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      kind: string;
      score: number;
      findings: Array<{
        id: string;
        items: Array<{ operation?: string; evidence: string[] }>;
        cites: unknown[];
        fixes: unknown[];
      }>;
      maxInFlight: number;
    };
    expect(report.kind).toBe('audit');
    const f = report.findings.find((x) => x.id === 'audit.anonymous-not-refused')!;
    expect(f.items).toEqual([
      { operation: 'GET /items/{itemId}', evidence: ['no credentials: GET /v1/items/item-1 → 200 OK'] },
    ]);
    expect(f.cites.length).toBeGreaterThan(0);
    expect(f.fixes.length).toBeGreaterThan(0);
    expect(report.score).toBeLessThan(100);
    expect(report.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('text wraps findings to 80 columns when piped, never inside a word', async () => {
    const r = await runCli(['audit', open.url, '--openapi', fixture('express-3.1.yaml'), '--token', token]);
    expect(r.code).toBe(1);
    // The finding's why, fixes and RFC links are long sentences: each wrapped, with a hanging indent.
    expect(r.stdout).toMatch(/\n {4}Why: .+\n {6}\S/);
    const over = r.stdout
      .split('\n')
      .filter((line) => [...line].length > 80 && line.trim().includes(' '))
      // A line may pass 80 only with one unbreakable word (a URL) after its indent and label.
      .filter((line) => !/^\s*(?:\S+:? )?\S{40,}$/.test(line) && !/^ {2}\S+ +\S.*/.test(line));
    expect(over).toEqual([]);
  });

  it('tokens are never printed, in either format: fingerprints stand in for them', async () => {
    for (const format of ['text', 'json']) {
      const r = await runCli([
        'audit',
        open.url,
        '--openapi',
        fixture('express-3.1.yaml'),
        '--token',
        token,
        '--token-low',
        low,
        '--format',
        format,
      ]);
      expect(r.stdout + r.stderr).not.toContain(token);
      expect(r.stdout + r.stderr).not.toContain(low);
      expect(r.stdout + r.stderr).not.toContain(token.split('.')[2]!);
    }
  });

  it('--fail-under: exit 1 below the score even with no finding above info', async () => {
    const r = await runCli([
      'audit',
      good.url,
      '--path',
      'GET:/v1/items',
      '--fail-under',
      '100',
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as { score: number; findings: Array<{ severity: string }> };
    // --path alone: no document, no tokens; the RFC 9728 metadata is at /v1's well-known path, not the origin's.
    expect(report.score).toBeLessThan(100);
    expect(r.code).toBe(1);
  });

  it('exit 2 on bad usage, one line each', async () => {
    for (const args of [
      ['audit'],
      ['audit', 'not a url', '--path', 'GET:/x'],
      ['audit', good.url],
      ['audit', good.url, '--path', '/x'],
      ['audit', good.url, '--path', 'GET:/x', '--format', 'xml'],
      ['audit', good.url, '--path', 'GET:/x', '--fail-undr', '90'],
      ['audit', good.url, '--openapi', fixture('no-such-file.yaml')],
      ['audit', good.url, '--path', 'GET:/x', '--header', 'Authorization: Bearer abc'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const typo = await runCli(['audit', good.url, '--path', 'GET:/x', '--fail-undr', '90']);
    expect(typo.stderr).toMatch(/did you mean --fail-under\?/);
  });

  it('exit 3 when the API cannot be reached', async () => {
    const r = await runCli(['audit', 'http://127.0.0.1:9', '--path', 'GET:/v1/items']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('audit --help: usage, flags and examples', async () => {
    const r = await runCli(['audit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/why401 audit <base-url> \[--openapi FILE\|URL\]/);
    expect(r.stdout).toMatch(/Examples/);
  });
});
