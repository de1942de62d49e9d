import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { startAuditIssuer, type AuditIssuer } from './support/issuer.js';
import { startExpressAuditApi, type ExpressAuditApi } from './support/express-api.js';
import { fixture } from './support/audit.js';
import { checkSarif, wellFormed } from './support/formats.js';

/**
 * The README's CI examples, run as written: the `why401 audit …` line of the GitHub Actions block
 * and of the GitLab CI block, taken from the README itself, run by a POSIX shell with the
 * variables the CI service would set ($API_URL, $TOKEN) pointing at a local Express API, in a
 * directory holding its openapi.yaml. Only `npx why401` becomes `node dist/bin/main.js` (no
 * registry in a test). The exit code must gate the build and the file must be what the CI
 * service reads: SARIF for upload-sarif, JUnit XML for GitLab's test report.
 */

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The one `npx why401 audit` line of the fenced YAML block that follows `heading` in the CI subsection. */
function commandAfter(heading: string): string {
  const ci = README.slice(README.indexOf('\n### CI\n'));
  const from = ci.indexOf(heading);
  expect(from, `README: "${heading}" in the CI subsection`).toBeGreaterThan(0);
  const block = /```yaml\n([\s\S]*?)```/.exec(ci.slice(from))![1]!;
  const lines = [...block.matchAll(/^\s*(?:run:|-)\s+(npx why401 audit .*)$/gm)].map((m) => m[1]!);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const GITHUB = commandAfter('GitHub Actions');
const GITLAB = commandAfter('GitLab CI');

function sh(
  command: string,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stderr: string }> {
  const asWritten = command.replace(/^npx why401 /, `"${process.execPath}" "${CLI}" `);
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', asWritten],
      { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, timeout: 30_000 },
      (err, _stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr }),
    );
  });
}

let issuer: AuditIssuer;
let good: ExpressAuditApi;
let broken: ExpressAuditApi;
let token: string;
let dir: string;

beforeAll(async () => {
  issuer = await startAuditIssuer();
  [good, broken] = await Promise.all([
    startExpressAuditApi({ issuer: issuer.issuer }),
    startExpressAuditApi({ issuer: issuer.issuer, defects: ['anonymous-open'] }),
  ]);
  token = await issuer.sign({ audience: 'https://api.example.test', scope: 'read:items admin' });
  dir = mkdtempSync(join(tmpdir(), 'why401-ci-'));
  copyFileSync(fixture('express-3.1.yaml'), join(dir, 'openapi.yaml'));
});
afterAll(async () => {
  await Promise.all([good.close(), broken.close(), issuer.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the README CI examples, run as written', () => {
  it('the commands are the documented ones', () => {
    expect(GITHUB).toBe(
      'npx why401 audit "$API_URL" --openapi openapi.yaml --token "$TOKEN" --fail-under 90 --format sarif > why401.sarif',
    );
    expect(GITLAB).toMatch(/--format junit > why401\.xml$/);
  });

  it('GitHub Actions: exit 0 on a well configured API, exit 1 on a regression; why401.sarif valid either way', async () => {
    const ok = await sh(GITHUB, { API_URL: good.url, TOKEN: token }, dir);
    expect(ok.code, ok.stderr).toBe(0);
    const clean = checkSarif(readFileSync(join(dir, 'why401.sarif'), 'utf8'));
    expect(clean.runs[0]!.results.filter((r) => r.level !== 'note')).toEqual([]);

    const bad = await sh(GITHUB, { API_URL: broken.url, TOKEN: token }, dir);
    expect(bad.code, bad.stderr).toBe(1);
    const text = readFileSync(join(dir, 'why401.sarif'), 'utf8');
    const log = checkSarif(text);
    const r = log.runs[0]!.results.find((x) => x.ruleId === 'audit.anonymous-not-refused')!;
    // The path as given, relative to the checkout: what code scanning resolves.
    expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('openapi.yaml');
    expect(text).not.toContain(token.split('.')[2]!);
  });

  it('GitLab CI: exit 0, then exit 1 with a failing test case; why401.xml well-formed JUnit either way', async () => {
    const ok = await sh(GITLAB, { API_URL: good.url, TOKEN: token }, dir);
    expect(ok.code, ok.stderr).toBe(0);
    const pass = wellFormed(readFileSync(join(dir, 'why401.xml'), 'utf8'));
    expect(pass[0]!.name).toBe('testsuites');
    expect(pass[0]!.attrs.failures).toBe('0');
    expect(pass.filter((e) => e.name === 'testcase').length).toBeGreaterThan(10);

    const bad = await sh(GITLAB, { API_URL: broken.url, TOKEN: token }, dir);
    expect(bad.code, bad.stderr).toBe(1);
    const text = readFileSync(join(dir, 'why401.xml'), 'utf8');
    const failing = wellFormed(text);
    expect(Number(failing[0]!.attrs.failures)).toBeGreaterThan(0);
    expect(failing.some((e) => e.name === 'failure' && e.attrs.type === 'audit.anonymous-not-refused')).toBe(
      true,
    );
    expect(text).not.toContain(token.split('.')[2]!);
  });
});
