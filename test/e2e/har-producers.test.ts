import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HarReport } from '../../src/model/har-report.js';
import { runCli, type CliResult } from '../support/cli.js';

/**
 * `why401 har` (and `why401 diff`) on a capture as each producer writes it
 * (test/fixtures/har/producers/, README.md there says which producer, version and source each
 * follows), through the built CLI (`npm run build` first): no crash, the producer's own words for a
 * request without an answer, the right exit code (1 only for an auth problem), `--json` that
 * parses, and a file that is not a HAR refused on stderr with exit 2 and nothing on stdout.
 */

const DIR = new URL('../fixtures/har/producers/', import.meta.url);
const path = (f: string): string => fileURLToPath(new URL(f, DIR));

interface Case {
  file: string;
  code: 0 | 1 | 2;
  /** The diagnosis: the session's first cause, else the first failed entry's. */
  cause?: string;
  /** Words the text report (or, for exit 2, stderr) must hold. */
  says?: RegExp[];
  /** Words that must appear nowhere (text, JSON, stderr). */
  never?: RegExp[];
  /** Words stderr must hold (a warning about the file). */
  warns?: RegExp;
  /** How many failed entries the report lists. */
  failed?: number;
}

/** Main's words for a request without an answer, which are wrong for these producers. */
const CHROMIUM_GUESS = /net::ERR_FAILED/;
const TIME_LIMIT = /cut off by the time limit/;
const NOT_HTTP = /not valid HTTP/;

