import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startExpressAuditApi, type ExpressAuditApi } from './support/express-api.js';
import { fixture } from './support/audit.js';
import { checkSarif, wellFormed } from './support/formats.js';

/**
 * `why401 audit --format markdown|html|junit|sarif`: the built CLI against the real Express API
 * (one operation open to anyone, Express's HTML error page left in place), each format read back
 * the way its consumer reads it, and no token in any of them.
 */
let issuer: AuditIssuer;
let api: ExpressAuditApi;
let token: string;
let low: string;
let report: {
  score: number;
  categories: Array<{ title: string; score?: number }>;
  findings: Array<{ id: string; severity: string; title: string; items: Array<{ operation?: string }> }>;
  rules: Array<{ id: string }>;
  operations: unknown[];
};
const AUD = 'https://api.example.test';
// The fixture with a title no page should trust: each format must print it as text.
const TITLE = `Items <script>alert(1)</script> & "API" ]]> \``;
const dir = mkdtempSync(join(tmpdir(), 'why401-formats-'));
const DOC = join(dir, 'openapi.yaml');
writeFileSync(
  DOC,
  readFileSync(fixture('express-3.1.yaml'), 'utf8').replace(
    'title: Items API (Express)',
    `title: ${JSON.stringify(TITLE)}`,
  ),
);

const audit = (format: string) =>
  runCli(['audit', api.url, '--openapi', DOC, '--token', token, '--token-low', low, '--format', format]);

beforeAll(async () => {
  issuer = await startAuditIssuer();
  api = await startExpressAuditApi({ issuer: issuer.issuer, defects: ['anonymous-open', 'html-errors'] });
  token = await issuer.sign({ audience: AUD, scope: 'read:items admin' });
  low = await issuer.sign({ audience: AUD, scope: 'profile' });
  const r = await audit('json');
  expect(r.code).toBe(1);
  report = JSON.parse(r.stdout) as typeof report;
  expect(report.findings.length).toBeGreaterThan(1);
});
afterAll(async () => {
  await Promise.all([api.close(), issuer.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function noToken(out: string): void {
  expect(out).not.toContain(token);
  expect(out).not.toContain(low);
  expect(out).not.toContain(token.split('.')[2]!);
  expect(out).not.toContain(low.split('.')[2]!);
}

describe('why401 audit --format markdown', () => {
  it('the score table, every category, every finding; exit 1 as the other formats', async () => {
    const r = await audit('markdown');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`## why401 audit of \`${api.url}/v1\`: ${report.score}/100`);
    expect(r.stdout).toMatch(/\| Category \| Score \|\n\|---\|---:\|/);
    for (const c of report.categories)
      expect(r.stdout).toContain(`| ${c.title} | ${c.score ?? '– not judged'} |`);
    expect(r.stdout).toContain(`| **Overall** | **${report.score}** |`);
    for (const f of report.findings) expect(r.stdout).toContain(`\`${f.id}\``);
    expect(r.stdout).toContain('`GET /items/{itemId}`');
    expect(r.stdout).not.toContain('<script');
    expect(r.stdout).toContain('Items &lt;script>alert(1)&lt;/script> & "API" ]]> \\`');
    noToken(r.stdout + r.stderr);
  });
});

describe('why401 audit --format html', () => {
  it('one well-formed, self-contained page: no script, no external asset, nothing unescaped', async () => {
    const r = await audit('html');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    const elements = wellFormed(r.stdout, ['meta']);
    expect(elements.map((e) => e.name)).not.toContain('script');
    expect(r.stdout).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|url\(|@import/i);
    const csp = elements.find((e) => e.attrs['http-equiv'] === 'Content-Security-Policy');
    expect(csp?.attrs.content).toMatch(/default-src 'none'/);
    for (const a of elements.filter((e) => e.name === 'a')) expect(a.attrs.href).toMatch(/^https:\/\//);
    expect(elements.filter((e) => e.name === 'section')).toHaveLength(report.findings.length);
    expect(r.stdout).toContain('Items &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;API&quot; ]]&gt; `');
    noToken(r.stdout + r.stderr);
  });
});

describe('why401 audit --format junit', () => {
  it('well-formed XML: a suite per category, a case per rule × operation, a failure per finding above info', async () => {
    const r = await audit('junit');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    const elements = wellFormed(r.stdout);
    const suites = elements.filter((e) => e.name === 'testsuite');
    const cases = elements.filter((e) => e.name === 'testcase');
    const failures = elements.filter((e) => e.name === 'failure');
    expect(suites.map((s) => s.attrs.name)).toEqual(report.categories.map((c) => c.title));
    const expected = report.findings
      .filter((f) => f.severity !== 'info')
      .flatMap((f) => f.items.map((i) => `${f.id}${i.operation ? ` ${i.operation}` : ''}`));
    expect(failures).toHaveLength(expected.length);
    expect(failures.map((f) => f.attrs.type).sort()).toEqual(expected.map((x) => x.split(' ')[0]).sort());
    const failing = cases.filter((_, i) => elements[elements.indexOf(cases[i]!) + 1]?.name === 'failure');
    expect(failing.map((c) => c.attrs.name).sort()).toEqual(expected.sort());
    // Every rule appears, per operation or once for the whole API.
    for (const rule of report.rules) expect(cases.some((c) => c.attrs.name!.startsWith(rule.id))).toBe(true);
    expect(
      cases.filter((c) => c.attrs.name === 'audit.anonymous-not-refused GET /items/{itemId}'),
    ).toHaveLength(1);
    const root = elements[0]!;
    expect(Number(root.attrs.tests)).toBe(cases.length);
    expect(Number(root.attrs.failures)).toBe(failures.length);
    expect(suites.reduce((n, s) => n + Number(s.attrs.tests), 0)).toBe(cases.length);
    noToken(r.stdout + r.stderr);
  });
});

describe('why401 audit --format sarif', () => {
  it('SARIF 2.1.0: $schema, version, every result a rule of the driver, located in the OpenAPI document', async () => {
    const r = await audit('sarif');
    expect(r.code).toBe(1);
    const log = checkSarif(r.stdout);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('why401');
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(report.rules.map((x) => x.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.fullDescription?.text).toMatch(/See (RFC|OWASP|Fetch|OAuth|OpenID|[A-Z])/);
    }
    expect(run.results).toHaveLength(report.findings.reduce((n, f) => n + f.items.length, 0));
    const open = run.results.find((x) => x.ruleId === 'audit.anonymous-not-refused')!;
    expect(open.level).toBe('error');
    expect(open.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`file://${encodeURI(DOC)}`);
    expect(open.locations[0]!.logicalLocations?.[0]?.fullyQualifiedName).toBe('GET /items/{itemId}');
    noToken(r.stdout + r.stderr);
  });

  it('with --path alone, the location is the URL called', async () => {
    const r = await runCli(['audit', api.url, '--path', 'GET:/v1/items/item-1', '--format', 'sarif']);
    const log = checkSarif(r.stdout);
    const open = log.runs[0]!.results.find((x) => x.ruleId === 'audit.anonymous-not-refused')!;
    expect(open.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`${api.url}/v1/items/item-1`);
  });
});

describe('why401 audit --format: bad usage', () => {
  it('an unknown format is one line, exit 2, naming the six', async () => {
    const r = await runCli(['audit', api.url, '--path', 'GET:/x', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('why401: --format xml: one of text, json, markdown, html, junit, sarif');
  });
});
