import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HarReport } from '../../src/model/har-report.js';
import { CLI, runCli, type CliResult } from '../support/cli.js';

/**
 * `why401 har` end to end on test/fixtures/har/session-ended.har (Chrome DevTools' "Export HAR (with
 * sensitive data)" shape: WebInspector creator, `_initiator`, `_priority`, `connection`, request
 * cookies with domain and expiry, `_error: null`): /api works with the express-session cookie
 * connect.sid, then 31 minutes later the same cookie, same headers, gets 401
 * {"message":"Session not found"}. Runs the built CLI (`npm run build` first).
 */

const FIXTURES = new URL('../fixtures/har/', import.meta.url);
const FILE = fileURLToPath(new URL('session-ended.har', FIXTURES));
const SID = (
  JSON.parse(readFileSync(FILE, 'utf8')) as {
    log: { entries: Array<{ request: { cookies: Array<{ name: string; value: string }> } }> };
  }
).log.entries
  .flatMap((e) => e.request.cookies)
  .find((c) => c.name === 'connect.sid')!.value;
/** What the per-entry generic refusal would say, which an ended session's entries must not. */
const RETRY_WORDS = /freshly issued token|Get fresh credentials and retry/i;

describe.skipIf(!existsSync(CLI))('why401 har on an ended cookie session (built CLI)', () => {
  let text: CliResult;
  let json: CliResult;
  let md: CliResult;
  beforeAll(async () => {
    [text, json, md] = await Promise.all([
      runCli(['har', FILE]),
      runCli(['har', FILE, '--json']),
      runCli(['har', FILE, '--markdown']),
    ]);
  });

  it('exits 1: an auth problem was diagnosed', () => {
    for (const r of [text, json, md]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    }
  });

  it('names the session cause: ended on the server after 31 minutes idle, with the server’s words', () => {
    const r = JSON.parse(json.stdout) as HarReport;
    expect(r.source.creator?.name).toBe('WebInspector');
    expect(r.source.sanitizedByBrowser).toBe(false);
    const first = r.findings.find((f) => f.kind === 'cause')!;
    expect(first).toMatchObject({ id: 'session.ended', confidence: 'confirmed', entries: [3, 4, 5] });
    expect(first.title).toContain('after 31 minutes idle');
    expect(first.title).toContain('"Session not found"');
    expect(first.fix).toMatch(/^Sign in again\./);
    expect(first.plain).toBe(
      "Your session ended on the site's side (signed out elsewhere, timed out, or reset): sign in again",
    );
    expect(first.evidence).toContainEqual({
      probe: 'entry#4',
      where: 'response.body.message',
      value: 'Session not found',
    });
    expect(first.evidence).toContainEqual(
      expect.objectContaining({ probe: 'entry#4', where: 'request.header.cookie' }),
    );
    expect(first.evidence).toContainEqual({ probe: 'session', where: 'idle', value: '1872 s' });
    expect(r.findings.map((f) => f.id)).not.toContain('session.stale');
    expect(r.findings.map((f) => f.id)).not.toContain('session.cookie-expired');
  });

  it('the failed entries say what the session says: sign in again, not retry with a fresh token', () => {
    const r = JSON.parse(json.stdout) as HarReport;
    const session = r.findings.find((f) => f.kind === 'cause')!;
    const failed = r.entries.filter((e) => e.failed);
    expect(failed.map((e) => e.index)).toEqual([4, 5]);
    for (const e of failed) {
      const first = e.findings.find((f) => f.kind === 'cause')!;
      expect(first.id).toBe('session.ended');
      expect(first.fix).toBe(session.fix);
      expect(first.absorbed).toContain('credentials.rejected');
      for (const f of e.findings) expect(f.fix).not.toMatch(RETRY_WORDS);
    }
    expect(text.stdout).not.toMatch(RETRY_WORDS);
    expect(md.stdout).not.toMatch(RETRY_WORDS);
  });

  it('prints the session cause once and refers the entries to it', () => {
    const out = text.stdout;
    expect(out).toContain('Session diagnosis');
    expect(out).toContain('[session.ended · confirmed · step 2]');
    expect(out).toContain('fix: Sign in again.');
    expect(out).toMatch(
      /session\.ended \(the session cause above\)\n {4}#4 GET http:\/\/localhost:3000\/api\/orders → 401\n {4}#5 GET/,
    );
    expect(out).toMatch(/connect\.sid \(sha256:[0-9a-f]{6}\)/);
  });

  it('never prints the cookie value, in any format', () => {
    expect(SID.length).toBeGreaterThan(20);
    const parts = [SID, decodeURIComponent(SID), ...SID.split(/[%.]/).filter((p) => p.length >= 8)];
    for (const r of [text, json, md]) for (const p of parts) expect(r.stdout).not.toContain(p);
  });
});

/** One mechanism for every session cause: an entry the session's first cause names says what it says. */
describe.skipIf(!existsSync(CLI))('every committed recording: entries agree with their session cause', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.har'));
  it.each(files)('%s', async (name) => {
    const r = JSON.parse(
      (await runCli(['har', fileURLToPath(new URL(name, FIXTURES)), '--json'])).stdout,
    ) as HarReport;
    const cause = r.findings.find((f) => f.kind === 'cause');
    for (const e of r.entries.filter((x) => x.failed && cause?.entries.includes(x.index))) {
      const first = e.findings.find((f) => f.kind === 'cause')!;
      expect(first.id, `entry ${e.index}`).toBe(cause!.id);
      expect(first.fix, `entry ${e.index}`).not.toMatch(RETRY_WORDS);
    }
  });
});