const CASES: Case[] = [
  {
    file: 'ie11-object-cookies.har',
    code: 1,
    cause: 'session.ended',
    says: [/ASP\.NET_SessionId/, /40 minutes idle/],
    never: [/internal error/],
  },
  {
    file: 'chrome-blocked-by-client.har',
    code: 0,
    cause: 'network.unreachable',
    says: [/ad blocker or extension/, /net::ERR_BLOCKED_BY_CLIENT/, /No authentication problem/],
    never: [TIME_LIMIT, /Sanitized by the browser/],
    failed: 1,
  },
  {
    file: 'chrome-unexpected-proxy-auth.har',
    code: 1,
    cause: 'network.proxy-auth-required',
    says: [/407 Proxy Authentication Required/, /never reached api\.example\.test/],
    never: [NOT_HTTP],
  },
  {
    file: 'chrome-connection-refused.har',
    code: 0,
    cause: 'network.unreachable',
    says: [/localhost:8080 refused the connection \(net::ERR_CONNECTION_REFUSED\)/],
  },
  {
    file: 'chrome-aborted.har',
    code: 0,
    says: [/No request failed on authentication/],
    failed: 0,
  },
  {
    file: 'chrome-token-header-dropped.har',
    code: 1,
    cause: 'session.credential-dropped',
    says: [/the header token/, /a JWT/, /not at all/],
    never: [/Sanitized by the browser/],
  },
  {
    file: 'firefox-status-0.har',
    code: 0,
    cause: 'network.unreachable',
    says: [/Firefox does not record why/, /status 0 and nothing else/],
    never: [CHROMIUM_GUESS, /preflight/i],
    failed: 2,
  },
  {
    file: 'firebug-aborted.har',
    code: 0,
    cause: 'network.unreachable',
    says: [/Firebug does not record why \(Aborted\)/],
    never: [CHROMIUM_GUESS],
  },
  {
    file: 'firebug-netexport-jsonp.har',
    code: 1,
    cause: 'credentials.missing',
    says: [/Basic, realm "reports"/],
    never: [/No request failed/],
  },
  {
    file: 'browsermob-no-response.har',
    code: 0,
    says: [/No response received/, /Unable to connect to host/, /BrowserMob Proxy/],
    never: [NOT_HTTP, CHROMIUM_GUESS],
    failed: 2,
  },
  {
    file: 'mitmproxy-connect-failed.har',
    code: 0,
    says: [/127\.0\.0\.1:8080 refused the connection/, /mitmproxy does not record why/],
    never: [NOT_HTTP, CHROMIUM_GUESS],
    failed: 2,
  },
  {
    file: 'insomnia-error.har',
    code: 0,
    says: [/Insomnia does not record why \(Error\)/],
    never: [CHROMIUM_GUESS],
  },
  {
    file: 'charles-failed.har',
    code: 0,
    says: [/Charles: FAILED/],
    never: [CHROMIUM_GUESS],
    failed: 1,
  },
  {
    file: 'fiddler-connection-failed.har',
    code: 0,
    says: [/the 502 is Fiddler's own answer, not the server's/, /ConnectionRefused/],
    failed: 1,
  },
  {
    file: 'playwright-failure-text.har',
    code: 0,
    says: [/localhost:3001 refused the connection/],
    never: [/beacon/],
    failed: 1,
  },
  {
    file: 'safari-started-empty.har',
    code: 0,
    says: [/Could not connect to the server\./],
    never: [CHROMIUM_GUESS],
    failed: 1,
  },
  { file: 'hand-bare-entry.har', code: 2, says: [/a single HAR entry, not a HAR file/] },
  { file: 'hand-no-log.har', code: 2, says: [/no "log" object/, /test_response/] },
  { file: 'hand-not-json.har', code: 2, says: [/this is not JSON/] },
  {
    file: 'hand-syntax-error.har',
    code: 1,
    warns: /has a JSON syntax error at byte \d+, where it is damaged rather than cut short/,
    never: [/cut short at byte/],
  },
  {
    file: 'hand-truncated.har',
    code: 1,
    warns: /is cut short at byte \d+ \(unexpected end of file inside entry 1/,
    never: [/syntax error/],
  },
  {
    file: 'hand-no-response.har',
    code: 0,
    says: [/got no answer/, /the file does not say why/],
    never: [/No request failed/, CHROMIUM_GUESS],
    failed: 2,
  },
];

describe('why401 har on each producer’s capture (built CLI)', () => {
  it('every fixture in the directory has a case, and every case a fixture', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.har'));
    expect(files.sort()).toEqual(CASES.map((c) => c.file).sort());
  });

  for (const c of CASES) {
    describe(c.file, () => {
      let text: CliResult;
      let json: CliResult;
      let diff: CliResult;
      beforeAll(async () => {
        [text, json, diff] = await Promise.all([
          runCli(['har', path(c.file)]),
          runCli(['har', path(c.file), '--json']),
          runCli(['diff', path(c.file), path(c.file)]),
        ]);
      });

      it(`no crash, exit ${c.code}`, () => {
        for (const r of [text, json]) {
          expect(r.stderr).not.toMatch(/internal error/);
          expect(r.code, r.stderr).toBe(c.code);
        }
        // The diff reads the same way: whatever it finds to compare, it never crashes.
        expect(diff.stderr).not.toMatch(/internal error/);
        expect([0, 1, 2]).toContain(diff.code);
      });

      if (c.code === 2) {
        it('a usage error: one line on stderr, nothing on stdout', () => {
          for (const r of [text, json]) {
            expect(r.stdout).toBe('');
            expect(r.stderr.trim().split('\n')).toHaveLength(1);
            for (const w of c.says ?? []) expect(r.stderr).toMatch(w);
          }
        });
        return;
      }

      it('--json parses, and the words are the producer’s', () => {
        const report = JSON.parse(json.stdout) as HarReport;
        const failed = report.entries.filter((e) => e.failed);
        if (c.failed !== undefined) expect(failed).toHaveLength(c.failed);
        const first =
          report.findings.find((f) => f.kind === 'cause') ??
          failed.map((e) => e.findings.find((f) => f.kind === 'cause')).find((f) => f !== undefined);
        if (c.cause) expect(first?.id, text.stdout).toBe(c.cause);
        for (const w of c.says ?? []) expect(text.stdout).toMatch(w);
        for (const w of c.never ?? [])
          for (const out of [text.stdout, json.stdout, text.stderr]) expect(out).not.toMatch(w);
        if (c.warns) {
          expect(text.stderr).toMatch(c.warns);
          expect(report.warnings.join('\n')).toMatch(c.warns);
        }
      });
    });
  }
});
