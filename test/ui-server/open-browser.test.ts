import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { LINK } from './raw.js';

/**
 * `why401 ui` without --no-open hands the URL to the platform's opener (xdg-open here). A stand-in
 * xdg-open on PATH records what it was given; with no opener at all, the URL is still printed and
 * a one-line hint says why no browser opened.
 */
const dir = mkdtempSync(join(tmpdir(), 'why401-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function launch(
  path: string,
  done: (out: { stdout: string; stderr: string }) => boolean,
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'ui'], {
    env: { PATH: path, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Until the opener has run (or failed), at most 10 s.
  for (let i = 0; i < 200 && !done({ stdout, stderr }); i++) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  await exited;
  return { stdout, stderr };
}

describe.runIf(process.platform === 'linux')('why401 ui opens the browser', () => {
  it('passes a one-time link of its own (no key) to xdg-open', async () => {
    const bin = join(dir, 'with-opener');
    const log = join(dir, 'opened.txt');
    mkdirSync(bin);
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const { stdout } = await launch(
      `${bin}:${process.env.PATH ?? ''}`,
      () => existsSync(log) && readFileSync(log, 'utf8').endsWith('\n'),
    );
    const printed = /^why401 ui: (\S+)$/m.exec(stdout)?.[1];
    expect(printed).toMatch(LINK);
    const opened = readFileSync(log, 'utf8').trimEnd();
    expect(opened).toMatch(LINK);
    // The same page, another ticket: the printed link stays the person's own.
    expect(opened).not.toBe(printed);
    expect(LINK.exec(opened)![1]).toBe(LINK.exec(printed!)![1]);
  });

  it('with no opener: the URL is printed and one line says why no browser opened', async () => {
    const empty = join(dir, 'no-opener');
    mkdirSync(empty);
    // node is found by its absolute path; PATH holds nothing that could open a browser.
    const { stdout, stderr } = await launch(empty, (o) => o.stderr.includes('xdg-open'));
    expect(stdout).toMatch(/^why401 ui: http:\/\/127\.0\.0\.1:\d+\/#ticket=/);
    expect(stderr).toMatch(/xdg-open not found/);
    expect(stderr.split('\n').filter((l) => /xdg-open/.test(l))).toHaveLength(1);
  });
});
