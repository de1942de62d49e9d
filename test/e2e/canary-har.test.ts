import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { EXPECTED_FINDING, FAKE_SECRETS, harFixture, type ScenarioName } from '../support/har-scenarios.js';

/**
 * The canary secrets of the real Chromium recordings: no command that reads a HAR — har in every
 * format, har --sanitize, diff — may print or write any of them (JWT signatures included).
 */
const secrets = [
  ...new Set(FAKE_SECRETS.flatMap((s) => (s.split('.').length === 3 ? [s, s.split('.')[2]!] : [s]))),
];
const files = (Object.keys(EXPECTED_FINDING) as ScenarioName[]).map(harFixture);

describe('no raw secret from a HAR in any output', () => {
  it('why401 har, text / --json / --markdown', async () => {
    for (const f of files) {
      for (const fmt of [[], ['--json'], ['--markdown']]) {
        const r = await runCli(['har', f, ...fmt]);
        for (const s of secrets) expect(r.stdout + r.stderr, `${f} ${fmt.join('')}: ${s}`).not.toContain(s);
      }
    }
  }, 120_000);

  it('why401 har --sanitize writes a file without them, and the diagnosis is unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'why401-canary-har-'));
    for (const f of files) {
      const out = join(dir, 'clean.har');
      const r = await runCli(['har', '--sanitize', f, out]);
      expect(r.code).toBe(0);
      const written = readFileSync(out, 'utf8');
      for (const s of secrets) expect(written, `${f}: ${s}`).not.toContain(s);
      const before = JSON.parse((await runCli(['har', f, '--json'])).stdout) as {
        findings: Array<{ id: string }>;
      };
      const after = JSON.parse((await runCli(['har', out, '--json'])).stdout) as {
        findings: Array<{ id: string }>;
      };
      expect(after.findings.map((x) => x.id)).toEqual(before.findings.map((x) => x.id));
    }
  }, 120_000);

  it('why401 diff', async () => {
    const r = await runCli(['diff', harFixture('healthy'), harFixture('old-token-reused')]);
    expect(r.stdout.length).toBeGreaterThan(0);
    for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
  });
});
