import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http-server.js';

/**
 * The package as a program that embeds it gets it: `npm pack` (the build is `npm test`'s first
 * step), the tarball installed into a fresh project, and an ESM TypeScript consumer that imports
 * `diagnose` from 'why401' and a type from 'why401/core', type-checked with tsc (strict, nodenext:
 * the `exports` map and its `types` are what resolve) and run against a local 401 server.
 */
const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/** An expired JWT (exp 2020-09-13): the server says so too, so the first cause is token.expired. */
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const EXPIRED = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1', iat: 1599990000, exp: 1600000000 })}.c2lnbmF0dXJl`;

const CONSUMER = `import { diagnose } from 'why401';
import type { CauseId, Report } from 'why401/core';

const url: string = process.argv[2] ?? '';
const report: Report = await diagnose({ url, headers: { Authorization: 'Bearer ${EXPIRED}' } });
// CauseId is the union of every cause id: a misspelt one here would not compile.
const expected: CauseId = 'token.expired';
const first: string | undefined = report.findings[0]?.id;
process.stdout.write(JSON.stringify({ first, expected: first === expected, outcome: report.outcome }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  files: ['consumer.ts'],
};

let dir: string;
let server: TestServer;
let tarball: string;
let files: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'why401-pack-'));
  server = await startServer((_req, res) => {
    res.writeHead(401, {
      'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
    });
    res.end();
  });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(dir, packed!.filename);
  files = packed!.files.map((f) => f.path);
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds exactly dist/, schema/, README.md and LICENSE (and package.json)', () => {
    const top = new Set(files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'schema']);
    // Every path the export map names is in it, with its declarations.
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/core.js',
      'dist/core.d.ts',
      'schema/report.json',
    ])
      expect(files).toContain(f);
    // No TypeScript source, no test, no page source: compiled code, declarations, the built page.
    expect(files.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|ui\/src)\//.test(f) || f.startsWith('dist/test'))).toEqual([]);
  });

  it('installs into a fresh project, type-checks an ESM TypeScript consumer and diagnoses a local server', async () => {
    const app = join(dir, 'app');
    await run('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    // @types/node as the consumer's own (process.argv); the same version as ours, from the warm cache.
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
        `@types/node@${pkg.devDependencies['@types/node']}`,
      ],
      { cwd: app, maxBuffer: 64 * 1024 * 1024 },
    );
    writeFileSync(join(app, 'consumer.ts'), CONSUMER);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    // Type errors are in stdout: shown when the check fails.
    await run(TSC, ['-p', 'tsconfig.json'], { cwd: app }).catch((e: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${e.stdout ?? String(e)}`);
    });
    const { stdout } = await run(process.execPath, ['out/consumer.js', `${server.url}/me`], {
      cwd: app,
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({ first: 'token.expired', expected: true, outcome: 'unauthorized' });
  }, 120_000);
});
