import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import type { Advice, GuideStep } from '../../src/guide/index.js';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { schemaErrors } from '../support/schema.js';

/** `why401 guide` as a user runs it: the built CLI as a child process against the embedded demo server. */
let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server.close();
});

function endpoint(path: string): string[] {
  const e = server.endpoints.find((x) => x.path === path)!;
  return [e.request.url, ...e.request.headers.flatMap(([n, v]) => ['-H', `${n}: ${v}`])];
}

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('why401 guide <url>', () => {
  it('prints the five steps, asks, advises and ends with the support block', async () => {
    const args = endpoint('/api/expired');
    // private window: yes, signed in again: no, cleared cookies: not tried; then stdin ends.
    const r = await runCli(['guide', ...args], { input: 'y\nn\n\n' });
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`why401 guide GET ${args[0]} → 401`);
    for (const n of [1, 2, 3, 4, 5]) expect(out).toContain(`Step ${n} of 5: `);
    expect(out).toContain('Step 1 of 5: Check the address and that you are signed in');
    expect(out).toContain(
      '    • The address answered 401: the site does not know who you are yet, so it wants you to sign in',
    );
    expect(out).toContain('    ✗ Your sign-in has expired (the pass the site gave you ran out of time)');
    expect(out).toContain(
      '    ✓ Sign-in details were sent: a sign-in token (the "Authorization: Bearer" header)',
    );
    expect(out).toContain(
      '    • The sign-in details name the account alice: is it the one you meant to use?',
    );
    expect(out).toContain('    ✓ The site could be reached from this computer');
    expect(out).toContain(
      '    – The address is not secure (http), so there was no secure connection to check',
    );
    // The advice for "works in a private window", first.
    const next = out.slice(out.indexOf('What to do next'));
    expect(next.split('\n')[1]).toMatch(/^ {2}→ It works in a private window, .*cookies or cache/);
    // The support block: URL, timestamp, request id, status, first cause, the answers.
    const block = out.slice(out.indexOf('----- why401 support block'));
    expect(block).toContain(`Address:                   ${args[0]}`);
    expect(block).toMatch(new RegExp(`Time of the request \\(UTC\\): ${ISO.source}`));
    expect(block).toMatch(new RegExp(`Request ids: +x-request-id: ${UUID.source}`));
    expect(block).toContain('Status:                    401 Unauthorized');
    expect(block).toContain('First cause:               token.expired: The access token expired 3 hours ago');
    expect(block).toContain('Does the page work in a private (incognito) window? Yes.');
    expect(block).toContain('Does it work after you sign out and sign in again? No.');
    expect(block).not.toContain('[cleared-cookies]');
    expect(block).toContain('Account named by the sign-in details: alice');
    expect(block).toMatch(/----- end \(made by why401 \S+\) -----\n$/);
    // The questions go to stderr, and stop when stdin ends.
    expect(r.stderr).toContain('Step 1: Does the page work in a private (incognito) window? [y/n/Enter] yes');
    expect(r.stderr).toContain(
      "Step 2: Does it work after you clear this site's cookies? [y/n/Enter] not-tried",
    );
    expect(r.stderr).not.toContain('Does it work on mobile data');
  });

  it('an answer it does not understand, from a pipe, counts as not tried', async () => {
    const r = await runCli(['guide', ...endpoint('/api/expired')], { input: 'maybe\ny\n' });
    expect(r.stdout).not.toContain('[private-window]');
    expect(r.stdout).toContain('Does it work after you sign out and sign in again? Yes.');
  });

  it('--no-questions asks nothing; a healthy endpoint exits 0', async () => {
    const r = await runCli(['guide', '--no-questions', ...endpoint('/api/healthy')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('    ✓ The address answered 200: it works');
    expect(r.stdout).toContain('The request works from here with these sign-in details');
  });

  it('the curl form: why401 guide curl <pasted command…>', async () => {
    const [url, ...headers] = endpoint('/api/no-scheme');
    const r = await runCli(['guide', '--no-questions', 'curl', url!, ...headers, '--compressed']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '    ✗ The sign-in details were sent without the word that says what kind they are (like "Bearer")',
    );
    expect(r.stdout).toContain('First cause:               header.scheme-missing: ');
  });

  it('the curl form reads a paste from stdin with `curl -`; no answers are left after it', async () => {
    const [url, , header] = endpoint('/api/quoted');
    const paste = `curl '${url}' \\\n  -H '${header!.replace(/'/g, `'\\''`)}'\n`;
    const r = await runCli(['guide', 'curl', '-'], { input: paste });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('First cause:               header.quoted: ');
    expect(r.stdout).not.toContain('What I tried');
  });

  it('--json prints {report, steps, advice, support} and asks nothing', async () => {
    const r = await runCli(['guide', '--json', ...endpoint('/app/dashboard')], { input: 'y\ny\ny\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as {
      report: Report;
      steps: GuideStep[];
      advice: Advice[];
      support: { text: string; markdown: string };
    };
    expect(Object.keys(j).sort()).toEqual(['advice', 'report', 'steps', 'support']);
    expect(schemaErrors(j.report)).toBe('');
    expect(j.report.outcome).toBe('login-required');
    expect(j.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    for (const s of j.steps) {
      expect(typeof s.title).toBe('string');
      expect(Array.isArray(s.todo)).toBe(true);
      for (const c of s.checks) expect(['pass', 'fail', 'info', 'skipped']).toContain(c.result);
      for (const q of s.questions) expect(q.step).toBe(s.step);
    }
    expect(j.steps[0]!.checks).toContainEqual({
      text: 'The site sent you to its sign-in page: your session has ended or was never started',
      result: 'fail',
      causeId: 'login.redirect',
    });
    expect(j.advice[0]).toMatchObject({ pointsAt: 'credentials', from: 'login.redirect' });
    for (const a of j.advice) expect(typeof a.text).toBe('string');
    const id = j.report.support.requestIds['x-request-id']!;
    expect(id).toMatch(UUID);
    expect(j.support.text).toContain(id);
    expect(j.support.text).toContain(j.report.support.timestamp);
    expect(j.support.markdown).toContain(`| Address | \`${j.report.target.url}\` |`);
    expect(j.support.text).not.toContain('What I tried');
  });

  it('--markdown prints the support block in Markdown, with the answers', async () => {
    const r = await runCli(['guide', '--markdown', ...endpoint('/api/admin')], {
      input: '\n\n\n\n\n\n\ny\n',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### why401 support block\n/);
    expect(r.stdout).not.toContain('Step 1 of 5');
    expect(r.stdout).toContain('| Status | 403 Forbidden |');
    expect(r.stdout).toContain('- Does it work with your VPN, proxy or browser extensions turned off? Yes.');
  });

  it('usage errors: one line, exit 2', async () => {
    for (const args of [
      ['guide'],
      ['guide', '--json'],
      ['guide', 'curl'],
      ['guide', '--from', 'x.json', 'http://a'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^why401: /);
    }
  });
});
