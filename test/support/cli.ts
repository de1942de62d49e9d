import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';

export const CLI = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, as a user would, with a clean environment (no proxies, no colour). */
export function runCli(
  args: string[],
  opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...opts.env },
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code =
          err && typeof (err as { code?: unknown }).code === 'number'
            ? ((err as { code: number }).code as number)
            : err
              ? -1
              : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** `why401 … --json` run as a user would: its exit code and the causes it ranked, first first. */
export async function runCauses(args: string[]): Promise<{ code: number; causes: Finding[] }> {
  const r = await runCli([...args, '--json']);
  const report = JSON.parse(r.stdout) as Report;
  return { code: r.code, causes: report.findings.filter((f) => f.kind === 'cause') };
}

/** A finding's words, title to fix, for `toContain` on what a user reads. */
export const findingText = (f: Finding): string => `${f.title}\n${f.detail ?? ''}\n${f.fix ?? ''}`;
